package frontline

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"frontline/data"
	"frontline/geo"
)

// The fuzz targets check what every parser promises, whatever the input:
// a refusal is an *InputError wrapping ErrInvalid, with a code, a message
// and a location that points into the input; an acceptance is a result the
// service can use as it is. Failing inputs are kept in testdata/fuzz as
// regression cases.

// realLines are the DeepStateMap lines beside the repository, read as
// seeds when they are there (they are never copied into it).
const realLines = "../shared/data/deepstate/*.contact.geojson"

func realLineSeeds(f *testing.F) [][]byte {
	f.Helper()
	files, _ := filepath.Glob(realLines)
	var out [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// realLineFeatures returns the one Feature of each real line file.
func realLineFeatures(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	for _, b := range realLineSeeds(f) {
		var fc struct {
			Features []json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			f.Fatalf("a real line file is not a FeatureCollection: %v", err)
		}
		for _, r := range fc.Features {
			out = append(out, r)
		}
	}
	return out
}

// demoFeatures returns the features of the embedded demo units.
func demoFeatures(f *testing.F) [][]byte {
	f.Helper()
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data.Units(), &fc); err != nil {
		f.Fatal(err)
	}
	out := make([][]byte, len(fc.Features))
	for i, r := range fc.Features {
		out[i] = r
	}
	return out
}

var lineSeeds = []string{
	`{"type":"LineString","coordinates":[[30,48],[31,48.5]]}`,
	`{"type":"MultiLineString","coordinates":[[[30,48,120],[31,48]],[[32,48],[32,49],[33,49.5]]]}`,
	`{"type":"Feature","properties":{"valid_from":"2025-03-25","source":"test","note":1},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`,
	`{"type":"Feature","properties":{"valid_from":"2025-03-25T10:00:00+02:00"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":{"type":"MultiLineString","coordinates":[[[30,48],[31,48]]]}}]}`,
	`{"type":"FeatureCollection","features":[]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null},{"type":"Feature","geometry":null}]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}`,
	`{"type":"Point","coordinates":[30,48]}`,
	`{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[30,48],[31,48]]}]}`,
	`{"type":"LineString","coordinates":[[30,48]]}`,
	`{"type":"MultiLineString","coordinates":[[[30,48],[31,48]],[[30,48],[30,48],[30,48]]]}`,
	`{"type":"MultiLineString","coordinates":[]}`,
	`{"type":"MultiLineString","coordinates":[[[30,48],[31,48]],"x"]}`,
	`{"type":"LineString","coordinates":[[30,48],[31,95]]}`,
	`{"type":"LineString","coordinates":[[30,48],[-181,48]]}`,
	`{"type":"LineString","coordinates":[[30,48],[1e400,48]]}`,
	`{"type":"LineString","coordinates":[[30,48],["31",48]]}`,
	`{"type":"LineString","coordinates":[[30,48],[31]]}`,
	`{"type":"LineString","coordinates":null}`,
	`{"type":"LineString"}`,
	`{"type":"Feature","properties":{"valid_from":"yesterday"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`,
	`{"type":"Feature","properties":{"source":7},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`,
	`{"type":"Feature","properties":[],"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`,
	`{"type":"LineString","coordinates":[[30,48],[31,48]]} {}`,
	`{"a":1}`, `[]`, `null`, `"x"`, `1`, `{`, ``, "{\"type\":\"LineString\",\"coordinates\":[[30,48],[31,48]]}\n",
	`{"type":"LineString","coordinates":[[30,48],[31,48]],"coordinates":[[30,48],[32,48]]}`,
	`{"type":"Feature","properties":{"source":"a","\u0073ource":"b"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":{"type":"LineString","type":"Point","coordinates":[[30,48],[31,48]]}}]}`,
}

// FuzzParseLine: one line, as a geometry, a Feature or a FeatureCollection
// of one.
func FuzzParseLine(f *testing.F) {
	for _, s := range lineSeeds {
		f.Add([]byte(s))
	}
	for _, b := range realLineSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		line, err := ParseLine(in)
		if err != nil {
			top := fuzzObject(in)
			n, feature := 0, func(int) []byte { return nil }
			if top != nil && top.Type == "FeatureCollection" {
				n, feature = len(top.Features), func(i int) []byte { return top.Features[i] }
			}
			ie := checkInputError(t, err, n, func(i int) []byte {
				if i < 0 {
					return in
				}
				return feature(i)
			})
			checkDuplicateKeyRefusal(t, ie, in, nil)
			return
		}
		checkNoDuplicateKeys(t, in, nil)
		if !json.Valid(in) {
			t.Fatalf("accepted input that is not JSON: %q", in)
		}
		if !utf8.Valid(in) {
			t.Fatalf("accepted input that is not UTF-8 (what is kept would not be what was sent): %q", in)
		}
		checkLine(t, line)
		// What was accepted reads back the same from its own coordinates.
		again, err := ParseLine(mustJSON(t, map[string]any{"type": "MultiLineString", "coordinates": line.Parts}))
		if err != nil {
			t.Fatalf("the accepted line's own coordinates are refused: %v", err)
		}
		if Hash(again.Parts) != Hash(line.Parts) || again.Line.LengthKm() != line.Line.LengthKm() {
			t.Fatalf("re-reading the accepted line changed it: %g km, then %g km", line.Line.LengthKm(), again.Line.LengthKm())
		}
	})
}

