package frontline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"frontline/geo"
)

// realAreas are the DeepStateMap occupied areas beside the repository,
// read as seeds when they are there (they are never copied into it).
const realAreas = "../shared/data/deepstate/*.occupied.geojson"

func realAreaSeeds(f *testing.F) [][]byte {
	f.Helper()
	files, _ := filepath.Glob(realAreas)
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

var areaSeeds = []string{
	`{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,49],[30,48]],[[30.2,48.2],[30.2,48.4],[30.4,48.4],[30.2,48.2]]]}`,
	`{"type":"MultiPolygon","coordinates":[[[[30,48,120],[31,48],[31,49],[30,48,120]]],[[[32,48],[33,48],[33,49],[32,48]]]]}`,
	`{"type":"Feature","properties":{"valid_from":"2025-03-25","source":"test","note":1},"geometry":{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":{"type":"MultiPolygon","coordinates":[[[[30,48],[31,48],[31,49],[30,48]]]]}}]}`,
	`{"type":"FeatureCollection","features":[]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null},{"type":"Feature","geometry":null}]}`,
	`{"type":"Polygon","coordinates":[[[0,0],[2,0],[1,1],[2,2],[0,2],[1,1],[0,0]]]}`,
	`{"type":"Polygon","coordinates":[[[30.5,48],[31,48],[31,49],[30,49],[30,48],[30.5,48]]]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[31,49],[31,48],[30,49],[30,48]]]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,49]]]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[31,48],[30,48]]]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,48],[30,48]]]}`,
	`{"type":"Polygon","coordinates":[[[179,0],[-179,0],[-179,1],[179,0]]]}`,
	`{"type":"Polygon","coordinates":[[[0,89],[90,89],[180,90],[-90,89],[0,89]]]}`,
	`{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[200,48],[31,49],[30,48]]]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[31,95],[31,49],[30,48]]]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[1e400,48],[31,49],[30,48]]]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[31,null],[31,49],[30,48]]]}`,
	`{"type":"Polygon","coordinates":[[[30,48],[31],[31,49],[30,48]]]}`,
	`{"type":"Polygon","coordinates":[[]]}`,
	`{"type":"Polygon","coordinates":[]}`,
	`{"type":"Polygon","coordinates":null}`,
	`{"type":"Polygon","coordinates":["x"]}`,
	`{"type":"MultiPolygon","coordinates":[]}`,
	`{"type":"MultiPolygon","coordinates":[[]]}`,
	`{"type":"MultiPolygon","coordinates":[null]}`,
	`{"type":"LineString","coordinates":[[30,48],[31,48]]}`,
	`{"type":"Point","coordinates":[30,48]}`,
	`{"type":"Polygon","type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}`,
	`{"type":"Feature","properties":{"valid_from":"yesterday"},"geometry":{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}}`,
	`{"type":"Feature","properties":{"source":7},"geometry":{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}}`,
	`{"a":1}`, `[]`, `null`, `{`, ``,
}

// FuzzParseArea: one area, as a geometry, a Feature or a FeatureCollection
// of one.
func FuzzParseArea(f *testing.F) {
	for _, s := range areaSeeds {
		f.Add([]byte(s))
	}
	for _, b := range realAreaSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		area, err := ParseArea(in)
		if err != nil {
			top := fuzzObject(in)
			n, feature := 0, func(int) []byte { return nil }
			if top != nil && top.Type == "FeatureCollection" {
				n, feature = len(top.Features), func(i int) []byte { return top.Features[i] }
			}
			ie := checkAreaInputError(t, err, n, func(i int) []byte {
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
		checkArea(t, area)
		// What was accepted reads back the same from its own coordinates.
		again, err := ParseArea(mustJSON(t, map[string]any{"type": "MultiPolygon", "coordinates": area.Polygons}))
		if err != nil {
			t.Fatalf("the accepted area's own coordinates are refused: %v", err)
		}
		if again.ContentHash() != area.ContentHash() || again.AreaKm2 != area.AreaKm2 {
			t.Fatalf("re-reading the accepted area changed it: %g km², then %g km²", area.AreaKm2, again.AreaKm2)
		}
	})
}

// FuzzParseAreas: a bulk import of dated areas, a FeatureCollection or
// newline-delimited Features.
func FuzzParseAreas(f *testing.F) {
	a := `{"type":"Feature","properties":{"valid_from":"2025-01-01"},"geometry":{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}}`
	b := `{"type":"Feature","properties":{"valid_from":"2025-01-02T06:00:00Z"},"geometry":{"type":"MultiPolygon","coordinates":[[[[30,48],[31,48],[31,49],[30,48]]],[[[32,48],[33,48],[33,49],[32,49],[32,48]],[[32.2,48.2],[32.2,48.4],[32.4,48.4],[32.2,48.2]]]]}}`
	noDate := `{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}}`
	bad := `{"type":"Feature","properties":{"valid_from":"2025-01-03"},"geometry":{"type":"Polygon","coordinates":[[[30,48],[31,49],[31,48],[30,49],[30,48]]]}}`
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
		a + "\n" + `{"type":"Feature","properties":{"valid_from":"2025-01-05","valid_from":"2025-01-06"},"geometry":null}`,
		`{"type":"FeatureCollection","features":[` + a + `],"features":[` + b + `]}`,
		a,
		`{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}`,
		"", "\n\n", "[]", "{}",
	} {
		f.Add([]byte(s))
	}
	var real [][]byte
	for _, b := range realAreaSeeds(f) {
		var fc struct {
			Features []json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			f.Fatalf("a real area file is not a FeatureCollection: %v", err)
		}
		for _, r := range fc.Features {
			// Dated, as a bulk import needs.
			real = append(real, bytes.Replace(r, []byte(`"properties": { }`), []byte(`"properties": {"valid_from":"2025-03-25"}`), 1))
		}
	}
	if len(real) > 0 {
		f.Add(bytes.Join(real, []byte("\n")))
		f.Add(append(append([]byte(`{"type":"FeatureCollection","features":[`), bytes.Join(real, []byte(","))...), "]}"...))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		areas, err := ParseAreas(in)
		feats := fuzzFeatures(in)
		if err != nil {
			ie := checkAreaInputError(t, err, len(feats), featureOrWhole(in, feats))
			checkDuplicateKeyRefusal(t, ie, in, feats)
			return
		}
		checkJSON(t, feats)
		checkNoDuplicateKeys(t, in, feats)
		if len(areas) != len(feats) {
			t.Fatalf("%d areas from %d features", len(areas), len(feats))
		}
		for i, a := range areas {
			checkArea(t, a)
			if a.ValidFrom.IsZero() {
				t.Fatalf("area %d accepted without valid_from", i)
			}
		}
	})
}

