package frontline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
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
		return nil, invalid(CodeEmpty, Nowhere, "no features to import")
	}
	out := make([]*LineInput, len(features))
	for i, f := range features {
		in, err := parseLineFeature(f, i)
		if err != nil {
			return nil, err
		}
		if in.ValidFrom.IsZero() {
			return nil, invalid(CodeMissingValidFrom, Location{Feature: i, Part: -1, Vertex: -1, Field: "properties.valid_from"},
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
		return nil, invalid(CodeEmpty, Nowhere, "no units to import")
	}
	out := make([]*Unit, len(features))
	seen := make(map[string]int, len(features))
	for i, f := range features {
		u, err := ParseUnit(f, i)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[u.ID]; dup {
			return nil, invalid(CodeDuplicateID, Location{Feature: i, Part: -1, Vertex: -1, Field: "id"}, "id %q is also used by feature %d", u.ID, j)
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
		return nil, invalid(CodeEmpty, Nowhere, "the body is empty")
	}
	if !utf8.Valid(trimmed) {
		return nil, invalid(CodeNotJSON, Nowhere, "not valid JSON: invalid UTF-8 at byte %d", invalidUTF8At(data))
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
				return nil, invalid(CodeNotGeoJSON, Nowhere, "FeatureCollection has no features array")
			}
			if len(o.Features) > MaxFeatures {
				return nil, tooMany(len(o.Features))
			}
			return o.Features, nil
		case "Feature":
			return []json.RawMessage{trimmed}, nil
		}
		return nil, invalid(CodeNotFeatureCollection, Nowhere, "expected a FeatureCollection or newline-delimited Features, got %s", o.Type)
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
			if errors.As(err, &ie) && ie.Code == CodeNotJSON {
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
		return nil, invalid(CodeNotJSON, Nowhere, "reading newline-delimited GeoJSON: %v", err)
	}
	return out, nil
}

func isObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}

func tooMany(n int) error {
	return &InputError{Code: CodeTooManyFeatures, At: Nowhere,
		Message: "more than " + strconv.Itoa(MaxFeatures) + " features in one import (" + strconv.Itoa(n) + "); split it"}
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
			return nil, invalid(CodeNotFeature, at, "an anchor must be a GeoJSON Feature, got %s", o.Type)
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
			return nil, invalid(CodeBadAnchor, at, "an anchor needs a name")
		}
		if len(o.Geometry) == 0 || string(o.Geometry) == "null" {
			return nil, invalid(CodeNoGeometry, at, "anchor %q has no geometry", name)
		}
		g, err := decodeObject(o.Geometry, at)
		if err != nil {
			return nil, err
		}
		if g.Type != "Point" {
			return nil, invalid(CodeWrongGeometry, at, "an anchor must be a Point, got %s", g.Type)
		}
		p, err := decodePositions(g.Coordinates, at)
		if err != nil {
			return nil, err
		}
		anchors[i] = geo.Anchor{Name: name, Point: p.Point()}
	}
	return anchors, nil
}
