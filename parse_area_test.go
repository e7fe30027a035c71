package frontline

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// square is a closed lon/lat box ring, counterclockwise, with n edges on
// each side (so parallels are followed closely by geodesic edges).
func square(lon1, lat1, lon2, lat2 float64, n int, clockwise bool) string {
	var pts []string
	add := func(lon, lat float64) { pts = append(pts, fmt.Sprintf("[%g,%g]", lon, lat)) }
	corners := [][2]float64{{lon1, lat1}, {lon2, lat1}, {lon2, lat2}, {lon1, lat2}, {lon1, lat1}}
	if clockwise {
		corners = [][2]float64{{lon1, lat1}, {lon1, lat2}, {lon2, lat2}, {lon2, lat1}, {lon1, lat1}}
	}
	for c := 0; c < 4; c++ {
		a, b := corners[c], corners[c+1]
		for k := 0; k < n; k++ {
			f := float64(k) / float64(n)
			add(a[0]+(b[0]-a[0])*f, a[1]+(b[1]-a[1])*f)
		}
	}
	add(lon1, lat1)
	return "[" + strings.Join(pts, ",") + "]"
}

// bandKm2 is the area of the lon/lat quadrilateral lon1..lon2, lat1..lat2
// on the WGS84 ellipsoid, from the textbook formula for the area of the
// zone between the equator and latitude φ,
//
//	S(φ) = π b² (sin φ/(1 − e² sin² φ) + ln((1 + e sin φ)/(1 − e sin φ))/(2e)),
//
// of which the quadrilateral is the fraction (lon2 − lon1)/360° of
// S(φ2) − S(φ1). It is independent of geo/geodesic.
func bandKm2(lon1, lat1, lon2, lat2 float64) float64 {
	const a, f = 6378137.0, 1 / 298.257223563
	e2 := f * (2 - f)
	e := math.Sqrt(e2)
	b2 := a * a * (1 - e2)
	zone := func(lat float64) float64 {
		s := math.Sin(lat * math.Pi / 180)
		return math.Pi * b2 * (s/(1-e2*s*s) + math.Log((1+e*s)/(1-e*s))/(2*e))
	}
	return (lon2 - lon1) / 360 * (zone(lat2) - zone(lat1)) / 1e6
}

