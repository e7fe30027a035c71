package frontline

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseLineErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"not JSON", `{"type":`, "not valid JSON: the input ends too early"},
		{"trailing data", `{"type":"LineString","coordinates":[[1,2],[3,4]]} x`, "unexpected data after the JSON value at byte 50"},
		{"not GeoJSON", `{"a":1}`, `not GeoJSON: no "type" member`},
		{"array", `[1,2]`, "value must not be a JSON array"},
		{"polygon", `{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6],[1,2]]]}`, "geometry must be a LineString or MultiLineString, got Polygon"},
		{"point feature", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}`, "geometry must be a LineString or MultiLineString, got Point"},
		{"one vertex", `{"type":"LineString","coordinates":[[30,48]]}`, "part 0: needs at least 2 distinct vertices, has 1"},
		{"repeated vertex", `{"type":"MultiLineString","coordinates":[[[30,48],[31,48]],[[30,48],[30,48]]]}`, "part 1: needs at least 2 distinct vertices, has 1"},
		{"latitude", `{"type":"LineString","coordinates":[[30,48],[31,95]]}`, "part 0, vertex 1: latitude 95 outside [-90, 90]"},
		{"longitude", `{"type":"MultiLineString","coordinates":[[[30,48],[31,48]],[[30,48],[181,48]]]}`, "part 1, vertex 1: longitude 181 outside [-180, 180]"},
		{"huge number", `{"type":"LineString","coordinates":[[30,48],[1e400,48]]}`, "part 0, vertex 1: coordinate 0 (1e400) is not a finite number"},
		{"string coordinate", `{"type":"LineString","coordinates":[[30,48],["31",48]]}`, "part 0, vertex 1: a position must be an array of numbers"},
		{"null coordinate", `{"type":"LineString","coordinates":[[30,48],[31,null]]}`, "part 0, vertex 1: a position must be an array of numbers"},
		{"null position", `{"type":"LineString","coordinates":[[30,48],null,[31,48]]}`, "part 0, vertex 1: a position needs longitude and latitude, got 0 numbers"},
		{"short position", `{"type":"LineString","coordinates":[[30,48],[31]]}`, "part 0, vertex 1: a position needs longitude and latitude, got 1 numbers"},
		{"two features", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null},{"type":"Feature","geometry":null}]}`, "a FeatureCollection of one line must have exactly 1 feature, has 2 (use the bulk import for many)"},
		{"null geometry", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":null}]}`, "feature 0: feature has no geometry"},
		{"bad valid_from", `{"type":"Feature","properties":{"valid_from":"yesterday"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`, `properties.valid_from: valid_from "yesterday" is not an RFC 3339 time or date`},
		{"bad source", `{"type":"Feature","properties":{"source":7},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`, "properties.source: source must be a string, got the number 7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLine([]byte(tc.in))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestParseLine(t *testing.T) {
	in, err := ParseLine([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature",
		"properties":{"valid_from":"2025-03-25","source":"DeepStateMap","note":"x"},
		"geometry":{"type":"MultiLineString","coordinates":[[[30,48,120],[31,48]],[[32,48],[32,49]]]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !in.ValidFrom.Equal(time.Date(2025, 3, 25, 0, 0, 0, 0, time.UTC)) || in.Source != "DeepStateMap" {
		t.Errorf("valid_from %v, source %q", in.ValidFrom, in.Source)
	}
	if len(in.Parts) != 2 || len(in.Parts[0][0]) != 3 || in.Parts[0][0][2] != 120 {
		t.Errorf("parts %v: altitude should be kept", in.Parts)
	}
	if in.Properties["note"] != "x" {
		t.Errorf("other properties should be kept: %v", in.Properties)
	}
	if in.Line.LengthKm() < 180 || in.Line.LengthKm() > 190 {
		t.Errorf("length %g km", in.Line.LengthKm())
	}
	same, _ := ParseLine([]byte(`{"type":"MultiLineString","coordinates":[[[30,48,120],[31,48]],[[32,48],[32,49]]]}`))
	if Hash(same.Parts) != Hash(in.Parts) {
		t.Error("the same geometry hashes differently")
	}
}

func TestParseUnit(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		check          func(*Unit) bool
	}{
		{"troops", `{"type":"Feature","id":"bde-1","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"troops","strength":2400,"sidc":"SFGPUCI----D"}}`, "",
			func(u *Unit) bool { return u.Strength == 2400 && u.Properties["sidc"] == "SFGPUCI----D" }},
		{"integer id", `{"type":"Feature","id":17,"geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"troops","strength":1}}`, "",
			func(u *Unit) bool { return u.ID == "17" }},
		{"known system", `{"type":"Feature","id":"p","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"air_defense","system":"Patriot"}}`, "",
			func(u *Unit) bool { return u.RangeKm == 160 && u.Active }},
		{"range overrides", `{"type":"Feature","id":"p","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"air_defense","system":"patriot","range_km":100,"status":"inactive"}}`, "",
			func(u *Unit) bool { return u.RangeKm == 100 && !u.Active }},
		{"patrol defaults", `{"type":"Feature","id":"r","geometry":{"type":"LineString","coordinates":[[35,48],[35.1,48]]},"properties":{"kind":"patrol"}}`, "",
			func(u *Unit) bool { return u.ObserveKm == 5 && u.VisitsPerDay == 1 && u.IsRoute() }},
		{"post", `{"type":"Feature","id":"op","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"patrol","observe_km":2}}`, "",
			func(u *Unit) bool { return u.ObserveKm == 2 && !u.IsRoute() }},
		{"no id", `{"type":"Feature","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"troops","strength":1}}`, "id: unit has no id", nil},
		{"no kind", `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35,48]},"properties":{}}`, `properties.kind: unit "a" has no kind (troops, air_defense or patrol)`, nil},
		{"unknown kind", `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"navy"}}`, `properties.kind: unknown unit kind "navy" (troops, air_defense or patrol)`, nil},
		{"missing strength", `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"troops"}}`, `properties.strength: troop unit "a" has no strength`, nil},
		{"fractional strength", `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"troops","strength":2.5}}`, "properties.strength: strength must be a whole number of personnel above 0, got 2.5", nil},
		{"zero strength", `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"troops","strength":0}}`, "properties.strength: strength must be a whole number of personnel above 0, got 0", nil},
		{"unknown system", `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"air_defense","system":"s-400"}}`, `properties.system: unknown air-defense system "s-400" without range_km (known: buk, gepard, hawk, iris-t-slm, nasams, patriot, samp-t, stinger)`, nil},
		{"no system", `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"air_defense"}}`, `properties.system: air-defense unit "a" needs a system or a range_km`, nil},
		{"negative range", `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"air_defense","range_km":-1}}`, "properties.range_km: range_km must be above 0 and at most 1000, got -1", nil},
		{"bad status", `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"air_defense","range_km":5,"status":"on"}}`, `properties.status: status must be active or inactive, got "on"`, nil},
		{"troops on a line", `{"type":"Feature","id":"a","geometry":{"type":"LineString","coordinates":[[35,48],[36,48]]},"properties":{"kind":"troops","strength":3}}`, "a troops unit must be a Point, got LineString", nil},
		{"slash in id", `{"type":"Feature","id":"a/b","geometry":{"type":"Point","coordinates":[35,48]},"properties":{"kind":"troops","strength":3}}`, `id: id "a/b" contains '/', '?', '#', '%' or NUL`, nil},
		{"bad point", `{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35,148]},"properties":{"kind":"troops","strength":3}}`, "latitude 148 outside [-90, 90]", nil},
		{"not a feature", `{"type":"Point","coordinates":[35,48]}`, "a unit must be a GeoJSON Feature, got Point", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := ParseUnit([]byte(tc.in), -1)
			if tc.want != "" {
				if err == nil || err.Error() != tc.want {
					t.Fatalf("got %v, want %q", err, tc.want)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("%v does not wrap ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(u) {
				t.Errorf("parsed %+v", u)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		v, ok float64
		want  string
	}{
		{1, 1, StatusOK}, {0.99, 1, StatusThin}, {0.5, 1, StatusThin}, {0.49, 1, StatusGap},
		{0.9, 0.9, StatusOK}, {0.45, 0.9, StatusThin}, {0.44, 0.9, StatusGap}, {0, 0.9, StatusGap},
	} {
		if got := status(tc.v, tc.ok); got != tc.want {
			t.Errorf("status(%g, %g) = %s, want %s", tc.v, tc.ok, got, tc.want)
		}
	}
	if worst(StatusOK, StatusThin, StatusOK) != StatusThin || worst(StatusThin, StatusGap) != StatusGap || worst(StatusOK) != StatusOK {
		t.Error("worst is wrong")
	}
}

// Every parser of request JSON refuses a name given twice in one object,
// wherever the object is, with the feature and the path.
func TestDuplicateKeysRefused(t *testing.T) {
	line := `{"type":"LineString","coordinates":[[30,48],[31,48]]}`
	dated := `{"type":"Feature","properties":{"valid_from":"2025-01-01"},"geometry":` + line + `}`
	unit := `{"type":"Feature","id":"T1","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops","strength":5}}`
	anchor := `{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[30,48]}}`
	line1 := func(in []byte) error { _, err := ParseLine(in); return err }
	lines := func(in []byte) error { _, err := ParseLines(in); return err }
	unit1 := func(in []byte) error { _, err := ParseUnit(in, -1); return err }
	units := func(in []byte) error { _, err := ParseUnits(in); return err }
	anchors := func(in []byte) error { _, err := ParseAnchors(in); return err }
	for _, tc := range []struct {
		name  string
		parse func([]byte) error
		in    string
		want  string
		at    Location
	}{
		{"line geometry", line1, `{"type":"LineString","coordinates":[[30,48],[31,48]],"coordinates":[[30,48],[32,48]]}`,
			`coordinates: duplicate key "coordinates" in the top-level object`, Location{-1, -1, -1, "coordinates"}},
		{"line feature, escaped", line1, `{"type":"Feature","properties":{"source":"a","\u0073ource":"b"},"geometry":` + line + `}`,
			`properties.source: duplicate key "source" in properties`, Location{-1, -1, -1, "properties.source"}},
		{"line in a collection", line1, `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","type":"Point","coordinates":[[30,48],[31,48]]}}]}`,
			`feature 0, geometry.type: duplicate key "type" in features[0].geometry`, Location{0, -1, -1, "geometry.type"}},
		{"bulk collection", lines, `{"type":"FeatureCollection","features":[` + dated + `,{"type":"Feature","id":1,"id":2,"properties":{"valid_from":"2025-01-02"},"geometry":` + line + `}]}`,
			`feature 1, id: duplicate key "id" in features[1]`, Location{1, -1, -1, "id"}},
		{"bulk features twice", lines, `{"type":"FeatureCollection","features":[` + dated + `],"features":[]}`,
			`features: duplicate key "features" in the top-level object`, Location{-1, -1, -1, "features"}},
		{"bulk lines", lines, dated + "\n\n" + `{"type":"Feature","properties":{"valid_from":"2025-01-02","valid_from":"2025-01-03"},"geometry":` + line + `}`,
			`feature 1, properties.valid_from: duplicate key "valid_from" in properties`, Location{1, -1, -1, "properties.valid_from"}},
		{"bulk lines: a syntax error first", lines, dated + "\n" + `{"type":` + "\n" + `{"a":1,"a":2}`,
			`feature 1: not valid JSON: the input ends too early`, Location{1, -1, -1, ""}},
		{"unit", unit1, `{"type":"Feature","id":"g2","id":"g3","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops","strength":5}}`,
			`id: duplicate key "id" in the top-level object`, Location{-1, -1, -1, "id"}},
		{"unit geometry", unit1, `{"type":"Feature","id":"g","geometry":{"type":"Point","coordinates":[37,48],"coordinates":[38,48]},"properties":{"kind":"troops","strength":5}}`,
			`geometry.coordinates: duplicate key "coordinates" in geometry`, Location{-1, -1, -1, "geometry.coordinates"}},
		{"units collection", units, `{"type":"FeatureCollection","features":[` + unit + `,{"type":"Feature","id":"A","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"air_defense","kind":"troops","strength":5}}]}`,
			`feature 1, properties.kind: duplicate key "kind" in features[1].properties`, Location{1, -1, -1, "properties.kind"}},
		{"units lines", units, unit + "\n" + `{"type":"Feature","id":"Z","id":"Y","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"patrol"}}`,
			`feature 1, id: duplicate key "id" in the feature`, Location{1, -1, -1, "id"}},
		{"anchors", anchors, `{"type":"FeatureCollection","features":[` + anchor + `,{"type":"Feature","properties":{"name":"B","name":"C"},"geometry":{"type":"Point","coordinates":[31,48]}}]}`,
			`feature 1, properties.name: duplicate key "name" in features[1].properties`, Location{1, -1, -1, "properties.name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.parse([]byte(tc.in))
			var in *InputError
			if !errors.As(err, &in) || err.Error() != tc.want || in.At != tc.at {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if code := map[bool]Code{true: CodeNotJSON, false: CodeDuplicateKey}[strings.Contains(tc.want, "not valid JSON")]; in.Code != code {
				t.Errorf("code %s, want %s", in.Code, code)
			}
		})
	}
}
