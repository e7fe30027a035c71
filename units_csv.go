package frontline

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Units as CSV, the columns ParseUnitsCSV reads, so that reading the CSV
// back gives the same units:
//
//   - id, kind, lon, lat: the unit; lon and lat are empty when the
//     geometry column holds the geometry;
//   - strength, sector, system, range_km, status, observe_km,
//     visits_per_day, name, sidc: the properties of that name (the
//     numbers as numbers), always there, empty where a unit has none;
//   - then one column per other property that some unit has as text
//     (echelon, nation, ...), in name order;
//   - geometry: what lon and lat cannot say, as WKT: a patrol's route
//     (LINESTRING), a point with an altitude (POINT Z);
//   - properties: the properties no column can carry, as a JSON object
//     (true/false, nested values, a number under a text name, text
//     with leading or trailing spaces or a carriage return, names that
//     are not lower case).
//
// Text cells are neutralised against formulas as in every CSV export
// (csvGuard); ParseUnitsCSV takes the guard off again.

// unitsCSVColumns are the property columns every units CSV has, in
// order, after id, kind, lon and lat.
var unitsCSVColumns = []string{"strength", "sector", "system", "range_km", "status", "observe_km", "visits_per_day", "name", "sidc"}

// Columns that are not properties: a property of one of these names goes
// into the properties column.
const (
	csvColumnGeometry   = "geometry"
	csvColumnProperties = "properties"
)

var unitsCSVReserved = map[string]bool{"id": true, "lon": true, "lat": true, csvColumnGeometry: true, csvColumnProperties: true}

// UnitsCSV writes units as CSV with a header row, one unit a row, in the
// columns ParseUnitsCSV reads (see above).
func UnitsCSV(units []*Unit) []byte {
	// The columns: the fixed ones, and the text properties some unit has.
	fixed := map[string]bool{"kind": true}
	for _, c := range unitsCSVColumns {
		fixed[c] = true
	}
	extra := map[string]bool{}
	for _, u := range units {
		for k, v := range u.Properties {
			if !fixed[k] && csvColumnName(k) && csvTextValue(v) {
				extra[k] = true
			}
		}
	}
	header := append([]string{"id", "kind", "lon", "lat"}, unitsCSVColumns...)
	header = append(header, slices.Sorted(maps.Keys(extra))...)
	header = append(header, csvColumnGeometry, csvColumnProperties)

	rows := make([][]csvCell, len(units))
	for i, u := range units {
		row := make([]csvCell, len(header))
		rest := map[string]any{}
		for k, v := range u.Properties {
			rest[k] = v
		}
		row[0] = textCell(csvGuard(u.ID))
		if len(u.Coords) > 0 && !u.IsRoute() && len(u.Coords[0]) == 2 {
			row[2], row[3] = numberCell(u.Coords[0][0]), numberCell(u.Coords[0][1])
		} else {
			row[len(header)-2] = textCell(wkt(u))
		}
		for j, name := range header {
			if j == 0 || name == "lon" || name == "lat" || unitsCSVReserved[name] {
				continue
			}
			v, ok := rest[name]
			if !ok {
				continue
			}
			if numericColumns[name] {
				if f, ok := csvFloat(v); ok {
					row[j] = numberCell(f)
					delete(rest, name)
				}
				continue
			}
			if csvColumnName(name) && csvTextValue(v) {
				row[j] = textCell(csvGuard(v.(string)))
				delete(rest, name)
			}
		}
		if len(rest) > 0 {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(rest) // decoded from JSON: it encodes
			row[len(header)-1] = textCell(strings.TrimSuffix(b.String(), "\n"))
		}
		rows[i] = row
	}
	return writeCSV(header, rows)
}

// csvColumnName reports whether a property name can head a column of its
// own: the CSV import lower-cases and trims names, and reads some columns
// as no property.
func csvColumnName(k string) bool {
	return k != "" && k == strings.ToLower(strings.TrimSpace(k)) && !strings.HasPrefix(k, "\ufeff") && !unitsCSVReserved[k]
}

// csvTextValue reports whether a property value reads back from a text
// cell as it is: the import trims cells and leaves empty ones out, and
// CSV turns a carriage return before a line break into the line break.
func csvTextValue(v any) bool {
	s, ok := v.(string)
	return ok && s != "" && s == strings.TrimSpace(s) && !strings.ContainsRune(s, '\r')
}

// csvFloat is a numeric property value as a finite number.
func csvFloat(v any) (float64, bool) {
	var f float64
	switch v := v.(type) {
	case json.Number:
		var err error
		if f, err = v.Float64(); err != nil {
			return 0, false
		}
	case float64:
		f = v
	case int:
		f = float64(v)
	default:
		return 0, false
	}
	return f, !math.IsNaN(f) && !math.IsInf(f, 0)
}

// wkt writes a unit's geometry as WKT: LINESTRING for a route, POINT for
// a position; Z (and ZM) when every position has three (four) numbers.
// Positions of other or mixed lengths are written with all their
// numbers and no tag, which ParseUnitsCSV reads back as they are.
func wkt(u *Unit) string {
	name, coords := "POINT", u.Coords[:1]
	if u.IsRoute() {
		name, coords = "LINESTRING", u.Coords
	}
	n := len(coords[0])
	for _, p := range coords {
		if len(p) != n {
			n = -1
			break
		}
	}
	var b strings.Builder
	b.WriteString(name)
	switch n {
	case 3:
		b.WriteString(" Z")
	case 4:
		b.WriteString(" ZM")
	}
	b.WriteString(" (")
	for i, p := range coords {
		if i > 0 {
			b.WriteString(", ")
		}
		for j, x := range p {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
		}
	}
	b.WriteByte(')')
	return b.String()
}
