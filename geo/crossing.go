package geo

import (
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/rtree"

	"frontline/geo/delaunay"
)

// Crossings of a line with itself.
//
// A front line that crosses itself has no consistent sides, so imports
// refuse it and name the two edges. Edges are judged as straight segments
// in lon/lat, as GeoJSON validity is judged by GEOS and the simple-features
// model, and exactly: every decision is the sign of an orientation
// determinant of input coordinates, computed with a float64 filter and an
// exact fallback (delaunay.Predicates), so a vertex one ulp off an edge is
// on the side it is on.
//
// The refused configurations are defined on pairs of edges, so that the
// answer can be checked pair by pair (the tests do, with rational
// arithmetic). Zero-length edges (a position repeated exactly) are
// skipped; the neighbour of an edge at one of its ends is the next edge of
// its part that is not zero-length, and for the first and last edges of a
// closed part (first and last positions exactly equal) each other. Two
// edges cross when
//
//   - they are collinear and share a stretch of positive length (this
//     includes a part that doubles back on itself); or
//   - they meet in exactly one point X and the line passes through X from
//     one side to the other. At X each of the two edges belongs to a
//     passage of the line: the edge alone if X is inside it, the edge and
//     its neighbour if X is the end they share, the edge alone and ending
//     there if it has no neighbour at X (a loose end, which passes nowhere).
//     The edges cross when the passages are different, both pass through X
//     (two directions each), their four directions away from X are all
//     different and they alternate around X. A proper crossing inside both
//     edges is the simplest case; a path through a vertex that lies inside
//     another edge, or two paths through one vertex, cross the same way.
//
// So consecutive edges never cross at their shared vertex (unless they
// double back), a closed part does not cross at its closing vertex, and a
// path that comes to another edge or vertex and turns back to the side it
// came from only touches. The ends of parts are loose ends: a part that
// starts where another ends, or ends on another edge (a T), touches it, even
// when a third path passes through that point (the parts are separate curves;
// only a closed part joins its ends).

// Crossing names two edges of a line that cross. Edge i of a part runs from
// vertex i to vertex i+1, with parts and vertices numbered as given (before
// NewLine merges repeated vertices). Edge A comes before edge B along the
// line: in an earlier part, or earlier in the same part.
type Crossing struct {
	PartA, EdgeA int
	PartB, EdgeB int
	// Overlap says the edges share a stretch rather than cross at a point.
	Overlap bool
	// At is where: the crossing point, or, for an overlap, where the shared
	// stretch begins along edge B. It is a vertex of the line, except for a
	// crossing inside both edges, which is the exact point rounded to the
	// nearest float64 coordinates.
	At orb.Point
}

func (c Crossing) String() string {
	how := "cross at"
	if c.Overlap {
		how = "overlap from"
	}
	return fmt.Sprintf("part %d edge %d and part %d edge %d %s %g, %g",
		c.PartA, c.EdgeA, c.PartB, c.EdgeB, how, c.At[0], c.At[1])
}

// FirstCrossing returns where the line first crosses itself: drawing the
// line part after part from its first vertex, edge B is the first edge that
// crosses an edge drawn before it, and edge A the first edge it crosses (see
// Crossing for the numbering and the comment above for what crossing
// means). It reports false when no two edges cross.
//
// Positions must be finite, as NewLine requires; edges with a NaN or
// infinite coordinate are ignored. For n edges, the cost is O(n log n)
// whatever their shape, O(n log² n) at worst when there is a crossing, and
// the memory about 100 bytes per vertex (250 when there is a crossing).
func FirstCrossing(parts [][]orb.Point) (Crossing, bool) {
	f := newCrossFinder(parts)
	n := len(f.start)
	bad, a, b := f.sweep(int32(n))
	if !bad {
		return Crossing{}, false
	}
	if a, b, ok := f.firstByIndex(16*n + 1024); ok {
		return f.crossing(a, b), true
	}
	a, b = f.firstBySweeps(a, b)
	return f.crossing(a, b), true
}

