package tiles

import "github.com/paulmach/orb"

// pathKind says what a path of a geometry is.
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
		if p := mapPolygon(orb.Polygon{g}, fn); p != nil {
			return p
		}
	case orb.Polygon:
		if p := mapPolygon(g, fn); p != nil {
			return p
		}
	case orb.MultiPolygon:
		var out orb.MultiPolygon
		for _, p := range g {
			if np := mapPolygon(p, fn); np != nil {
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

// mapPolygon is mapPaths of a polygon: nil when its outer ring drops.
func mapPolygon(p orb.Polygon, fn func(path []orb.Point, k pathKind) []orb.Point) orb.Polygon {
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
