package tiles

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// Shared-edge simplification. Douglas-Peucker run on each line or ring
// alone would simplify an edge two zones share differently in each, and
// open slivers between them. So a vertex where lines or rings that share
// points part ways is an anchor that every one of them keeps, and the
// runs between anchors, the same points in every line or ring that has
// them, are simplified alike (in one direction), so they come out the
// same.

// vertex is a point's bits, a cheaper map key than its float64s.
type vertex [2]uint64

func vertexOf(p orb.Point) vertex { return vertex{math.Float64bits(p[0]), math.Float64bits(p[1])} }

// share counts the lines and rings each vertex is on, then starts every
// ring at an anchor (see startRing).
func (s *Source) share() {
	n := 0
	for _, f := range s.feats {
		mapPaths(f.geom, func(path []orb.Point, _ pathKind) []orb.Point {
			n += len(path)
			return path
		})
	}
	s.shared = make(map[vertex]int, n)
	for _, f := range s.feats {
		mapPaths(f.geom, func(path []orb.Point, k pathKind) []orb.Point {
			if k == pathOuter || k == pathHole {
				path = path[:len(path)-1] // the closing point is the first
			}
			if k != pathPoint {
				for _, p := range path {
					s.shared[vertexOf(p)]++
				}
			}
			return path
		})
	}
	for i := range s.feats {
		s.feats[i].geom = mapPaths(s.feats[i].geom, func(path []orb.Point, k pathKind) []orb.Point {
			if k == pathOuter || k == pathHole {
				return s.startRing(path)
			}
			return path
		})
	}
}

// anchor says whether the vertex between prev and next must stay when
// its line or ring is simplified: it is shared, and its neighbours are
// not shared as it is, so a shared run starts or ends there.
func (s *Source) anchor(prev, p, next orb.Point) bool {
	c := s.shared[vertexOf(p)]
	return c >= 2 && (s.shared[vertexOf(prev)] != c || s.shared[vertexOf(next)] != c)
}

// startRing starts a closed ring at its first anchor, or for a ring with
// none at its least point, because simplification keeps a ring's start:
// so started, it is the same in every ring it shares points with.
func (s *Source) startRing(r []orb.Point) []orb.Point {
	m := len(r) - 1 // the closing point is the first
	if m < 2 {
		return r
	}
	start := -1
	for i := 0; i < m && start < 0; i++ {
		if s.anchor(r[(i+m-1)%m], r[i], r[(i+1)%m]) {
			start = i
		}
	}
	if start < 0 {
		start = 0
		for i := 1; i < m; i++ {
			if less(r[i], r[start]) {
				start = i
			}
		}
	}
	if start == 0 {
		return r
	}
	out := make([]orb.Point, 0, len(r))
	return append(append(append(out, r[start:m]...), r[:start]...), r[start])
}

// simplifyPath simplifies one line or ring with Douglas-Peucker, keeping
// its ends and its anchors. Between those, shared runs hold the same
// points and are simplified in the same direction, so they come out the
// same in every feature: sector pieces keep their ends and neighbouring
// zones one common edge. A path that loses nothing is returned as is.
func (s *Source) simplifyPath(path []orb.Point, k pathKind, tol float64) []orb.Point {
	n := len(path)
	if k == pathPoint || n <= 2 {
		return path
	}
	out := append(make([]orb.Point, 0, n/4+2), path[0])
	from := 0
	for i := 1; i < n; i++ {
		if i < n-1 && !s.anchor(path[i-1], path[i], path[i+1]) {
			continue
		}
		out = append(out, simplifyRun(path[from:i+1], tol)[1:]...)
		from = i
	}
	switch {
	case len(out) == n:
		return path
	case (k == pathOuter || k == pathHole) && len(out) < 4:
		return nil
	}
	return out
}

// simplifyRun simplifies a run between anchors in the direction of its
// least end, so that the same run simplifies alike whichever way a line
// or ring goes through it.
func simplifyRun(run []orb.Point, tol float64) []orb.Point {
	if len(run) <= 2 {
		return run
	}
	ls := append(orb.LineString(nil), run...) // simplified in place
	m := len(ls) - 1
	rev := less(ls[m], ls[0]) || (ls[m] == ls[0] && less(ls[m-1], ls[1]))
	if rev {
		reverse(ls)
	}
	ls = simplify.DouglasPeucker(tol).LineString(ls)
	if rev {
		reverse(ls)
	}
	return ls
}

func less(a, b orb.Point) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }

func reverse(ls orb.LineString) {
	for i, j := 0, len(ls)-1; i < j; i, j = i+1, j-1 {
		ls[i], ls[j] = ls[j], ls[i]
	}
}
