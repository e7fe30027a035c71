package frontline

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"frontline/data"
)

// sameUnits compares units as the API serves them: their Features' JSON,
// one by one.
func sameUnits(t *testing.T, got, want []*Unit) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d units, want %d", len(got), len(want))
	}
	for i := range want {
		a, err := json.Marshal(got[i])
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(want[i])
		if !bytes.Equal(a, b) {
			t.Errorf("unit %d:\n got %s\nwant %s", i, a, b)
		}
	}
}

// roundTrip writes units as CSV, checks that no cell reads as a formula,
// and reads them back.
func roundTrip(t *testing.T, units []*Unit) ([]*Unit, [][]string) {
	t.Helper()
	out := UnitsCSV(units)
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, out)
	}
	for i, rec := range recs {
		for j, cell := range rec {
			if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				continue
			}
			if _, err := strconv.ParseFloat(cell, 64); err != nil || cell[0] != '-' {
				t.Errorf("row %d, column %s: cell %q would be read as a formula", i, recs[0][j], cell)
			}
		}
	}
	back, err := ParseUnitsCSV(out)
	if err != nil {
		t.Fatalf("reading the CSV back: %v\n%s", err, out)
	}
	return back, recs
}

// The demo units, troops, air defense, observation posts and routes,
// through CSV and back: the same units, to the digit; the columns are
// the import's, the properties that have none in a JSON column.
func TestUnitsCSVRoundTripDemo(t *testing.T) {
	units, err := ParseUnits(data.Units())
	if err != nil {
		t.Fatal(err)
	}
	routes := 0
	for _, u := range units {
		if u.IsRoute() {
			routes++
		}
	}
	if routes == 0 || routes == len(units) {
		t.Fatalf("the demo has %d routes among %d units: the test needs both kinds", routes, len(units))
	}
	back, recs := roundTrip(t, units)
	sameUnits(t, back, units)

	wantHeader := "id,kind,lon,lat,strength,sector,system,range_km,status,observe_km,visits_per_day,name,sidc,echelon,nation,note,geometry,properties"
	if got := strings.Join(recs[0], ","); got != wantHeader {
		t.Errorf("header\n %s\nwant\n %s", got, wantHeader)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for i, u := range units {
		rec := recs[i+1]
		if rec[col["id"]] != u.ID || rec[col["kind"]] != u.Kind {
			t.Errorf("row %d: id %q kind %q, want %s %s", i, rec[col["id"]], rec[col["kind"]], u.ID, u.Kind)
		}
		geom, props := rec[col["geometry"]], rec[col["properties"]]
		if u.IsRoute() != strings.HasPrefix(geom, "LINESTRING (") || u.IsRoute() != (rec[col["lon"]] == "") {
			t.Errorf("row %d (%s): lon %q, geometry %.40q", i, u.ID, rec[col["lon"]], geom)
		}
		// The demo flag is the only property without a column.
		if props != `{"demo":true}` {
			t.Errorf("row %d (%s): properties %q", i, u.ID, props)
		}
		if u.Kind == KindTroops && rec[col["strength"]] != strconv.Itoa(u.Strength) {
			t.Errorf("row %d (%s): strength %q, want %d", i, u.ID, rec[col["strength"]], u.Strength)
		}
	}
}

// Units that test every escape: formula characters in ids and text,
// quotes before them, text a cell would trim, names the import would fold,
// values of every JSON type, positions with altitudes.
func TestUnitsCSVRoundTripEdges(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[
{"type":"Feature","id":"=1+2","geometry":{"type":"Point","coordinates":[-3.25,-0.000001]},"properties":{"kind":"troops","strength":12,"name":"-cmd|' /C calc'!A0","sidc":"@x","sector":"+S001","echelon":"'=quoted","nation":"''=two"}},
{"type":"Feature","id":"'-A","geometry":{"type":"Point","coordinates":[37.123456789012345,48.98765432101234,150.5]},"properties":{"kind":"air_defense","system":"patriot","status":"inactive","name":" padded ","note":"line\r\nbreak","NATO":"upper","lon":1,"geometry":"g","properties":{"a":[1,"b",null,{"c":false}]},"\ufeffbom":"x","":"empty name","echelon":""}},
{"type":"Feature","id":"P route","geometry":{"type":"LineString","coordinates":[[37,48,1],[37.5,48.25,2.5],[38,48.5,-3]]},"properties":{"kind":"patrol","observe_km":2.5,"visits_per_day":0,"name":"Route, \"north\"\nsecond line","nation":7,"flag":true,"nothing":null}},
{"type":"Feature","id":"P mixed","geometry":{"type":"LineString","coordinates":[[37,48],[37.5,48.25,2.5],[38,48.5,1,2,3]]},"properties":{"kind":"patrol"}},
{"type":"Feature","id":"P4","geometry":{"type":"LineString","coordinates":[[37,48,1,2],[38,48,3,4]]},"properties":{"kind":"patrol","range_km":"far","strength":"many"}},
{"type":"Feature","id":"P1","geometry":{"type":"LineString","coordinates":[[37,48]]},"properties":{"kind":"patrol","visits_per_day":1e3,"observe_km":0.1}},
{"type":"Feature","id":"AD","geometry":{"type":"Point","coordinates":[180,-90]},"properties":{"kind":"air_defense","range_km":1e-7,"status":"active","sidc":"'"}}
]}`
	units, err := ParseUnits([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	back, recs := roundTrip(t, units)
	// Numbers are values: 1e3 comes back as 1000, 1e-7 as 0.0000001.
	for _, u := range units {
		for k, v := range u.Properties {
			if n, ok := v.(json.Number); ok {
				f, _ := n.Float64()
				u.Properties[k] = json.Number(strconv.FormatFloat(f, 'g', -1, 64))
			}
		}
	}
	sameUnits(t, back, units)
	if t.Failed() {
		t.Logf("CSV:\n%s", UnitsCSV(units))
	}
	header := strings.Join(recs[0], ",")
	if header != "id,kind,lon,lat,strength,sector,system,range_km,status,observe_km,visits_per_day,name,sidc,echelon,nation,geometry,properties" {
		t.Errorf("header %s", header)
	}
	// Where things went.
	row := func(i int) map[string]string {
		m := map[string]string{}
		for j, h := range recs[0] {
			m[h] = recs[i+1][j]
		}
		return m
	}
	for _, c := range []struct {
		row        int
		col, value string
	}{
		{0, "id", "'=1+2"}, {0, "name", "'-cmd|' /C calc'!A0"}, {0, "sidc", "'@x"}, {0, "sector", "'+S001"},
		{0, "echelon", "''=quoted"}, {0, "nation", "'''=two"}, {0, "lon", "-3.25"}, {0, "lat", "-0.000001"}, {0, "strength", "12"},
		{1, "id", "''-A"}, {1, "lon", ""}, {1, "geometry", "POINT Z (37.123456789012344 48.98765432101234 150.5)"},
		{1, "name", ""}, {1, "status", "inactive"},
		{2, "geometry", "LINESTRING Z (37 48 1, 37.5 48.25 2.5, 38 48.5 -3)"}, {2, "observe_km", "2.5"}, {2, "visits_per_day", "0"},
		{2, "name", "Route, \"north\"\nsecond line"}, {2, "nation", ""}, {2, "properties", `{"flag":true,"nation":7,"nothing":null}`},
		{3, "geometry", "LINESTRING (37 48, 37.5 48.25 2.5, 38 48.5 1 2 3)"},
		{4, "geometry", "LINESTRING ZM (37 48 1 2, 38 48 3 4)"}, {4, "properties", `{"range_km":"far","strength":"many"}`},
		{5, "lon", "37"}, {5, "geometry", ""}, {5, "visits_per_day", "1000"},
		{6, "range_km", "0.0000001"}, {6, "sidc", "'"},
	} {
		if got := row(c.row)[c.col]; got != c.value {
			t.Errorf("row %d, %s: %q, want %q", c.row, c.col, got, c.value)
		}
	}
	var props map[string]any
	if err := json.Unmarshal([]byte(row(1)["properties"]), &props); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"name", "note", "NATO", "lon", "geometry", "properties", "\ufeffbom", "", "echelon"} {
		if _, ok := props[k]; !ok {
			t.Errorf("row 1: property %q not in the properties column %s", k, row(1)["properties"])
		}
	}
	// No units: the header alone, which reads as no units.
	if got, err := ParseUnitsCSV(UnitsCSV(nil)); err != nil || len(got) != 0 {
		t.Errorf("no units: %v, %v", got, err)
	}
}

// What the import makes of the new columns, and refuses.
func TestParseUnitsCSVGeometryAndProperties(t *testing.T) {
	ok := []struct{ name, in, want string }{
		{"route without lon and lat columns", "id,kind,geometry\nP,patrol,\"LINESTRING(37 48,38 48.5)\"\n",
			`{"geometry":{"coordinates":[[37,48],[38,48.5]],"type":"LineString"},"id":"P","properties":{"kind":"patrol"},"type":"Feature"}`},
		{"lower case, spaced tag", "id,kind,lon,lat,geometry\nP,patrol,,,\"linestring  z ( 37 48 5 ,38 48.5 6 )\"\n",
			`{"geometry":{"coordinates":[[37,48,5],[38,48.5,6]],"type":"LineString"},"id":"P","properties":{"kind":"patrol"},"type":"Feature"}`},
		{"point in WKT", "id,kind,lon,lat,geometry,strength\nT,troops,,,POINT (37 48),5\n",
			`{"geometry":{"coordinates":[37,48],"type":"Point"},"id":"T","properties":{"kind":"troops","strength":5},"type":"Feature"}`},
		{"properties column", "id,kind,lon,lat,properties\nT,troops,37,48,\"{\"\"strength\"\":5,\"\"tags\"\":[\"\"a\"\"],\"\"x\"\":{\"\"y\"\":null}}\"\n",
			`{"geometry":{"coordinates":[37,48],"type":"Point"},"id":"T","properties":{"kind":"troops","strength":5,"tags":["a"],"x":{"y":null}},"type":"Feature"}`},
		{"guard quotes come off", "id,kind,lon,lat,strength,name,note\n'-T,troops,37,48,5,'=A,'x\n",
			`{"geometry":{"coordinates":[37,48],"type":"Point"},"id":"-T","properties":{"kind":"troops","name":"=A","note":"'x","strength":5},"type":"Feature"}`},
		{"an empty cell and a column of the same property", "id,kind,lon,lat,strength,properties\nT,troops,37,48,,\"{\"\"strength\"\":7}\"\n",
			`{"geometry":{"coordinates":[37,48],"type":"Point"},"id":"T","properties":{"kind":"troops","strength":7},"type":"Feature"}`},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			units, err := ParseUnitsCSV([]byte(c.in))
			if err != nil || len(units) != 1 {
				t.Fatalf("%v, %d units", err, len(units))
			}
			var m map[string]any
			b, _ := json.Marshal(units[0])
			_ = json.Unmarshal(b, &m)
			got, _ := json.Marshal(m)
			if string(got) != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
	bad := []struct{ name, in, code, field, msg string }{
		{"lon, lat and geometry", "id,kind,lon,lat,geometry\nP,patrol,37,48,POINT (37 48)\n", "bad_coordinates", "geometry", "both lon/lat and a geometry"},
		{"neither", "id,kind,lon,lat,geometry\nP,patrol,,,\n", "bad_coordinates", "", "no lon or lat"},
		{"no lon column", "id,kind,lat\nP,patrol,48\n", "bad_csv", "lon", `lacks a "lon" column`},
		{"polygon", "id,kind,geometry\nP,patrol,\"POLYGON ((1 2, 3 4, 5 6, 1 2))\"\n", "bad_coordinates", "geometry", "not POINT or LINESTRING"},
		{"no parentheses", "id,kind,geometry\nP,patrol,POINT 37 48\n", "bad_coordinates", "geometry", "no (...)"},
		{"one number", "id,kind,geometry\nP,patrol,\"LINESTRING (37 48, 38)\"\n", "bad_coordinates", "geometry", "position 1 has 1 numbers"},
		{"not a number", "id,kind,geometry\nP,patrol,POINT (37 north)\n", "bad_coordinates", "geometry", `"north" is not a finite number`},
		{"two points", "id,kind,geometry\nP,patrol,\"POINT (37 48, 38 48)\"\n", "bad_coordinates", "geometry", "a POINT has one position"},
		{"bad tag", "id,kind,geometry\nP,patrol,POINT Q (37 48)\n", "bad_coordinates", "geometry", "not a geometry type"},
		{"latitude out of range in a route", "id,kind,geometry\nP,patrol,\"LINESTRING (37 48, 38 95)\"\n", "bad_coordinates", "geometry", "position 1 of the geometry"},
		{"route for troops", "id,kind,geometry,strength\nT,troops,\"LINESTRING (37 48, 38 48)\",5\n", "wrong_geometry", "", "must be a Point"},
		{"properties not an object", "id,kind,lon,lat,properties\nT,troops,37,48,[1]\n", "bad_property", "properties", "must hold a JSON object"},
		{"properties not JSON", "id,kind,lon,lat,properties\nT,troops,37,48,{strength:5}\n", "bad_property", "properties", "must hold a JSON object"},
		{"properties and more", "id,kind,lon,lat,properties\nT,troops,37,48,{} {}\n", "bad_property", "properties", "must hold a JSON object"},
		{"duplicate key", "id,kind,lon,lat,properties\nT,troops,37,48,\"{\"\"strength\"\":5,\"\"strength\"\":6}\"\n", "duplicate_key", "properties.strength", "duplicate key"},
		{"twice", "id,kind,lon,lat,strength,properties\nT,troops,37,48,5,\"{\"\"strength\"\":6}\"\n", "bad_property", "properties", "in its own column and in the properties column"},
		{"too deep", "id,kind,lon,lat,properties\nT,troops,37,48," + strings.Repeat("[", maxJSONDepth-1) + strings.Repeat("]", maxJSONDepth-1) + "\n", "bad_property", "properties", "must hold a JSON object"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseUnitsCSV([]byte(c.in))
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want an InputError", err)
			}
			if string(ie.Code) != c.code || ie.At.Field != c.field || !strings.Contains(ie.Message, c.msg) || ie.At.Part != -1 || ie.At.Vertex != -1 || (ie.At.Feature != 0) != (ie.Code == "bad_csv") {
				t.Errorf("got %s %+v %q, want %s, field %q, %q", ie.Code, ie.At, ie.Message, c.code, c.field, c.msg)
			}
		})
	}
	// An object nested as deep as JSON goes reads, but not in a Feature.
	deep := "{\"\"a\"\":" + strings.Repeat("[", maxJSONDepth-1) + strings.Repeat("]", maxJSONDepth-1) + "}"
	_, err := ParseUnitsCSV([]byte("id,kind,lon,lat,strength,properties\nT,troops,37,48,5,\"" + deep + "\"\n"))
	var ie *InputError
	if !errors.As(err, &ie) || ie.Code != CodeBadProperty || !strings.Contains(ie.Message, "nests more than") {
		t.Errorf("deep properties: %v", err)
	}
}

func TestCSVGuard(t *testing.T) {
	for _, s := range []string{"", "a", "'", "''", "'a", "=", "'=", "''=", "-1", "'-1", "\t", "'\r", "''''@x", "a=b", " =x"} {
		written := safeCSVText(csvGuard(s))
		if got := csvUnguard(written); got != s {
			t.Errorf("%q: written %q, read back %q", s, written, got)
		}
	}
}
