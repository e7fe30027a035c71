package frontline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// Position is a GeoJSON position: longitude, latitude and, if given,
// altitude and more, kept as given.
type Position []float64

// Point returns the position's longitude and latitude.
func (p Position) Point() orb.Point { return orb.Point{p[0], p[1]} }

// rawObject is any GeoJSON object, decoded just enough to tell what it is.
type rawObject struct {
	Type        string            `json:"type"`
	ID          json.RawMessage   `json:"id"`
	Coordinates json.RawMessage   `json:"coordinates"`
	Geometry    json.RawMessage   `json:"geometry"`
	Properties  json.RawMessage   `json:"properties"`
	Features    []json.RawMessage `json:"features"`
}

// decodeObject decodes one GeoJSON object, refusing anything that is not
// a JSON object with a type. A whole input (at is Nowhere) is checked for
// duplicate keys anywhere in it; decode its parts with decodeMember, which
// does not look again.
func decodeObject(data []byte, at Location) (*rawObject, error) {
	return decodeGeoJSON(data, at, at == Nowhere)
}

// decodeMember decodes an object inside an input whose keys were checked.
func decodeMember(data []byte, at Location) (*rawObject, error) {
	return decodeGeoJSON(data, at, false)
}

func decodeGeoJSON(data []byte, at Location, checkKeys bool) (*rawObject, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, invalid(CodeEmpty, at, "the input is empty")
	}
	if !utf8.Valid(data) {
		return nil, invalid(CodeNotJSON, at, "not valid JSON: invalid UTF-8 at byte %d", invalidUTF8At(data))
	}
	var o rawObject
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&o); err != nil {
		return nil, jsonError(err, at)
	}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		return nil, invalid(CodeNotJSON, at, "unexpected data after the JSON value at byte %d", len(data)-len(rest))
	}
	if checkKeys {
		if err := checkDuplicateKeys(data, at, o.Type == "FeatureCollection"); err != nil {
			return nil, err
		}
	}
	if o.Type == "" {
		return nil, invalid(CodeNotGeoJSON, at, "not GeoJSON: no \"type\" member")
	}
	return &o, nil
}

// invalidUTF8At returns the offset of the first byte that is not valid
// UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func jsonError(err error, at Location) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return invalid(CodeNotJSON, at, "not valid JSON at byte %d: %v", syn.Offset, syn)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return invalid(CodeNotJSON, at, "not valid JSON: the input ends too early")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "value"
		}
		return invalid(CodeNotGeoJSON, at, "%s must not be a JSON %s", field, typ.Value)
	}
	return invalid(CodeNotJSON, at, "not valid JSON: %v", err)
}

// decodePositions reads one position: an array of at least two finite
// numbers, longitude and latitude in range.
func decodePositions(raw json.RawMessage, at Location) (Position, error) {
	var nums []json.RawMessage
	if err := json.Unmarshal(raw, &nums); err != nil {
		return nil, invalid(CodeBadCoordinates, at, "a position must be an array of numbers")
	}
	if len(nums) < 2 {
		return nil, invalid(CodeBadCoordinates, at, "a position needs longitude and latitude, got %d numbers", len(nums))
	}
	p := make(Position, len(nums))
	for i, n := range nums {
		if len(n) == 0 || (n[0] != '-' && (n[0] < '0' || n[0] > '9')) {
			return nil, invalid(CodeBadCoordinates, at, "a position must be an array of numbers")
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, invalid(CodeBadCoordinates, at, "coordinate %d (%s) is not a finite number", i, n)
		}
		p[i] = f
	}
	if err := positionError(p, at); err != nil {
		return nil, err
	}
	return p, nil
}

// positionError refuses a position without longitude and latitude or with
// either out of range.
func positionError(p []float64, at Location) error {
	switch {
	case len(p) < 2:
		return invalid(CodeBadCoordinates, at, "a position needs longitude and latitude, got %d numbers", len(p))
	case p[0] < -180 || p[0] > 180:
		return invalid(CodeBadCoordinates, at, "longitude %g outside [-180, 180]", p[0])
	case p[1] < -90 || p[1] > 90:
		return invalid(CodeBadCoordinates, at, "latitude %g outside [-90, 90]", p[1])
	}
	return nil
}