// FuzzParseLines: a bulk import of dated lines, a FeatureCollection or
// newline-delimited Features.
func FuzzParseLines(f *testing.F) {
	a := `{"type":"Feature","properties":{"valid_from":"2025-01-01"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`
	b := `{"type":"Feature","properties":{"valid_from":"2025-01-02T06:00:00Z"},"geometry":{"type":"MultiLineString","coordinates":[[[30,48],[31,48.5]],[[32,48],[33,48]]]}}`
	noDate := `{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`
	bad := `{"type":"Feature","properties":{"valid_from":"2025-01-03"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48],[200,48]]}}`
	for _, s := range []string{
		`{"type":"FeatureCollection","features":[` + a + `,` + b + `]}`,
		`{"type":"FeatureCollection","features":[` + a + `,` + noDate + `]}`,
		`{"type":"FeatureCollection","features":[` + a + `,` + b + `,` + bad + `]}`,
		`{"type":"FeatureCollection","features":[]}`,
		`{"type":"FeatureCollection"}`,
		a + "\n" + b + "\n",
		a + "\r\n\r\n" + bad + "\n" + b,
		a + "\n" + noDate,
		a + "\n" + `{"type":` + "\n" + b,
		a + "\n" + `{"type":"Feature","properties":{"valid_from":"2025-01-05","valid_from":"2025-01-06"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`,
		`{"type":"FeatureCollection","features":[` + a + `,{"type":"Feature","id":1,"id":2,"properties":{"valid_from":"2025-01-05"},"geometry":null}]}`,
		`{"type":"FeatureCollection","features":[` + a + `],"features":[` + b + `]}`,
		a,
		`{"type":"LineString","coordinates":[[30,48],[31,48]]}`,
		"", "\n\n", "[]", "{}",
	} {
		f.Add([]byte(s))
	}
	real := realLineFeatures(f)
	for _, b := range realLineSeeds(f) {
		f.Add(b)
	}
	if len(real) > 0 {
		f.Add(bytes.Join(real, []byte("\n")))
		f.Add(append(append([]byte(`{"type":"FeatureCollection","features":[`), bytes.Join(real, []byte(","))...), "]}"...))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		lines, err := ParseLines(in)
		feats := fuzzFeatures(in)
		if err != nil {
			ie := checkInputError(t, err, len(feats), featureOrWhole(in, feats))
			checkDuplicateKeyRefusal(t, ie, in, feats)
			return
		}
		checkJSON(t, feats)
		checkNoDuplicateKeys(t, in, feats)
		if len(lines) != len(feats) {
			t.Fatalf("%d lines from %d features", len(lines), len(feats))
		}
		for i, l := range lines {
			checkLine(t, l)
			if l.ValidFrom.IsZero() {
				t.Fatalf("line %d accepted without valid_from", i)
			}
		}
	})
}