// firstByIndex finds the first crossing by testing each edge, in line
// order, against the earlier edges whose boxes meet its box (from an
// R-tree), or gives up (ok false) after budget candidates: on a line
// wound so that boxes meet everywhere, bisection is faster.
func (f *crossFinder) firstByIndex(budget int) (ea, eb int32, ok bool) {
	n := len(f.start)
	box := func(e int32) rtree.Box {
		p, q := f.p(e), f.q(e)
		return rtree.Box{MinX: min(p[0], q[0]), MinY: min(p[1], q[1]), MaxX: max(p[0], q[0]), MaxY: max(p[1], q[1])}
	}
	items := make([]rtree.BulkItem, n)
	for e := range items {
		items[e] = rtree.BulkItem{Box: box(int32(e)), RecordID: e}
	}
	tree := rtree.BulkLoad(items)
	for b := range int32(n) {
		a := int32(-1)
		_ = tree.RangeSearch(box(b), func(id int) error {
			if budget--; budget < 0 {
				return rtree.Stop
			}
			if e := int32(id); e < b && (a < 0 || e < a) && f.crosses(e, b) {
				a = e
			}
			return nil
		})
		switch {
		case budget < 0:
			return -1, -1, false
		case a >= 0:
			return a, b, true
		}
	}
	return -1, -1, false // not reached when there is a crossing
}

// firstBySweeps finds the first crossing given one, a and b, by bisecting
// on prefixes of the line: the shortest prefix that holds a crossing ends
// with edge B, and each crossing found shortens the bracket further.
func (f *crossFinder) firstBySweeps(a, b int32) (ea, eb int32) {
	lo, hi := int32(0), max(a, b)+1 // prefix lo has no crossing, prefix hi has one
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if bad, a, b := f.sweep(mid); bad {
			hi = max(a, b) + 1
		} else {
			lo = mid
		}
	}
	eb = hi - 1
	for ea := range eb {
		if f.crosses(ea, eb) {
			return ea, eb
		}
	}
	// Not reached: the sweep found a crossing within the first hi edges
	// and none within the first hi-1. Stay a refusal rather than panic.
	return min(a, b), max(a, b)
}

// Why a sweep and not a spatial index. An R-tree or a grid over the edges'
// boxes proposes every pair whose boxes meet, and a valid line must have
// every proposed pair tested. Ordinary fronts give few pairs, but a valid
// line can make nearly all n² pairs meet: a zigzag of long, nearly parallel
// diagonal strokes, a spiral, a path wound in a small area. The sweep line
// of Shamos and Hoey (1976) decides whether any two edges cross in
// O(n log n) time whatever the shape: it keeps the edges that meet a
// vertical line moving east in their order along it, and only edges that
// become neighbours there are tested. What the classic sweep cannot handle,
// touches that are allowed and crossings exactly at a vertex, is settled at
// each vertex from the directions of all edges there (crossFinder.atVertex).
//
// The sweep answers "is there a crossing among these edges?", and valid
// lines, the ones imports accept, need nothing more. When there is one, the
// first along the line is wanted, which the sweep, finding crossings from
// west to east, cannot give. An R-tree (simplefeatures') proposes the
// earlier edges that may cross each edge in turn, which is quick for
// ordinary lines; if it proposes too many pairs, bisection on prefixes of
// the line (whether a prefix holds a crossing is monotone in its length)
// takes O(log n) sweeps instead.

// crossFinder holds a line as edges numbered in line order (part after part)
// and the state of the sweep.
type crossFinder struct {
	v     []orb.Point // the positions of all parts, one after another
	start []int32     // edge e runs from v[start[e]] to v[start[e]+1]
	part  []int32     // part of each edge
	off   []int32     // index in v of each part's first position
	// prev[e] and next[e] are e's neighbours at its first and second vertex,
	// -1 at a loose end.
	prev, next []int32
	pred       delaunay.Predicates

	junctions []crossJunction // sorted by position
	nodes     []crossNode     // the sweep's tree

	// Scratch for one vertex.
	rays   []crossRay
	visits []crossVisit
	starts []int32
	mid    []int32
	stack  []int32
}

