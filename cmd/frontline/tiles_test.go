package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
	"google.golang.org/protobuf/encoding/protowire"

	"frontline"
	"frontline/overlay"
	"frontline/tiles"
)

// mvtLayer is a decoded Mapbox Vector Tile layer. The decoder is written
// from the specification apart from the encoder, so that the two check
// each other.
type mvtLayer struct {
	name     string
	version  uint64
	extent   uint64
	features []mvtFeature
}

type mvtFeature struct {
	id    uint64
	typ   uint64 // 1 point, 2 line, 3 polygon
	props map[string]any
	paths [][]orb.Point // points one by one, lines, rings closed
}

// decodeMVT decodes an uncompressed tile.
func decodeMVT(t testing.TB, b []byte) []mvtLayer {
	t.Helper()
	var layers []mvtLayer
	fields(t, b, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) {
		if num != 3 {
			t.Fatalf("tile field %d", num)
		}
		var l mvtLayer
		var keys []string
		var vals []any
		type rawFeature struct {
			f    mvtFeature
			tags []uint64
		}
		var raws []rawFeature
		fields(t, v, func(num protowire.Number, _ protowire.Type, v []byte, n uint64) {
			switch num {
			case 15:
				l.version = n
			case 1:
				l.name = string(v)
			case 2:
				var r rawFeature
				fields(t, v, func(num protowire.Number, _ protowire.Type, v []byte, n uint64) {
					switch num {
					case 1:
						r.f.id = n
					case 2:
						r.tags = packed(t, v)
					case 3:
						r.f.typ = n
					case 4:
						r.f.paths = geometry(t, packed(t, v))
					}
				})
				raws = append(raws, r)
			case 3:
				keys = append(keys, string(v))
			case 4:
				var val any
				fields(t, v, func(num protowire.Number, _ protowire.Type, v []byte, n uint64) {
					switch num {
					case 1:
						val = string(v)
					case 2:
						val = float64(math.Float32frombits(uint32(n)))
					case 3:
						val = math.Float64frombits(n)
					case 4:
						val = float64(int64(n))
					case 5:
						val = float64(n)
					case 6:
						val = float64(protowire.DecodeZigZag(n))
					case 7:
						val = n != 0
					}
				})
				vals = append(vals, val)
			case 5:
				l.extent = n
			}
		})
		for _, r := range raws {
			r.f.props = map[string]any{}
			if len(r.tags)%2 != 0 {
				t.Fatal("odd tags")
			}
			for i := 0; i < len(r.tags); i += 2 {
				r.f.props[keys[r.tags[i]]] = vals[r.tags[i+1]]
			}
			l.features = append(l.features, r.f)
		}
		layers = append(layers, l)
	})
	return layers
}

// fields walks a protobuf message: v is the bytes of a length-delimited
// field, n the value of any other.
func fields(t testing.TB, b []byte, fn func(num protowire.Number, typ protowire.Type, v []byte, n uint64)) {
	t.Helper()
	for len(b) > 0 {
		num, typ, k := protowire.ConsumeTag(b)
		if k < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(k))
		}
		b = b[k:]
		var v []byte
		var n uint64
		switch typ {
		case protowire.VarintType:
			n, k = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			v, k = protowire.ConsumeBytes(b)
		case protowire.Fixed64Type:
			n, k = protowire.ConsumeFixed64(b)
		case protowire.Fixed32Type:
			var n32 uint32
			n32, k = protowire.ConsumeFixed32(b)
			n = uint64(n32)
		default:
			t.Fatalf("wire type %d", typ)
		}
		if k < 0 {
			t.Fatalf("bad field %d: %v", num, protowire.ParseError(k))
		}
		b = b[k:]
		fn(num, typ, v, n)
	}
}

func packed(t testing.TB, b []byte) []uint64 {
	var out []uint64
	for len(b) > 0 {
		n, k := protowire.ConsumeVarint(b)
		if k < 0 {
			t.Fatal("bad packed varint")
		}
		out, b = append(out, n), b[k:]
	}
	return out
}

