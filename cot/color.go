package cot

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ARGB is a "#rrggbb" colour with an alpha as TAK writes colours: the
// 32 bits 0xAARRGGBB read as a signed integer (Android's Color int), so
// that opaque white is -1 and #c62828 at alpha 0x80 (0x80c62828) is
// -2134497240.
func ARGB(hex string, alpha uint8) (int32, error) {
	h, ok := strings.CutPrefix(hex, "#")
	if !ok || len(h) != 6 {
		return 0, fmt.Errorf("colour %q is not #rrggbb", hex)
	}
	rgb, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("colour %q is not #rrggbb", hex)
	}
	return int32(uint32(alpha)<<24 | uint32(rgb)), nil
}

// Alpha is an opacity from 0 to 1 as an alpha from 0 to 255 (clamped).
func Alpha(opacity float64) uint8 {
	if math.IsNaN(opacity) {
		return 255
	}
	return uint8(math.Round(math.Min(1, math.Max(0, opacity)) * 255))
}

// colorValue is a colour as a strokeColor or fillColor element.
func colorValue(hex string, opacity float64) (*Value, error) {
	c, err := ARGB(hex, Alpha(opacity))
	if err != nil {
		return nil, err
	}
	return &Value{Value: strconv.FormatInt(int64(c), 10)}, nil
}
