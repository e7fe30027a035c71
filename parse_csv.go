package frontline

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// numericColumns are the unit properties a CSV import reads as numbers.
var numericColumns = map[string]bool{"strength": true, "range_km": true, "observe_km": true, "visits_per_day": true}

// ParseUnitsCSV reads units from CSV with a header row: columns id, kind,
// lon and lat are required (a patrol from CSV is an observation post);
// every other column becomes a property, read as a number for strength,
// range_km, observe_km and visits_per_day. Empty cells are left out.
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
	for _, need := range []string{"id", "kind", "lon", "lat"} {
		if _, ok := col[need]; !ok {
			return nil, invalid(CodeBadCSV, FieldAt(need), "CSV header lacks a %q column (id, kind, lon and lat are required)", need)
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
			case numericColumns[name]:
				n, ok := csvNumber(v)
				if !ok {
					at.Field = name
					return nil, invalid(CodeBadProperty, at, "%s must be a finite number, got %q", name, truncate(v, 40))
				}
				props[name] = n
			default:
				props[name] = v
			}
		}
		if lon == nil || lat == nil {
			return nil, invalid(CodeBadCoordinates, at, "row has no lon or lat")
		}
		f, err := json.Marshal(map[string]any{"type": "Feature", "id": rec[col["id"]],
			"geometry":   map[string]any{"type": "Point", "coordinates": []json.RawMessage{lon, lat}},
			"properties": props})
		if err != nil {
			return nil, invalid(CodeBadCSV, at, "row cannot be read: %v", err)
		}
		u, err := ParseUnit(f, row)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[u.ID]; dup {
			return nil, invalid(CodeDuplicateID, Location{Feature: row, Part: -1, Vertex: -1, Field: "id"}, "id %q is also used by row %d (rows count from 0 after the header)", u.ID, j)
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