// checkAreaInputError checks a refusal as checkInputError does, with the
// part read as a polygon of the area's geometry and the vertex as a
// position within one of its rings.
func checkAreaInputError(t *testing.T, err error, features int, feature func(int) []byte) *InputError {
	t.Helper()
	// Parts are polygons here, not the parts of a line: checkInputError
	// checks all but them.
	ie := checkInputError(t, err, features, func(int) []byte { return nil })
	at := ie.At
	if at.Part < 0 || at.Feature >= features {
		return ie
	}
	polys, known := fuzzPolygons(feature(at.Feature))
	if !known {
		return ie
	}
	if at.Part >= len(polys) {
		t.Fatalf("location %+v: polygon %d, but the geometry has %d polygons (%v)", at, at.Part, len(polys), err)
	}
	if n := polys[at.Part]; at.Vertex >= 0 && n >= 0 && at.Vertex >= n {
		t.Fatalf("location %+v: vertex %d, but no ring of polygon %d has more than %d positions (%v)", at, at.Vertex, at.Part, n, err)
	}
	return ie
}

// fuzzPolygons returns, for each polygon of an object's area geometry, the
// positions of its longest ring (-1 where that does not read), known when
// the geometry reads. A geometry that is not an area has no polygons.
func fuzzPolygons(b []byte) (polys []int, known bool) {
	o := fuzzObject(b)
	if o != nil && o.Type == "Feature" {
		o = fuzzObject(o.Geometry)
	}
	if o == nil {
		return nil, false
	}
	longest := func(raw json.RawMessage) int {
		var rings []json.RawMessage
		if json.Unmarshal(raw, &rings) != nil {
			return -1
		}
		n := 0
		for _, r := range rings {
			var items []json.RawMessage
			if json.Unmarshal(r, &items) != nil {
				return -1
			}
			n = max(n, len(items))
		}
		return n
	}
	switch o.Type {
	case "Polygon":
		return []int{longest(o.Coordinates)}, true
	case "MultiPolygon":
		var raw []json.RawMessage
		if json.Unmarshal(o.Coordinates, &raw) != nil {
			return nil, false
		}
		for _, r := range raw {
			polys = append(polys, longest(r))
		}
		return polys, true
	}
	return nil, true
}

