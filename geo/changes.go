package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	"frontline/geo/geodesic"
)

// AreaChange is what changed hands between two areas held by the other
// side: Gained is in the later area and not the earlier (newly held by the
// other side), Lost the reverse.
type AreaChange struct {
	Gained, Lost orb.MultiPolygon
}

// DiffAreas overlays two areas (lon/lat; their edges are short enough
// that the overlay in degrees and on the ellipsoid meet the same points).
func DiffAreas(from, to orb.MultiPolygon) (AreaChange, error) {
	a, b := toSF(from), toSF(to)
	gained, err := geom.Difference(b.AsGeometry(), a.AsGeometry())
	if err != nil {
		return AreaChange{}, err
	}
	lost, err := geom.Difference(a.AsGeometry(), b.AsGeometry())
	if err != nil {
		return AreaChange{}, err
	}
	return AreaChange{Gained: fromSF(gained), Lost: fromSF(lost)}, nil
}

// AreaKm2 is the geodesic area of a MultiPolygon, holes subtracted.
func AreaKm2(mp orb.MultiPolygon) float64 {
	total := 0.0
	for _, poly := range mp {
		a := 0.0
		for k, ring := range poly {
			pts := make([][2]float64, len(ring))
			for i, p := range ring {
				pts[i] = p
			}
			if k == 0 {
				a += geodesic.Area(pts)
			} else {
				a -= geodesic.Area(pts)
			}
		}
		total += math.Max(a, 0)
	}
	return total / 1e6
}

// IntersectionKm2 is the geodesic area both MultiPolygons cover. Only the
// polygons of a whose bounds meet b's take part in the overlay.
func IntersectionKm2(a, b orb.MultiPolygon) (float64, error) {
	if len(a) == 0 || len(b) == 0 {
		return 0, nil
	}
	bb := b.Bound()
	var near orb.MultiPolygon
	for _, poly := range a {
		if poly.Bound().Intersects(bb) {
			near = append(near, poly)
		}
	}
	if len(near) == 0 {
		return 0, nil
	}
	g, err := geom.Intersection(toSF(near).AsGeometry(), toSF(b).AsGeometry())
	if err != nil {
		return 0, err
	}
	return AreaKm2(fromSF(g)), nil
}

// Shift is how far a line lies from another over one sector of it.
type Shift struct {
	MeanKm, MaxKm float64
	Samples       int
}

// ShiftFrom measures, for each sector of l, how far the line other lies
// from l: other is sampled every stepKm, each sample goes to the sector
// of l its nearest point falls in, and each sector gets the mean and the
// largest distance of its samples (no samples: Samples 0).
func (l *Line) ShiftFrom(other *Line, sectors []Sector, stepKm float64) []Shift {
	out := make([]Shift, len(sectors))
	for _, part := range other.Parts() {
		for _, s := range densify(part, false) {
			if s.step < stepKm && !s.vertex {
				continue
			}
			n := l.Nearest(s.at())
			k := SectorAt(sectors, n.AlongKm)
			if k < 0 {
				continue
			}
			sh := &out[k]
			sh.Samples++
			sh.MeanKm += n.DistanceKm
			sh.MaxKm = math.Max(sh.MaxKm, n.DistanceKm)
		}
	}
	for i := range out {
		if out[i].Samples > 0 {
			out[i].MeanKm /= float64(out[i].Samples)
		}
	}
	return out
}

func toSF(mp orb.MultiPolygon) geom.MultiPolygon {
	ps := make([]geom.Polygon, 0, len(mp))
	for _, poly := range mp {
		rings := make([]geom.LineString, 0, len(poly))
		for _, r := range poly {
			c := make([]float64, 0, 2*len(r))
			for _, p := range r {
				c = append(c, p[0], p[1])
			}
			rings = append(rings, geom.NewLineString(geom.NewSequence(c, geom.DimXY)))
		}
		ps = append(ps, geom.NewPolygon(rings))
	}
	return geom.NewMultiPolygon(ps)
}

func fromSF(g geom.Geometry) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, part := range g.Dump() {
		p, ok := part.AsPolygon()
		if !ok || p.IsEmpty() {
			continue
		}
		poly := orb.Polygon{sfRingToOrb(p.ExteriorRing())}
		for k := 0; k < p.NumInteriorRings(); k++ {
			poly = append(poly, sfRingToOrb(p.InteriorRingN(k)))
		}
		out = append(out, poly)
	}
	return out
}

func sfRingToOrb(ls geom.LineString) orb.Ring {
	seq := ls.Coordinates()
	r := make(orb.Ring, seq.Length())
	for i := range r {
		xy := seq.GetXY(i)
		r[i] = orb.Point{xy.X, xy.Y}
	}
	return r
}
