package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// segIndex is a uniform grid over the planar line's edges, for nearest
// point queries. Edge s runs from pv[s] to pv[s+1] (both in one part).
type segIndex struct {
	l          *Line
	cell       float64
	minX, minY float64
	nx, ny     int
	cells      [][]int32
}

func newSegIndex(l *Line) *segIndex {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, v := range l.pv {
		minX, maxX = math.Min(minX, v.X), math.Max(maxX, v.X)
		minY, maxY = math.Min(minY, v.Y), math.Max(maxY, v.Y)
	}
	cell := math.Max(5000, math.Max(maxX-minX, maxY-minY)/128)
	ix := &segIndex{l: l, cell: cell, minX: minX, minY: minY,
		nx: int((maxX-minX)/cell) + 1, ny: int((maxY-minY)/cell) + 1}
	ix.cells = make([][]int32, ix.nx*ix.ny)
	for p := 0; p+1 < len(l.pstart); p++ {
		for s := l.pstart[p]; s+1 < l.pstart[p+1]; s++ {
			a, b := l.pv[s], l.pv[s+1]
			x0, y0 := ix.cellOf(Vec{math.Min(a.X, b.X), math.Min(a.Y, b.Y)})
			x1, y1 := ix.cellOf(Vec{math.Max(a.X, b.X), math.Max(a.Y, b.Y)})
			for y := y0; y <= y1; y++ {
				for x := x0; x <= x1; x++ {
					ix.cells[y*ix.nx+x] = append(ix.cells[y*ix.nx+x], int32(s))
				}
			}
		}
	}
	return ix
}

func (ix *segIndex) cellOf(v Vec) (int, int) {
	x := int(math.Floor((v.X - ix.minX) / ix.cell))
	y := int(math.Floor((v.Y - ix.minY) / ix.cell))
	return min(max(x, 0), ix.nx-1), min(max(y, 0), ix.ny-1)
}

// nearest returns the edge nearest to v, the parameter of the nearest
// point on it and the squared planar distance. Ties go to the edge that
// comes first along the line.
func (ix *segIndex) nearest(v Vec) (seg int, t, d2 float64) {
	cx, cy := ix.cellOf(v)
	seg, d2 = -1, math.Inf(1)
	for r := 0; ; r++ {
		for y := cy - r; y <= cy+r; y++ {
			if y < 0 || y >= ix.ny {
				continue
			}
			step := 1
			if y != cy-r && y != cy+r {
				step = 2 * r // only the ring's left and right cells
			}
			for x := cx - r; x <= cx+r; x += max(step, 1) {
				if x < 0 || x >= ix.nx {
					continue
				}
				for _, s := range ix.cells[y*ix.nx+x] {
					dd, tt := segmentDist2(v, ix.l.pv[s], ix.l.pv[s+1])
					if dd < d2 || (dd == d2 && int(s) < seg) {
						seg, t, d2 = int(s), tt, dd
					}
				}
			}
		}
		if seg >= 0 && math.Sqrt(d2) <= float64(r)*ix.cell {
			return seg, t, d2
		}
		if r > ix.nx && r > ix.ny {
			return seg, t, d2
		}
	}
}

// Nearest describes the point of the line nearest to a given point.
type Nearest struct {
	AlongKm    float64   // distance along the line of the nearest point
	DistanceKm float64   // distance to the line
	Point      orb.Point // the nearest point
	Left       bool      // the point is left of the line's direction there
}

// Nearest returns the point of the line nearest to p (lon/lat). Distances
// are measured in the engine's conformal plane and corrected for its scale,
// which agrees with the ellipsoid to well within the specification's
// tolerance for points within a few hundred kilometres of the line.
func (l *Line) Nearest(p orb.Point) Nearest {
	l.plane()
	v := l.proj.Forward(p)
	s, t, d2 := l.index.nearest(v)
	a, b := l.pv[s], l.pv[s+1]
	foot := a.Lerp(b, t)
	along := l.pa[s] + t*(l.pa[s+1]-l.pa[s])
	d := b.Sub(a)
	// At a vertex, the side is judged by the bisector of the two edges.
	if t == 0 && s > 0 && !l.partStart(s) {
		d = d.Unit().Add(a.Sub(l.pv[s-1]).Unit())
	} else if t == 1 && s+2 < len(l.pv) && !l.partStart(s+1) {
		d = d.Unit().Add(l.pv[s+2].Sub(b).Unit())
	}
	k := l.proj.Scale(l.proj.Inverse(foot.Lerp(v, 0.5)))
	return Nearest{
		AlongKm:    along,
		DistanceKm: math.Sqrt(d2) / k / 1000,
		Point:      l.proj.Inverse(foot),
		Left:       d.Cross(v.Sub(foot)) > 0,
	}
}

// DistanceKm is Nearest(p).DistanceKm, without placing the nearest point
// on the ellipsoid: the same distance for one inverse projection fewer,
// for callers that measure many points (deriving lines of contact).
func (l *Line) DistanceKm(p orb.Point) float64 {
	l.plane()
	v := l.proj.Forward(p)
	s, t, d2 := l.index.nearest(v)
	foot := l.pv[s].Lerp(l.pv[s+1], t)
	k := l.proj.Scale(l.proj.Inverse(foot.Lerp(v, 0.5)))
	return math.Sqrt(d2) / k / 1000
}

// partStart reports whether planar point i is the first of its part.
func (l *Line) partStart(i int) bool {
	for _, s := range l.pstart {
		if s == i {
			return true
		}
		if s > i {
			return false
		}
	}
	return false
}