// crossJunction is a place where the line passes or ends: the end of edge in
// and the start of edge out, its neighbour (either is -1 at a loose end).
type crossJunction struct {
	at      orb.Point
	in, out int32
}

// crossRay is one direction away from a vertex: towards to, along edge,
// within a passage of the line (visit). Real says edge is among the edges
// being swept; the other edge of a passage is taken for its direction only.
type crossRay struct {
	to    orb.Point
	edge  int32
	visit int32
	real  bool
}

// crossVisit is a passage of the line through a vertex.
type crossVisit struct {
	rays [2]int32 // its n directions, as indexes into the sorted rays
	n    int32
	tied bool // a ray shares its direction with another ray
	open bool // for the nesting check
}

// crossNode is a node of a treap (a binary search tree balanced by random
// priorities) holding the edges that meet the sweep line, in their order
// along it. Edge e enters the tree in node e; where the line simply goes on
// through a vertex, the next edge takes over the node of the one that ends
// there.
type crossNode struct{ edge, l, r int32 }

func newCrossFinder(parts [][]orb.Point) *crossFinder {
	f := &crossFinder{}
	nv := 0
	for _, p := range parts {
		nv += len(p)
	}
	f.v = make([]orb.Point, 0, nv)
	f.off = make([]int32, len(parts))
	f.start = make([]int32, 0, nv)
	f.part = make([]int32, 0, nv)
	f.prev = make([]int32, 0, nv)
	for pi, part := range parts {
		base := int32(len(f.v))
		f.off[pi] = base
		f.v = append(f.v, part...)
		first, last, chains := int32(-1), int32(-1), 0
		for j := 0; j+1 < len(part); j++ {
			a, b := part[j], part[j+1]
			if !crossFinite(a) || !crossFinite(b) {
				last = -1
				continue
			}
			if a == b {
				continue
			}
			e := int32(len(f.start))
			f.start = append(f.start, base+int32(j))
			f.part = append(f.part, int32(pi))
			f.prev = append(f.prev, last)
			if last < 0 {
				chains++
				first = e
			}
			last = e
		}
		// Close the part when its ends are one position and its edges one
		// chain (a NaN would break the chain).
		if chains == 1 && last > first && part[0] == part[len(part)-1] {
			f.prev[first] = last
		}
	}
	n := len(f.start)
	f.next = make([]int32, n)
	for e := range f.next {
		f.next[e] = -1
	}
	for e, p := range f.prev {
		if p >= 0 {
			f.next[p] = int32(e)
		}
	}
	f.junctions = make([]crossJunction, 0, n+len(parts))
	for e := range n {
		f.junctions = append(f.junctions, crossJunction{f.p(int32(e)), f.prev[e], int32(e)})
		if f.next[e] < 0 {
			f.junctions = append(f.junctions, crossJunction{f.q(int32(e)), int32(e), -1})
		}
	}
	f.junctions = crossSort(f.junctions)
	f.nodes = make([]crossNode, n)
	return f
}

