package frontline

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"
	"google.golang.org/protobuf/encoding/protowire"
)

// TileLayers are the layers served as Mapbox Vector Tiles; a tile of a
// layer holds one MVT layer of the same name.
var TileLayers = []string{"frontline", "sectors", "zones", "air-defense", "gaps", "units"}

// Vector tile geometry, in tile units: a tile is TileExtent units across.
const (
	MaxTileZoom = 22
	TileExtent  = 4096
	// TileBuffer is how far geometry reaches past a tile's edges (4
	// pixels of a 256-pixel tile), so that strokes and fills of
	// neighbouring tiles join without seams.
	TileBuffer = 64
	// TileTolerance is the Douglas-Peucker tolerance: a quarter of a
	// pixel of a 256-pixel tile, so simplification never shows.
	TileTolerance = 4
)

// TileDepends says which stored data a tile layer is drawn from, for
// Revisions.
func TileDepends(layer string) int {
	switch layer {
	case "frontline":
		return DependsOnLines
	case "units":
		return DependsOnUnits
	}
	return DependsOnAll
}

// CheckTile checks a tile's address: zoom 0 to MaxTileZoom, x and y
// within the 2^z tiles of that zoom.
func CheckTile(z, x, y int) error {
	bad := func(field, format string, args ...any) error {
		return invalid("bad_parameter", Location{Feature: -1, Part: -1, Vertex: -1, Field: field}, format, args...)
	}
	if z < 0 || z > MaxTileZoom {
		return bad("z", "z must be a zoom from 0 to %d, got %d", MaxTileZoom, z)
	}
	n := 1 << z
	if x < 0 || x >= n {
		return bad("x", "x must be from 0 to %d at zoom %d, got %d", n-1, z, x)
	}
	if y < 0 || y >= n {
		return bad("y", "y must be from 0 to %d at zoom %d, got %d", n-1, z, y)
	}
	return nil
}

// TileSource draws one tile layer for p: the line version (as GET
// /v1/frontline shows it), the units (as GET /v1/units shows them), or
// one of the Overlays.
func (s *Service) TileSource(ctx context.Context, layer string, p Params) (*TileSource, error) {
	fc := geojson.NewFeatureCollection()
	switch layer {
	case "frontline":
		lv, line, err := s.Line(ctx, p)
		if err != nil {
			return nil, err
		}
		props := geojson.Properties(lv.FeatureProperties())
		f := geojson.NewFeature(pieces(orb.MultiLineString(line.Parts())))
		f.ID, f.Properties = lv.Version, props
		fc.Append(f)
	case "units":
		units, err := s.Units(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			var g orb.Geometry = u.Coords[0].Point()
			if u.IsRoute() {
				ls := make(orb.LineString, len(u.Coords))
				for i, c := range u.Coords {
					ls[i] = c.Point()
				}
				g = ls
			}
			f := geojson.NewFeature(g)
			f.ID = u.ID
			for k, v := range u.Properties {
				f.Properties[k] = v
			}
			f.Properties["id"], f.Properties["kind"] = u.ID, u.Kind
			fc.Append(f)
		}
	case "sectors", "zones", "air-defense", "gaps":
		var err error
		if fc, err = s.Overlay(ctx, layer, p, Shape{}); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: no tile layer %q (there are %s)", ErrNotFound, layer, strings.Join(TileLayers, ", "))
	}
	return NewTileSource(layer, fc), nil
}

// TileSource is a layer's features projected once to Web Mercator, ready
// to be cut into tiles. Each zoom's simplification is made on first use
// and kept, so that every tile of a zoom cuts from the same lines.
type TileSource struct {
	name     string
	feats    []tileFeature
	bound    orb.Bound // lon/lat
	hasBound bool
	fields   map[string]string
	// shared counts the lines and rings each vertex is on: where a vertex
	// on more than one has neighbours on other numbers, it is kept, so
	// that shared edges simplify alike.
	shared map[vertex]int
	levels [MaxTileZoom + 1]struct {
		once  sync.Once
		geoms []orb.Geometry // nil where a feature vanishes
	}
}