// checkArea checks an accepted area: polygons of closed rings of at least
// 4 positions (3 distinct), positions finite and in range, and a finite
// area.
func checkArea(t *testing.T, in *AreaInput) {
	t.Helper()
	if in == nil || len(in.Polygons) == 0 {
		t.Fatal("accepted area without polygons")
	}
	for i, poly := range in.Polygons {
		if len(poly) == 0 {
			t.Fatalf("polygon %d accepted without rings", i)
		}
		for r, ring := range poly {
			if len(ring) < 4 {
				t.Fatalf("polygon %d, ring %d accepted with %d positions", i, r, len(ring))
			}
			for j, p := range ring {
				checkPosition(t, p, i, j)
			}
			if ring[0].Point() != ring[len(ring)-1].Point() {
				t.Fatalf("polygon %d, ring %d accepted open: %v", i, r, truncate(fmt.Sprint(ring), 200))
			}
			distinct := map[[2]float64]bool{}
			for _, p := range ring {
				distinct[[2]float64{p[0], p[1]}] = true
			}
			if len(distinct) < 3 {
				t.Fatalf("polygon %d, ring %d accepted with %d distinct positions", i, r, len(distinct))
			}
		}
	}
	// At most the surface of the Earth, about 510 million km².
	if !(in.AreaKm2 >= 0) || in.AreaKm2 > 5.1e8*float64(len(in.Polygons)) || math.IsInf(in.AreaKm2, 0) {
		t.Fatalf("accepted area of %g km²: %s", in.AreaKm2, truncate(fmt.Sprint(in.Polygons), 200))
	}
	if in.Properties == nil {
		t.Fatal("accepted area with nil properties")
	}
}

// FuzzParseTerritory: a reference territory is read without panicking,
// and one that is accepted derives a line from an area without panicking,
// its parts oriented and finite.
func FuzzParseTerritory(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"role":"boundary"},"geometry":{"type":"Polygon","coordinates":[[[30,44],[31,44],[31,45],[30,45],[30,44]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"role":"boundary","source":"s","license":"l"},"geometry":{"type":"LineString","coordinates":[[30,44],[36,44],[36,50]]}},` +
		`{"type":"Feature","properties":{"role":"border"},"geometry":{"type":"MultiLineString","coordinates":[[[36,44],[36,50]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"role":"sea"},"geometry":null}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[]}`))
	f.Add([]byte(`{"type":"Feature","properties":{"role":"border"},"geometry":{"type":"Polygon","coordinates":[]}}`))
	area := orb.MultiPolygon{{{{32, 44.5}, {33, 44.5}, {33, 45.5}, {32, 45.5}, {32, 44.5}}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := ParseTerritory(data)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("not an InputError: %v", err)
			}
			return
		}
		if tr.BoundaryKm <= 0 {
			t.Fatalf("accepted a territory with %g km of boundary", tr.BoundaryKm)
		}
		c, err := tr.geo.ContactLine(area, geo.ContactOptions{AppendBorder: true})
		if err != nil {
			return
		}
		for _, part := range c.Parts {
			for _, p := range part {
				if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 {
					t.Fatalf("derived a position %v", p)
				}
			}
		}
	})
}