// crossSort sorts junctions by position (crossLess order): a radix sort,
// least significant digit first, on the bit patterns of latitude then
// longitude, made to sort like the numbers; passes in which every junction
// has the same digit are skipped (lon/lat in one region share their high
// bits). Linear time: on 100,000 vertices it takes a third of the time of
// slices.SortFunc.
func crossSort(js []crossJunction) []crossJunction {
	if len(js) < 256 {
		slices.SortFunc(js, func(a, b crossJunction) int {
			switch {
			case crossLess(a.at, b.at):
				return -1
			case crossLess(b.at, a.at):
				return 1
			}
			return 0
		})
		return js
	}
	const bits, passes = 11, 12 // 6 digits of 11 bits cover 64
	const mask = 1<<bits - 1
	digit := func(j *crossJunction, pass int) int {
		c := 1 - pass/6 // latitude first
		return int(crossKey(j.at[c]) >> (bits * (pass % 6)) & mask)
	}
	counts := make([][1 << bits]int, passes)
	for i := range js {
		for pass := range passes {
			counts[pass][digit(&js[i], pass)]++
		}
	}
	src, dst := js, make([]crossJunction, len(js))
	for pass := range passes {
		c := &counts[pass]
		if c[digit(&src[0], pass)] == len(src) {
			continue
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for i := range src {
			d := digit(&src[i], pass)
			dst[c[d]] = src[i]
			c[d]++
		}
		src, dst = dst, src
	}
	return src
}

// crossKey maps a float64 to an integer that sorts like it (-0 as 0).
func crossKey(x float64) uint64 {
	if x == 0 {
		x = 0
	}
	b := math.Float64bits(x)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

func crossFinite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}

// p and q are the first and second vertex of edge e along the line; l and r
// its west and east end (south and north for an edge along a meridian).
func (f *crossFinder) p(e int32) orb.Point { return f.v[f.start[e]] }
func (f *crossFinder) q(e int32) orb.Point { return f.v[f.start[e]+1] }

func (f *crossFinder) lr(e int32) (orb.Point, orb.Point) {
	a, b := f.v[f.start[e]], f.v[f.start[e]+1]
	if crossLess(b, a) {
		return b, a
	}
	return a, b
}

// crossLess orders positions west to east, then south to north: the order
// in which the sweep meets them.
func crossLess(a, b orb.Point) bool {
	return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1])
}

// crossing describes the crossing of edges a < b, which must cross.
func (f *crossFinder) crossing(a, b int32) Crossing {
	c := Crossing{
		PartA: int(f.part[a]), EdgeA: int(f.start[a] - f.off[f.part[a]]),
		PartB: int(f.part[b]), EdgeB: int(f.start[b] - f.off[f.part[b]]),
	}
	kind, x := f.meet(a, b)
	switch kind {
	case meetOverlap:
		c.Overlap = true
		c.At = x
	case meetProper:
		c.At = crossPoint(f.p(a), f.q(a), f.p(b), f.q(b))
	default:
		c.At = x
	}
	return c
}

// How two edges meet.
const (
	meetNone    = iota
	meetProper  // at one point inside both
	meetTouch   // at one point, an end of at least one of them
	meetOverlap // along a stretch
)

// meet classifies how edges a and b meet, with the point where they touch,
// or where their shared stretch begins along b.
func (f *crossFinder) meet(a, b int32) (int, orb.Point) {
	pa, qa, pb, qb := f.p(a), f.q(a), f.p(b), f.q(b)
	if max(pa[0], qa[0]) < min(pb[0], qb[0]) || max(pb[0], qb[0]) < min(pa[0], qa[0]) ||
		max(pa[1], qa[1]) < min(pb[1], qb[1]) || max(pb[1], qb[1]) < min(pa[1], qa[1]) {
		return meetNone, orb.Point{}
	}
	o1, o2 := f.orient(pa, qa, pb), f.orient(pa, qa, qb)
	if o1 == 0 && o2 == 0 {
		// Collinear: along the common line the order of positions is
		// crossLess's.
		la, ra := f.lr(a)
		lb, rb := f.lr(b)
		lo, hi := la, ra
		if crossLess(lo, lb) {
			lo = lb
		}
		if crossLess(rb, hi) {
			hi = rb
		}
		switch {
		case crossLess(lo, hi):
			if pb == lb {
				return meetOverlap, lo
			}
			return meetOverlap, hi
		case lo == hi:
			return meetTouch, lo
		}
		return meetNone, orb.Point{}
	}
	if o1*o2 > 0 {
		return meetNone, orb.Point{}
	}
	o3, o4 := f.orient(pb, qb, pa), f.orient(pb, qb, qa)
	if o3*o4 > 0 {
		return meetNone, orb.Point{}
	}
	if o1*o2 < 0 && o3*o4 < 0 {
		return meetProper, orb.Point{}
	}
	// An end of one lies on the line of the other. The edges are not
	// collinear, so they share at most one point: any end that lies on the
	// other edge is it.
	switch {
	case o1 == 0 && crossWithin(pb, pa, qa):
		return meetTouch, pb
	case o2 == 0 && crossWithin(qb, pa, qa):
		return meetTouch, qb
	case o3 == 0 && crossWithin(pa, pb, qb):
		return meetTouch, pa
	case o4 == 0 && crossWithin(qa, pb, qb):
		return meetTouch, qa
	}
	return meetNone, orb.Point{}
}

