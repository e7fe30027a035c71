package server

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"frontline"
)

// Requests are checked before any data is read: with no line stored, a
// good tile address is 404 and a bad one 400.
func TestTileRequests(t *testing.T) {
	svc, err := frontline.NewService(context.Background(), emptyStore{}, frontline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := New(svc, Config{})
	for _, tc := range []struct {
		name, path string
		status     int
		code       string
		field      string
	}{
		{"no line yet", "/v1/tiles/sectors/8/150/90.mvt", 404, "not_found", ""},
		{"no line yet, TileJSON", "/v1/tiles/zones.json", 404, "not_found", ""},
		{"unknown layer", "/v1/tiles/roads/8/150/90.mvt", 404, "not_found", ""},
		{"unknown layer, TileJSON", "/v1/tiles/roads.json", 404, "not_found", ""},
		{"TileJSON without .json", "/v1/tiles/zones", 404, "not_found", ""},
		{"zoom too high", "/v1/tiles/sectors/23/0/0.mvt", 400, "bad_parameter", "z"},
		{"negative zoom", "/v1/tiles/sectors/-1/0/0.mvt", 400, "bad_parameter", "z"},
		{"x past the zoom", "/v1/tiles/sectors/2/4/0.mvt", 400, "bad_parameter", "x"},
		{"y past the zoom", "/v1/tiles/sectors/0/0/1.mvt", 400, "bad_parameter", "y"},
		{"x not a number", "/v1/tiles/sectors/8/a/90.mvt", 400, "bad_parameter", "x"},
		{"y with a sign", "/v1/tiles/sectors/8/150/+90.mvt", 400, "bad_parameter", "y"},
		{"y a fraction", "/v1/tiles/sectors/8/150/9.5.mvt", 400, "bad_parameter", "y"},
		{"wrong extension", "/v1/tiles/sectors/8/150/90.png", 400, "bad_parameter", "y"},
		{"no extension", "/v1/tiles/sectors/8/150/90", 400, "bad_parameter", "y"},
		{"unknown parameter", "/v1/tiles/sectors/8/150/90.mvt?bbox=1,2,3,4", 400, "bad_parameter", "bbox"},
		{"bad what-if", "/v1/tiles/sectors/8/150/90.mvt?depth_km=-3", 400, "bad_parameter", "depth_km"},
		{"unknown parameter, TileJSON", "/v1/tiles/zones.json?zoom=3", 400, "bad_parameter", "zoom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			var body errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("error body %q: %v", rec.Body, err)
			}
			if body.Error.Code != tc.code || body.Error.Message == "" {
				t.Errorf("error %+v, want code %s", body.Error, tc.code)
			}
			if tc.field != "" && body.Error.Details["field"] != tc.field {
				t.Errorf("details %v, want field %s", body.Error.Details, tc.field)
			}
		})
	}
}

