package frontline

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// numericColumns are the unit properties a CSV import reads as numbers.
var numericColumns = map[string]bool{"strength": true, "range_km": true, "observe_km": true, "visits_per_day": true}

// ParseUnitsCSV reads units from CSV with a header row: columns id and
// kind are required, and the position, either as lon and lat or as WKT in
// a geometry column (POINT, or LINESTRING for a patrol's route); a
// patrol with lon and lat is an observation post. A properties column
// holds properties as a JSON object; every other column becomes a
// property, read as a number for strength, range_km, observe_km and
// visits_per_day. Empty cells are left out. A text cell that starts with
// a single quote and then =, +, -, @, tab or CR loses the quote, which
// CSV exports put there against formula injection (UnitsCSV writes what
// this reads back).
func ParseUnitsCSV(data []byte) ([]*Unit, error) {
	if !utf8.Valid(data) {
		return nil, invalid(CodeBadCSV, Nowhere, "CSV is not valid UTF-8 at byte %d", invalidUTF8At(data))
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, invalid(CodeBadCSV, Nowhere, "no CSV header row: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		header[i] = h
		col[h] = i
	}
	_, hasGeometry := col[csvColumnGeometry]
	for _, need := range []string{"id", "kind", "lon", "lat"} {
		if _, ok := col[need]; !ok && !(hasGeometry && (need == "lon" || need == "lat")) {
			return nil, invalid(CodeBadCSV, FieldAt(need), "CSV header lacks a %q column (id, kind, lon and lat are required; lon and lat may be left for a geometry column of WKT)", need)
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
			return nil, invalid(CodeBadCSV, at, "CSV: %v", err)
		}
		if row >= MaxFeatures {
			return nil, tooMany(row + 1)
		}
		props := map[string]any{}
		var lon, lat json.RawMessage
		var geometry any
		var extra map[string]any // the properties column
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
					return nil, invalid(CodeBadCoordinates, at, "%s %q is not a finite number", name, truncate(v, 40))
				}
				if name == "lon" {
					lon = n
				} else {
					lat = n
				}
			case name == csvColumnGeometry:
				if geometry, err = parseWKT(v, at); err != nil {
					return nil, err
				}
			case name == csvColumnProperties:
				if extra, err = csvProperties(v, at); err != nil {
					return nil, err
				}
			case numericColumns[name]:
				n, ok := csvNumber(v)
				if !ok {
					at.Field = name
					return nil, invalid(CodeBadProperty, at, "%s must be a finite number, got %q", name, truncate(v, 40))
				}
				props[name] = n
			default:
				props[name] = csvUnguard(v)
			}
		}
		for k, v := range extra {
			if _, twice := props[k]; twice {
				at.Field = csvColumnProperties
				return nil, invalid(CodeBadProperty, at, "property %q is in its own column and in the properties column: give it once", truncate(k, 40))
			}
			props[k] = v
		}
		switch {
		case geometry != nil && (lon != nil || lat != nil):
			at.Field = csvColumnGeometry
			return nil, invalid(CodeBadCoordinates, at, "row has both lon/lat and a geometry: give one")
		case geometry == nil && (lon == nil || lat == nil):
			return nil, invalid(CodeBadCoordinates, at, "row has no lon or lat (nor a geometry)")
		case geometry == nil:
			geometry = map[string]any{"type": "Point", "coordinates": []json.RawMessage{lon, lat}}
		}
		id := csvUnguard(rec[col["id"]])
		f, err := json.Marshal(map[string]any{"type": "Feature", "id": id, "geometry": geometry, "properties": props})
		if err != nil {
			return nil, invalid(CodeBadCSV, at, "row cannot be read: %v", err)
		}
		u, err := ParseUnit(f, row)
		if err != nil {
			return nil, csvRowError(err)
		}
		if j, dup := seen[u.ID]; dup {
			return nil, invalid(CodeDuplicateID, Location{Feature: row, Part: -1, Vertex: -1, Field: "id"}, "id %q is also used by row %d (rows count from 0 after the header)", u.ID, j)
		}
		seen[u.ID] = row
		out = append(out, u)
	}
	return out, nil
}

// csvRowError places an error about a row's geometry in the row: a
// route's position is its place in the geometry cell, not a vertex of a
// part of a GeoJSON input.
func csvRowError(err error) error {
	var ie *InputError
	if !errors.As(err, &ie) || (ie.At.Part < 0 && ie.At.Vertex < 0) {
		return err
	}
	out := *ie
	if ie.At.Vertex >= 0 {
		out.Message = fmt.Sprintf("position %d of the geometry: %s", ie.At.Vertex, ie.Message)
	}
	out.At.Part, out.At.Vertex, out.At.Field = -1, -1, csvColumnGeometry
	return &out
}