func TestParseArea(t *testing.T) {
	tri := `[[30,48],[31,48],[31,49],[30,48]]`
	for _, tc := range []struct {
		name, in string
		check    func(*AreaInput) error
	}{
		{"polygon", `{"type":"Polygon","coordinates":[` + tri + `]}`, func(in *AreaInput) error {
			if len(in.Polygons) != 1 || len(in.Polygons[0]) != 1 || in.Vertices() != 4 || !in.ValidFrom.IsZero() || in.Source != "" {
				return fmt.Errorf("%d polygons, %d vertices, valid_from %v", len(in.Polygons), in.Vertices(), in.ValidFrom)
			}
			return nil
		}},
		{"multipolygon with altitude", `{"type":"MultiPolygon","coordinates":[[[[30,48,120],[31,48],[31,49],[30,48,120]]],[` + square(32, 48, 33, 49, 1, false) + `]]}`, func(in *AreaInput) error {
			if len(in.Polygons) != 2 || in.Vertices() != 9 || len(in.Polygons[0][0][0]) != 3 || in.Polygons[0][0][0][2] != 120 {
				return fmt.Errorf("polygons %v: altitude should be kept", in.Polygons)
			}
			return nil
		}},
		{"feature", `{"type":"Feature","properties":{"valid_from":"2025-03-25","source":"DeepStateMap","note":"x"},"geometry":{"type":"Polygon","coordinates":[` + tri + `]}}`, func(in *AreaInput) error {
			if !in.ValidFrom.Equal(time.Date(2025, 3, 25, 0, 0, 0, 0, time.UTC)) || in.Source != "DeepStateMap" || in.Properties["note"] != "x" {
				return fmt.Errorf("valid_from %v, source %q, properties %v", in.ValidFrom, in.Source, in.Properties)
			}
			return nil
		}},
		{"feature collection of one", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"valid_from":"2025-03-25T10:00:00+02:00"},"geometry":{"type":"MultiPolygon","coordinates":[[` + tri + `]]}}]}`, func(in *AreaInput) error {
			if !in.ValidFrom.Equal(time.Date(2025, 3, 25, 8, 0, 0, 0, time.UTC)) || in.ValidFrom.Location() != time.UTC {
				return fmt.Errorf("valid_from %v", in.ValidFrom)
			}
			return nil
		}},
		{"null properties", `{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[` + tri + `]}}`, func(in *AreaInput) error {
			if in.Properties == nil || len(in.Properties) != 0 {
				return fmt.Errorf("properties %v", in.Properties)
			}
			return nil
		}},
		// A closed ring is not refused for crossing itself at its closing
		// vertex, whichever way it winds and wherever it starts.
		{"clockwise square", `{"type":"Polygon","coordinates":[` + square(30, 48, 31, 49, 1, true) + `]}`, nil},
		{"closing vertex mid-edge", `{"type":"Polygon","coordinates":[[[30.5,48],[31,48],[31,49],[30,49],[30,48],[30.5,48]]]}`, nil},
		{"repeated positions", `{"type":"Polygon","coordinates":[[[30,48],[30,48],[31,48],[31,49],[31,49],[30,48],[30,48]]]}`, nil},
		// Rings touching at a vertex (not crossing) are each valid.
		{"ring touching itself", `{"type":"Polygon","coordinates":[[[0,0],[2,0],[1,1],[2,2],[0,2],[1,1],[0,0]]]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := ParseArea([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if in.Properties == nil || !(in.AreaKm2 > 0) {
				t.Errorf("properties %v, area %g km²", in.Properties, in.AreaKm2)
			}
			if tc.check != nil {
				if err := tc.check(in); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestParseAreaKm2(t *testing.T) {
	one := bandKm2(0, 0, 1, 1)
	if math.Abs(one-12308) > 1 {
		t.Fatalf("the band formula gives %g km² for 1°×1° at the equator, expected about 12,308", one)
	}
	for _, tc := range []struct {
		name, in string
		want     float64
		tol      float64 // relative
	}{
		// With one edge per side, the geodesic along latitude 1° bows
		// towards the pole by about 4 m: some 0.3 km² more than the
		// quadrilateral of parallels.
		{"1°×1° square", `{"type":"Polygon","coordinates":[` + square(0, 0, 1, 1, 1, false) + `]}`, one, 5e-5},
		// With 100 edges per side the difference is 10⁴ times smaller.
		{"1°×1° square, densified", `{"type":"Polygon","coordinates":[` + square(0, 0, 1, 1, 100, false) + `]}`, one, 1e-8},
		{"clockwise", `{"type":"Polygon","coordinates":[` + square(0, 0, 1, 1, 100, true) + `]}`, one, 1e-8},
		{"square with a hole", `{"type":"Polygon","coordinates":[` + square(30, 48, 31, 49, 100, false) + `,` + square(30.25, 48.25, 30.75, 48.75, 50, true) + `]}`,
			bandKm2(30, 48, 31, 49) - bandKm2(30.25, 48.25, 30.75, 48.75), 1e-8},
		{"hole wound like the exterior", `{"type":"Polygon","coordinates":[` + square(30, 48, 31, 49, 100, false) + `,` + square(30.25, 48.25, 30.75, 48.75, 50, false) + `]}`,
			bandKm2(30, 48, 31, 49) - bandKm2(30.25, 48.25, 30.75, 48.75), 1e-8},
		{"two polygons", `{"type":"MultiPolygon","coordinates":[[` + square(0, 0, 1, 1, 100, false) + `],[` + square(30, 48, 31, 49, 100, true) + `]]}`,
			one + bandKm2(30, 48, 31, 49), 1e-8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := ParseArea([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(in.AreaKm2-tc.want) > tc.tol*tc.want {
				t.Errorf("area %.6f km², want %.6f (relative difference %.2g)", in.AreaKm2, tc.want, (in.AreaKm2-tc.want)/tc.want)
			}
		})
	}
}

func TestParseAreaErrors(t *testing.T) {
	tri := `[[30,48],[31,48],[31,49],[30,48]]`
	poly := `{"type":"Polygon","coordinates":[` + tri + `]}`
	feature := `{"type":"Feature","properties":{},"geometry":` + poly + `}`
	loc := func(f, p, v int) Location { return Location{Feature: f, Part: p, Vertex: v} }
	for _, tc := range []struct {
		name, in string
		code     Code
		at       Location
		want     string // in the message
	}{
		{"line string", `{"type":"LineString","coordinates":[[30,48],[31,48]]}`, CodeWrongGeometry, Nowhere, "areas are polygons, and a line of contact goes to /v1/frontline"},
		{"line feature", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiLineString","coordinates":[[[30,48],[31,48]]]}}]}`, CodeWrongGeometry, loc(0, -1, -1), "/v1/frontline"},
		{"point", `{"type":"Point","coordinates":[30,48]}`, CodeWrongGeometry, Nowhere, "got Point: areas are polygons"},
		{"no geometry", `{"type":"Feature","geometry":null}`, CodeNoGeometry, Nowhere, "feature has no geometry"},
		{"no coordinates", `{"type":"Polygon"}`, CodeNotGeoJSON, Nowhere, "Polygon has no coordinates"},
		{"open ring", `{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,49]]]}`, CodeOpenRing, loc(-1, 0, 3), "ring 0 is not closed"},
		{"open hole", `{"type":"MultiPolygon","coordinates":[[` + tri + `],[` + square(0, 0, 1, 1, 1, false) + `,[[0.2,0.2],[0.4,0.2],[0.4,0.4],[0.2,0.5]]]]}`, CodeOpenRing, loc(-1, 1, 3), "ring 1 is not closed"},
		{"three positions", `{"type":"Polygon","coordinates":[[[30,48],[31,48],[30,48]]]}`, CodeTooFewVertices, loc(-1, 0, -1), "ring 0 has 3 positions"},
		{"two distinct positions", `{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,48],[30,48]]]}`, CodeTooFewVertices, loc(-1, 0, -1), "ring 0 needs at least 3 distinct positions, has 2"},
		{"empty ring", `{"type":"Polygon","coordinates":[[]]}`, CodeTooFewVertices, loc(-1, 0, -1), "ring 0 has 0 positions"},
		{"longitude", `{"type":"Polygon","coordinates":[[[30,48],[200,48],[31,49],[30,48]]]}`, CodeBadCoordinates, loc(-1, 0, 1), "ring 0: longitude 200 outside [-180, 180]"},
		{"latitude in a hole", `{"type":"MultiPolygon","coordinates":[[` + tri + `],[` + square(0, 0, 1, 1, 1, false) + `,[[0.2,0.2],[0.4,0.2],[0.4,95],[0.2,0.2]]]]}`, CodeBadCoordinates, loc(-1, 1, 2), "ring 1: latitude 95 outside [-90, 90]"},
		{"huge number", `{"type":"Polygon","coordinates":[[[30,48],[1e400,48],[31,49],[30,48]]]}`, CodeBadCoordinates, loc(-1, 0, 1), "ring 0: coordinate 0 (1e400) is not a finite number"},
		{"null coordinate", `{"type":"Polygon","coordinates":[[[30,48],[31,null],[31,49],[30,48]]]}`, CodeBadCoordinates, loc(-1, 0, 1), "ring 0: a position must be an array of numbers"},
		{"one coordinate", `{"type":"Polygon","coordinates":[[[30,48],[31],[31,49],[30,48]]]}`, CodeBadCoordinates, loc(-1, 0, 1), "ring 0: a position needs longitude and latitude, got 1 numbers"},
		{"string ring", `{"type":"Polygon","coordinates":["x"]}`, CodeBadCoordinates, loc(-1, 0, -1), "ring 0: a ring must be an array of positions"},
		{"bow tie", `{"type":"Polygon","coordinates":[[[30,48],[31,49],[31,48],[30,49],[30,48]]]}`, CodeSelfIntersection, loc(-1, 0, 2), "ring 0 crosses itself: the edge from vertex 2 to 3 meets the edge from vertex 0 to 1 and crosses it at 30.500000, 48.500000"},
		{"hole doubling back", `{"type":"Polygon","coordinates":[` + square(0, 0, 1, 1, 1, false) + `,[[0.2,0.2],[0.6,0.2],[0.4,0.2],[0.4,0.4],[0.2,0.2]]]}`, CodeSelfIntersection, loc(-1, 0, 1), "ring 1 crosses itself"},
		{"antimeridian", `{"type":"Polygon","coordinates":[[[179,0],[-179,0],[-179,1],[179,0]]]}`, CodeCrossesAntimeridian, loc(-1, 0, 1), "ring 0: the edge to this vertex crosses the antimeridian"},
		{"empty multipolygon", `{"type":"MultiPolygon","coordinates":[]}`, CodeEmpty, Nowhere, "MultiPolygon has no polygons"},
		{"polygon without rings", `{"type":"MultiPolygon","coordinates":[[` + tri + `],[]]}`, CodeEmpty, loc(-1, 1, -1), "polygon has no rings"},
		{"two features", `{"type":"FeatureCollection","features":[` + feature + `,` + feature + `]}`, CodeNotOneArea, Nowhere, "must have exactly 1 feature, has 2"},
		{"no features", `{"type":"FeatureCollection","features":[]}`, CodeNotOneArea, Nowhere, "has 0"},
		{"duplicate type", `{"type":"Polygon","type":"Polygon","coordinates":[` + tri + `]}`, CodeDuplicateKey, FieldAt("type"), `duplicate key "type" in the top-level object`},
		{"duplicate in a feature", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"source":"a","source":"b"},"geometry":` + poly + `}]}`, CodeDuplicateKey, Location{0, -1, -1, "properties.source"}, `duplicate key "source"`},
		{"bad valid_from", `{"type":"Feature","properties":{"valid_from":"yesterday"},"geometry":` + poly + `}`, CodeBadTime, FieldAt("properties.valid_from"), `valid_from "yesterday" is not an RFC 3339 time or date`},
		{"bad source", `{"type":"Feature","properties":{"source":7},"geometry":` + poly + `}`, CodeBadProperty, FieldAt("properties.source"), "source must be a string, got the number 7"},
		{"not JSON", `{"type":`, CodeNotJSON, Nowhere, "the input ends too early"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseArea([]byte(tc.in))
			checkAreaError(t, err, tc.code, tc.at, tc.want)
		})
	}
}

func checkAreaError(t *testing.T, err error, code Code, at Location, want string) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want a %s error", err, code)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("%v does not wrap ErrInvalid", err)
	}
	if ie.Code != code || ie.At != at || !strings.Contains(ie.Message, want) {
		t.Errorf("got %s at %+v: %q; want %s at %+v, containing %q", ie.Code, ie.At, ie.Message, code, at, want)
	}
}

func TestParseAreas(t *testing.T) {
	a := `{"type":"Feature","properties":{"valid_from":"2025-01-01","source":"x"},"geometry":{"type":"Polygon","coordinates":[` + square(30, 48, 31, 49, 1, false) + `]}}`
	b := `{"type":"Feature","properties":{"valid_from":"2025-01-02T06:00:00Z"},"geometry":{"type":"MultiPolygon","coordinates":[[` + square(30, 48, 31, 49, 1, false) + `],[` + square(32, 48, 33, 49, 1, false) + `]]}}`
	for _, tc := range []struct{ name, in string }{
		{"feature collection", `{"type":"FeatureCollection","features":[` + a + `,` + b + `]}`},
		{"newline-delimited", a + "\n\n" + b + "\n"},
		{"CRLF", a + "\r\n" + b},
	} {
		t.Run(tc.name, func(t *testing.T) {
			areas, err := ParseAreas([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(areas) != 2 || areas[0].Source != "x" || len(areas[1].Polygons) != 2 ||
				!areas[0].ValidFrom.Equal(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) ||
				!areas[1].ValidFrom.Equal(time.Date(2025, 1, 2, 6, 0, 0, 0, time.UTC)) {
				t.Fatalf("got %d areas: %+v", len(areas), areas)
			}
			if d := areas[1].AreaKm2 - 2*areas[0].AreaKm2; math.Abs(d) > 1e-6*areas[0].AreaKm2 {
				t.Errorf("areas %g and %g km²", areas[0].AreaKm2, areas[1].AreaKm2)
			}
		})
	}

	noDate := `{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[` + square(30, 48, 31, 49, 1, false) + `]}}`
	line := `{"type":"Feature","properties":{"valid_from":"2025-01-03"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`
	bow := `{"type":"Feature","properties":{"valid_from":"2025-01-03"},"geometry":{"type":"MultiPolygon","coordinates":[[` + square(0, 0, 1, 1, 1, false) + `],[[[30,48],[31,49],[31,48],[30,49],[30,48]]]]}}`
	loc := func(f, p, v int) Location { return Location{Feature: f, Part: p, Vertex: v} }
	for _, tc := range []struct {
		name, in string
		code     Code
		at       Location
		want     string
	}{
		{"no valid_from", `{"type":"FeatureCollection","features":[` + a + `,` + noDate + `]}`, CodeMissingValidFrom, Location{1, -1, -1, "properties.valid_from"}, "needs valid_from"},
		{"a line", a + "\n" + b + "\n" + line, CodeWrongGeometry, loc(2, -1, -1), "/v1/frontline"},
		{"a bow tie", `{"type":"FeatureCollection","features":[` + a + `,` + bow + `]}`, CodeSelfIntersection, loc(1, 1, 2), "ring 0 crosses itself"},
		{"a bow tie, newline-delimited", a + "\n\n" + bow, CodeSelfIntersection, loc(1, 1, 2), "ring 0 crosses itself"},
		{"duplicate key", a + "\n" + `{"type":"Feature","properties":{"valid_from":"2025-01-05","valid_from":"2025-01-06"},"geometry":null}`, CodeDuplicateKey, Location{1, -1, -1, "properties.valid_from"}, "duplicate key"},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, CodeEmpty, Nowhere, "no features"},
		{"a geometry", `{"type":"Polygon","coordinates":[` + square(30, 48, 31, 49, 1, false) + `]}`, CodeNotFeatureCollection, Nowhere, "got Polygon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAreas([]byte(tc.in))
			checkAreaError(t, err, tc.code, tc.at, tc.want)
		})
	}
}

// The DeepStateMap occupied areas beside the repository (never copied
// into it): each reads as one area of the size of the occupied part of
// Ukraine, with the vertices its README counts.
func TestParseAreaRealData(t *testing.T) {
	const dir = "../shared/data/deepstate"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no real data: %v", err)
	}
	want := map[string]int{
		"2024-07-08.occupied.geojson": 2938,
		"2025-03-25.occupied.geojson": 2868,
		"2026-08-22.occupied.geojson": 2953,
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.occupied.geojson"))
	if len(files) == 0 {
		t.Skipf("no *.occupied.geojson in %s", dir)
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			in, err := ParseArea(b)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %.1f km², %d polygons, %d vertices", filepath.Base(name), in.AreaKm2, len(in.Polygons), in.Vertices())
			if in.AreaKm2 < 100000 || in.AreaKm2 > 130000 {
				t.Errorf("area %.1f km², expected 100,000 to 130,000", in.AreaKm2)
			}
			if n, ok := want[filepath.Base(name)]; ok && in.Vertices() != n {
				t.Errorf("%d vertices, the README says %d", in.Vertices(), n)
			}
		})
	}
}