var unitSeeds = []string{
	`{"type":"Feature","id":"T1","geometry":{"type":"Point","coordinates":[37.6,48.6]},"properties":{"kind":"troops","strength":500,"sector":"S003","name":"x"}}`,
	`{"type":"Feature","id":12,"geometry":{"type":"Point","coordinates":[37.6,48.6,100]},"properties":{"kind":"troops","strength":1e3}}`,
	`{"type":"Feature","id":"A1","geometry":{"type":"Point","coordinates":[37.6,48.6]},"properties":{"kind":"air_defense","system":"Patriot"}}`,
	`{"type":"Feature","id":"A2","geometry":{"type":"Point","coordinates":[37.6,48.6]},"properties":{"kind":"air_defense","system":"s-300","range_km":75,"status":"inactive"}}`,
	`{"type":"Feature","id":"P1","geometry":{"type":"LineString","coordinates":[[37,48],[37.5,48.2],[38,48]]},"properties":{"kind":"patrol","observe_km":3,"visits_per_day":4}}`,
	`{"type":"Feature","id":"P2","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"patrol"}}`,
	`{"type":"Feature","id":"P3","geometry":{"type":"LineString","coordinates":[[37,48]]},"properties":{"kind":"patrol"}}`,
	`{"type":"Feature","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops","strength":5}}`,
	`{"type":"Feature","id":"a/b","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops","strength":5}}`,
	`{"type":"Feature","id":1.5,"geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops","strength":5}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"cavalry"}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":7}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops"}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops","strength":"500"}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops","strength":10.5}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"air_defense","system":"s-300"}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"air_defense","range_km":-5}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"air_defense","system":"buk","status":"broken"}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Polygon","coordinates":[[[37,48],[38,48],[38,49],[37,48]]]},"properties":{"kind":"patrol"}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"LineString","coordinates":[[37,48],[38,95]]},"properties":{"kind":"patrol"}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"LineString","coordinates":[[37,48],[38,48]]},"properties":{"kind":"troops","strength":5}}`,
	`{"type":"Feature","id":"x","geometry":null,"properties":{"kind":"troops","strength":5}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":["37",48]},"properties":{"kind":"troops","strength":5}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48]},"properties":"troops"}`,
	`{"type":"Point","coordinates":[37,48]}`,
	`{}`, `[]`, ``, `{"type":"Feature"`,
	`{"type":"Feature","id":"g2","id":"g3","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops","strength":5}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops","strength":5,"str\u0065ngth":50}}`,
	`{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[37,48],"coordinates":[38,48]},"properties":{"kind":"troops","strength":5}}`,
}

// FuzzParseUnit: one unit Feature.
func FuzzParseUnit(f *testing.F) {
	for _, s := range unitSeeds {
		f.Add([]byte(s))
	}
	for _, b := range demoFeatures(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		u, err := ParseUnit(in, -1)
		if err != nil {
			ie := checkInputError(t, err, 0, func(int) []byte { return in })
			checkDuplicateKeyRefusal(t, ie, in, nil)
			return
		}
		checkNoDuplicateKeys(t, in, nil)
		if !json.Valid(in) {
			t.Fatalf("accepted input that is not JSON: %q", in)
		}
		if !utf8.Valid(in) {
			t.Fatalf("accepted input that is not UTF-8 (what is kept would not be what was sent): %q", in)
		}
		checkUnit(t, u)
		// A unit reads back the same from its own Feature, as the API
		// returns it.
		again, err := ParseUnit(mustJSON(t, u), -1)
		if err != nil {
			t.Fatalf("the accepted unit's own Feature is refused: %v", err)
		}
		if a, b := mustJSON(t, again), mustJSON(t, u); !bytes.Equal(a, b) {
			t.Fatalf("re-reading the accepted unit changed it:\n%s\n%s", b, a)
		}
		if again.Kind != u.Kind || again.Strength != u.Strength || again.RangeKm != u.RangeKm || again.Active != u.Active ||
			again.ObserveKm != u.ObserveKm || again.VisitsPerDay != u.VisitsPerDay || again.Sector != u.Sector {
			t.Fatalf("re-reading the accepted unit changed its settings: %+v, then %+v", u, again)
		}
	})
}

