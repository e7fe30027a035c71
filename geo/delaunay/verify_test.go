package delaunay_test

import (
	"math"
	"math/big"
	"testing"

	"frontline/geo/delaunay"
)

// This file holds an independent verifier: it uses only its own exact
// predicates (a very conservative float64 shortcut, otherwise math/big.Rat),
// never the package's.

func ratOf(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }

// tame reports whether float64 shortcuts are safe for x (no overflow or
// underflow in degree-4 polynomials of coordinate differences).
func tame(x float64) bool {
	a := math.Abs(x)
	return a == 0 || (a > 1e-30 && a < 1e30)
}

func orientRef(a, b, c delaunay.Point) int {
	if tame(a.X) && tame(a.Y) && tame(b.X) && tame(b.Y) && tame(c.X) && tame(c.Y) {
		l := (a.X - c.X) * (b.Y - c.Y)
		r := (a.Y - c.Y) * (b.X - c.X)
		if d := l - r; math.Abs(d) > 1e-12*(math.Abs(l)+math.Abs(r)) {
			if d > 0 {
				return 1
			}
			return -1
		}
	}
	sub := func(x, y float64) *big.Rat { return new(big.Rat).Sub(ratOf(x), ratOf(y)) }
	l := new(big.Rat).Mul(sub(a.X, c.X), sub(b.Y, c.Y))
	r := new(big.Rat).Mul(sub(a.Y, c.Y), sub(b.X, c.X))
	return l.Cmp(r)
}

// incircleRef > 0 iff d is strictly inside the circle through the
// counter-clockwise a, b, c.
func incircleRef(a, b, c, d delaunay.Point) int {
	if tame(a.X) && tame(a.Y) && tame(b.X) && tame(b.Y) && tame(c.X) && tame(c.Y) && tame(d.X) && tame(d.Y) {
		adx, ady := a.X-d.X, a.Y-d.Y
		bdx, bdy := b.X-d.X, b.Y-d.Y
		cdx, cdy := c.X-d.X, c.Y-d.Y
		al := adx*adx + ady*ady
		bl := bdx*bdx + bdy*bdy
		cl := cdx*cdx + cdy*cdy
		det := al*(bdx*cdy-cdx*bdy) + bl*(cdx*ady-adx*cdy) + cl*(adx*bdy-bdx*ady)
		perm := al*(math.Abs(bdx*cdy)+math.Abs(cdx*bdy)) + bl*(math.Abs(cdx*ady)+math.Abs(adx*cdy)) + cl*(math.Abs(adx*bdy)+math.Abs(bdx*ady))
		if math.Abs(det) > 1e-10*perm {
			if det > 0 {
				return 1
			}
			return -1
		}
	}
	sub := func(x, y float64) *big.Rat { return new(big.Rat).Sub(ratOf(x), ratOf(y)) }
	mul := func(x, y *big.Rat) *big.Rat { return new(big.Rat).Mul(x, y) }
	adx, ady := sub(a.X, d.X), sub(a.Y, d.Y)
	bdx, bdy := sub(b.X, d.X), sub(b.Y, d.Y)
	cdx, cdy := sub(c.X, d.X), sub(c.Y, d.Y)
	lift := func(x, y *big.Rat) *big.Rat { return new(big.Rat).Add(mul(x, x), mul(y, y)) }
	cross := func(x1, y1, x2, y2 *big.Rat) *big.Rat { return new(big.Rat).Sub(mul(x1, y2), mul(x2, y1)) }
	det := mul(lift(adx, ady), cross(bdx, bdy, cdx, cdy))
	det.Add(det, mul(lift(bdx, bdy), cross(cdx, cdy, adx, ady)))
	det.Add(det, mul(lift(cdx, cdy), cross(adx, ady, bdx, bdy)))
	return det.Sign()
}

// twiceArea returns the exact doubled signed area of triangle abc.
func twiceArea(a, b, c delaunay.Point) *big.Rat {
	sub := func(x, y float64) *big.Rat { return new(big.Rat).Sub(ratOf(x), ratOf(y)) }
	l := new(big.Rat).Mul(sub(b.X, a.X), sub(c.Y, a.Y))
	r := new(big.Rat).Mul(sub(b.Y, a.Y), sub(c.X, a.X))
	return l.Sub(l, r)
}

