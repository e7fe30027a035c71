package tiles_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline/tiles"
)

// Geometry is clipped to the tile and its buffer, rounded to whole tile
// units, and outer rings run clockwise as drawn (positive area, y down),
// holes the other way.
func TestClipAndWinding(t *testing.T) {
	fc := geojson.NewFeatureCollection()
	// A polygon with a hole, both far larger than a zoom-10 tile, wound
	// as RFC 7946 says (outer counter-clockwise).
	fc.Append(geojson.NewFeature(orb.Polygon{
		{{30, 47}, {33, 47}, {33, 50}, {30, 50}, {30, 47}},
		{{31.4, 48.4}, {31.4, 48.6}, {31.6, 48.6}, {31.6, 48.4}, {31.4, 48.4}},
	}))
	fc.Append(geojson.NewFeature(orb.LineString{{29, 48.45}, {34, 48.46}}))
	src := tiles.NewSource("zones", fc)
	tile := tileOf(t, src, 10, orb.Point{31.5, 48.5})
	if len(tile.Features) != 2 {
		t.Fatalf("%d features, want 2", len(tile.Features))
	}
	lo, hi := float64(-tiles.Buffer), float64(tiles.Extent+tiles.Buffer)
	for _, f := range tile.Features {
		var pts []orb.Point
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			for _, r := range g {
				pts = append(pts, r...)
			}
		case orb.LineString:
			pts = g
		default:
			t.Fatalf("feature %d: %T", f.ID, g)
		}
		for _, p := range pts {
			if p[0] < lo || p[0] > hi || p[1] < lo || p[1] > hi || p[0] != math.Round(p[0]) || p[1] != math.Round(p[1]) {
				t.Fatalf("feature %d: point %v outside [%g, %g] or not whole", f.ID, p, lo, hi)
			}
		}
	}
	// A zoom-12 tile inside the hole and off the line holds nothing.
	if tile := tileOf(t, src, 12, orb.Point{31.5, 48.55}); len(tile.Features) != 0 {
		t.Errorf("a tile inside the hole has %d features", len(tile.Features))
	}
	// At zoom 8 the hole is inside the tile, whole.
	tile = tileOf(t, src, 8, orb.Point{31.5, 48.5})
	outer, holes := rings(tile.Features[0].Geometry)
	if len(outer) != 1 || len(holes) != 1 {
		t.Fatalf("zoom 8: %d outer rings and %d holes, want 1 and 1", len(outer), len(holes))
	}
	if a := planarArea2(outer[0]); a <= 0 {
		t.Errorf("outer ring area %g: not clockwise as drawn", a)
	}
	if a := planarArea2(holes[0]); a >= 0 {
		t.Errorf("hole area %g: not counter-clockwise as drawn", a)
	}
}

// Detail falls away at low zoom: a wiggly line loses vertices, a polygon
// smaller than a tile unit vanishes; near the ground both are whole.
func TestSimplifiesByZoom(t *testing.T) {
	var ls orb.LineString
	for k := 0; k <= 1000; k++ {
		ls = append(ls, orb.Point{30 + float64(k)*0.003, 48.5 + 0.002*math.Sin(float64(k))})
	}
	tiny := orb.Polygon{{{31, 48.5}, {31.0001, 48.5}, {31.0001, 48.5001}, {31, 48.5}}}
	fc := geojson.NewFeatureCollection()
	fc.Append(geojson.NewFeature(ls))
	fc.Append(geojson.NewFeature(tiny))
	src := tiles.NewSource("gaps", fc)
	vertices := func(z int) (int, int) {
		tile := tileOf(t, src, z, orb.Point{31, 48.5})
		n := 0
		for _, f := range tile.Features {
			if l, ok := f.Geometry.(orb.LineString); ok {
				n += len(l)
			}
		}
		return n, len(tile.Features)
	}
	n4, f4 := vertices(4)
	n14, f14 := vertices(14)
	if f4 != 1 || f14 != 2 {
		t.Errorf("features: %d at zoom 4 (want the line alone), %d at zoom 14 (want both)", f4, f14)
	}
	if n4 >= 50 || n14 < 3 {
		t.Errorf("line vertices: %d at zoom 4 (want few), %d at zoom 14", n4, n14)
	}
}
