package frontline

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"frontline/geo"
)

// MaxFeatures bounds the features of one bulk import.
const MaxFeatures = 100000

// ParseLines reads many dated line versions: a GeoJSON FeatureCollection,
// or newline-delimited GeoJSON Features (one per line; blank lines are
// skipped). Every feature must carry valid_from. Errors name the feature
// (for newline-delimited input, its index among the features).
func ParseLines(data []byte) ([]*LineInput, error) {
	features, err := splitFeatures(data)
	if err != nil {
		return nil, err
	}
	if len(features) == 0 {
		return nil, invalid("empty", Nowhere, "no features to import")
	}
	out := make([]*LineInput, len(features))
	for i, f := range features {
		in, err := parseLineFeature(f, i)
		if err != nil {
			return nil, err
		}
		if in.ValidFrom.IsZero() {
			return nil, invalid("missing_valid_from", Location{Feature: i, Part: -1, Vertex: -1, Field: "properties.valid_from"},
				"every feature of a bulk import needs valid_from")
		}
		out[i] = in
	}
	return out, nil
}

// ParseUnits reads a FeatureCollection (or newline-delimited Features) of
// units. Ids must be unique within it.
func ParseUnits(data []byte) ([]*Unit, error) {
	features, err := splitFeatures(data)
	if err != nil {
		return nil, err
	}
	if len(features) == 0 {
		return nil, invalid("empty", Nowhere, "no units to import")
	}
	out := make([]*Unit, len(features))
	seen := make(map[string]int, len(features))
	for i, f := range features {
		u, err := ParseUnit(f, i)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[u.ID]; dup {
			return nil, invalid("duplicate_id", Location{Feature: i, Part: -1, Vertex: -1, Field: "id"}, "id %q is also used by feature %d", u.ID, j)
		}
		seen[u.ID] = i
		out[i] = u
	}
	return out, nil
}

// splitFeatures returns the features of a FeatureCollection, or the
// objects of newline-delimited GeoJSON, refusing duplicate keys in them
// (each input is scanned once, here).
func splitFeatures(data []byte) ([]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, invalid("empty", Nowhere, "the body is empty")
	}
	if !utf8.Valid(trimmed) {
		return nil, invalid("not_json", Nowhere, "not valid JSON: invalid UTF-8 at byte %d", invalidUTF8At(data))
	}
	if first, rest, ok := bytes.Cut(trimmed, []byte("\n")); !ok || !isObject(rest) || !isObject(first) || !json.Valid(first) {
		// One JSON value: a FeatureCollection.
		o, err := decodeObject(trimmed, Nowhere)
		if err != nil {
			return nil, err
		}
		switch o.Type {
		case "FeatureCollection":
			if o.Features == nil {
				return nil, invalid("not_geojson", Nowhere, "FeatureCollection has no features array")
			}
			if len(o.Features) > MaxFeatures {
				return nil, tooMany(len(o.Features))
			}
			return o.Features, nil
		case "Feature":
			return []json.RawMessage{trimmed}, nil
		}
		return nil, invalid("not_feature_collection", Nowhere, "expected a FeatureCollection or newline-delimited Features, got %s", o.Type)
	}
	var out []json.RawMessage
	sc := bufio.NewScanner(bytes.NewReader(trimmed))
	sc.Buffer(make([]byte, 1<<20), len(trimmed)+1)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if len(out) >= MaxFeatures {
			return nil, tooMany(len(out) + 1)
		}
		if err := checkDuplicateKeys(line, Location{Feature: len(out), Part: -1, Vertex: -1}, false); err != nil {
			var ie *InputError
			if errors.As(err, &ie) && ie.Code == "not_json" {
				// The decoder's own words say what is wrong.
				if _, derr := decodeMember(line, ie.At); derr != nil {
					return nil, derr
				}
			}
			return nil, err
		}
		out = append(out, append(json.RawMessage(nil), line...))
	}
	if err := sc.Err(); err != nil {
		return nil, invalid("not_json", Nowhere, "reading newline-delimited GeoJSON: %v", err)
	}
	return out, nil
}

func isObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}

func tooMany(n int) error {
	return &InputError{Code: "too_many_features", At: Nowhere,
		Message: "more than " + strconv.Itoa(MaxFeatures) + " features in one import (" + strconv.Itoa(n) + "); split it"}
}

// numericColumns are the unit properties a CSV import reads as numbers.
var numericColumns = map[string]bool{"strength": true, "range_km": true, "observe_km": true, "visits_per_day": true}