func decodeLineString(raw json.RawMessage, at Location) ([]Position, error) {
	// Well-formed coordinates decode in one pass; anything else takes the
	// slow path below, which finds the position at fault. A null decodes
	// into a float64 as 0 without an error, so input holding one takes
	// the slow path too, which refuses it.
	var fast [][]float64
	if bytes.Contains(raw, []byte("null")) {
		fast = nil
	} else if err := json.Unmarshal(raw, &fast); err == nil {
		out := make([]Position, len(fast))
		for i, p := range fast {
			vat := at
			vat.Vertex = i
			if err := positionError(p, vat); err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, invalid(CodeBadCoordinates, at, "coordinates of a line must be an array of positions")
	}
	out := make([]Position, len(items))
	for i, it := range items {
		vat := at
		vat.Vertex = i
		p, err := decodePositions(it, vat)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// decodeLineGeometry reads a LineString or MultiLineString geometry.
func decodeLineGeometry(o *rawObject, at Location) ([][]Position, error) {
	if o.Type != "LineString" && o.Type != "MultiLineString" {
		return nil, invalid(CodeWrongGeometry, at, "geometry must be a LineString or MultiLineString, got %s", o.Type)
	}
	if o.Coordinates == nil {
		return nil, invalid(CodeNotGeoJSON, at, "%s has no coordinates", o.Type)
	}
	switch o.Type {
	case "LineString":
		at.Part = 0
		ls, err := decodeLineString(o.Coordinates, at)
		if err != nil {
			return nil, err
		}
		return [][]Position{ls}, nil
	case "MultiLineString":
		var parts []json.RawMessage
		if err := json.Unmarshal(o.Coordinates, &parts); err != nil {
			return nil, invalid(CodeBadCoordinates, at, "coordinates of a MultiLineString must be an array of lines")
		}
		if len(parts) == 0 {
			return nil, invalid(CodeTooFewVertices, at, "MultiLineString has no parts")
		}
		out := make([][]Position, len(parts))
		for i, raw := range parts {
			pat := at
			pat.Part = i
			ls, err := decodeLineString(raw, pat)
			if err != nil {
				return nil, err
			}
			out[i] = ls
		}
		return out, nil
	}
	return nil, invalid(CodeWrongGeometry, at, "geometry must be a LineString or MultiLineString, got %s", o.Type)
}

// decodeProperties reads a Feature's properties (null or absent: empty).
func decodeProperties(raw json.RawMessage, at Location) (map[string]any, error) {
	props := map[string]any{}
	if len(raw) == 0 || string(raw) == "null" {
		return props, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&props); err != nil {
		at.Field = "properties"
		return nil, invalid(CodeNotGeoJSON, at, "properties must be a JSON object")
	}
	return props, nil
}

// featureID reads a Feature's id: a string, or an integer taken as its
// decimal string.
func featureID(raw json.RawMessage, at Location) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		if _, err := n.Int64(); err == nil {
			return n.String(), nil
		}
	}
	at.Field = "id"
	return "", invalid(CodeBadID, at, "id must be a string or an integer, got %s", truncate(string(raw), 40))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// numberProp reads an optional numeric property.
func numberProp(props map[string]any, key string, at Location) (float64, bool, error) {
	v, ok := props[key]
	if !ok || v == nil {
		return 0, false, nil
	}
	at.Field = "properties." + key
	n, isNum := v.(json.Number)
	if !isNum {
		return 0, false, invalid(CodeBadProperty, at, "%s must be a number, got %s", key, describe(v))
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false, invalid(CodeBadProperty, at, "%s must be a finite number, got %s", key, n)
	}
	return f, true, nil
}

// stringProp reads an optional string property.
func stringProp(props map[string]any, key string, at Location) (string, bool, error) {
	v, ok := props[key]
	if !ok || v == nil {
		return "", false, nil
	}
	s, isStr := v.(string)
	if !isStr {
		at.Field = "properties." + key
		return "", false, invalid(CodeBadProperty, at, "%s must be a string, got %s", key, describe(v))
	}
	return s, true, nil
}

func describe(v any) string {
	switch v := v.(type) {
	case json.Number:
		return "the number " + v.String()
	case string:
		return fmt.Sprintf("the string %q", truncate(v, 40))
	case bool:
		return fmt.Sprintf("%t", v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%v", v)
}