// FuzzParseUnits: a FeatureCollection or newline-delimited Features of
// units.
func FuzzParseUnits(f *testing.F) {
	t1 := `{"type":"Feature","id":"T1","geometry":{"type":"Point","coordinates":[37.6,48.6]},"properties":{"kind":"troops","strength":500}}`
	a1 := `{"type":"Feature","id":"A1","geometry":{"type":"Point","coordinates":[37.6,48.6]},"properties":{"kind":"air_defense","system":"nasams"}}`
	p1 := `{"type":"Feature","id":"P1","geometry":{"type":"LineString","coordinates":[[37,48],[38,48]]},"properties":{"kind":"patrol"}}`
	noID := `{"type":"Feature","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"troops","strength":5}}`
	for _, s := range []string{
		`{"type":"FeatureCollection","features":[` + t1 + `,` + a1 + `,` + p1 + `]}`,
		`{"type":"FeatureCollection","features":[` + t1 + `,` + t1 + `]}`,
		`{"type":"FeatureCollection","features":[` + t1 + `,` + noID + `]}`,
		`{"type":"FeatureCollection","features":[]}`,
		t1 + "\n" + a1 + "\n" + p1,
		t1 + "\n\n" + t1,
		t1 + "\n" + `{"type":"Feature",` + "\n" + a1,
		t1 + "\n" + `{"type":"Feature","id":"A1","geometry":{"type":"Point","coordinates":[37.6,48.6]},"properties":{"kind":"air_defense","kind":"troops","strength":5}}`,
		`{"type":"FeatureCollection","features":[` + t1 + `,{"type":"Feature","id":"Z","id":"Y","geometry":{"type":"Point","coordinates":[37,48]},"properties":{"kind":"patrol"}}]}`,
		t1, "", "[]", `{"type":"Point","coordinates":[37,48]}`,
	} {
		f.Add([]byte(s))
	}
	f.Add(data.Units())
	f.Fuzz(func(t *testing.T, in []byte) {
		units, err := ParseUnits(in)
		feats := fuzzFeatures(in)
		if err != nil {
			ie := checkInputError(t, err, len(feats), featureOrWhole(in, feats))
			checkDuplicateKeyRefusal(t, ie, in, feats)
			return
		}
		checkJSON(t, feats)
		checkNoDuplicateKeys(t, in, feats)
		if len(units) != len(feats) {
			t.Fatalf("%d units from %d features", len(units), len(feats))
		}
		seen := map[string]bool{}
		for _, u := range units {
			checkUnit(t, u)
			if seen[u.ID] {
				t.Fatalf("id %q accepted twice", u.ID)
			}
			seen[u.ID] = true
		}
	})
}

// FuzzParseUnitsCSV: units from CSV with a header row.
func FuzzParseUnitsCSV(f *testing.F) {
	for _, s := range []string{
		"id,kind,lon,lat,strength,system,range_km\nA,troops,37.5,48.5,500,,\nB,air_defense,37.6,48.4,,patriot,\n",
		"\ufeffID, Kind, Lon, Lat, Observe_km, name\nP,patrol,37,48,3,\"Post, north\"\n",
		"id,kind,lon,lat,strength\r\nA,troops,37.5,48.5,500\r\n",
		"id,kind,lon,lat,strength\nA,troops,37.5,48.5,500\nA,troops,37.5,48.5,5\n",
		"id,kind,lon,lat,strength\nA,troops,37.5,48.5,500,7\n",
		"id,kind,longitude,lat\nA,troops,37.5,48.5\n",
		"id,kind,lon,lat,strength\nA,troops,east,48.5,500\n",
		"id,kind,lon,lat,strength\nA,troops,37.5,48.5,many\n",
		"id,kind,lon,lat,strength\nA,troops,37.5,,500\n",
		"id,kind,lon,lat,strength\nA,troops,37.5,95,500\n",
		"id,kind,lon,lat,range_km\nA,air_defense,37.5,48.5,-1\n",
		"id,kind,lon,lat\nA/B,troops,37.5,48.5\n",
		"id,kind,lon,lat\n\"A,troops,37.5,48.5\n",
		"id,kind,lon,lat\n",
		"",
		// The columns UnitsCSV adds: a WKT geometry, the other properties
		// as JSON, and quotes against formulas.
		"id,kind,lon,lat,observe_km,geometry,properties\nP,patrol,,,3,\"LINESTRING Z (37 48 1, 37.5 48.2 2)\",\"{\"\"demo\"\":true,\"\"x\"\":[1,{\"\"y\"\":null}]}\"\n'=A,troops,37,48,,,\"{\"\"strength\"\":5}\"\n",
		"id,kind,geometry,strength\nT,troops,POINT (37 48),5\nP,patrol,\"LINESTRING(37 48,38 95)\",\n",
		"id,kind,lon,lat,strength,properties\nT,troops,37,48,5,\"{\"\"strength\"\":6,\"\"a\"\":1,\"\"a\"\":2}\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		units, err := ParseUnitsCSV(in)
		// Every data row is on a line of its own (a quoted cell may span
		// lines, so rows are at most the lines after the header).
		rows := bytes.Count(in, []byte("\n"))
		if err != nil {
			ie := checkInputError(t, err, rows, func(int) []byte { return nil })
			if ie.At.Part >= 0 || ie.At.Vertex >= 0 {
				t.Fatalf("a CSV row has no parts or vertices: %+v", ie.At)
			}
			// The input is CSV: an error about JSON would only confuse.
			if ie.Code == "not_json" || ie.Code == "not_geojson" || strings.Contains(ie.Message, "not valid JSON") {
				t.Fatalf("CSV %q refused as if it were JSON: %s: %v", in, ie.Code, ie)
			}
			return
		}
		if !utf8.Valid(in) {
			t.Fatalf("accepted CSV that is not UTF-8 (what is kept would not be what was sent): %q", in)
		}
		if len(units) > rows {
			t.Fatalf("%d units from at most %d rows", len(units), rows)
		}
		n := csvRows(in)
		if n >= 0 && len(units) != n {
			t.Fatalf("%d units from %d data rows", len(units), n)
		}
		seen := map[string]bool{}
		for _, u := range units {
			checkUnit(t, u)
			// lon and lat give one position; only a patrol's route, from
			// the geometry column, has more.
			if len(u.Coords) != 1 && (u.Kind != KindPatrol || !bytes.Contains(bytes.ToLower(in), []byte("linestring"))) {
				t.Fatalf("a unit from CSV is a Point or a patrol's LINESTRING, got %s with %d positions", u.Kind, len(u.Coords))
			}
			if seen[u.ID] {
				t.Fatalf("id %q accepted twice", u.ID)
			}
			seen[u.ID] = true
		}
	})
}

