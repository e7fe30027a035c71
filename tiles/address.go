package tiles

import (
	"errors"
	"fmt"
)

// Tile geometry, in tile units: a tile is Extent units across.
const (
	MaxZoom = 22
	Extent  = 4096
	// Buffer is how far geometry reaches past a tile's edges (4 pixels of
	// a 256-pixel tile), so that strokes and fills of neighbouring tiles
	// join without seams.
	Buffer = 64
	// Tolerance is the Douglas-Peucker tolerance: a quarter of a pixel of
	// a 256-pixel tile, so simplification never shows.
	Tolerance = 4
)

// ErrAddress is wrapped by the errors about a tile address out of range.
var ErrAddress = errors.New("tiles: bad tile address")

// AddressError says which part of a tile address is out of range (Field:
// z, x or y) and why.
type AddressError struct {
	Field   string
	Message string
}

func (e *AddressError) Error() string { return "tiles: " + e.Message }

func (e *AddressError) Unwrap() error { return ErrAddress }

// CheckAddress checks a tile's address: zoom 0 to MaxZoom, x and y within
// the 2^z tiles of that zoom. The error is an *AddressError.
func CheckAddress(z, x, y int) error {
	bad := func(field, format string, args ...any) error {
		return &AddressError{Field: field, Message: fmt.Sprintf(format, args...)}
	}
	if z < 0 || z > MaxZoom {
		return bad("z", "z must be a zoom from 0 to %d, got %d", MaxZoom, z)
	}
	n := 1 << z
	if x < 0 || x >= n {
		return bad("x", "x must be from 0 to %d at zoom %d, got %d", n-1, z, x)
	}
	if y < 0 || y >= n {
		return bad("y", "y must be from 0 to %d at zoom %d, got %d", n-1, z, y)
	}
	return nil
}
