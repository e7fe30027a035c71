package geodesic

// Cross-check against an independent implementation: GeographicLib's
// JavaScript package (Karney's algorithms, accurate to ~15 nm).
//
// testdata/geographiclib.json was generated with the npm package
// geographiclib-geodesic 2.2.0 (Geodesic.WGS84) under node v20.20.2:
//
//	mkdir -p /tmp/glib && cd /tmp/glib && npm init -y && npm install geographiclib-geodesic@2.2.0
//	node gen.js > <repo>/geo/geodesic/testdata/geographiclib.json
//
// gen.js (kept outside the repository) draws its cases from a seeded
// mulberry32 generator (seed 20240708) and rounds every input to 1e-9°, so
// the inputs in the file are exactly those GeographicLib saw. It records:
//   - inverse: geod.Inverse(lat1, lon1, lat2, lon2) → s12, azi1, azi2 for
//     200 uniform random pairs over the globe, 150 pairs at log-uniform
//     distances 1 m–15,000 km, 46 nearly antipodal pairs (on and off the
//     equator, exact antipodes included), 200 pairs in Ukraine (lat 44–53,
//     lon 22–41; random, and 10 m–2,000 km apart) and 30 special cases
//     (meridians, the equator, poles, coincident points, longitude wrap);
//   - direct: geod.Direct(lat1, lon1, azi1, s12) → lat2, lon2, azi2 for 150
//     global cases up to 20,000 km, 80 in Ukraine (10 m–2,000 km) and 14
//     special ones (poles, the equator, meridians, lines longer than the
//     circumference, negative distance);
//   - polygons: p = geod.Polygon(false); p.AddPoint(lat, lon) for each vertex;
//     p.Compute(false, true) → signed area (counter-clockwise positive) and
//     perimeter, for 1 km squares at six latitudes and one clockwise,
//     30 km × 25 km quadrilaterals, two 1,000-vertex rings of ~100 km radius
//     (both windings), a triangle and a quadrilateral spanning Ukraine, a
//     polygon across the antimeridian and two polar caps;
//   - deepstate_occupied: |area| of every ring of the files
//     shared/data/deepstate/*.occupied.geojson, computed the same way (only
//     the numbers are stored; TestDeepStateOccupiedAreas uses them).
//
// The thresholds asserted are 1000 times tighter than the project's targets
// (1 mm, 1e-6°, 1 mm, 1e-5) so that a regression shows (azimuths of lines
// shorter than 10 m may differ by the equivalent of 10 nm sideways instead,
// which is what rounding of the inputs causes there); what is achieved,
// as logged by go test -v, is: distance within 1.5e-8 m, azimuths within
// 2e-8° (2e-10° for lines over 100 m), Direct positions within 1e-8 m,
// polygon areas within a relative 2e-11 and perimeters within 3e-7 m.

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

type goldenFile struct {
	Generator string `json:"generator"`
	Inverse   []struct {
		Group                  string
		Lat1, Lon1, Lat2, Lon2 float64
		S12, Azi1, Azi2        float64
	} `json:"inverse"`
	Direct []struct {
		Group                 string
		Lat1, Lon1, Azi1, S12 float64
		Lat2, Lon2, Azi2      float64
	} `json:"direct"`
	Polygons []struct {
		Name      string
		Points    [][2]float64
		Area      float64
		Perimeter float64
	} `json:"polygons"`
	DeepState []struct {
		File      string    `json:"file"`
		RingAreas []float64 `json:"ring_areas"`
	} `json:"deepstate_occupied"`
}

func loadGolden(t testing.TB) *goldenFile {
	t.Helper()
	data, err := os.ReadFile("testdata/geographiclib.json")
	if err != nil {
		t.Fatal(err)
	}
	var g goldenFile
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Inverse) < 500 || len(g.Direct) < 200 || len(g.Polygons) < 10 {
		t.Fatalf("golden file looks truncated: %d inverse, %d direct, %d polygons",
			len(g.Inverse), len(g.Direct), len(g.Polygons))
	}
	return &g
}

// azDiff returns |a − b| in degrees, modulo 360.
func azDiff(a, b float64) float64 {
	return math.Abs(angNormalize(a - b))
}