// csvRows counts the data rows the way the parser reads them, or -1 when
// the CSV does not read.
func csvRows(in []byte) int {
	r := csv.NewReader(bytes.NewReader(in))
	r.TrimLeadingSpace = true
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		return -1
	}
	return len(recs) - 1
}

// FuzzParseParams: the coverage settings of a query string.
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{
		"", "sector_km=10&depth_km=50", "sectors=12&side=left", "side=right&required_per_km=30",
		"version=2", "at=2025-01-01", "at=2025-01-01T12:00:00Z",
		"troops_ok=1.2&air_defense_ok=0.8&patrol_ok=0.5", "depth_km=500", "depth_km=501", "depth_km=-3",
		"depth_km=0", "side=up", "sector_km=10&sectors=5", "version=1&at=2025-01-01", "version=-1",
		"required_per_km=NaN", "sector_km=Inf", "sector_km=0.05", "sectors=0", "sectors=10001",
		"troops_ok=0", "at=yesterday", "sector_km=1e400", "depth_km=%zz",
		"posture=interposition", "posture=defense&required_per_km=10", "posture=nope", "rotation=2.5", "rotation=0",
		"rotation=0.5", "rotation=1e3", "required_per_km=1e9", "=&=", "x=1&x=2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		// The server reads queries as net/url does, ignoring what does not
		// decode.
		q, _ := url.ParseQuery(raw)
		p, err := ParseParams(q)
		if err != nil {
			ie := checkInputError(t, err, 0, func(int) []byte { return nil })
			if ie.Code != "bad_parameter" || ie.At.Field == "" {
				t.Fatalf("a refused setting must be a bad_parameter naming it: %s %+v", ie.Code, ie.At)
			}
			if _, given := q[ie.At.Field]; !given && ie.At.Field != "sector_km" && ie.At.Field != "version" {
				t.Fatalf("the error names %q, which the query does not have: %v", ie.At.Field, err)
			}
			if q.Get("sectors") == "anchors" && ie.At.Field == "sectors" {
				t.Fatalf("sectors=anchors is a sectorisation of its own (SPEC 4), refused: %v", err)
			}
			return
		}
		v := p
		if err := v.Validate(); err != nil {
			t.Fatalf("accepted settings do not validate: %v (%+v)", err, p)
		}
		if v != p {
			t.Fatalf("validating accepted settings changed them: %+v, then %+v", p, v)
		}
		if !(p.DepthKm > 0 && p.DepthKm <= 500) {
			t.Fatalf("depth_km %g accepted", p.DepthKm)
		}
		switch p.Side {
		case "both", "left", "right":
		default:
			t.Fatalf("side %q accepted", p.Side)
		}
		ways := 0
		if p.SectorKm != 0 {
			ways++
			if !(p.SectorKm >= 0.1) || math.IsInf(p.SectorKm, 0) {
				t.Fatalf("sector_km %g accepted", p.SectorKm)
			}
		}
		if p.Sectors != 0 {
			ways++
			if p.Sectors < 1 || p.Sectors > 10000 {
				t.Fatalf("sectors %d accepted", p.Sectors)
			}
		}
		if p.Anchors {
			ways++
		}
		if ways != 1 {
			t.Fatalf("accepted settings have %d sectorisations: %+v", ways, p)
		}
		if q.Get("sectors") == "anchors" && !p.Anchors {
			t.Fatalf("sectors=anchors read as %+v", p)
		}
		for _, r := range []float64{p.RequiredPerKm, p.TroopsOK, p.AirDefenseOK, p.PatrolOK} {
			if !(r > 0) || math.IsInf(r, 0) {
				t.Fatalf("a threshold of %g accepted: %+v", r, p)
			}
		}
		// Whole numbers of troops are derived from these: they stay
		// within bounds that keep them exact.
		if p.RequiredPerKm > maxRequiredPerKm || !(p.Rotation >= 1) || p.Rotation > maxRotation {
			t.Fatalf("required_per_km %g, rotation %g accepted", p.RequiredPerKm, p.Rotation)
		}
		if q.Get("posture") != "" && q.Get("required_per_km") == "" {
			if posture, err := PostureNamed(q.Get("posture")); err != nil || p.RequiredPerKm != posture.RequiredPerKm {
				t.Fatalf("posture=%q read as required_per_km %g (%v)", q.Get("posture"), p.RequiredPerKm, err)
			}
		}
		if p.Version < 0 || (p.Version > 0 && !p.At.IsZero()) {
			t.Fatalf("version %d with at %v accepted", p.Version, p.At)
		}
		// Versions are numbered from 1; version=0 is not "the current line".
		if q.Get("version") != "" && p.Version < 1 {
			t.Fatalf("version=%q accepted as %d", q.Get("version"), p.Version)
		}
		// A setting given twice with different values is ambiguous: taking
		// the first would answer a what-if nobody asked.
		for _, name := range SettingNames(true) {
			vals := q[name]
			for _, v := range vals[min(1, len(vals)):] {
				if v != vals[0] {
					t.Fatalf("%s given as %q and %q, accepted", name, vals[0], v)
				}
			}
		}
	})
}