// csvProperties reads the properties column: a JSON object, each of its
// members a property.
func csvProperties(v string, at Location) (map[string]any, error) {
	at.Field = csvColumnProperties
	var props map[string]any
	dec := json.NewDecoder(strings.NewReader(v))
	dec.UseNumber()
	if err := dec.Decode(&props); err != nil || props == nil || dec.InputOffset() != int64(len(v)) {
		return nil, invalid(CodeBadProperty, at, "the properties column must hold a JSON object, got %q", truncate(v, 40))
	}
	// Within a unit Feature the object is one level deeper: as deep as
	// JSON goes, it would not read there.
	if jsonDepth(props) >= maxJSONDepth {
		return nil, invalid(CodeBadProperty, at, "the properties column nests more than %d levels deep", maxJSONDepth-1)
	}
	// After the decoder, which accepted it: only duplicate names are left
	// to refuse.
	if err := checkDuplicateKeys([]byte(v), Location{Feature: at.Feature, Part: -1, Vertex: -1}, false); err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			ie.At.Field = csvColumnProperties + "." + ie.At.Field
		}
		return nil, err
	}
	return props, nil
}

// jsonDepth is how deeply a decoded JSON value nests: 0 for a number,
// string, boolean or null, 1 for an array or object of those, ...
func jsonDepth(v any) int {
	d := 0
	switch v := v.(type) {
	case map[string]any:
		for _, e := range v {
			d = max(d, jsonDepth(e))
		}
	case []any:
		for _, e := range v {
			d = max(d, jsonDepth(e))
		}
	default:
		return 0
	}
	return d + 1
}

// parseWKT reads the geometry column: WKT POINT or LINESTRING, with an
// optional Z, M or ZM tag. Every position keeps all its numbers
// (an altitude is kept, and ignored), as in GeoJSON.
func parseWKT(v string, at Location) (map[string]any, error) {
	at.Field = csvColumnGeometry
	bad := func(why string) error {
		return invalid(CodeBadCoordinates, at, "geometry must be WKT POINT (lon lat) or LINESTRING (lon lat, lon lat, ...): %s, got %q", why, truncate(v, 40))
	}
	open := strings.IndexByte(v, '(')
	if open < 0 || !strings.HasSuffix(v, ")") {
		return nil, bad("no (...)")
	}
	tag := strings.Fields(strings.ToUpper(v[:open]))
	if len(tag) == 0 || len(tag) > 2 || (len(tag) == 2 && tag[1] != "Z" && tag[1] != "M" && tag[1] != "ZM") {
		return nil, bad("not a geometry type")
	}
	var kind string
	switch tag[0] {
	case "POINT":
		kind = "Point"
	case "LINESTRING":
		kind = "LineString"
	case "POINTZ", "POINTM", "POINTZM":
		kind = "Point"
	case "LINESTRINGZ", "LINESTRINGM", "LINESTRINGZM":
		kind = "LineString"
	default:
		return nil, bad("not POINT or LINESTRING")
	}
	var positions [][]json.RawMessage
	for _, p := range strings.Split(v[open+1:len(v)-1], ",") {
		nums := strings.Fields(p)
		if len(nums) < 2 {
			return nil, bad(fmt.Sprintf("position %d has %d numbers, not at least longitude and latitude", len(positions), len(nums)))
		}
		pos := make([]json.RawMessage, len(nums))
		for i, n := range nums {
			x, ok := csvNumber(n)
			if !ok {
				return nil, bad(fmt.Sprintf("position %d: %q is not a finite number", len(positions), truncate(n, 20)))
			}
			pos[i] = x
		}
		positions = append(positions, pos)
	}
	if kind == "Point" {
		if len(positions) != 1 {
			return nil, bad(fmt.Sprintf("a POINT has one position, this %d", len(positions)))
		}
		return map[string]any{"type": kind, "coordinates": positions[0]}, nil
	}
	return map[string]any{"type": kind, "coordinates": positions}, nil
}

// csvNumber reads a CSV cell as a finite number, written back as JSON.
func csvNumber(v string) (json.RawMessage, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, false
	}
	return json.RawMessage(strconv.FormatFloat(f, 'g', -1, 64)), true
}
