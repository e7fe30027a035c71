package tiles

import (
	"math"

	"github.com/paulmach/orb"
)

// maxLat is the latitude at which Web Mercator's square world ends.
const maxLat = 85.0511287798

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
			out[i] = mercator(p)
		}
		if (k == pathOuter || k == pathHole) && out[0] != out[len(out)-1] {
			out = append(out, out[0])
		}
		return out
	})
}

// mercator is the Web Mercator point of a lon/lat, x and y from 0 to 1, y
// down; latitudes beyond maxLat go to the edge.
//
// It is maptile.Fraction at zoom 0, but for the poles, and is kept for
// them: Fraction clamps latitudes beyond 85.0511° to tile row 2^z-1 in
// the south, which at zoom 0 is the top of the world, so a feature south
// of the square would be drawn across the world in every tile (see
// TestMercatorIsMaptileFraction). Within the square both agree to 1e-14,
// and tiles of the default data are byte for byte the same with either.
func mercator(p orb.Point) orb.Point {
	lat := math.Max(-maxLat, math.Min(maxLat, p[1])) * math.Pi / 180
	return orb.Point{p[0]/360 + 0.5, 0.5 - math.Log(math.Tan(math.Pi/4+lat/2))/(2*math.Pi)}
}

// fromMercator is the lon/lat of a point in Web Mercator from 0 to 1.
func fromMercator(p orb.Point) orb.Point {
	return orb.Point{(p[0] - 0.5) * 360, math.Atan(math.Sinh(math.Pi*(1-2*p[1]))) * 180 / math.Pi}
}