// FuzzCheckDuplicateKeys: the duplicate-key scanner against json.Valid and
// a reader built on encoding/json's Decoder.Token (refDuplicateKey).
func FuzzCheckDuplicateKeys(f *testing.F) {
	for _, seeds := range [][]string{duplicateKeySeeds, lineSeeds, unitSeeds} {
		for _, s := range seeds {
			f.Add([]byte(s))
		}
	}
	f.Add(data.Units())
	for _, b := range realLineSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(compareWithReference)
}

// checkNoDuplicateKeys checks an accepted input: neither it nor any of
// its features has an object with a name twice, says the reference
// reader (texts that are not JSON, like newline-delimited input as a
// whole, are left to the features).
func checkNoDuplicateKeys(t *testing.T, in []byte, feats []json.RawMessage) {
	t.Helper()
	for _, b := range append([]json.RawMessage{in}, feats...) {
		if _, path, _, found, err := refDuplicateKey(b); err == nil && json.Valid(b) && found {
			t.Fatalf("accepted %q, which has a duplicate key in %q", truncate(string(b), 200), path)
		}
	}
}

// checkDuplicateKeyRefusal checks a duplicate_key refusal: the reference
// reader finds a duplicate in the input or in the feature the error names
// (unless neither is JSON: a duplicate may come before a syntax error).
func checkDuplicateKeyRefusal(t *testing.T, ie *InputError, in []byte, feats []json.RawMessage) {
	t.Helper()
	if ie.Code != "duplicate_key" {
		return
	}
	texts := [][]byte{in}
	if ie.At.Feature >= 0 && ie.At.Feature < len(feats) {
		texts = append(texts, feats[ie.At.Feature])
	}
	checked := false
	for _, b := range texts {
		if !json.Valid(b) {
			continue
		}
		checked = true
		if _, _, _, found, _ := refDuplicateKey(b); found {
			return
		}
	}
	if checked {
		t.Fatalf("refused %q for a duplicate key (%v) the reference reader does not find", truncate(string(in), 200), ie)
	}
}

