package tiles_test

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"frontline/tiles"
)

// Tiles of one source are cut at once by many requests.
func TestConcurrentCuts(t *testing.T) {
	var ls orb.LineString
	for k := 0; k <= 2000; k++ {
		ls = append(ls, orb.Point{30 + float64(k)*0.003, 48.5 + 0.01*math.Sin(float64(k)/7)})
	}
	fc := geojson.NewFeatureCollection()
	fc.Append(geojson.NewFeature(ls))
	fc.Append(geojson.NewFeature(orb.Polygon{{{30, 48}, {36, 48}, {36, 49}, {30, 49}, {30, 48}}}))
	src := tiles.NewSource("gaps", fc)
	want := tileOf(t, src, 9, orb.Point{33, 48.5}).MarshalMVT()
	done := make(chan []byte)
	for i := 0; i < 8; i++ {
		go func(i int) {
			for z := 3; z <= 12; z++ {
				tl := maptile.At(orb.Point{30 + float64(i)*0.7, 48.5}, maptile.Zoom(z))
				if _, err := src.Tile(z, int(tl.X), int(tl.Y)); err != nil {
					t.Error(err)
				}
			}
			tl := maptile.At(orb.Point{33, 48.5}, 9)
			tile, _ := src.Tile(9, int(tl.X), int(tl.Y))
			done <- tile.MarshalMVT()
		}(i)
	}
	for i := 0; i < 8; i++ {
		select {
		case got := <-done:
			if !bytes.Equal(got, want) {
				t.Error("the same tile encoded to different bytes")
			}
		case <-time.After(2 * time.Minute):
			// Seconds of work even under -race: this is a deadlock.
			t.Fatalf("%d of 8 goroutines still cutting tiles after 2 minutes", 8-i)
		}
	}
}