// ParseUnitsCSV reads units from CSV with a header row: columns id, kind,
// lon and lat are required (a patrol from CSV is an observation post);
// every other column becomes a property, read as a number for strength,
// range_km, observe_km and visits_per_day. Empty cells are left out.
func ParseUnitsCSV(data []byte) ([]*Unit, error) {
	if !utf8.Valid(data) {
		return nil, invalid("bad_csv", Nowhere, "CSV is not valid UTF-8 at byte %d", invalidUTF8At(data))
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, invalid("bad_csv", Nowhere, "no CSV header row: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		header[i] = h
		col[h] = i
	}
	for _, need := range []string{"id", "kind", "lon", "lat"} {
		if _, ok := col[need]; !ok {
			return nil, invalid("bad_csv", Location{Feature: -1, Part: -1, Vertex: -1, Field: need}, "CSV header lacks a %q column (id, kind, lon and lat are required)", need)
		}
	}
	var out []*Unit
	seen := map[string]int{}
	for row := 0; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		at := Location{Feature: row, Part: -1, Vertex: -1}
		if err != nil {
			return nil, invalid("bad_csv", at, "CSV: %v", err)
		}
		if row >= MaxFeatures {
			return nil, tooMany(row + 1)
		}
		props := map[string]any{}
		var lon, lat json.RawMessage
		for i, v := range rec {
			v = strings.TrimSpace(v)
			if v == "" || i >= len(header) {
				continue
			}
			switch name := header[i]; {
			case name == "id":
			case name == "lon" || name == "lat":
				n, ok := csvNumber(v)
				if !ok {
					at.Field = name
					return nil, invalid("bad_coordinates", at, "%s %q is not a finite number", name, truncate(v, 40))
				}
				if name == "lon" {
					lon = n
				} else {
					lat = n
				}
			case numericColumns[name]:
				n, ok := csvNumber(v)
				if !ok {
					at.Field = name
					return nil, invalid("bad_property", at, "%s must be a finite number, got %q", name, truncate(v, 40))
				}
				props[name] = n
			default:
				props[name] = v
			}
		}
		if lon == nil || lat == nil {
			return nil, invalid("bad_coordinates", at, "row has no lon or lat")
		}
		f, err := json.Marshal(map[string]any{"type": "Feature", "id": rec[col["id"]],
			"geometry":   map[string]any{"type": "Point", "coordinates": []json.RawMessage{lon, lat}},
			"properties": props})
		if err != nil {
			return nil, invalid("bad_csv", at, "row cannot be read: %v", err)
		}
		u, err := ParseUnit(f, row)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[u.ID]; dup {
			return nil, invalid("duplicate_id", Location{Feature: row, Part: -1, Vertex: -1, Field: "id"}, "id %q is also used by row %d (rows count from 0 after the header)", u.ID, j)
		}
		seen[u.ID] = row
		out = append(out, u)
	}
	return out, nil
}

// csvNumber reads a CSV cell as a finite number, written back as JSON.
func csvNumber(v string) (json.RawMessage, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, false
	}
	return json.RawMessage(strconv.FormatFloat(f, 'g', -1, 64)), true
}

// ParseAnchors reads anchors: a FeatureCollection of Points, each named by
// properties.name (or its id), in the order given.
func ParseAnchors(data []byte) ([]geo.Anchor, error) {
	features, err := splitFeatures(data)
	if err != nil {
		return nil, err
	}
	anchors := make([]geo.Anchor, len(features))
	for i, raw := range features {
		at := Location{Feature: i, Part: -1, Vertex: -1}
		o, err := decodeObject(raw, at)
		if err != nil {
			return nil, err
		}
		if o.Type != "Feature" {
			return nil, invalid("not_feature", at, "an anchor must be a GeoJSON Feature, got %s", o.Type)
		}
		props, err := decodeProperties(o.Properties, at)
		if err != nil {
			return nil, err
		}
		name, _, err := stringProp(props, "name", at)
		if err != nil {
			return nil, err
		}
		if name == "" {
			if name, err = featureID(o.ID, at); err != nil {
				return nil, err
			}
		}
		if name == "" {
			at.Field = "properties.name"
			return nil, invalid("bad_anchor", at, "an anchor needs a name")
		}
		if len(o.Geometry) == 0 || string(o.Geometry) == "null" {
			return nil, invalid("no_geometry", at, "anchor %q has no geometry", name)
		}
		g, err := decodeObject(o.Geometry, at)
		if err != nil {
			return nil, err
		}
		if g.Type != "Point" {
			return nil, invalid("wrong_geometry", at, "an anchor must be a Point, got %s", g.Type)
		}
		p, err := decodePositions(g.Coordinates, at)
		if err != nil {
			return nil, err
		}
		anchors[i] = geo.Anchor{Name: name, Point: p.Point()}
	}
	return anchors, nil
}