func TestInverseAgainstGeographicLib(t *testing.T) {
	g := loadGolden(t)
	type stats struct{ n, ds, daz float64 }
	groups := map[string]*stats{}
	var order []string
	for _, c := range g.Inverse {
		st := groups[c.Group]
		if st == nil {
			st = &stats{}
			groups[c.Group] = st
			order = append(order, c.Group)
		}
		st.n++
		s12, azi1, azi2, err := Inverse(c.Lat1, c.Lon1, c.Lat2, c.Lon2)
		if err != nil {
			t.Errorf("%s %v %v %v %v: %v", c.Group, c.Lat1, c.Lon1, c.Lat2, c.Lon2, err)
			continue
		}
		ds := math.Abs(s12 - c.S12)
		st.ds = math.Max(st.ds, ds)
		if ds > 1e-6 && ds > 1e-12*c.S12 {
			t.Errorf("%s (%v, %v) → (%v, %v): s12 = %.6f, GeographicLib %.6f (Δ %.3g m)",
				c.Group, c.Lat1, c.Lon1, c.Lat2, c.Lon2, s12, c.S12, ds)
		}
		if c.S12 == 0 {
			continue // azimuths of coincident points are a convention
		}
		d1, d2 := azDiff(azi1, c.Azi1), azDiff(azi2, c.Azi2)
		st.daz = math.Max(st.daz, math.Max(d1, d2))
		// On a line of a metre, rounding in the inputs alone turns the
		// azimuth by 1e-8°; allow what amounts to 10 nm sideways.
		if tol := math.Max(1e-9, 1e-8/c.S12/degree); d1 > tol || d2 > tol {
			t.Errorf("%s (%v, %v) → (%v, %v): azimuths %.9f %.9f, GeographicLib %.9f %.9f",
				c.Group, c.Lat1, c.Lon1, c.Lat2, c.Lon2, azi1, azi2, c.Azi1, c.Azi2)
		}
	}
	for _, name := range order {
		st := groups[name]
		t.Logf("%-14s %3.0f cases: max |Δs12| = %.2g m, max |Δazi| = %.2g°", name, st.n, st.ds, st.daz)
	}
}

func TestDirectAgainstGeographicLib(t *testing.T) {
	g := loadGolden(t)
	var maxDp, maxDaz float64
	for _, c := range g.Direct {
		lat2, lon2, azi2 := Direct(c.Lat1, c.Lon1, c.Azi1, c.S12)
		dp := Distance([2]float64{lon2, lat2}, [2]float64{c.Lon2, c.Lat2})
		maxDp = math.Max(maxDp, dp)
		if dp > 1e-6 {
			t.Errorf("%s (%v, %v) az %v s %v: got (%.10f, %.10f), GeographicLib (%.10f, %.10f), %.3g m apart",
				c.Group, c.Lat1, c.Lon1, c.Azi1, c.S12, lat2, lon2, c.Lat2, c.Lon2, dp)
		}
		if math.Abs(c.Lat2) == 90 {
			continue // the azimuth at a pole depends on the longitude convention
		}
		daz := azDiff(azi2, c.Azi2)
		maxDaz = math.Max(maxDaz, daz)
		if daz > 1e-9 {
			t.Errorf("%s (%v, %v) az %v s %v: azi2 %.9f, GeographicLib %.9f",
				c.Group, c.Lat1, c.Lon1, c.Azi1, c.S12, azi2, c.Azi2)
		}
	}
	t.Logf("%d direct cases: max position error %.3g m, max |Δazi2| = %.3g°", len(g.Direct), maxDp, maxDaz)
}

func TestAreaAgainstGeographicLib(t *testing.T) {
	g := loadGolden(t)
	total := QuadArea(-180, -90, 180, 90)
	var maxRel, maxLen float64
	for _, c := range g.Polygons {
		want := math.Abs(c.Area)
		want = math.Min(want, total-want)
		got := Area(c.Points)
		rel := math.Abs(got-want) / want
		maxRel = math.Max(maxRel, rel)
		if rel > 1e-8 {
			t.Errorf("%s: area %.6f m², GeographicLib %.6f m² (relative error %.3g)", c.Name, got, want, rel)
		}
		closed := append(append([][2]float64(nil), c.Points...), c.Points[0])
		if c.Points[0] == c.Points[len(c.Points)-1] {
			closed = c.Points
		}
		dl := math.Abs(Length(closed) - c.Perimeter)
		maxLen = math.Max(maxLen, dl)
		if dl > 1e-6 {
			t.Errorf("%s: perimeter %.6f m, GeographicLib %.6f m", c.Name, Length(closed), c.Perimeter)
		}
		t.Logf("%-36s area rel. error %.2g", c.Name, rel)
	}
	t.Logf("%d polygons: max relative area error %.3g, max perimeter error %.3g m", len(g.Polygons), maxRel, maxLen)
}