// geometry runs MVT geometry commands.
func geometry(t testing.TB, cmds []uint64) [][]orb.Point {
	var paths [][]orb.Point
	var x, y int64
	for i := 0; i < len(cmds); {
		id, count := cmds[i]&7, int(cmds[i]>>3)
		i++
		switch id {
		case 1, 2:
			for j := 0; j < count; j++ {
				if i+1 >= len(cmds) {
					t.Fatal("geometry ends in a command's parameters")
				}
				x += protowire.DecodeZigZag(cmds[i])
				y += protowire.DecodeZigZag(cmds[i+1])
				i += 2
				p := orb.Point{float64(x), float64(y)}
				if id == 1 {
					paths = append(paths, []orb.Point{p})
				} else {
					paths[len(paths)-1] = append(paths[len(paths)-1], p)
				}
			}
		case 7:
			last := paths[len(paths)-1]
			paths[len(paths)-1] = append(last, last[0])
		default:
			t.Fatalf("geometry command %d", id)
		}
	}
	return paths
}

// readTile fetches a tile, gzip accepted, and decodes it; it checks the
// headers and that it is one layer of the name asked for.
func readTile(t *testing.T, url string) (response, mvtLayer) {
	t.Helper()
	r := get(t, url, "Accept-Encoding", "gzip")
	want(t, r, 200)
	if ct := r.header.Get("Content-Type"); ct != "application/vnd.mapbox-vector-tile" {
		t.Errorf("content type %q", ct)
	}
	body := r.body
	if r.header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	} else if len(body) >= 1024 {
		t.Errorf("a %d-byte tile was not gzipped", len(body))
	}
	layers := decodeMVT(t, body)
	if len(layers) != 1 {
		t.Fatalf("%d layers, want 1", len(layers))
	}
	return r, layers[0]
}

// tileAt is the tile at zoom z over a point and the point in its units.
func tileAt(p orb.Point, z int) (maptile.Tile, orb.Point) {
	tl := maptile.At(p, maptile.Zoom(z))
	f := maptile.Fraction(p, maptile.Zoom(z))
	return tl, orb.Point{(f[0] - float64(tl.X)) * tiles.Extent, (f[1] - float64(tl.Y)) * tiles.Extent}
}

// someVertex picks a vertex from the middle of a GeoJSON geometry.
func someVertex(t *testing.T, g map[string]any) orb.Point {
	t.Helper()
	c := g["coordinates"]
	for {
		arr := c.([]any)
		if _, ok := arr[0].(float64); ok {
			return orb.Point{arr[0].(float64), arr[1].(float64)}
		}
		c = arr[len(arr)/2]
	}
}

// wantTileValue is how a GeoJSON property should come out of a tile.
func wantTileValue(v any) (any, bool) {
	switch v := v.(type) {
	case nil:
		return nil, false
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			if f, ok := e.(float64); ok {
				parts[i] = strconv.FormatFloat(f, 'g', -1, 64)
			} else {
				parts[i] = fmt.Sprint(e)
			}
		}
		return strings.Join(parts, ","), true
	case map[string]any:
		b, _ := json.Marshal(v)
		return string(b), true
	}
	return v, true
}

// tileLayers are the layers served as vector tiles, each with the GeoJSON
// read that serves the same features.
var tileLayers = []struct{ layer, geojson string }{
	{"frontline", "/v1/frontline"},
	{"sectors", "/v1/overlays/sectors"},
	{"zones", "/v1/overlays/zones"},
	{"air-defense", "/v1/overlays/air-defense"},
	{"gaps", "/v1/overlays/gaps"},
	{"units", "/v1/units"},
}

