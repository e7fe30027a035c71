package frontline

import (
	"errors"
	"fmt"
	"strings"
)

// Error kinds. Every error the domain returns wraps one of them, and the
// HTTP layer maps each kind to a status in one place.
var (
	ErrInvalid  = errors.New("frontline: invalid input")
	ErrNotFound = errors.New("frontline: not found")
	ErrConflict = errors.New("frontline: conflict")
	ErrTooLarge = errors.New("frontline: too large")
	ErrBusy     = errors.New("frontline: busy")
)

// Location says where in a GeoJSON input something is; -1 means "not
// applicable".
type Location struct {
	Feature int    `json:"feature"`
	Part    int    `json:"part"`
	Vertex  int    `json:"vertex"`
	Field   string `json:"field,omitempty"`
}

// Nowhere is the Location of an error about the input as a whole.
var Nowhere = Location{Feature: -1, Part: -1, Vertex: -1}

func (l Location) String() string {
	var parts []string
	if l.Feature >= 0 {
		parts = append(parts, fmt.Sprintf("feature %d", l.Feature))
	}
	if l.Part >= 0 {
		parts = append(parts, fmt.Sprintf("part %d", l.Part))
	}
	if l.Vertex >= 0 {
		parts = append(parts, fmt.Sprintf("vertex %d", l.Vertex))
	}
	if l.Field != "" {
		parts = append(parts, l.Field)
	}
	return strings.Join(parts, ", ")
}

// InputError refuses an input: which rule broke (Code, a stable word for
// programs; Message, for people) and where.
type InputError struct {
	Code    string
	Message string
	At      Location
}

func (e *InputError) Error() string {
	if at := e.At.String(); at != "" {
		return at + ": " + e.Message
	}
	return e.Message
}

func (e *InputError) Unwrap() error { return ErrInvalid }

func invalid(code string, at Location, format string, args ...any) *InputError {
	return &InputError{Code: code, Message: fmt.Sprintf(format, args...), At: at}
}