// crossWithin says whether x, collinear with a and b, lies between them.
func crossWithin(x, a, b orb.Point) bool {
	if crossLess(b, a) {
		a, b = b, a
	}
	return !crossLess(x, a) && !crossLess(b, x)
}

// crosses says whether edges a and b cross (the definition at the top of
// the file), with the neighbours of the whole line.
func (f *crossFinder) crosses(a, b int32) bool {
	kind, x := f.meet(a, b)
	switch kind {
	case meetProper, meetOverlap:
		return true
	case meetNone:
		return false
	}
	if (x == f.p(a) && f.prev[a] == b) || (x == f.q(a) && f.next[a] == b) {
		return false // one passage
	}
	v1, v2, ok := f.passage(a, x)
	if !ok {
		return false
	}
	w1, w2, ok := f.passage(b, x)
	if !ok {
		return false
	}
	if f.sameDir(x, v1, v2) || f.sameDir(x, w1, w2) || f.sameDir(x, v1, w1) ||
		f.sameDir(x, v1, w2) || f.sameDir(x, v2, w1) || f.sameDir(x, v2, w2) {
		return false
	}
	return f.alternate(x, v1, v2, w1, w2)
}

// passage returns the two directions (as points) in which the line's
// passage through x along edge e leaves x; false at a loose end.
func (f *crossFinder) passage(e int32, x orb.Point) (orb.Point, orb.Point, bool) {
	p, q := f.p(e), f.q(e)
	switch x {
	case p:
		if f.prev[e] < 0 {
			return q, q, false
		}
		return q, f.p(f.prev[e]), true
	case q:
		if f.next[e] < 0 {
			return p, p, false
		}
		return p, f.q(f.next[e]), true
	}
	return p, q, true
}

// sweep decides whether any two of edges 0..k-1 cross. If they do, it
// returns two that do.
func (f *crossFinder) sweep(k int32) (bad bool, ea, eb int32) {
	root := int32(-1)
	js := f.junctions
	for i := 0; i < len(js); {
		x := js[i].at
		j := i + 1
		for j < len(js) && js[j].at == x {
			j++
		}
		group := js[i:j]
		i = j

		// The passages of the line through x that are in play, and the
		// edges that start at x.
		f.rays, f.visits, f.starts = f.rays[:0], f.visits[:0], f.starts[:0]
		for _, jn := range group {
			inReal := jn.in >= 0 && jn.in < k
			outReal := jn.out >= 0 && jn.out < k
			if !inReal && !outReal {
				continue
			}
			vis := int32(len(f.visits))
			f.visits = append(f.visits, crossVisit{})
			if jn.in >= 0 {
				f.rays = append(f.rays, crossRay{f.p(jn.in), jn.in, vis, inReal})
				if inReal && crossLess(x, f.p(jn.in)) {
					f.starts = append(f.starts, jn.in)
				}
			}
			if jn.out >= 0 {
				f.rays = append(f.rays, crossRay{f.q(jn.out), jn.out, vis, outReal})
				if outReal && crossLess(x, f.q(jn.out)) {
					f.starts = append(f.starts, jn.out)
				}
			}
		}
		if len(f.visits) == 0 {
			continue
		}
		if len(group) == 1 && len(f.rays) == 2 && len(f.starts) == 1 && f.rays[0].real && f.rays[1].real {
			// The line goes on through x, and likely nothing else is there.
			ending, starting := group[0].in, f.starts[0]
			if ending == starting {
				ending = group[0].out
			}
			if ok, bad, ea, eb := f.through(root, x, ending, starting); ok {
				if bad {
					return true, ea, eb
				}
				continue
			}
		}

		// The edges that meet x already in the tree: those ending at x and
		// those passing through it.
		below, rest := f.split(root, x, false)
		mid, above := f.split(rest, x, true)
		f.mid = f.inorder(mid, f.mid[:0])
		passing := int32(-1)
		for _, e := range f.mid {
			if l, r := f.lr(e); l != x && r != x {
				vis := int32(len(f.visits))
				f.visits = append(f.visits, crossVisit{})
				f.rays = append(f.rays, crossRay{l, e, vis, true}, crossRay{r, e, vis, true})
				passing = e
			}
		}
		if bad, ea, eb := f.atVertex(x); bad {
			return true, ea, eb
		}

		// Put back the edge passing through x (at most one, or they would
		// cross) and add those starting there, in their order east of x.
		if passing >= 0 {
			f.starts = append(f.starts, passing)
		}
		slices.SortFunc(f.starts, func(a, b int32) int {
			_, ra := f.lr(a)
			_, rb := f.lr(b)
			return -f.orient(x, ra, rb)
		})
		block := int32(-1)
		for _, e := range f.starts {
			f.nodes[e] = crossNode{e, -1, -1}
			block = f.merge(block, e)
		}
		lo, hi := f.last(below), f.first(above)
		if len(f.starts) > 0 {
			if lo >= 0 && f.properly(lo, f.starts[0]) {
				return true, lo, f.starts[0]
			}
			if s := f.starts[len(f.starts)-1]; hi >= 0 && f.properly(s, hi) {
				return true, s, hi
			}
		} else if lo >= 0 && hi >= 0 && f.properly(lo, hi) {
			return true, lo, hi
		}
		root = f.merge(f.merge(below, block), above)
	}
	return false, -1, -1
}