type verifyOpts struct {
	bruteDelaunay bool // check every point against every circumcircle
	bruteHull     bool // check every point against every hull edge
}

// verify checks that tr is a valid Delaunay triangulation of pts.
func verify(t testing.TB, pts []delaunay.Point, tr *delaunay.Triangulation, opt verifyOpts) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf(format, args...)
	}
	n := len(pts)
	if len(tr.Points) != n {
		fail("Points has %d entries, want %d", len(tr.Points), n)
	}
	for i := range pts {
		if tr.Points[i] != pts[i] && !(math.IsNaN(pts[i].X) || math.IsNaN(pts[i].Y)) {
			fail("Points[%d] = %v, want %v", i, tr.Points[i], pts[i])
		}
	}

	// Duplicates: first occurrence is triangulated.
	firstOf := make(map[delaunay.Point]int, n)
	dups := tr.Duplicates()
	distinct := 0
	for i, p := range pts {
		f, seen := firstOf[p]
		if !seen {
			firstOf[p] = i
			distinct++
			if dups[i] != -1 {
				fail("point %d %v is a first occurrence but Duplicates says %d", i, p, dups[i])
			}
		} else if dups[i] != f {
			fail("point %d %v duplicates %d but Duplicates says %d", i, p, f, dups[i])
		}
		if tr.DuplicateOf(i) != dups[i] {
			fail("DuplicateOf(%d) = %d, Duplicates()[%d] = %d", i, tr.DuplicateOf(i), i, dups[i])
		}
	}

	tri, half := tr.Triangles, tr.Halfedges
	if len(tri)%3 != 0 || len(half) != len(tri) {
		fail("len(Triangles) = %d, len(Halfedges) = %d", len(tri), len(half))
	}
	nt := len(tri) / 3
	used := make([]bool, n)
	for e, v := range tri {
		if v < 0 || v >= n {
			fail("Triangles[%d] = %d out of range", e, v)
		}
		if dups[v] != -1 {
			fail("Triangles[%d] = %d is a duplicate", e, v)
		}
		used[v] = true
	}
	for i := range n {
		if dups[i] == -1 && !used[i] {
			fail("point %d %v is in no triangle", i, pts[i])
		}
	}

	// Orientation and area.
	area := new(big.Rat)
	for k := range nt {
		a, b, c := tri[3*k], tri[3*k+1], tri[3*k+2]
		if a == b || b == c || a == c {
			fail("triangle %d has repeated vertices %d %d %d", k, a, b, c)
		}
		if orientRef(pts[a], pts[b], pts[c]) <= 0 {
			fail("triangle %d (%d %d %d) %v %v %v is not counter-clockwise", k, a, b, c, pts[a], pts[b], pts[c])
		}
		area.Add(area, twiceArea(pts[a], pts[b], pts[c]))
	}

	// Half-edge symmetry and local Delaunay property.
	next := delaunay.Next
	hullOut := make(map[int]int) // hull edge start -> end
	for e := range half {
		h := half[e]
		if h == -1 {
			s := tri[e]
			if _, dup := hullOut[s]; dup {
				fail("point %d starts two hull edges", s)
			}
			hullOut[s] = tri[next(e)]
			continue
		}
		if h < 0 || h >= len(half) || h == e || half[h] != e {
			fail("Halfedges[%d] = %d is not symmetric", e, h)
		}
		if tri[h] != tri[next(e)] || tri[next(h)] != tri[e] {
			fail("half-edges %d and %d do not join the same points reversed", e, h)
		}
		if e < h {
			a, b, c := tri[e], tri[next(e)], tri[delaunay.Prev(e)]
			d := tri[delaunay.Prev(h)]
			if incircleRef(pts[a], pts[b], pts[c], pts[d]) > 0 {
				fail("edge %d-%d is not locally Delaunay: %v inside circle of %v %v %v", a, b, pts[d], pts[a], pts[b], pts[c])
			}
		}
	}

	// Hull: the -1 half-edges form one cycle equal to tr.Hull.
	hull := tr.Hull
	h := len(hull)
	if h < 3 {
		fail("hull has %d points", h)
	}
	if len(hullOut) != h {
		fail("%d hull half-edges, len(Hull) = %d", len(hullOut), h)
	}
	onHull := make(map[int]bool, h)
	for i, v := range hull {
		w := hull[(i+1)%h]
		if onHull[v] {
			fail("point %d twice in Hull", v)
		}
		onHull[v] = true
		if hullOut[v] != w {
			fail("Hull goes %d -> %d but the hull half-edge from %d goes to %d", v, w, v, hullOut[v])
		}
		if orientRef(pts[v], pts[w], pts[hull[(i+2)%h]]) < 0 {
			fail("hull is not convex at %d", w)
		}
	}
	hullArea := new(big.Rat)
	o := pts[hull[0]]
	for i := 1; i+1 < h; i++ {
		hullArea.Add(hullArea, twiceArea(o, pts[hull[i]], pts[hull[i+1]]))
	}
	if area.Cmp(hullArea) != 0 {
		fail("triangles cover area %v, hull area %v", area.FloatString(6), hullArea.FloatString(6))
	}
	if want := 2*distinct - h - 2; nt != want {
		fail("%d triangles, want 2n-h-2 = %d (n=%d distinct, h=%d)", nt, want, distinct, h)
	}
	if opt.bruteHull {
		for i, v := range hull {
			w := hull[(i+1)%h]
			for p := range pts {
				if orientRef(pts[v], pts[w], pts[p]) < 0 {
					fail("point %d %v outside hull edge %d-%d", p, pts[p], v, w)
				}
			}
		}
	}
	if opt.bruteDelaunay {
		for k := range nt {
			a, b, c := pts[tri[3*k]], pts[tri[3*k+1]], pts[tri[3*k+2]]
			for p := range pts {
				if incircleRef(a, b, c, pts[p]) > 0 {
					fail("point %d %v inside circumcircle of triangle %d", p, pts[p], k)
				}
			}
		}
	}

	// EdgesAround: covers every half-edge once, counter-clockwise.
	seen := make([]bool, len(half))
	for p := range n {
		edges, hullFlag := tr.EdgesAround(p)
		if dups[p] != -1 {
			if len(edges) != 0 || hullFlag {
				fail("EdgesAround(duplicate %d) = %v, %v", p, edges, hullFlag)
			}
			continue
		}
		if hullFlag != onHull[p] {
			fail("EdgesAround(%d) onHull = %v, want %v", p, hullFlag, onHull[p])
		}
		if hullFlag && half[edges[0]] != -1 {
			fail("EdgesAround(%d) of a hull point does not start at the hull edge", p)
		}
		for i, e := range edges {
			if tri[e] != p {
				fail("EdgesAround(%d) has half-edge %d starting at %d", p, e, tri[e])
			}
			if seen[e] {
				fail("half-edge %d listed twice", e)
			}
			seen[e] = true
			if i > 0 {
				// previous edge's end, p, this edge's end must turn left
				// (or the angle is reflex only at hull points, never here
				// since consecutive edges bound one triangle).
				q, r := tri[next(edges[i-1])], tri[next(e)]
				if orientRef(pts[p], pts[q], pts[r]) <= 0 {
					fail("EdgesAround(%d) not counter-clockwise at %d", p, i)
				}
			}
		}
	}
	for e, s := range seen {
		if !s {
			fail("half-edge %d not returned by EdgesAround(%d)", e, tri[e])
		}
	}

	// Circumcenters are finite.
	for k := range nt {
		c := tr.Circumcenter(k)
		if math.IsNaN(c.X) || math.IsNaN(c.Y) || math.IsInf(c.X, 0) || math.IsInf(c.Y, 0) {
			a, b, cc := pts[tri[3*k]], pts[tri[3*k+1]], pts[tri[3*k+2]]
			if tame(a.X) && tame(a.Y) && tame(b.X) && tame(b.Y) && tame(cc.X) && tame(cc.Y) {
				fail("circumcenter of triangle %d is %v", k, c)
			}
		}
	}
}
