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
	ErrBusy     = errors.New("frontline: busy")
	// ErrUnavailable: the store cannot be reached (a database server down
	// or restarting); the request may succeed once it is back.
	ErrUnavailable = errors.New("frontline: the database is unavailable")
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

// Code says which rule an input broke: a stable word for programs, part
// of the API's error contract.
type Code string

// Codes of malformed requests: the input cannot be read as what it claims
// to be.
const (
	CodeNotJSON              Code = "not_json"
	CodeNotGeoJSON           Code = "not_geojson"
	CodeDuplicateKey         Code = "duplicate_key"
	CodeEmpty                Code = "empty"
	CodeBadCSV               Code = "bad_csv"
	CodeNotFeatureCollection Code = "not_feature_collection"
	CodeNotFeature           Code = "not_feature"
	CodeBadParameter         Code = "bad_parameter"
)

// Codes of well-formed input that breaks a rule of the data.
const (
	CodeWrongGeometry       Code = "wrong_geometry"
	CodeNoGeometry          Code = "no_geometry"
	CodeNotOneLine          Code = "not_one_line"
	CodeBadCoordinates      Code = "bad_coordinates"
	CodeTooFewVertices      Code = "too_few_vertices"
	CodeTooLong             Code = "too_long"
	CodeCrossesAntimeridian Code = "crosses_antimeridian"
	CodeSelfIntersection    Code = "self_intersection"
	CodeBadTime             Code = "bad_time"
	CodeMissingValidFrom    Code = "missing_valid_from"
	CodeAmbiguousValidFrom  Code = "ambiguous_valid_from"
	CodeBadID               Code = "bad_id"
	CodeMissingID           Code = "missing_id"
	CodeDuplicateID         Code = "duplicate_id"
	CodeIDMismatch          Code = "id_mismatch"
	CodeBadProperty         Code = "bad_property"
	CodeMissingKind         Code = "missing_kind"
	CodeUnknownKind         Code = "unknown_kind"
	CodeMissingStrength     Code = "missing_strength"
	CodeMissingRange        Code = "missing_range"
	CodeUnknownSystem       Code = "unknown_system"
	CodeBadAnchor           Code = "bad_anchor"
	CodeNoAnchors           Code = "no_anchors"
	CodeBadRole             Code = "bad_role"
)

// Codes of input that is too large, and of a new line version that
// conflicts with the stored ones.
const (
	CodeTooManyFeatures Code = "too_many_features"
	CodeTooManyVertices Code = "too_many_vertices"
	CodeLengthChange    Code = "length_change"
)

// InputError refuses an input: which rule broke (Code, for programs;
// Message, for people) and where.
type InputError struct {
	Code    Code
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

func invalid(code Code, at Location, format string, args ...any) *InputError {
	return &InputError{Code: code, Message: fmt.Sprintf(format, args...), At: at}
}

// FieldAt is the Location of a named field of the input as a whole: a
// query parameter, a setting, a column.
func FieldAt(field string) Location {
	return Location{Feature: -1, Part: -1, Vertex: -1, Field: field}
}

// BadParameter refuses a request parameter or setting, naming it.
func BadParameter(field, format string, args ...any) *InputError {
	return invalid(CodeBadParameter, FieldAt(field), format, args...)
}