// properly says whether edges a and b cross at a point inside both: the one
// kind of crossing that needs no vertex, found when they are neighbours.
func (f *crossFinder) properly(a, b int32) bool {
	la, ra := f.lr(a)
	lb, rb := f.lr(b)
	if ra[0] < lb[0] || rb[0] < la[0] ||
		max(la[1], ra[1]) < min(lb[1], rb[1]) || max(lb[1], rb[1]) < min(la[1], ra[1]) {
		return false
	}
	return f.orient(la, ra, lb)*f.orient(la, ra, rb) < 0 && f.orient(lb, rb, la)*f.orient(lb, rb, ra) < 0
}

// atVertex looks for a crossing at x among the passages in f.visits, whose
// directions are in f.rays, and returns two real edges that cross there.
func (f *crossFinder) atVertex(x orb.Point) (bad bool, ea, eb int32) {
	rays, visits := f.rays, f.visits
	// The common case, the line passing through x once: it crosses itself
	// only if it doubles back.
	if len(visits) == 1 {
		if len(rays) == 2 && rays[0].real && rays[1].real && f.sameDir(x, rays[0].to, rays[1].to) {
			return true, rays[0].edge, rays[1].edge
		}
		return false, -1, -1
	}
	slices.SortFunc(rays, func(a, b crossRay) int { return f.angleCmp(x, a.to, b.to) })
	for i := range rays {
		v := &visits[rays[i].visit]
		v.rays[v.n] = int32(i)
		v.n++
	}
	// Rays in one direction: two real ones are edges sharing a stretch.
	// Others involve an edge beyond the prefix being swept, and their
	// passages are checked one by one below.
	for i := 0; i < len(rays); {
		j := i + 1
		for j < len(rays) && f.angleCmp(x, rays[i].to, rays[j].to) == 0 {
			j++
		}
		if j-i > 1 {
			first := int32(-1)
			for _, r := range rays[i:j] {
				visits[r.visit].tied = true
				if r.real {
					if first >= 0 {
						return true, first, r.edge
					}
					first = r.edge
				}
			}
		}
		i = j
	}
	for vi := range visits {
		v := &visits[vi]
		if !v.tied || v.n < 2 {
			continue
		}
		for wi := range visits {
			w := &visits[wi]
			if wi == vi || w.n < 2 {
				continue
			}
			v1, v2 := rays[v.rays[0]].to, rays[v.rays[1]].to
			w1, w2 := rays[w.rays[0]].to, rays[w.rays[1]].to
			if f.sameDir(x, v1, v2) || f.sameDir(x, w1, w2) || f.sameDir(x, v1, w1) ||
				f.sameDir(x, v1, w2) || f.sameDir(x, v2, w1) || f.sameDir(x, v2, w2) {
				continue
			}
			if f.alternate(x, v1, v2, w1, w2) {
				return true, f.realEdge(v), f.realEdge(w)
			}
		}
	}
	// The other passages, in angular order around x, must nest like
	// brackets: a passage that closes while one opened after it is still
	// open has that one's directions on both of its sides.
	f.stack = f.stack[:0]
	for i := range rays {
		vi := rays[i].visit
		v := &visits[vi]
		if v.tied || v.n < 2 {
			continue
		}
		if !v.open {
			v.open = true
			f.stack = append(f.stack, vi)
			continue
		}
		top := f.stack[len(f.stack)-1]
		if top != vi {
			return true, f.realEdge(v), f.realEdge(&visits[top])
		}
		f.stack = f.stack[:len(f.stack)-1]
	}
	return false, -1, -1
}