type tileFeature struct {
	id    uint64
	props map[string]any
	geom  orb.Geometry // Web Mercator, x and y from 0 to 1, y down
	bound orb.Bound
}

// NewTileSource projects a FeatureCollection for tiles. Properties become
// numbers, strings and booleans; lists become comma-joined strings and
// objects JSON text. Each feature's MVT id is its place in fc, from 1
// (the GeoJSON id is the property "id").
func NewTileSource(name string, fc *FeatureCollection) *TileSource {
	ts := &TileSource{name: name, fields: map[string]string{}}
	var merc orb.Bound
	n := 0
	for i, f := range fc.Features {
		if f.Geometry == nil {
			continue
		}
		g := toMercator(f.Geometry)
		if g == nil {
			continue
		}
		props := make(map[string]any, len(f.Properties)+1)
		for k, v := range f.Properties {
			if tv, ok := tileValue(v); ok {
				props[k] = tv
			}
		}
		if _, ok := props["id"]; !ok && f.ID != nil {
			if tv, ok := tileValue(f.ID); ok {
				props["id"] = tv
			}
		}
		for k, v := range props {
			t := "Boolean"
			switch v.(type) {
			case string:
				t = "String"
			case float64, int64:
				t = "Number"
			}
			if old, ok := ts.fields[k]; ok && old != t {
				t = "Mixed"
			}
			ts.fields[k] = t
		}
		b := g.Bound()
		ts.feats = append(ts.feats, tileFeature{id: uint64(i + 1), props: props, geom: g, bound: b})
		if ts.hasBound {
			merc = merc.Union(b)
		} else {
			merc, ts.hasBound = b, true
		}
		mapPaths(g, func(path []orb.Point, _ pathKind) []orb.Point {
			n += len(path)
			return path
		})
	}
	if ts.hasBound { // y down: the top is the north
		ts.bound = orb.Bound{Min: fromMercator(orb.Point{merc.Min[0], merc.Max[1]}), Max: fromMercator(orb.Point{merc.Max[0], merc.Min[1]})}
	}
	ts.shared = make(map[vertex]int, n)
	for _, f := range ts.feats {
		mapPaths(f.geom, func(path []orb.Point, k pathKind) []orb.Point {
			if k == pathOuter || k == pathHole {
				path = path[:len(path)-1] // the closing point is the first
			}
			if k != pathPoint {
				for _, p := range path {
					ts.shared[vertexOf(p)]++
				}
			}
			return path
		})
	}
	for i := range ts.feats {
		ts.feats[i].geom = mapPaths(ts.feats[i].geom, func(path []orb.Point, k pathKind) []orb.Point {
			if k == pathOuter || k == pathHole {
				return ts.startRing(path)
			}
			return path
		})
	}
	return ts
}

// anchor says whether the vertex between prev and next must stay when
// its line or ring is simplified: it is shared, and its neighbours are
// not shared as it is, so a shared run starts or ends there.
func (ts *TileSource) anchor(prev, p, next orb.Point) bool {
	c := ts.shared[vertexOf(p)]
	return c >= 2 && (ts.shared[vertexOf(prev)] != c || ts.shared[vertexOf(next)] != c)
}

// startRing starts a closed ring at its first anchor, or for a ring with
// none at its least point, because simplification keeps a ring's start:
// so started, it is the same in every ring it shares points with.
func (ts *TileSource) startRing(r []orb.Point) []orb.Point {
	m := len(r) - 1 // the closing point is the first
	if m < 2 {
		return r
	}
	start := -1
	for i := 0; i < m && start < 0; i++ {
		if ts.anchor(r[(i+m-1)%m], r[i], r[(i+1)%m]) {
			start = i
		}
	}
	if start < 0 {
		start = 0
		for i := 1; i < m; i++ {
			if less(r[i], r[start]) {
				start = i
			}
		}
	}
	if start == 0 {
		return r
	}
	out := make([]orb.Point, 0, len(r))
	return append(append(append(out, r[start:m]...), r[:start]...), r[start])
}

// Name returns the layer's name.
func (ts *TileSource) Name() string { return ts.name }

