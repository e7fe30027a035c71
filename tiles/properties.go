package tiles

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"
)

// properties converts a feature's properties for a tile, adding its
// GeoJSON id as the property "id" where it has none.
func properties(f *geojson.Feature) map[string]any {
	props := make(map[string]any, len(f.Properties)+1)
	for k, v := range f.Properties {
		if tv, ok := tileValue(v); ok {
			props[k] = tv
		}
	}
	if _, ok := props["id"]; !ok && f.ID != nil {
		if tv, ok := tileValue(f.ID); ok {
			props["id"] = tv
		}
	}
	return props
}

// addFields records the TileJSON types of a feature's properties.
func (s *Source) addFields(props map[string]any) {
	for k, v := range props {
		t := "Boolean"
		switch v.(type) {
		case string:
			t = "String"
		case float64, int64:
			t = "Number"
		}
		if old, ok := s.fields[k]; ok && old != t {
			t = "Mixed"
		}
		s.fields[k] = t
	}
}

// tileValue converts a property for a tile: a string, float64, int64 or
// bool; lists become comma-joined strings, objects JSON text.
func tileValue(v any) (any, bool) {
	switch v := v.(type) {
	case nil:
		return nil, false
	case string, bool, float64, int64:
		return v, true
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	case float32:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano), true
	case fmt.Stringer:
		return v.String(), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		return joined(rv), true
	case reflect.Int8, reflect.Int16, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v), true
	}
	return string(b), true
}

// joined writes a list as its elements' tile values joined by commas.
func joined(rv reflect.Value) string {
	parts := make([]string, 0, rv.Len())
	for i := 0; i < rv.Len(); i++ {
		e, ok := tileValue(rv.Index(i).Interface())
		if !ok {
			continue
		}
		switch e := e.(type) {
		case string:
			parts = append(parts, e)
		case float64:
			parts = append(parts, strconv.FormatFloat(e, 'g', -1, 64))
		default:
			parts = append(parts, fmt.Sprint(e))
		}
	}
	return strings.Join(parts, ",")
}