func (f *crossFinder) realEdge(v *crossVisit) int32 {
	if r := f.rays[v.rays[0]]; r.real {
		return r.edge
	}
	return f.rays[v.rays[1]].edge
}

// angleCmp orders directions from x counterclockwise from east (east
// first); zero means the same direction.
func (f *crossFinder) angleCmp(x, a, b orb.Point) int {
	ha, hb := crossHalf(x, a), crossHalf(x, b)
	if ha != hb {
		return ha - hb
	}
	return -f.orient(x, a, b)
}

// crossHalf is 0 for directions from x in [0°, 180°), 1 in [180°, 360°).
func crossHalf(x, a orb.Point) int {
	if a[1] > x[1] || (a[1] == x[1] && a[0] > x[0]) {
		return 0
	}
	return 1
}

func (f *crossFinder) sameDir(x, a, b orb.Point) bool {
	return crossHalf(x, a) == crossHalf(x, b) && f.orient(x, a, b) == 0
}

// alternate says whether the passage w1-x-w2 goes from one side of the
// passage v1-x-v2 to the other: whether exactly one of w1, w2 lies in the
// open angle swept counterclockwise from v1 to v2. The four directions must
// be different.
func (f *crossFinder) alternate(x, v1, v2, w1, w2 orb.Point) bool {
	return f.inAngle(x, v1, v2, w1) != f.inAngle(x, v1, v2, w2)
}

func (f *crossFinder) inAngle(x, v1, v2, d orb.Point) bool {
	switch f.orient(x, v1, v2) {
	case 1: // less than a half turn
		return f.orient(x, v1, d) > 0 && f.orient(x, d, v2) > 0
	case -1: // more than a half turn: not in the rest
		return !(f.orient(x, v2, d) > 0 && f.orient(x, d, v1) > 0)
	}
	return f.orient(x, v1, d) > 0 // a half turn: the left side of v1
}

// The sweep's tree. Edges are ordered along the sweep line; at vertex x an
// edge is below x, through x or above x, and the tree splits on that.

// split cuts tree t into the edges below x and the rest, or, with on, the
// edges below or through x and the rest.
func (f *crossFinder) split(t int32, x orb.Point, on bool) (int32, int32) {
	if t < 0 {
		return -1, -1
	}
	l, r := f.lr(f.nodes[t].edge)
	if o := f.orient(l, r, x); o > 0 || (on && o == 0) {
		a, b := f.split(f.nodes[t].r, x, on)
		f.nodes[t].r = a
		return t, b
	}
	a, b := f.split(f.nodes[t].l, x, on)
	f.nodes[t].l = b
	return a, t
}

// merge joins trees a and b, every edge of a below every edge of b.
func (f *crossFinder) merge(a, b int32) int32 {
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	case crossPriority(a) > crossPriority(b):
		f.nodes[a].r = f.merge(f.nodes[a].r, b)
		return a
	}
	f.nodes[b].l = f.merge(a, f.nodes[b].l)
	return b
}