// tileOf cuts the tile at zoom z over a point, or fails.
func tileOf(t *testing.T, src *frontline.TileSource, z int, at orb.Point) *frontline.Tile {
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

// A west zone's east side is a long line with many small bends; an east
// zone shares the middle third of it, its ring starting elsewhere and
// running the other way round. Simplified for a tile, that stretch keeps
// the same vertices in both zones, its ends included, though nothing
// marks them in the west zone's line but the east zone.
func TestTileSharedEdgeSimplifiesAlike(t *testing.T) {
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
	src := frontline.NewTileSource("zones", fc)

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
			return orb.Point{(f[0] - float64(tl.X)) * frontline.TileExtent, (f[1] - float64(tl.Y)) * frontline.TileExtent}
		}
		lo, hi := toTile(orb.Point{31.005, 49}), toTile(orb.Point{30.995, 48}) // y down
		onEdge := make([]map[orb.Point]bool, 2)
		for i, f := range tile.Features {
			onEdge[i] = map[orb.Point]bool{}
			outer, _ := rings(f.Geometry)
			for _, p := range outer[0] {
				if p[0] >= hi[0]-1 && p[0] <= lo[0]+1 && p[1] >= lo[1]-1 && p[1] <= hi[1]+1 && p[1] > 0 && p[1] < frontline.TileExtent {
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

// Geometry is clipped to the tile and its buffer, rounded to whole tile
// units, and outer rings run clockwise as drawn (positive area, y down),
// holes the other way.
func TestTileClipAndWinding(t *testing.T) {
	fc := geojson.NewFeatureCollection()
	// A polygon with a hole, both far larger than a zoom-10 tile, wound
	// as RFC 7946 says (outer counter-clockwise).
	fc.Append(geojson.NewFeature(orb.Polygon{
		{{30, 47}, {33, 47}, {33, 50}, {30, 50}, {30, 47}},
		{{31.4, 48.4}, {31.4, 48.6}, {31.6, 48.6}, {31.6, 48.4}, {31.4, 48.4}},
	}))
	fc.Append(geojson.NewFeature(orb.LineString{{29, 48.45}, {34, 48.46}}))
	src := frontline.NewTileSource("zones", fc)
	tile := tileOf(t, src, 10, orb.Point{31.5, 48.5})
	if len(tile.Features) != 2 {
		t.Fatalf("%d features, want 2", len(tile.Features))
	}
	lo, hi := float64(-frontline.TileBuffer), float64(frontline.TileExtent+frontline.TileBuffer)
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

func planarArea2(r orb.Ring) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}

// Detail falls away at low zoom: a wiggly line loses vertices, a polygon
// smaller than a tile unit vanishes; near the ground both are whole.
func TestTileSimplifiesByZoom(t *testing.T) {
	var ls orb.LineString
	for k := 0; k <= 1000; k++ {
		ls = append(ls, orb.Point{30 + float64(k)*0.003, 48.5 + 0.002*math.Sin(float64(k))})
	}
	tiny := orb.Polygon{{{31, 48.5}, {31.0001, 48.5}, {31.0001, 48.5001}, {31, 48.5}}}
	fc := geojson.NewFeatureCollection()
	fc.Append(geojson.NewFeature(ls))
	fc.Append(geojson.NewFeature(tiny))
	src := frontline.NewTileSource("gaps", fc)
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

// Properties keep numbers and strings; lists become comma-joined strings,
// objects JSON, and the GeoJSON id becomes the property id.
func TestTileProperties(t *testing.T) {
	f := geojson.NewFeature(orb.Point{31, 48.5})
	f.ID = "AD-7"
	f.Properties = geojson.Properties{"range_km": 40.5, "strength": 1200, "name": "x", "active": true,
		"units": []any{"T-001", "T-002", 3.5}, "tags": []string{"a", "b"}, "meta": map[string]any{"k": 1}, "none": nil}
	src := frontline.NewTileSource("units", &geojson.FeatureCollection{Features: []*geojson.Feature{f}})
	tile := tileOf(t, src, 10, orb.Point{31, 48.5})
	if len(tile.Features) != 1 {
		t.Fatalf("%d features", len(tile.Features))
	}
	want := map[string]any{"id": "AD-7", "range_km": 40.5, "strength": int64(1200), "name": "x", "active": true,
		"units": "T-001,T-002,3.5", "tags": "a,b", "meta": `{"k":1}`}
	got := tile.Features[0].Properties
	if len(got) != len(want) {
		t.Errorf("properties %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	fields := src.Fields()
	for k, typ := range map[string]string{"id": "String", "range_km": "Number", "strength": "Number", "active": "Boolean", "units": "String"} {
		if fields[k] != typ {
			t.Errorf("field %s is %q, want %q", k, fields[k], typ)
		}
	}
	if b := tile.MarshalMVT(); len(b) == 0 {
		t.Error("empty encoding")
	}
}

// Tiles of one source are cut at once by many requests.
func TestTileConcurrentCuts(t *testing.T) {
	var ls orb.LineString
	for k := 0; k <= 2000; k++ {
		ls = append(ls, orb.Point{30 + float64(k)*0.003, 48.5 + 0.01*math.Sin(float64(k)/7)})
	}
	fc := geojson.NewFeatureCollection()
	fc.Append(geojson.NewFeature(ls))
	fc.Append(geojson.NewFeature(orb.Polygon{{{30, 48}, {36, 48}, {36, 49}, {30, 49}, {30, 48}}}))
	src := frontline.NewTileSource("gaps", fc)
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
