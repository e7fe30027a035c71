package postgres

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"frontline"
)

// The geom columns hold what the JSON coordinates describe, in two
// dimensions, for QGIS and spatial SQL. They are written as WKB built
// here (exact, unlike a round trip through GeoJSON text) with
// ST_GeomFromWKB(wkb, 4326). Coordinates PostGIS would refuse (a ring
// that is not closed or has fewer than 4 positions, a part of one
// position) give NULL rather than fail the write: the JSON is what the
// store keeps, and the geometry only a view of it.

// lineWKB is a line's parts as a MultiLineString.
func lineWKB(parts [][]frontline.Position) []byte {
	mls := make(orb.MultiLineString, len(parts))
	for i, part := range parts {
		ls, ok := lineString(part)
		if !ok {
			return nil
		}
		mls[i] = ls
	}
	return marshal(mls)
}

// areaWKB is an area's polygons as a MultiPolygon.
func areaWKB(polygons [][][]frontline.Position) []byte {
	mp := make(orb.MultiPolygon, len(polygons))
	for i, poly := range polygons {
		if len(poly) == 0 {
			return nil
		}
		mp[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			ls, ok := lineString(ring)
			if !ok || len(ls) < 4 || ls[0] != ls[len(ls)-1] {
				return nil
			}
			mp[i][j] = orb.Ring(ls)
		}
	}
	return marshal(mp)
}

// unitWKB is a unit's geometry as its Feature has it (Unit.Geometry): a
// patrol's route as a LineString, any other unit as the Point of its
// first position.
func unitWKB(u *frontline.Unit) []byte {
	if len(u.Coords) == 0 {
		return nil
	}
	if u.IsRoute() {
		ls, ok := lineString(u.Coords)
		if !ok {
			return nil
		}
		return marshal(ls)
	}
	p, ok := point(u.Coords[0])
	if !ok {
		return nil
	}
	return marshal(p)
}

// lineString is positions in two dimensions, if they make a line: at
// least two, each with finite longitude and latitude.
func lineString(ps []frontline.Position) (orb.LineString, bool) {
	if len(ps) < 2 {
		return nil, false
	}
	ls := make(orb.LineString, len(ps))
	for i, p := range ps {
		pt, ok := point(p)
		if !ok {
			return nil, false
		}
		ls[i] = pt
	}
	return ls, true
}

func point(p frontline.Position) (orb.Point, bool) {
	if len(p) < 2 || !finite(p[0]) || !finite(p[1]) {
		return orb.Point{}, false
	}
	return orb.Point{p[0], p[1]}, true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func marshal(g orb.Geometry) []byte {
	b, err := wkb.Marshal(g)
	if err != nil {
		return nil
	}
	return b
}
