// Package stored holds what every SQL store writes the same way.
package stored

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"frontline"
)

// Version encodes a line or area version's coordinates and properties as
// the JSON text the stores keep (no properties: an empty object, not
// null), so that a read gives back exactly what was imported.
func Version(coords any, props map[string]any) (geometry, properties []byte, err error) {
	if geometry, err = json.Marshal(coords); err != nil {
		return nil, nil, fmt.Errorf("geometry: %w", err)
	}
	if props == nil {
		props = map[string]any{}
	}
	if properties, err = json.Marshal(props); err != nil {
		return nil, nil, fmt.Errorf("properties: %w", err)
	}
	return geometry, properties, nil
}

// Properties decodes stored properties with numbers as json.Number, as
// the parsers read them, so that properties read back equal the ones
// imported (stored null: none).
func Properties(data []byte) (map[string]any, error) {
	props := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&props); err != nil {
		return nil, fmt.Errorf("properties: %w", err)
	}
	if props == nil {
		props = map[string]any{}
	}
	return props, nil
}

// TimeLayout is fixed-width RFC 3339 in UTC, so that comparing the text
// compares the times and the indexes serve time queries.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// Bounds of the years TimeLayout writes in four digits.
var (
	minTime = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

// FormatTime refuses times outside years 0000-9999 rather than store text
// that would sort out of order.
func FormatTime(t time.Time) (string, error) {
	if t.Before(minTime) || t.After(maxTime) {
		return "", fmt.Errorf("time %s is outside years 0000-9999: %w", t.Format(time.RFC3339Nano), frontline.ErrInvalid)
	}
	return t.UTC().Format(TimeLayout), nil
}

// ParseTime reads a time FormatTime wrote.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}
