package tiles

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
)

// Tile cuts one tile: the features whose bounds meet it (and its buffer),
// simplified for its zoom, clipped to it and its buffer and rounded to
// tile units. Features that vanish are left out; a tile with none is
// empty. An address out of range is an *AddressError.
func (s *Source) Tile(z, x, y int) (*Tile, error) {
	if err := CheckAddress(z, x, y); err != nil {
		return nil, err
	}
	scale := math.Exp2(float64(z))
	buf := float64(Buffer) / Extent / scale
	box := orb.Bound{Min: orb.Point{float64(x)/scale - buf, float64(y)/scale - buf},
		Max: orb.Point{float64(x+1)/scale + buf, float64(y+1)/scale + buf}}
	toTile := tileUnits(scale, x, y)
	t := &Tile{Layer: s.layer, Z: z, X: x, Y: y}
	var geoms []orb.Geometry
	for i, f := range s.feats {
		if !f.bound.Intersects(box) {
			continue
		}
		if geoms == nil {
			geoms = s.level(z)
		}
		g := geoms[i]
		if g != nil && !(box.Contains(f.bound.Min) && box.Contains(f.bound.Max)) {
			g = clip.Geometry(box, orb.Clone(g)) // clips in place
		}
		if g == nil {
			continue
		}
		if g = solid(mapPaths(g, toTile)); g != nil {
			t.Features = append(t.Features, Feature{ID: f.id, Geometry: g, Properties: f.props})
		}
	}
	return t, nil
}

// tileUnits returns the mapPaths function that takes a path from Web
// Mercator to the units of tile x, y at scale 2^z: whole numbers, repeated
// points dropped, lines of one point and rings under a square unit
// dropped, outer rings clockwise as drawn (y down) and holes the other
// way (MVT 2).
func tileUnits(scale float64, x, y int) func(path []orb.Point, k pathKind) []orb.Point {
	return func(path []orb.Point, k pathKind) []orb.Point {
		out := make([]orb.Point, 0, len(path))
		for _, p := range path {
			q := orb.Point{math.Round((p[0]*scale - float64(x)) * Extent), math.Round((p[1]*scale - float64(y)) * Extent)}
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

// ringArea2 is twice the signed area of a closed ring by the surveyor's
// formula: positive for a ring clockwise on a y-down screen.
func ringArea2(r []orb.Point) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}