// Every layer at zoom 10 over one of its features: the feature is there
// with its properties as the GeoJSON reads give them, its geometry passes
// where the GeoJSON's does, everything stays within the tile and its
// buffer; the tile revalidates with its ETag, comes plain to a client
// without gzip, and a tile over the Atlantic is 204.
func TestTiles(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for _, tc := range tileLayers {
		t.Run(tc.layer, func(t *testing.T) {
			doc := get(t, s.url+tc.geojson).json(t)
			feats, ok := doc["features"].([]any)
			if !ok {
				feats = []any{doc} // the line is one Feature
			}
			pick := feats[len(feats)/2].(map[string]any)
			id, props := pick["id"], pick["properties"].(map[string]any)
			at := someVertex(t, pick["geometry"].(map[string]any))
			tl, p := tileAt(at, 10)
			url := fmt.Sprintf("%s/v1/tiles/%s/10/%d/%d.mvt", s.url, tc.layer, tl.X, tl.Y)
			r, l := readTile(t, url)
			if l.name != tc.layer || l.extent != 4096 || l.version != 2 {
				t.Errorf("layer %q, extent %d, version %d", l.name, l.extent, l.version)
			}
			var found *mvtFeature
			lo, hi := -float64(tiles.Buffer), float64(tiles.Extent+tiles.Buffer)
			for i, f := range l.features {
				if f.props["id"] == id {
					found = &l.features[i]
				}
				for _, path := range f.paths {
					for _, q := range path {
						if q[0] < lo || q[0] > hi || q[1] < lo || q[1] > hi {
							t.Fatalf("feature %v: point %v outside the tile and its buffer", f.props["id"], q)
						}
					}
				}
			}
			if found == nil {
				t.Fatalf("no feature with id %v among %d in %s", id, len(l.features), url)
			}
			for k, v := range props {
				w, ok := wantTileValue(v)
				if got, has := found.props[k]; got != w || has != ok {
					t.Errorf("property %s = %#v, want %#v", k, got, w)
				}
			}
			if tc.layer == "sectors" && (found.props["status"] == nil || found.props["stroke"] == nil) {
				t.Errorf("sector without status or stroke: %v", found.props)
			}
			// The GeoJSON vertex lies on the tile's geometry, within the
			// simplification tolerance and rounding.
			d := math.Inf(1)
			for _, path := range found.paths {
				if len(path) == 1 {
					d = math.Min(d, planar.Distance(p, path[0]))
				}
				for i := 0; i+1 < len(path); i++ {
					d = math.Min(d, planar.DistanceFromSegment(path[i], path[i+1], p))
				}
			}
			if d > tiles.Tolerance+1 {
				t.Errorf("vertex %v is %.1f tile units from the feature's geometry", at, d)
			}
			t.Logf("%s: %d features, %d bytes sent", url, len(l.features), len(r.body))

			want(t, get(t, url, "Accept-Encoding", "gzip", "If-None-Match", r.header.Get("ETag")), 304)
			plain := get(t, url)
			want(t, plain, 200)
			if plain.header.Get("Content-Encoding") != "" || len(decodeMVT(t, plain.body)) != 1 {
				t.Errorf("a client without gzip got Content-Encoding %q", plain.header.Get("Content-Encoding"))
			}
			atlantic, _ := tileAt(orb.Point{-30, 40}, 10)
			far := get(t, fmt.Sprintf("%s/v1/tiles/%s/10/%d/%d.mvt", s.url, tc.layer, atlantic.X, atlantic.Y))
			want(t, far, 204)
			if len(far.body) != 0 {
				t.Errorf("204 with a body of %d bytes", len(far.body))
			}
		})
	}
}

