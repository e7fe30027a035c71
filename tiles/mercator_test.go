package tiles

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

// Our projection is orb's maptile.Fraction at zoom 0 within the Mercator
// square, and goes to the nearer edge beyond it, where Fraction sends the
// south to the top.
func TestMercatorIsMaptileFraction(t *testing.T) {
	for lon := -180.0; lon <= 180; lon += 7.5 {
		for lat := -85.05; lat <= 85.05; lat += 0.35 {
			p := orb.Point{lon, lat}
			got, want := mercator(p), maptile.Fraction(p, 0)
			if math.Abs(got[0]-want[0]) > 1e-14 || math.Abs(got[1]-want[1]) > 1e-14 {
				t.Fatalf("%v: %v, maptile.Fraction %v", p, got, want)
			}
		}
	}
	for _, tc := range []struct {
		lat, y float64
	}{{86, 0}, {90, 0}, {-86, 1}, {-90, 1}} {
		if y := mercator(orb.Point{10, tc.lat})[1]; math.Abs(y-tc.y) > 1e-9 {
			t.Errorf("latitude %g: y %g, want %g", tc.lat, y, tc.y)
		}
	}
	// Why we keep ours: should this fail, orb has changed its clamp, and
	// maptile.Fraction may replace mercator.
	if y := maptile.Fraction(orb.Point{10, -86}, 0)[1]; y != 0 {
		t.Errorf("maptile.Fraction puts 86° S at y %g, no longer at the top", y)
	}

	// A line along 86° S is in the bottom row of tiles, and only there.
	fc := geojson.NewFeatureCollection()
	fc.Append(geojson.NewFeature(orb.LineString{{-10, -86}, {10, -86}}))
	src := NewSource("south", fc)
	for _, y := range []int{0, 1} {
		tile, err := src.Tile(1, 0, y)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(tile.Features), y; got != want {
			t.Errorf("tile 1/0/%d: %d features, want %d", y, got, want)
		}
	}
}
