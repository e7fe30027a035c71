package tiles_test

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"frontline/tiles"
)

// tileOf cuts the tile at zoom z over a point, or fails.
func tileOf(t *testing.T, src *tiles.Source, z int, at orb.Point) *tiles.Tile {
	t.Helper()
	tl := maptile.At(at, maptile.Zoom(z))
	tile, err := src.Tile(z, int(tl.X), int(tl.Y))
	if err != nil {
		t.Fatal(err)
	}
	return tile
}

func rings(g orb.Geometry) (outer, holes []orb.Ring) {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, p := range polys {
		outer = append(outer, p[0])
		holes = append(holes, p[1:]...)
	}
	return outer, holes
}

func planarArea2(r orb.Ring) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}