// Bound returns the lon/lat bounds of the features; false when there are
// none.
func (ts *TileSource) Bound() (orb.Bound, bool) { return ts.bound, ts.hasBound }

// Fields names the properties and their TileJSON types: Number, String,
// Boolean, or Mixed when features disagree.
func (ts *TileSource) Fields() map[string]string {
	out := make(map[string]string, len(ts.fields))
	for k, v := range ts.fields {
		out[k] = v
	}
	return out
}

// Tile is one layer's features in one tile.
type Tile struct {
	Layer    string
	Z, X, Y  int
	Features []TileFeature
}

// TileFeature is a feature of a Tile, in tile units: whole numbers from 0
// to TileExtent across the tile, y down, reaching TileBuffer beyond it.
// Polygons' outer rings are clockwise as drawn (MVT 2).
type TileFeature struct {
	ID         uint64
	Geometry   orb.Geometry
	Properties map[string]any // string, float64, int64 or bool; shared: do not modify
}

// Tile cuts one tile: the features whose bounds meet it (and its buffer),
// simplified for its zoom, clipped to it and its buffer and rounded to
// tile units. Features that vanish are left out; a tile with none is
// empty.
func (ts *TileSource) Tile(z, x, y int) (*Tile, error) {
	if err := CheckTile(z, x, y); err != nil {
		return nil, err
	}
	scale := math.Exp2(float64(z))
	buf := float64(TileBuffer) / TileExtent / scale
	box := orb.Bound{Min: orb.Point{float64(x)/scale - buf, float64(y)/scale - buf},
		Max: orb.Point{float64(x+1)/scale + buf, float64(y+1)/scale + buf}}
	toTile := func(path []orb.Point, k pathKind) []orb.Point {
		out := make([]orb.Point, 0, len(path))
		for _, p := range path {
			q := orb.Point{math.Round((p[0]*scale - float64(x)) * TileExtent), math.Round((p[1]*scale - float64(y)) * TileExtent)}
			if k != pathPoint && len(out) > 0 && out[len(out)-1] == q {
				continue
			}
			out = append(out, q)
		}
		switch k {
		case pathLine:
			if len(out) < 2 {
				return nil
			}
		case pathOuter, pathHole:
			a := ringArea2(out)
			if len(out) < 4 || math.Abs(a) < 2 { // under a square unit
				return nil
			}
			if (k == pathOuter) != (a > 0) {
				for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		return out
	}
	t := &Tile{Layer: ts.name, Z: z, X: x, Y: y}
	var geoms []orb.Geometry
	for i, f := range ts.feats {
		if !f.bound.Intersects(box) {
			continue
		}
		if geoms == nil {
			geoms = ts.level(z)
		}
		g := geoms[i]
		if g != nil && !(box.Contains(f.bound.Min) && box.Contains(f.bound.Max)) {
			g = clip.Geometry(box, orb.Clone(g)) // clips in place
		}
		if g == nil {
			continue
		}
		if g = solid(mapPaths(g, toTile)); g != nil {
			t.Features = append(t.Features, TileFeature{ID: f.id, Geometry: g, Properties: f.props})
		}
	}
	return t, nil
}

// solid drops the polygons of g, in tile units, that cover less than a
// square unit once their holes are taken out: a tile inside a hole clips
// to an outer ring and a hole both on the tile's edges.
func solid(g orb.Geometry) orb.Geometry {
	covers := func(p orb.Polygon) bool {
		a := 0.0
		for _, r := range p {
			a += ringArea2(r) // holes are negative
		}
		return a >= 2
	}
	switch p := g.(type) {
	case orb.Polygon:
		if !covers(p) {
			return nil
		}
	case orb.MultiPolygon:
		var out orb.MultiPolygon
		for _, q := range p {
			if covers(q) {
				out = append(out, q)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return g
}

// level returns the features simplified for zoom z.
func (ts *TileSource) level(z int) []orb.Geometry {
	l := &ts.levels[z]
	l.once.Do(func() {
		tol := float64(TileTolerance) / TileExtent / math.Exp2(float64(z))
		l.geoms = make([]orb.Geometry, len(ts.feats))
		for i, f := range ts.feats {
			l.geoms[i] = mapPaths(f.geom, func(path []orb.Point, k pathKind) []orb.Point {
				return ts.simplifyPath(path, k, tol)
			})
		}
	})
	return l.geoms
}

// simplifyPath simplifies one line or ring with Douglas-Peucker, keeping
// its ends and its anchors. Between those, shared runs hold the same
// points and are simplified in the same direction, so they come out the
// same in every feature: sector pieces keep their ends and neighbouring
// zones one common edge. A path that loses nothing is returned as is.
func (ts *TileSource) simplifyPath(path []orb.Point, k pathKind, tol float64) []orb.Point {
	n := len(path)
	if k == pathPoint || n <= 2 {
		return path
	}
	out := append(make([]orb.Point, 0, n/4+2), path[0])
	from := 0
	for i := 1; i < n; i++ {
		if i < n-1 && !ts.anchor(path[i-1], path[i], path[i+1]) {
			continue
		}
		run := path[from : i+1]
		if len(run) <= 2 {
			out = append(out, run[1:]...)
		} else {
			ls := append(orb.LineString(nil), run...) // simplified in place
			m := len(ls) - 1
			rev := less(ls[m], ls[0]) || (ls[m] == ls[0] && less(ls[m-1], ls[1]))
			if rev {
				reverse(ls)
			}
			ls = simplify.DouglasPeucker(tol).LineString(ls)
			if rev {
				reverse(ls)
			}
			out = append(out, ls[1:]...)
		}
		from = i
	}
	switch {
	case len(out) == n:
		return path
	case (k == pathOuter || k == pathHole) && len(out) < 4:
		return nil
	}
	return out
}

func less(a, b orb.Point) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }

func reverse(ls orb.LineString) {
	for i, j := 0, len(ls)-1; i < j; i, j = i+1, j-1 {
		ls[i], ls[j] = ls[j], ls[i]
	}
}

// ringArea2 is twice the signed area of a closed ring by the surveyor's
// formula: positive for a ring clockwise on a y-down screen.
func ringArea2(r []orb.Point) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}

// vertex is a point's bits, a cheaper map key than its float64s.
type vertex [2]uint64

func vertexOf(p orb.Point) vertex { return vertex{math.Float64bits(p[0]), math.Float64bits(p[1])} }

// fromMercator is the lon/lat of a point in Web Mercator from 0 to 1.
func fromMercator(p orb.Point) orb.Point {
	return orb.Point{(p[0] - 0.5) * 360, math.Atan(math.Sinh(math.Pi*(1-2*p[1]))) * 180 / math.Pi}
}

// toMercator projects a lon/lat geometry to Web Mercator from 0 to 1,
// y down, into new memory; nil for what tiles cannot hold.
func toMercator(g orb.Geometry) orb.Geometry {
	switch g.(type) {
	case orb.Collection, orb.Bound:
		return nil
	}
	return mapPaths(g, func(path []orb.Point, k pathKind) []orb.Point {
		if len(path) == 0 {
			return nil
		}
		out := make([]orb.Point, len(path), len(path)+1)
		for i, p := range path {
			lat := math.Max(-85.0511287798, math.Min(85.0511287798, p[1])) * math.Pi / 180
			out[i] = orb.Point{p[0]/360 + 0.5, 0.5 - math.Log(math.Tan(math.Pi/4+lat/2))/(2*math.Pi)}
		}
		if (k == pathOuter || k == pathHole) && out[0] != out[len(out)-1] {
			out = append(out, out[0])
		}
		return out
	})
}

type pathKind int

const (
	pathPoint pathKind = iota
	pathLine
	pathOuter // a polygon's outer ring
	pathHole
)

// mapPaths rebuilds g from fn applied to each of its points (as a path of
// one), lines and rings. Where fn returns nil the line or ring drops, with
// its holes for an outer ring; a geometry left with nothing is nil.
func mapPaths(g orb.Geometry, fn func(path []orb.Point, k pathKind) []orb.Point) orb.Geometry {
	polygon := func(p orb.Polygon) orb.Polygon {
		var out orb.Polygon
		for i, r := range p {
			k := pathOuter
			if i > 0 {
				k = pathHole
			}
			if nr := fn(r, k); nr != nil {
				out = append(out, nr)
			} else if i == 0 {
				return nil
			}
		}
		return out
	}
	switch g := g.(type) {
	case orb.Point:
		if p := fn([]orb.Point{g}, pathPoint); len(p) == 1 {
			return p[0]
		}
	case orb.MultiPoint:
		var out orb.MultiPoint
		for _, q := range g {
			if p := fn([]orb.Point{q}, pathPoint); len(p) == 1 {
				out = append(out, p[0])
			}
		}
		if len(out) > 0 {
			return out
		}
	case orb.LineString:
		if ls := fn(g, pathLine); ls != nil {
			return orb.LineString(ls)
		}
	case orb.MultiLineString:
		var out orb.MultiLineString
		for _, ls := range g {
			if nl := fn(ls, pathLine); nl != nil {
				out = append(out, nl)
			}
		}
		if len(out) > 0 {
			return out
		}
	case orb.Ring:
		if p := polygon(orb.Polygon{g}); p != nil {
			return p
		}
	case orb.Polygon:
		if p := polygon(g); p != nil {
			return p
		}
	case orb.MultiPolygon:
		var out orb.MultiPolygon
		for _, p := range g {
			if np := polygon(p); np != nil {
				out = append(out, np)
			}
		}
		if len(out) > 0 {
			return out
		}
	case orb.Collection:
		var out orb.Collection
		for _, c := range g {
			if nc := mapPaths(c, fn); nc != nil {
				out = append(out, nc)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// tileValue converts a property for a tile: a string, float64, int64 or
// bool; lists become comma-joined strings, objects JSON text.
func tileValue(v any) (any, bool) {
	switch v := v.(type) {
	case nil:
		return nil, false
	case string, bool, float64, int64:
		return v, true
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	case float32:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano), true
	case fmt.Stringer:
		return v.String(), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		parts := make([]string, 0, rv.Len())
		for i := 0; i < rv.Len(); i++ {
			e, ok := tileValue(rv.Index(i).Interface())
			if !ok {
				continue
			}
			switch e := e.(type) {
			case string:
				parts = append(parts, e)
			case float64:
				parts = append(parts, strconv.FormatFloat(e, 'g', -1, 64))
			default:
				parts = append(parts, fmt.Sprint(e))
			}
		}
		return strings.Join(parts, ","), true
	case reflect.Int8, reflect.Int16, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v), true
	}
	return string(b), true
}

// MarshalMVT encodes the tile as a Mapbox Vector Tile (version 2,
// uncompressed) of one layer named after it. The same tile encodes to the
// same bytes.
func (t *Tile) MarshalMVT() []byte {
	type value struct {
		kind int // 1 string, 3 double, 6 sint, 7 bool: the fields of Value
		s    string
		f    float64
		i    int64
		b    bool
	}
	var layer, feat, packed []byte
	layer = protowire.AppendTag(layer, 15, protowire.VarintType)
	layer = protowire.AppendVarint(layer, 2)
	layer = protowire.AppendTag(layer, 1, protowire.BytesType)
	layer = protowire.AppendString(layer, t.Layer)
	keyIdx, valIdx := map[string]uint64{}, map[value]uint64{}
	var keys []string
	var vals []value
	var names []string
	for _, f := range t.Features {
		feat = protowire.AppendTag(feat[:0], 1, protowire.VarintType)
		feat = protowire.AppendVarint(feat, f.ID)
		names = names[:0]
		for k := range f.Properties {
			names = append(names, k)
		}
		sort.Strings(names)
		packed = packed[:0]
		for _, k := range names {
			var v value
			switch x := f.Properties[k].(type) {
			case string:
				v = value{kind: 1, s: x}
			case float64:
				v = value{kind: 3, f: x}
			case int64:
				v = value{kind: 6, i: x}
			case bool:
				v = value{kind: 7, b: x}
			default:
				continue
			}
			ki, ok := keyIdx[k]
			if !ok {
				ki = uint64(len(keys))
				keyIdx[k] = ki
				keys = append(keys, k)
			}
			vi, ok := valIdx[v]
			if !ok {
				vi = uint64(len(vals))
				valIdx[v] = vi
				vals = append(vals, v)
			}
			packed = protowire.AppendVarint(protowire.AppendVarint(packed, ki), vi)
		}
		if len(packed) > 0 {
			feat = protowire.AppendTag(feat, 2, protowire.BytesType)
			feat = protowire.AppendBytes(feat, packed)
		}
		typ, cmds := encodeGeometry(f.Geometry)
		feat = protowire.AppendTag(feat, 3, protowire.VarintType)
		feat = protowire.AppendVarint(feat, typ)
		packed = packed[:0]
		for _, c := range cmds {
			packed = protowire.AppendVarint(packed, uint64(c))
		}
		feat = protowire.AppendTag(feat, 4, protowire.BytesType)
		feat = protowire.AppendBytes(feat, packed)
		layer = protowire.AppendTag(layer, 2, protowire.BytesType)
		layer = protowire.AppendBytes(layer, feat)
	}
	for _, k := range keys {
		layer = protowire.AppendTag(layer, 3, protowire.BytesType)
		layer = protowire.AppendString(layer, k)
	}
	for _, v := range vals {
		var b []byte
		switch v.kind {
		case 1:
			b = protowire.AppendString(protowire.AppendTag(b, 1, protowire.BytesType), v.s)
		case 3:
			b = protowire.AppendFixed64(protowire.AppendTag(b, 3, protowire.Fixed64Type), math.Float64bits(v.f))
		case 6:
			b = protowire.AppendVarint(protowire.AppendTag(b, 6, protowire.VarintType), protowire.EncodeZigZag(v.i))
		case 7:
			b = protowire.AppendVarint(protowire.AppendTag(b, 7, protowire.VarintType), protowire.EncodeBool(v.b))
		}
		layer = protowire.AppendTag(layer, 4, protowire.BytesType)
		layer = protowire.AppendBytes(layer, b)
	}
	layer = protowire.AppendTag(layer, 5, protowire.VarintType)
	layer = protowire.AppendVarint(layer, TileExtent)
	tile := protowire.AppendTag(make([]byte, 0, len(layer)+8), 3, protowire.BytesType)
	return protowire.AppendBytes(tile, layer)
}

// encodeGeometry writes a geometry in tile units as MVT commands: its
// GeomType (1 point, 2 line, 3 polygon) and the command integers.
func encodeGeometry(g orb.Geometry) (uint64, []uint32) {
	var cmds []uint32
	var cx, cy int64
	cmd := func(id, count int) { cmds = append(cmds, uint32(id&7|count<<3)) }
	to := func(p orb.Point) {
		x, y := int64(p[0]), int64(p[1])
		cmds = append(cmds, uint32(protowire.EncodeZigZag(x-cx)), uint32(protowire.EncodeZigZag(y-cy)))
		cx, cy = x, y
	}
	line := func(ls []orb.Point) {
		cmd(1, 1)
		to(ls[0])
		cmd(2, len(ls)-1)
		for _, p := range ls[1:] {
			to(p)
		}
	}
	ring := func(r []orb.Point) { // closed: the last point is the first
		line(r[:len(r)-1])
		cmd(7, 1)
	}
	switch g := g.(type) {
	case orb.Point:
		cmd(1, 1)
		to(g)
		return 1, cmds
	case orb.MultiPoint:
		cmd(1, len(g))
		for _, p := range g {
			to(p)
		}
		return 1, cmds
	case orb.LineString:
		line(g)
		return 2, cmds
	case orb.MultiLineString:
		for _, ls := range g {
			line(ls)
		}
		return 2, cmds
	case orb.Polygon:
		for _, r := range g {
			ring(r)
		}
		return 3, cmds
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				ring(r)
			}
		}
		return 3, cmds
	}
	return 0, nil
}