// crossPriority is node t's random priority: a fixed hash, so that runs
// are repeatable.
func crossPriority(t int32) uint32 {
	h := uint32(t) * 0x9E3779B1
	h ^= h >> 15
	h *= 0x85EBCA77
	return h ^ h>>13
}

func (f *crossFinder) inorder(t int32, out []int32) []int32 {
	if t < 0 {
		return out
	}
	out = f.inorder(f.nodes[t].l, out)
	out = append(out, f.nodes[t].edge)
	return f.inorder(f.nodes[t].r, out)
}

// first and last return the lowest and highest edge of tree t, or -1.
func (f *crossFinder) first(t int32) int32 {
	if t < 0 {
		return -1
	}
	for f.nodes[t].l >= 0 {
		t = f.nodes[t].l
	}
	return f.nodes[t].edge
}

func (f *crossFinder) last(t int32) int32 {
	if t < 0 {
		return -1
	}
	for f.nodes[t].r >= 0 {
		t = f.nodes[t].r
	}
	return f.nodes[t].edge
}

// through handles vertex x where the line goes on from edge ending, which
// ends there in the sweep's order, to its neighbour starting, which starts
// there, without reshaping the tree: if no other edge of the tree meets x,
// starting takes over ending's node and is tested against its new
// neighbours. ok false means another edge is there and the general case
// must decide.
func (f *crossFinder) through(root int32, x orb.Point, ending, starting int32) (ok, bad bool, ea, eb int32) {
	below, above := int32(-1), int32(-1)
	t := root
	for t >= 0 {
		e := f.nodes[t].edge
		l, r := f.lr(e)
		switch o := f.orient(l, r, x); {
		case o > 0:
			below, t = e, f.nodes[t].r
			continue
		case o < 0:
			above, t = e, f.nodes[t].l
			continue
		case e != ending:
			return false, false, -1, -1
		}
		break
	}
	if t < 0 {
		return false, false, -1, -1 // not reached while the tree is in order
	}
	if n := f.nodes[t].l; n >= 0 {
		below = f.last(n)
		if l, r := f.lr(below); f.orient(l, r, x) == 0 {
			return false, false, -1, -1
		}
	}
	if n := f.nodes[t].r; n >= 0 {
		above = f.first(n)
		if l, r := f.lr(above); f.orient(l, r, x) == 0 {
			return false, false, -1, -1
		}
	}
	f.nodes[t].edge = starting
	if below >= 0 && f.properly(below, starting) {
		return true, true, below, starting
	}
	if above >= 0 && f.properly(starting, above) {
		return true, true, starting, above
	}
	return true, false, -1, -1
}

// orient returns +1 if c lies to the left of the directed line a→b, -1 to
// its right and 0 on it, exactly (Shewchuk's adaptive orient2d, math/big
// for coordinates absurdly close to 0).
func (f *crossFinder) orient(a, b, c orb.Point) int {
	return f.pred.Orient(delaunay.Point{X: a[0], Y: a[1]}, delaunay.Point{X: b[0], Y: b[1]}, delaunay.Point{X: c[0], Y: c[1]})
}

// crossPoint is where the lines through a-b and c-d meet (they must not be
// parallel), exactly, rounded to float64.
func crossPoint(a, b, c, d orb.Point) orb.Point {
	r := func(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }
	sub := func(x, y float64) *big.Rat { return new(big.Rat).Sub(r(x), r(y)) }
	mul := func(x, y *big.Rat) *big.Rat { return new(big.Rat).Mul(x, y) }
	rx, ry := sub(b[0], a[0]), sub(b[1], a[1])
	sx, sy := sub(d[0], c[0]), sub(d[1], c[1])
	wx, wy := sub(c[0], a[0]), sub(c[1], a[1])
	den := new(big.Rat).Sub(mul(rx, sy), mul(ry, sx))
	t := new(big.Rat).Sub(mul(wx, sy), mul(wy, sx))
	t.Quo(t, den)
	x, _ := new(big.Rat).Add(r(a[0]), mul(t, rx)).Float64()
	y, _ := new(big.Rat).Add(r(a[1]), mul(t, ry)).Float64()
	return orb.Point{x, y}
}
