package delaunay

import (
	"errors"
	"fmt"
	"math"
)

// Point is a point in the plane.
type Point struct{ X, Y float64 }

// ErrDegenerate is returned by New when the input has fewer than three
// distinct points or all its points are collinear.
var ErrDegenerate = errors.New("delaunay: fewer than 3 non-collinear points")

// ErrNotFinite is returned by New when a coordinate is NaN or infinite.
var ErrNotFinite = errors.New("delaunay: point with NaN or infinite coordinate")

// Triangulation of a point set. Half-edge convention: triangle t has
// half-edges 3t, 3t+1, 3t+2; half-edge e goes from Points[Triangles[e]] to
// Points[Triangles[Next(e)]]; triangles are counter-clockwise; Halfedges[e]
// is the opposite half-edge in the neighbouring triangle, or -1 on the
// convex hull.
type Triangulation struct {
	Points    []Point // the input points, unchanged, same indexes as given
	Triangles []int
	Halfedges []int
	// Hull lists the points on the boundary of the convex hull in
	// counter-clockwise order. It includes points that lie on a hull edge
	// (collinear boundary points), because every hull half-edge (Halfedges
	// value -1) goes from Hull[i] to Hull[i+1 mod len(Hull)].
	Hull []int

	dup     []int // dup[i]: index of the point i duplicates, or -1
	outEdge []int // outEdge[p]: a half-edge starting at p (the hull one if p is on the hull), or -1
}

// Next returns the next half-edge of the same triangle: 3t->3t+1->3t+2->3t.
func Next(e int) int {
	if e%3 == 2 {
		return e - 2
	}
	return e + 1
}

// Prev returns the previous half-edge of the same triangle.
func Prev(e int) int {
	if e%3 == 0 {
		return e + 2
	}
	return e - 1
}

// Duplicates returns, for each input index i, the index of the point that i
// duplicates exactly (always the first occurrence, which is the one that is
// triangulated), or -1 if i is itself triangulated. The slice is a copy.
func (t *Triangulation) Duplicates() []int {
	return append([]int(nil), t.dup...)
}

// DuplicateOf returns the index of the point that point i duplicates, or -1
// if point i is part of the triangulation. It does not allocate.
func (t *Triangulation) DuplicateOf(i int) int { return t.dup[i] }

// Circumcenter returns the centre of the circumcircle of triangle tri. It is
// computed in float64 when the triangle is well-shaped and with exact
// rational arithmetic, rounded once, for slivers; it is finite for every
// triangle of the triangulation unless the true centre lies outside the
// float64 range (impossible for coordinates within ±1e100, say).
func (t *Triangulation) Circumcenter(tri int) Point {
	return circumcenter(t.Points[t.Triangles[3*tri]], t.Points[t.Triangles[3*tri+1]], t.Points[t.Triangles[3*tri+2]])
}

// EdgesAround returns the half-edges that start at point p, in
// counter-clockwise order around p, and whether p is on the hull. For a
// hull point the first edge is the outgoing hull edge (Halfedges[first] ==
// -1) and the last one is followed, counter-clockwise, by the incoming hull
// edge Prev(last). For a duplicate point (see Duplicates) it returns nil,
// false. The slice is newly allocated; see AppendEdgesAround.
func (t *Triangulation) EdgesAround(p int) (edges []int, onHull bool) {
	return t.AppendEdgesAround(nil, p)
}

// AppendEdgesAround is EdgesAround appending to dst, to avoid allocations.
func (t *Triangulation) AppendEdgesAround(dst []int, p int) (edges []int, onHull bool) {
	start := t.outEdge[p]
	if start < 0 {
		return dst, false
	}
	e := start
	for {
		dst = append(dst, e)
		in := Prev(e) // ends at p
		e = t.Halfedges[in]
		if e < 0 {
			return dst, true
		}
		if e == start {
			return dst, false
		}
	}
}

// maxPoints bounds the input size so that half-edge indexes fit in int32.
const maxPoints = (math.MaxInt32 - 64) / 6

// New triangulates points. Exact duplicate points: all but the first
// occurrence are left out of the triangulation (they appear in no triangle);
// Duplicates reports them. If there are fewer than three distinct points or
// all points are collinear, New returns ErrDegenerate; a NaN or infinite
// coordinate gives ErrNotFinite. New does not modify or retain points.
func New(points []Point) (tr *Triangulation, err error) {
	n := len(points)
	exactOnly := false
	for _, p := range points {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
			return nil, ErrNotFinite
		}
		if !safeCoord(p.X) || !safeCoord(p.Y) {
			exactOnly = true
		}
	}
	if n < 3 {
		return nil, ErrDegenerate
	}
	if n > maxPoints {
		return nil, errors.New("delaunay: too many points")
	}
	defer func() {
		// Not expected to happen: the construction relies only on exact
		// predicates. Report a bug as an error rather than crash a server.
		if r := recover(); r != nil {
			tr, err = nil, fmt.Errorf("delaunay: internal error: %v", r)
		}
	}()
	b := newBuilder(points, exactOnly)
	if !b.seed() {
		return nil, ErrDegenerate
	}
	for k := 3; k < n; k++ {
		b.insert(k)
	}
	return b.finish(), nil
}
