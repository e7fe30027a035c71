package tiles

import (
	"math"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Source is a layer's features projected once to Web Mercator, ready to
// be cut into tiles. Each zoom's simplification is made on first use and
// kept, so that every tile of a zoom cuts from the same lines. A Source
// is safe for concurrent use.
type Source struct {
	layer    string
	feats    []feature
	bound    orb.Bound // lon/lat
	hasBound bool
	fields   map[string]string
	// shared counts the lines and rings each vertex is on (simplify.go).
	shared map[vertex]int
	levels [MaxZoom + 1]struct {
		once  sync.Once
		geoms []orb.Geometry // nil where a feature vanishes
	}
}

type feature struct {
	id    uint64
	props map[string]any
	geom  orb.Geometry // Web Mercator, x and y from 0 to 1, y down
	bound orb.Bound
}

// NewSource projects a FeatureCollection for the tiles of a layer; each
// tile holds one MVT layer of that name. Properties become numbers,
// strings and booleans; lists become comma-joined strings and objects
// JSON text. Each feature's MVT id is its place in fc, from 1 (the
// GeoJSON id is the property "id"). Features without a geometry tiles
// can hold (none, a GeometryCollection) are left out.
func NewSource(layer string, fc *geojson.FeatureCollection) *Source {
	s := &Source{layer: layer, fields: map[string]string{}}
	var merc orb.Bound
	for i, f := range fc.Features {
		if f.Geometry == nil {
			continue
		}
		g := toMercator(f.Geometry)
		if g == nil {
			continue
		}
		props := properties(f)
		s.addFields(props)
		b := g.Bound()
		s.feats = append(s.feats, feature{id: uint64(i + 1), props: props, geom: g, bound: b})
		if s.hasBound {
			merc = merc.Union(b)
		} else {
			merc, s.hasBound = b, true
		}
	}
	if s.hasBound { // y down: the top is the north
		s.bound = orb.Bound{Min: fromMercator(orb.Point{merc.Min[0], merc.Max[1]}), Max: fromMercator(orb.Point{merc.Max[0], merc.Min[1]})}
	}
	s.share()
	return s
}

// Bound returns the lon/lat bounds of the features; false when there are
// none.
func (s *Source) Bound() (orb.Bound, bool) { return s.bound, s.hasBound }

// Fields names the properties and their TileJSON types: Number, String,
// Boolean, or Mixed when features disagree.
func (s *Source) Fields() map[string]string {
	out := make(map[string]string, len(s.fields))
	for k, v := range s.fields {
		out[k] = v
	}
	return out
}

// level returns the features simplified for zoom z.
func (s *Source) level(z int) []orb.Geometry {
	l := &s.levels[z]
	l.once.Do(func() {
		tol := float64(Tolerance) / Extent / math.Exp2(float64(z))
		l.geoms = make([]orb.Geometry, len(s.feats))
		for i, f := range s.feats {
			l.geoms[i] = mapPaths(f.geom, func(path []orb.Point, k pathKind) []orb.Point {
				return s.simplifyPath(path, k, tol)
			})
		}
	})
	return l.geoms
}
