package geo

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"frontline/geo/geodesic"
)

// deepstateDir holds three real days of occupied area and the lines of
// contact derived from them independently (../shared/data/deepstate).
const deepstateDir = "../../shared/data/deepstate"

// testTerritory reads the embedded reference territory without the root
// package (which imports this one).
func testTerritory(t testing.TB) *Territory {
	t.Helper()
	b, err := os.ReadFile("../data/territory.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	var boundary, border [][]orb.Point
	for _, f := range fc.Features {
		var parts [][]orb.Point
		for _, ls := range f.Geometry.(orb.MultiLineString) {
			parts = append(parts, ls)
		}
		if f.Properties["role"] == "border" {
			border = append(border, parts...)
		} else {
			boundary = append(boundary, parts...)
		}
	}
	tr, err := NewTerritory(boundary, border)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func readFeatureGeometry(t testing.TB, path string) orb.Geometry {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if fc, err := geojson.UnmarshalFeatureCollection(b); err == nil && len(fc.Features) > 0 {
		return fc.Features[0].Geometry
	}
	g, err := geojson.UnmarshalGeometry(b)
	if err != nil {
		t.Fatal(err)
	}
	return g.Geometry()
}

// samplesEvery returns points along the parts every km, and their ends.
func samplesEvery(parts [][]orb.Point, km float64) []orb.Point {
	var out []orb.Point
	for _, part := range parts {
		out = append(out, part[0])
		along, next := 0.0, km
		for i := 1; i < len(part); i++ {
			d := geodesic.Distance(part[i-1], part[i]) / 1000
			for ; next <= along+d; next += km {
				out = append(out, geodesic.Interpolate(part[i-1], part[i], (next-along)/d))
			}
			along += d
		}
		out = append(out, part[len(part)-1])
	}
	return out
}

// nearby counts the points that lie within km of the parts, by brute
// force over the parts sampled every 50 m (so distances are overstated by
// at most 25 m), independently of the engine's nearest-point search.
func nearby(points []orb.Point, parts [][]orb.Point, km float64) int {
	dense := samplesEvery(parts, 0.05)
	sort.Slice(dense, func(i, j int) bool { return dense[i][1] < dense[j][1] })
	dLat := km/110.0 + 0.001
	n := 0
	for _, p := range points {
		lo := sort.Search(len(dense), func(i int) bool { return dense[i][1] >= p[1]-dLat })
		for i := lo; i < len(dense) && dense[i][1] <= p[1]+dLat; i++ {
			if geodesic.Distance(p, dense[i])/1000 <= km {
				n++
				break
			}
		}
	}
	return n
}

func partsOf(g orb.Geometry) [][]orb.Point {
	switch g := g.(type) {
	case orb.LineString:
		return [][]orb.Point{g}
	case orb.MultiLineString:
		var out [][]orb.Point
		for _, ls := range g {
			out = append(out, ls)
		}
		return out
	}
	return nil
}

func totalKm(parts [][]orb.Point) float64 {
	sum := 0.0
	for _, p := range parts {
		sum += lengthKm(p)
	}
	return sum
}

// The line derived from DeepStateMap's occupied area agrees with the line
// derived from it independently (other code, other reference sampling):
// its length within 3 %, and at least 95 % of either line's points, every
// 500 m, within 1 km of the other.
func TestContactLineDeepState(t *testing.T) {
	days, _ := filepath.Glob(filepath.Join(deepstateDir, "*.occupied.geojson"))
	if len(days) == 0 {
		t.Skipf("no DeepStateMap days in %s: the real-data check is skipped", deepstateDir)
	}
	tr := testTerritory(t)
	for _, occupied := range days {
		day := filepath.Base(occupied)[:10]
		t.Run(day, func(t *testing.T) {
			area := readFeatureGeometry(t, occupied).(orb.MultiPolygon)
			want := partsOf(readFeatureGeometry(t, filepath.Join(deepstateDir, day+".contact.geojson")))
			c, err := tr.ContactLine(area, ContactOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got, wantKm := totalKm(c.Parts), totalKm(want)
			t.Logf("%s: %d parts, %.1f km (given: %d parts, %.1f km); %d dropped", day, len(c.Parts), got, len(want), wantKm, c.Dropped)
			if r := got / wantKm; r < 0.97 || r > 1.03 {
				t.Errorf("length %.1f km, given %.1f km (%.1f %%)", got, wantKm, (r-1)*100)
			}
			ours, theirs := samplesEvery(c.Parts, 0.5), samplesEvery(want, 0.5)
			near1 := float64(nearby(theirs, c.Parts, 1)) / float64(len(theirs))
			near2 := float64(nearby(ours, want, 1)) / float64(len(ours))
			t.Logf("within 1 km: %.2f %% of the given line's points, %.2f %% of ours", near1*100, near2*100)
			if near1 < 0.95 || near2 < 0.95 {
				t.Errorf("within 1 km: %.2f %% of the given line, %.2f %% of ours; want 95 %%", near1*100, near2*100)
			}
			// The area is on the right of every part: a point 100 m to
			// the right of a part's middle edge lies in it.
			for i, part := range c.Parts {
				m := len(part) / 2
				a, b := part[m-1], part[m]
				mid := geodesic.Interpolate(a, b, 0.5)
				_, azi, _, _ := geodesic.Inverse(a[1], a[0], b[1], b[0])
				lat, lon, _ := geodesic.Direct(mid[1], mid[0], azi+90, 100)
				if !planar.MultiPolygonContains(area, orb.Point{lon, lat}) {
					t.Errorf("part %d: the area is not on its right at %v", i, mid)
				}
			}
		})
	}
}

// With the border appended, the line runs on from the end of the line of
// contact along the land border to the tripoint with Belarus, leaving out
// the border the area touches, as the default line does.
func TestContactLineAppendsBorder(t *testing.T) {
	occupied := filepath.Join(deepstateDir, "2025-03-25.occupied.geojson")
	if _, err := os.Stat(occupied); err != nil {
		t.Skipf("no DeepStateMap day in %s: the real-data check is skipped", deepstateDir)
	}
	tr := testTerritory(t)
	area := readFeatureGeometry(t, occupied).(orb.MultiPolygon)
	alone, err := tr.ContactLine(area, ContactOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := tr.ContactLine(area, ContactOptions{AppendBorder: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d parts: %.1f km of contact, %.1f km of border", len(c.Parts), c.ContactKm, c.BorderKm)
	if c.ContactKm != alone.ContactKm || c.ContactParts != len(alone.Parts) {
		t.Errorf("appending the border changed the contact: %.1f km in %d parts, alone %.1f km in %d", c.ContactKm, c.ContactParts, alone.ContactKm, len(alone.Parts))
	}
	// The border from Kupiansk's north to the tripoint is about 1,000 km,
	// less the pockets.
	if c.BorderKm < 800 || c.BorderKm > 1100 {
		t.Errorf("%.1f km of border appended, want 800-1,100", c.BorderKm)
	}
	first, last := c.Parts[0], c.Parts[len(c.Parts)-1]
	mouth, tripoint := orb.Point{32.49, 46.53}, orb.Point{31.7794, 52.1127}
	if km := geodesic.Distance(first[0], mouth) / 1000; km > 2 {
		t.Errorf("the line starts %.1f km from the Dnipro mouth", km)
	}
	if km := geodesic.Distance(last[len(last)-1], tripoint) / 1000; km > 2 {
		t.Errorf("the line ends %.1f km from the tripoint", km)
	}
	// Consecutive parts follow each other: no jump over 60 km (the
	// pockets' ends lie a few km apart along the border).
	for i := 1; i < len(c.Parts); i++ {
		a, b := c.Parts[i-1][len(c.Parts[i-1])-1], c.Parts[i][0]
		if km := geodesic.Distance(a, b) / 1000; km > 60 {
			t.Errorf("part %d starts %.1f km from where part %d ends", i, km, i-1)
		}
	}
	// No border part enters the area.
	for i := range c.Parts {
		if !c.Border[i] {
			continue
		}
		for _, p := range samplesEvery([][]orb.Point{c.Parts[i]}, 1) {
			if planar.MultiPolygonContains(area, p) {
				t.Fatalf("border part %d enters the area at %v", i, p)
			}
		}
	}
}

// A synthetic territory: the area's edge along the boundary is not
// contact, the rest is, with the area on its right; an island away from
// the boundary is a closed part; an area along the boundary everywhere
// has no line.
func TestContactLineSynthetic(t *testing.T) {
	// Edges along the 45th parallel every 0.5°, where a geodesic departs
	// from the parallel by 30 m at most.
	south := func(from, to float64) []orb.Point {
		var out []orb.Point
		for lon := from; lon <= to; lon += 0.5 {
			out = append(out, orb.Point{lon, 45})
		}
		return out
	}
	boundary := [][]orb.Point{append(south(30, 36), orb.Point{36, 50}, orb.Point{30, 50}, orb.Point{30, 45})}
	tr, err := NewTerritory(boundary, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A rectangle on the southern edge: its north, east and west sides
	// are contact; the west and east sides run from the boundary.
	area := orb.MultiPolygon{{append(south(32, 34), orb.Point{34, 46}, orb.Point{32, 46}, orb.Point{32, 45})}}
	c, err := tr.ContactLine(area, ContactOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Parts) != 1 {
		t.Fatalf("%d parts, want 1", len(c.Parts))
	}
	want := (geodesic.Distance(orb.Point{32, 45}, orb.Point{32, 46}) + geodesic.Distance(orb.Point{32, 46}, orb.Point{34, 46}) +
		geodesic.Distance(orb.Point{34, 46}, orb.Point{34, 45})) / 1000
	// The stretch ends within SnapKm of the boundary, at a sample.
	if got := lengthKm(c.Parts[0]); got < want-2*DefaultSnapKm-2*sampleKm || got > want+0.01 {
		t.Errorf("%.3f km, want %.3f less at most %.1f km at the ends", got, want, 2*DefaultSnapKm)
	}
	// Area on the right: the part runs up the west side, east along the
	// north side and down the east side.
	p := c.Parts[0]
	if p[0][0] != 32 || p[len(p)-1][0] != 34 || p[1] != (orb.Point{32, 46}) {
		t.Errorf("the part runs from %v via %v to %v, want from the west side to the east side", p[0], p[1], p[len(p)-1])
	}

	island := orb.MultiPolygon{{{{33, 47}, {33, 48}, {34, 48}, {34, 47}, {33, 47}}}}
	c, err = tr.ContactLine(island, ContactOptions{})
	if err != nil || len(c.Parts) != 1 || c.Parts[0][0] != c.Parts[0][len(c.Parts[0])-1] {
		t.Fatalf("island: %v, %v", c.Parts, err)
	}
	// Clockwise, so that the island is on the right.
	if orb.Ring(c.Parts[0]).Orientation() != orb.CW {
		t.Error("the island's part is not clockwise")
	}

	strip := south(31, 35)
	for i := len(strip) - 1; i >= 0; i-- {
		strip = append(strip, orb.Point{strip[i][0], 45.001})
	}
	along := orb.MultiPolygon{{append(strip, strip[0])}}
	if _, err := tr.ContactLine(along, ContactOptions{}); err != ErrNoContact {
		t.Errorf("an area along the boundary: %v, want ErrNoContact", err)
	}
}

// BenchmarkContactLine derives one day's line (about 3,000 vertices) from
// DeepStateMap's occupied area, the territory prepared once.
func BenchmarkContactLine(b *testing.B) {
	occupied := filepath.Join(deepstateDir, "2026-08-22.occupied.geojson")
	if _, err := os.Stat(occupied); err != nil {
		b.Skipf("no DeepStateMap day in %s", deepstateDir)
	}
	tr := testTerritory(b)
	area := readFeatureGeometry(b, occupied).(orb.MultiPolygon)
	for _, border := range []bool{false, true} {
		name := map[bool]string{false: "border=none", true: "border=append"}[border]
		b.Run(name, func(b *testing.B) {
			if _, err := tr.ContactLine(area, ContactOptions{AppendBorder: border}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := tr.ContactLine(area, ContactOptions{AppendBorder: border}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// DistanceKm is Nearest's distance.
func TestDistanceKmIsNearests(t *testing.T) {
	tr := testTerritory(t)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 2000; i++ {
		p := orb.Point{22 + rng.Float64()*18, 44 + rng.Float64()*8}
		if a, b := tr.boundary.DistanceKm(p), tr.boundary.Nearest(p).DistanceKm; a != b {
			t.Fatalf("%v: DistanceKm %v, Nearest %v", p, a, b)
		}
	}
}
