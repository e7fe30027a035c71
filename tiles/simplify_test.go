package tiles_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"frontline/tiles"
)

// A west zone's east side is a long line with many small bends; an east
// zone shares the middle third of it, its ring starting elsewhere and
// running the other way round. Simplified for a tile, that stretch keeps
// the same vertices in both zones, its ends included, though nothing
// marks them in the west zone's line but the east zone.
func TestSharedEdgeSimplifiesAlike(t *testing.T) {
	// The west zone's east side from (31, 47) north to (31, 50), bending
	// east and west by up to 0.004° (about 10 tile units at zoom 8).
	var side []orb.Point
	for k := 0; k <= 600; k++ {
		dx := 0.004 * math.Sin(float64(k)*1.7) * math.Sin(float64(k)*0.13)
		side = append(side, orb.Point{31 + dx, 47 + float64(k)/200})
	}
	west := orb.Ring{{30, 47}}
	west = append(west, side...)
	west = append(west, orb.Point{30, 50}, orb.Point{30, 47})
	east := orb.Ring{{32, 48.5}, {32, 49}}
	for k := 400; k >= 200; k-- { // 49° down to 48°
		east = append(east, side[k])
	}
	east = append(east, orb.Point{32, 48}, orb.Point{32, 48.5})
	fc := geojson.NewFeatureCollection()
	fc.Append(geojson.NewFeature(orb.Polygon{west}))
	fc.Append(geojson.NewFeature(orb.Polygon{east}))
	src := tiles.NewSource("zones", fc)

	for _, z := range []int{6, 8, 10} {
		at := orb.Point{31, 48.5}
		tile := tileOf(t, src, z, at)
		if len(tile.Features) != 2 {
			t.Fatalf("z%d: %d features, want 2", z, len(tile.Features))
		}
		// Each zone's vertices on the shared stretch, in the tile.
		tl := maptile.At(at, maptile.Zoom(z))
		toTile := func(p orb.Point) orb.Point {
			f := maptile.Fraction(p, maptile.Zoom(z))
			return orb.Point{(f[0] - float64(tl.X)) * tiles.Extent, (f[1] - float64(tl.Y)) * tiles.Extent}
		}
		lo, hi := toTile(orb.Point{31.005, 49}), toTile(orb.Point{30.995, 48}) // y down
		onEdge := make([]map[orb.Point]bool, 2)
		for i, f := range tile.Features {
			onEdge[i] = map[orb.Point]bool{}
			outer, _ := rings(f.Geometry)
			for _, p := range outer[0] {
				if p[0] >= hi[0]-1 && p[0] <= lo[0]+1 && p[1] >= lo[1]-1 && p[1] <= hi[1]+1 && p[1] > 0 && p[1] < tiles.Extent {
					onEdge[i][p] = true
				}
			}
		}
		if len(onEdge[1]) < 2 {
			t.Fatalf("z%d: only %d vertices on the shared stretch", z, len(onEdge[1]))
		}
		for p := range onEdge[0] {
			if !onEdge[1][p] {
				t.Errorf("z%d: west zone has %v on the shared stretch, east zone does not", z, p)
			}
		}
		for p := range onEdge[1] {
			if !onEdge[0][p] {
				t.Errorf("z%d: east zone has %v on the shared stretch, west zone does not", z, p)
			}
		}
		t.Logf("z%d: %d vertices on the shared stretch of 201", z, len(onEdge[1]))
	}
}
