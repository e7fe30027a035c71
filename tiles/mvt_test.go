package tiles_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"frontline/data"
	"frontline/tiles"
)

// Our encoder is checked with a decoder written by someone else: orb's
// encoding/mvt reads every tile back to the layer, features, properties
// and geometry we cut.
func TestMVTDecodesWithOrb(t *testing.T) {
	for _, tc := range []struct {
		name string
		fc   *geojson.FeatureCollection
		at   orb.Point // the tiles over it are checked
	}{
		{"line", collection(t, data.Line()), orb.Point{37.8, 48.2}},
		{"units", collection(t, data.Units()), orb.Point{37.8, 48.2}},
		{"every geometry", everyGeometry(), orb.Point{31.5, 48.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tiles.NewSource(tc.name, tc.fc)
			checked := 0
			for z := 0; z <= 14; z += 2 {
				tl := maptile.At(tc.at, maptile.Zoom(z))
				for dx := -1; dx <= 1; dx++ {
					x := int(tl.X) + dx
					if x < 0 || x >= 1<<z {
						continue
					}
					tile, err := src.Tile(z, x, int(tl.Y))
					if err != nil {
						t.Fatal(err)
					}
					compareDecoded(t, fmt.Sprintf("%d/%d/%d", z, x, tl.Y), tile)
					checked += len(tile.Features)
				}
			}
			if checked == 0 {
				t.Fatal("no features in the tiles checked")
			}
			t.Logf("%d features checked", checked)
		})
	}
}

// The bytes sent gzip-compressed read back the same.
func TestMVTDecodesGzippedWithOrb(t *testing.T) {
	src := tiles.NewSource("every geometry", everyGeometry())
	tile := tileOf(t, src, 8, orb.Point{31.5, 48.5})
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(tile.MarshalMVT()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	layers, err := mvt.UnmarshalGzipped(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != 1 || len(layers[0].Features) != len(tile.Features) || len(tile.Features) == 0 {
		t.Fatalf("%d layers; want 1 with the tile's %d features", len(layers), len(tile.Features))
	}
}

// compareDecoded decodes the tile's encoding with orb and compares it
// with the tile.
func compareDecoded(t *testing.T, name string, tile *tiles.Tile) {
	t.Helper()
	layers, err := mvt.Unmarshal(tile.MarshalMVT())
	if err != nil {
		t.Fatalf("%s: orb cannot decode the tile: %v", name, err)
	}
	if len(layers) != 1 {
		t.Fatalf("%s: %d layers, want 1", name, len(layers))
	}
	l := layers[0]
	if l.Name != tile.Layer || l.Version != 2 || l.Extent != tiles.Extent {
		t.Errorf("%s: layer %q version %d extent %d, want %q version 2 extent %d", name, l.Name, l.Version, l.Extent, tile.Layer, tiles.Extent)
	}
	if len(l.Features) != len(tile.Features) {
		t.Fatalf("%s: %d features decoded, %d encoded", name, len(l.Features), len(tile.Features))
	}
	for i, got := range l.Features {
		want := tile.Features[i]
		if got.ID != float64(want.ID) {
			t.Errorf("%s feature %d: id %v, want %d", name, i, got.ID, want.ID)
		}
		wantProps := map[string]any{}
		for k, v := range want.Properties {
			if n, ok := v.(int64); ok {
				v = float64(n) // orb reads every number as a float64
			}
			wantProps[k] = v
		}
		if len(got.Properties) != len(wantProps) || !reflect.DeepEqual(map[string]any(got.Properties), wantProps) {
			t.Errorf("%s feature %d: properties %v, want %v", name, i, got.Properties, wantProps)
		}
		if g, w := got.Geometry, single(want.Geometry); !orb.Equal(g, w) {
			t.Errorf("%s feature %d: geometry %v, want %v", name, i, g, w)
		}
	}
}

// single is a geometry as an MVT decoder gives it back: a multi-geometry
// of one is that one.
func single(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.MultiPoint:
		if len(g) == 1 {
			return g[0]
		}
	case orb.MultiLineString:
		if len(g) == 1 {
			return g[0]
		}
	case orb.MultiPolygon:
		if len(g) == 1 {
			return g[0]
		}
	}
	return g
}

func collection(t *testing.T, b []byte) *geojson.FeatureCollection {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	return fc
}

// everyGeometry holds every geometry type tiles take, with properties of
// every kind, around 31.5° E 48.5° N.
func everyGeometry() *geojson.FeatureCollection {
	var wiggle orb.LineString
	for k := 0; k <= 400; k++ {
		wiggle = append(wiggle, orb.Point{30 + float64(k)*0.01, 48.5 + 0.02*math.Sin(float64(k)/5)})
	}
	band := orb.Polygon{
		{{30, 47}, {33, 47}, {33, 50}, {30, 50}, {30, 47}},
		{{31.4, 48.4}, {31.4, 48.6}, {31.6, 48.6}, {31.6, 48.4}, {31.4, 48.4}},
	}
	island := orb.Polygon{{{31.45, 48.45}, {31.55, 48.45}, {31.55, 48.55}, {31.45, 48.55}, {31.45, 48.45}}}
	geoms := []orb.Geometry{
		orb.Point{31.5, 48.5},
		orb.MultiPoint{{31.49, 48.49}, {31.51, 48.52}, {31.6, 48.3}},
		wiggle,
		orb.MultiLineString{wiggle[:100], wiggle[200:]},
		band,
		orb.MultiPolygon{band, island},
	}
	fc := geojson.NewFeatureCollection()
	for i, g := range geoms {
		f := geojson.NewFeature(g)
		f.ID = fmt.Sprintf("f-%d", i)
		f.Properties = geojson.Properties{"index": i, "half": float64(i) / 2, "odd": i%2 == 1,
			"name": fmt.Sprintf("feature %d", i), "kind": "same for all", "tags": []string{"a", "b"}}
		fc.Append(f)
	}
	return fc
}