// checkInputError checks a refusal: it wraps ErrInvalid, is an
// *InputError with a code and a message, and its location is -1 or points
// into the input: a feature below features, and a part and vertex within
// that feature's geometry (feature(-1) is the whole input) when it reads.
func checkInputError(t *testing.T, err error, features int, feature func(int) []byte) *InputError {
	t.Helper()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("error %q (%T) does not wrap ErrInvalid", err, err)
	}
	var in *InputError
	if !errors.As(err, &in) {
		t.Fatalf("error %q (%T) is not an *InputError", err, err)
	}
	if strings.TrimSpace(string(in.Code)) == "" || strings.TrimSpace(in.Message) == "" {
		t.Fatalf("error without a code or a message: %#v", in)
	}
	at := in.At
	if at.Feature < -1 || at.Part < -1 || at.Vertex < -1 {
		t.Fatalf("location %+v has an index below -1", at)
	}
	// A duplicate key in features[i] is in feature i of the text, which a
	// second "features" member further on may replace in what is decoded.
	if at.Feature >= features && !(in.Code == "duplicate_key" && strings.Contains(in.Message, fmt.Sprintf(" in features[%d]", at.Feature))) {
		t.Fatalf("location %+v: feature %d, but the input has %d features (%v)", at, at.Feature, features, err)
	}
	if at.Vertex >= 0 && at.Part < 0 {
		t.Fatalf("location %+v names a vertex but no part (%v)", at, err)
	}
	if at.Part < 0 {
		return in
	}
	parts, known := fuzzParts(feature(at.Feature))
	if !known {
		return in
	}
	if at.Part >= len(parts) {
		t.Fatalf("location %+v: part %d, but the geometry has %d parts (%v)", at, at.Part, len(parts), err)
	}
	if n := parts[at.Part]; at.Vertex >= 0 && n >= 0 && at.Vertex >= n {
		t.Fatalf("location %+v: vertex %d, but part %d has %d positions (%v)", at, at.Vertex, at.Part, n, err)
	}
	return in
}

// fuzzObject reads the first JSON value of b as a GeoJSON object, the way
// the parsers read it (the same struct, so keys match the same way; what
// follows the value is the parsers' own check), or returns nil.
func fuzzObject(b []byte) *rawObject {
	var o rawObject
	if b == nil || json.NewDecoder(bytes.NewReader(b)).Decode(&o) != nil {
		return nil
	}
	return &o
}

// fuzzParts returns the positions in each part of an object's line
// geometry (-1 where a part does not read), known when the geometry
// reads. A geometry that is not a line has no parts.
func fuzzParts(b []byte) (parts []int, known bool) {
	o := fuzzObject(b)
	if o != nil && o.Type == "Feature" {
		o = fuzzObject(o.Geometry)
	}
	if o == nil {
		return nil, false
	}
	count := func(raw json.RawMessage) int {
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return -1
		}
		return len(items)
	}
	switch o.Type {
	case "LineString":
		return []int{count(o.Coordinates)}, true
	case "MultiLineString":
		var raw []json.RawMessage
		if json.Unmarshal(o.Coordinates, &raw) != nil {
			return nil, false
		}
		for _, r := range raw {
			parts = append(parts, count(r))
		}
		return parts, true
	}
	return nil, true
}

// fuzzFeatures splits a bulk input as a reader would: the features of a
// FeatureCollection, a Feature on its own, or the non-blank lines of
// newline-delimited GeoJSON.
func fuzzFeatures(in []byte) []json.RawMessage {
	trimmed := bytes.TrimSpace(in)
	if json.Valid(trimmed) {
		o := fuzzObject(trimmed)
		switch {
		case o == nil:
			return nil
		case o.Type == "FeatureCollection":
			return o.Features
		case o.Type == "Feature":
			return []json.RawMessage{trimmed}
		}
		return nil
	}
	var out []json.RawMessage
	for _, line := range bytes.Split(trimmed, []byte("\n")) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			out = append(out, line)
		}
	}
	return out
}