// The TileJSON describes the layer, and its template, filled in, serves
// the tiles of the same what-if settings.
func TestTileJSON(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	r := get(t, s.url+"/v1/tiles/sectors.json?sector_km=50")
	want(t, r, 200)
	var doc struct {
		TileJSON     string    `json:"tilejson"`
		Name         string    `json:"name"`
		Description  string    `json:"description"`
		Tiles        []string  `json:"tiles"`
		MinZoom      *int      `json:"minzoom"`
		MaxZoom      int       `json:"maxzoom"`
		Bounds       []float64 `json:"bounds"`
		Center       []float64 `json:"center"`
		VectorLayers []struct {
			ID     string            `json:"id"`
			Fields map[string]string `json:"fields"`
		} `json:"vector_layers"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatalf("TileJSON: %v: %s", err, r.body)
	}
	if doc.TileJSON != "3.0.0" || doc.Name == "" || doc.MinZoom == nil || *doc.MinZoom != 0 || doc.MaxZoom < 14 || doc.MaxZoom > 22 {
		t.Errorf("TileJSON head: %s", r.body)
	}
	if !strings.Contains(doc.Description, "204") {
		t.Errorf("description does not say empty tiles are 204: %q", doc.Description)
	}
	if len(doc.Tiles) != 1 || !strings.HasPrefix(doc.Tiles[0], s.url+"/v1/tiles/sectors/{z}/{x}/{y}.mvt?") || !strings.Contains(doc.Tiles[0], "sector_km=50") {
		t.Fatalf("tiles %v", doc.Tiles)
	}
	line := get(t, s.url+"/v1/frontline").json(t)
	lb := orb.Bound{Min: orb.Point{180, 90}, Max: orb.Point{-180, -90}}
	for _, c := range line["geometry"].(map[string]any)["coordinates"].([]any) {
		c := c.([]any)
		lb = lb.Extend(orb.Point{c[0].(float64), c[1].(float64)})
	}
	if len(doc.Bounds) != 4 || doc.Bounds[0] > lb.Min[0] || doc.Bounds[1] > lb.Min[1] || doc.Bounds[2] < lb.Max[0] || doc.Bounds[3] < lb.Max[1] {
		t.Errorf("bounds %v do not hold the line's %v", doc.Bounds, lb)
	}
	if len(doc.Center) != 3 || !lb.Contains(orb.Point{doc.Center[0], doc.Center[1]}) {
		t.Errorf("center %v", doc.Center)
	}
	if len(doc.VectorLayers) != 1 || doc.VectorLayers[0].ID != "sectors" ||
		doc.VectorLayers[0].Fields["status"] != "String" || doc.VectorLayers[0].Fields["troops_per_km"] != "Number" {
		t.Errorf("vector_layers %+v", doc.VectorLayers)
	}

	// Fill the template for a tile over a 50 km sector.
	sectors := get(t, s.url+"/v1/overlays/sectors?sector_km=50").json(t)["features"].([]any)
	pick := sectors[len(sectors)/2].(map[string]any)
	tl, _ := tileAt(someVertex(t, pick["geometry"].(map[string]any)), 10)
	url := strings.NewReplacer("{z}", "10", "{x}", strconv.Itoa(int(tl.X)), "{y}", strconv.Itoa(int(tl.Y))).Replace(doc.Tiles[0])
	_, l := readTile(t, url)
	found := false
	for _, f := range l.features {
		if f.props["id"] == pick["id"] {
			found = true
			if f.props["length_km"] != pick["properties"].(map[string]any)["length_km"] {
				t.Errorf("length_km %v, want %v", f.props["length_km"], pick["properties"].(map[string]any)["length_km"])
			}
		}
	}
	if !found {
		t.Errorf("%s has no sector %v", url, pick["id"])
	}

	// Every layer has one.
	for _, l := range tileLayers {
		want(t, get(t, s.url+"/v1/tiles/"+l.layer+".json"), 200)
	}
}

func TestTileErrors(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/v1/tiles/sectors/23/0/0.mvt", 400},
		{"/v1/tiles/sectors/3/8/0.mvt", 400},
		{"/v1/tiles/sectors/3/0/-1.mvt", 400},
		{"/v1/tiles/sectors/x/0/0.mvt", 400},
		{"/v1/tiles/sectors/3/0/0.pbf", 400},
		{"/v1/tiles/sectors/3/0/0.mvt?sector_kms=10", 400},
		{"/v1/tiles/roads/3/0/0.mvt", 404},
		{"/v1/tiles/roads.json", 404},
	} {
		r := get(t, s.url+tc.path)
		want(t, r, tc.status)
		if e, ok := r.json(t)["error"].(map[string]any); !ok || e["message"] == "" {
			t.Errorf("%s: error body %s", tc.path, r.body)
		}
	}
}

// With unit positions protected, the unit and air-defense tiles need a
// key like /v1/units does; the others stay open.
func TestTilesProtectUnits(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db, "--protect-units")
	read := makeKey(t, db, "read")
	for _, layer := range []string{"units", "air-defense"} {
		want(t, get(t, s.url+"/v1/tiles/"+layer+"/4/9/5.mvt"), 401)
		want(t, get(t, s.url+"/v1/tiles/"+layer+".json"), 401)
		want(t, get(t, s.url+"/v1/tiles/"+layer+"/4/9/5.mvt", "Authorization", "Bearer "+read), 200)
	}
	want(t, get(t, s.url+"/v1/tiles/zones/4/9/5.mvt"), 200)
}

// A unit write changes the units tile at once, and not the line's.
func TestTilesFollowWrites(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	tl, _ := tileAt(orb.Point{37.123, 48.321}, 12)
	url := fmt.Sprintf("%s/v1/tiles/units/12/%d/%d.mvt", s.url, tl.X, tl.Y)
	line := get(t, s.url+"/v1/tiles/frontline/4/9/5.mvt")
	want(t, line, 200)
	want(t, get(t, url), 204)
	unit := `{"type":"Feature","id":"tile-test","geometry":{"type":"Point","coordinates":[37.123,48.321]},"properties":{"kind":"troops","strength":10,"name":"tile test"}}`
	want(t, s.do(t, "PUT", s.url+"/v1/units/tile-test", "application/geo+json", []byte(unit)), 201)
	_, l := readTile(t, url)
	if len(l.features) != 1 || l.features[0].props["name"] != "tile test" || l.features[0].props["strength"] != 10.0 {
		t.Errorf("units tile after the write: %+v", l.features)
	}
	want(t, get(t, s.url+"/v1/tiles/frontline/4/9/5.mvt", "If-None-Match", line.header.Get("ETag")), 304)
}

// benchLayers draws every tile layer from the service over the default
// data with its coverage computed, as after the GeoJSON reads, as the
// server draws them (server/handle_tiles.go); it also returns the zoom-8
// tiles the line passes through.
func benchLayers(b *testing.B) (map[string]func() *geojson.FeatureCollection, []maptile.Tile) {
	ctx := context.Background()
	svc, done, err := openService(ctx, filepath.Join(b.TempDir(), "f.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(done)
	if err := loadDefaults(ctx, svc); err != nil {
		b.Fatal(err)
	}
	p := frontline.DefaultParams()
	lv, line, err := svc.Line(ctx, p)
	if err != nil {
		b.Fatal(err)
	}
	rep, c, err := svc.Coverage(ctx, p)
	if err != nil {
		b.Fatal(err)
	}
	zones, err := svc.ZonePolygons(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	units, err := svc.Units(ctx)
	if err != nil {
		b.Fatal(err)
	}
	gaps, err := svc.AirDefenseGaps(ctx, c, units)
	if err != nil {
		b.Fatal(err)
	}
	draw := map[string]func() *geojson.FeatureCollection{
		"frontline":   func() *geojson.FeatureCollection { return overlay.Line(lv, line) },
		"sectors":     func() *geojson.FeatureCollection { return overlay.Coverage(rep, c, nil) },
		"zones":       func() *geojson.FeatureCollection { return overlay.Coverage(rep, c, zones) },
		"air-defense": func() *geojson.FeatureCollection { return overlay.AirDefense(units) },
		"gaps":        func() *geojson.FeatureCollection { return overlay.Gaps(rep, c, gaps) },
		"units":       func() *geojson.FeatureCollection { return overlay.Units(units) },
	}
	seen := map[maptile.Tile]bool{}
	var zoom8 []maptile.Tile
	for _, part := range line.Parts() {
		for _, p := range part {
			if tl := maptile.At(p, 8); !seen[tl] {
				seen[tl] = true
				zoom8 = append(zoom8, tl)
			}
		}
	}
	return draw, zoom8
}

// BenchmarkTileMiss makes zoom-8 tiles over the line as a server with
// nothing cached does: it draws and projects the layer, simplifies it for
// the zoom, cuts the tile, encodes it and compresses it (as the response
// cache does, at gzip.BestSpeed).
func BenchmarkTileMiss(b *testing.B) {
	draw, zoom8 := benchLayers(b)
	for _, l := range tileLayers {
		b.Run(l.layer, func(b *testing.B) {
			var plain, zipped int
			var buf bytes.Buffer
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				src := tiles.NewSource(l.layer, draw[l.layer]())
				tl := zoom8[i%len(zoom8)]
				tile, err := src.Tile(8, int(tl.X), int(tl.Y))
				if err != nil {
					b.Fatal(err)
				}
				data := tile.MarshalMVT()
				buf.Reset()
				zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
				zw.Write(data)
				zw.Close()
				plain, zipped = plain+len(data), zipped+buf.Len()
			}
			b.ReportMetric(float64(plain)/float64(b.N), "bytes/tile")
			b.ReportMetric(float64(zipped)/float64(b.N), "gz-bytes/tile")
		})
	}
}

// BenchmarkTileCut cuts and encodes zoom-8 tiles over the line from a
// layer already projected and simplified: a tile missing from the
// response cache while its layer is kept.
func BenchmarkTileCut(b *testing.B) {
	draw, zoom8 := benchLayers(b)
	for _, l := range tileLayers {
		b.Run(l.layer, func(b *testing.B) {
			src := tiles.NewSource(l.layer, draw[l.layer]())
			for _, tl := range zoom8 { // simplified for the zoom
				if _, err := src.Tile(8, int(tl.X), int(tl.Y)); err != nil {
					b.Fatal(err)
				}
			}
			var size int
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tl := zoom8[i%len(zoom8)]
				tile, err := src.Tile(8, int(tl.X), int(tl.Y))
				if err != nil {
					b.Fatal(err)
				}
				size += len(tile.MarshalMVT())
			}
			b.ReportMetric(float64(size)/float64(b.N), "bytes/tile")
		})
	}
}
