package tiles_test

import (
	"errors"
	"testing"

	"frontline/tiles"
)

func TestCheckAddress(t *testing.T) {
	for _, tc := range []struct {
		name    string
		z, x, y int
		field   string // "": good
		message string
	}{
		{"world", 0, 0, 0, "", ""},
		{"deepest corner", tiles.MaxZoom, 1<<tiles.MaxZoom - 1, 1<<tiles.MaxZoom - 1, "", ""},
		{"zoom too high", tiles.MaxZoom + 1, 0, 0, "z", "z must be a zoom from 0 to 22, got 23"},
		{"negative zoom", -1, 0, 0, "z", "z must be a zoom from 0 to 22, got -1"},
		{"x past the zoom", 2, 4, 0, "x", "x must be from 0 to 3 at zoom 2, got 4"},
		{"negative x", 2, -1, 0, "x", "x must be from 0 to 3 at zoom 2, got -1"},
		{"y past the zoom", 0, 0, 1, "y", "y must be from 0 to 0 at zoom 0, got 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tiles.CheckAddress(tc.z, tc.x, tc.y)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ae *tiles.AddressError
			if !errors.As(err, &ae) || !errors.Is(err, tiles.ErrAddress) {
				t.Fatalf("error %v (%T), want an *AddressError wrapping ErrAddress", err, err)
			}
			if ae.Field != tc.field || ae.Message != tc.message {
				t.Errorf("field %q, message %q; want %q, %q", ae.Field, ae.Message, tc.field, tc.message)
			}
		})
	}
}