// checkJSON checks that every feature accepted is JSON.
func checkJSON(t *testing.T, feats []json.RawMessage) {
	t.Helper()
	for i, f := range feats {
		if !json.Valid(f) {
			t.Fatalf("feature %d accepted, but it is not JSON: %q", i, f)
		}
		if !utf8.Valid(f) {
			t.Fatalf("feature %d accepted, but it is not UTF-8 (what is kept would not be what was sent): %q", i, f)
		}
	}
}

func featureOrWhole(in []byte, feats []json.RawMessage) func(int) []byte {
	return func(i int) []byte {
		if i < 0 {
			return in
		}
		return feats[i]
	}
}

// checkLine checks an accepted line: usable by the engine as it is.
func checkLine(t *testing.T, in *LineInput) {
	t.Helper()
	if in == nil || in.Line == nil {
		t.Fatal("accepted line without a geo line")
	}
	if l := in.Line.LengthKm(); !(l > 0) || math.IsInf(l, 0) {
		t.Fatalf("accepted line of length %g km: %s", l, truncate(fmt.Sprint(in.Parts), 200))
	}
	// The service cuts every line it stores into sectors with the default
	// settings (GET /v1/coverage): an accepted line must allow that.
	if sectors, err := in.Line.Sectors(geo.Sectoring{SectorKm: DefaultSectorKm}); err != nil || len(sectors) == 0 {
		t.Fatalf("accepted line of %g km cannot be cut into %g km sectors (%d sectors, %v): %s",
			in.Line.LengthKm(), DefaultSectorKm, len(sectors), err, truncate(fmt.Sprint(in.Parts), 200))
	}
	if len(in.Parts) == 0 || len(in.Line.Parts()) != len(in.Parts) {
		t.Fatalf("accepted line with %d parts (%d in the geo line)", len(in.Parts), len(in.Line.Parts()))
	}
	for i, part := range in.Parts {
		if len(part) < 2 || len(in.Line.Parts()[i]) < 2 {
			t.Fatalf("part %d accepted with %d positions", i, len(part))
		}
		for j, p := range part {
			checkPosition(t, p, i, j)
		}
	}
	if in.Properties == nil {
		t.Fatal("accepted line with nil properties")
	}
}

func checkPosition(t *testing.T, p Position, part, vertex int) {
	t.Helper()
	if len(p) < 2 {
		t.Fatalf("part %d, vertex %d: position %v accepted", part, vertex, p)
	}
	for _, c := range p {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			t.Fatalf("part %d, vertex %d: position %v accepted", part, vertex, p)
		}
	}
	if p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
		t.Fatalf("part %d, vertex %d: position %v out of range accepted", part, vertex, p)
	}
}

// checkUnit checks an accepted unit: usable by the engine as it is.
func checkUnit(t *testing.T, u *Unit) {
	t.Helper()
	if u == nil {
		t.Fatal("accepted nil unit")
	}
	if u.ID == "" || strings.ContainsAny(u.ID, "/?#\x00") {
		t.Fatalf("accepted unit with id %q", u.ID)
	}
	if len(u.Coords) == 0 {
		t.Fatalf("unit %q accepted without a position", u.ID)
	}
	for j, p := range u.Coords {
		checkPosition(t, p, -1, j)
	}
	if u.Properties == nil {
		t.Fatalf("unit %q accepted with nil properties", u.ID)
	}
	switch u.Kind {
	case KindTroops:
		if u.Strength <= 0 || len(u.Coords) != 1 {
			t.Fatalf("troop unit %q accepted with strength %d, %d positions", u.ID, u.Strength, len(u.Coords))
		}
	case KindAirDefense:
		if !(u.RangeKm > 0) || math.IsInf(u.RangeKm, 0) || len(u.Coords) != 1 {
			t.Fatalf("air-defense unit %q accepted with range %g km, %d positions", u.ID, u.RangeKm, len(u.Coords))
		}
	case KindPatrol:
		if !(u.ObserveKm > 0) || math.IsInf(u.ObserveKm, 0) || !(u.VisitsPerDay >= 0) || math.IsInf(u.VisitsPerDay, 0) {
			t.Fatalf("patrol %q accepted with observe_km %g, visits_per_day %g", u.ID, u.ObserveKm, u.VisitsPerDay)
		}
	default:
		t.Fatalf("unit %q accepted with kind %q", u.ID, u.Kind)
	}
	g := u.Geometry()
	if g["type"] != "Point" && g["type"] != "LineString" {
		t.Fatalf("unit %q has geometry %v", u.ID, g["type"])
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %T: %v", v, err)
	}
	return b
}
