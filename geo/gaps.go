package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// PatrolGaps returns, per sector, the stretches of its line that no patrol
// watches, from the coverage computed by Coverage.
func (z *Zones) PatrolGaps(cov []SectorCoverage) []orb.MultiLineString {
	out := make([]orb.MultiLineString, len(cov))
	for i, c := range cov {
		for _, u := range c.Unwatched {
			out[i] = append(out[i], z.line.Cut(u[0], u[1])...)
		}
	}
	return out
}

// AirDefenseGaps returns, per sector, the parts of its zone within range
// of no air-defense unit, as lon/lat MultiPolygons (empty where the zone
// is covered). It subtracts the ranges from the zone polygons in the plane.
func (z *Zones) AirDefenseGaps(units []AirDefense) ([]orb.MultiPolygon, error) {
	planar := z.planarPolygons()
	disks := make([]disk, len(units))
	for i, u := range units {
		disks[i] = z.disk(u, i)
	}
	out := make([]orb.MultiPolygon, len(planar))
	for i, polys := range planar {
		zone := sfMultiPolygon(polys)
		env := zone.Envelope()
		lo, hi, ok := env.MinMaxXYs()
		if !ok {
			continue
		}
		var cover []geom.Geometry
		for _, d := range disks {
			if d.max.X < lo.X || d.min.X > hi.X || d.max.Y < lo.Y || d.min.Y > hi.Y {
				continue
			}
			cover = append(cover, sfCircle(d).AsGeometry())
		}
		gap := zone.AsGeometry()
		if len(cover) > 0 {
			u, err := geom.UnionMany(cover)
			if err != nil {
				return nil, fmt.Errorf("geo: union of air-defense ranges of sector %s: %w", z.sectors[i].ID, err)
			}
			if gap, err = geom.Difference(gap, u); err != nil {
				return nil, fmt.Errorf("geo: air-defense gaps of sector %s: %w", z.sectors[i].ID, err)
			}
		}
		out[i] = z.lonLat(gap)
	}
	return out, nil
}

func sfRing(r []Vec) geom.LineString {
	c := make([]float64, 0, 2*len(r)+2)
	for _, v := range r {
		c = append(c, v.X, v.Y)
	}
	c = append(c, r[0].X, r[0].Y)
	return geom.NewLineString(geom.NewSequence(c, geom.DimXY))
}

func sfMultiPolygon(polys [][][]Vec) geom.MultiPolygon {
	ps := make([]geom.Polygon, 0, len(polys))
	for _, poly := range polys {
		rings := make([]geom.LineString, len(poly))
		for j, r := range poly {
			rings[j] = sfRing(r)
		}
		ps = append(ps, geom.NewPolygon(rings))
	}
	return geom.NewMultiPolygon(ps)
}

// sfCircle draws a range with the same angular step as the zones' arcs.
func sfCircle(d disk) geom.Polygon {
	n := int(math.Ceil(fullCircle / arcStep))
	r := make([]Vec, n)
	for j := range r {
		r[j] = d.c.Add(dir(fullCircle * float64(j) / float64(n)).Scale(d.r))
	}
	return geom.NewPolygon([]geom.LineString{sfRing(r)})
}

// lonLat converts a planar areal geometry to a lon/lat MultiPolygon with
// outer rings counter-clockwise and holes clockwise.
func (z *Zones) lonLat(g geom.Geometry) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, part := range g.Dump() {
		p, ok := part.AsPolygon()
		if !ok || p.IsEmpty() {
			continue
		}
		poly := orb.Polygon{z.lonLatRing(p.ExteriorRing(), true)}
		for k := 0; k < p.NumInteriorRings(); k++ {
			poly = append(poly, z.lonLatRing(p.InteriorRingN(k), false))
		}
		out = append(out, poly)
	}
	return out
}

func (z *Zones) lonLatRing(ls geom.LineString, ccw bool) orb.Ring {
	seq := ls.Coordinates()
	pts := make([]Vec, seq.Length())
	for i := range pts {
		xy := seq.GetXY(i)
		pts[i] = Vec{xy.X, xy.Y}
	}
	if (ringArea(pts) > 0) != ccw {
		for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
			pts[i], pts[j] = pts[j], pts[i]
		}
	}
	r := make(orb.Ring, len(pts))
	for i, v := range pts {
		r[i] = z.line.proj.Inverse(v)
	}
	return r
}
