package delaunay

// Incremental construction.
//
// Internally the points are renumbered in insertion order (internal id k is
// the k-th point inserted) and all indexes are int32, which keeps the
// working set small and the memory accesses of consecutive insertions
// close together. finish translates back to input indexes.

// locate results
const (
	locInside  = iota // strictly inside the triangle of half-edge e
	locEdge           // on the open edge e
	locVertex         // equal to the start point of half-edge e
	locOutside        // outside the hull; e is a hull edge with the point strictly to its right
)

type builder struct {
	input []Point // as given, input order
	orig  []idx   // orig[k]: input index of internal point k
	pts   []Point // pts[k] = input[orig[k]]

	tri  []idx // triangle corners (internal point ids)
	half []idx // opposite half-edges, -1 on the hull
	nt   int   // number of triangles

	hullNext, hullPrev []idx // hull as a circular doubly linked list of internal ids
	hullEdge           []idx // hullEdge[v]: the hull half-edge starting at v, if v is on the hull
	hullStart          int

	dup []int // by input index: input index of the duplicated point, or -1

	stack []idx // edges to legalize
	last  int   // a half-edge of the most recently created triangle: where walks start
	rng   uint64
	bits  uint64
	nbits int
	pr    predicates
}

func newBuilder(points []Point, exactOnly bool) *builder {
	n := len(points)
	maxTri := 2 * n
	ints := make([]idx, 6*maxTri+4*n)
	cut := func(size int) []idx {
		s := ints[:size:size]
		ints = ints[size:]
		return s
	}
	b := &builder{
		input:    points,
		pts:      make([]Point, n),
		tri:      cut(3 * maxTri),
		half:     cut(3 * maxTri),
		hullNext: cut(n),
		hullPrev: cut(n),
		hullEdge: cut(n),
		orig:     cut(n),
		dup:      make([]int, n),
		stack:    make([]idx, 0, 1024),
		rng:      0x9e3779b97f4a7c15,
	}
	b.pr.exactOnly = exactOnly
	// tri and half are free until the first triangle is made.
	insertionOrder(points, b.orig, b.tri)
	for i := range b.dup {
		b.dup[i] = -1
	}
	return b
}

// seed picks the first point of the insertion order, the first point
// distinct from it and the first point not collinear with both, makes them
// internal points 0, 1, 2 (counter-clockwise) and their triangle the first
// one. The other points keep their relative order. It reports false if no
// such triple exists.
func (b *builder) seed() bool {
	// The insertion order is in orig; move it to scratch space.
	n := len(b.orig)
	order := b.half[:n]
	copy(order, b.orig)
	in := b.input
	at := func(k int) int { return int(order[k]) }
	i0 := at(0)
	k1 := -1
	for k := 1; k < n; k++ {
		if in[at(k)] != in[i0] {
			k1 = k
			break
		}
	}
	if k1 < 0 {
		return false
	}
	i1 := at(k1)
	k2 := -1
	for k := k1 + 1; k < n; k++ {
		if b.pr.orient(in[i0], in[i1], in[at(k)]) != 0 {
			k2 = k
			break
		}
	}
	if k2 < 0 {
		return false
	}
	i2 := at(k2)
	if b.pr.orient(in[i0], in[i1], in[i2]) < 0 {
		i1, i2 = i2, i1
	}
	b.orig[0], b.orig[1], b.orig[2] = idx(i0), idx(i1), idx(i2)
	j := 3
	for k := 1; k < n; k++ {
		if k != k1 && k != k2 {
			b.orig[j] = idx(at(k))
			j++
		}
	}
	for k, o := range b.orig {
		b.pts[k] = in[o]
	}

	b.addTri(0, 1, 2)
	b.link(0, -1)
	b.link(1, -1)
	b.link(2, -1)
	b.hullNext[0], b.hullNext[1], b.hullNext[2] = 1, 2, 0
	b.hullPrev[0], b.hullPrev[1], b.hullPrev[2] = 2, 0, 1
	b.hullStart = 0
	b.last = 0
	return true
}

func (b *builder) addTri(v0, v1, v2 int) int {
	t := b.nt
	b.nt++
	b.tri[3*t] = idx(v0)
	b.tri[3*t+1] = idx(v1)
	b.tri[3*t+2] = idx(v2)
	return t
}

func (b *builder) setTri(t, v0, v1, v2 int) {
	b.tri[3*t] = idx(v0)
	b.tri[3*t+1] = idx(v1)
	b.tri[3*t+2] = idx(v2)
}

// link makes e and f opposite half-edges; f == -1 marks e as a hull edge and
// records it as the hull edge leaving its start point. Every write of a -1
// goes through link, so hullEdge stays exact.
func (b *builder) link(e, f int) {
	b.half[e] = idx(f)
	if f >= 0 {
		b.half[f] = idx(e)
	} else {
		b.hullEdge[b.tri[e]] = idx(e)
	}
}

func (b *builder) random() uint64 {
	// xorshift64
	x := b.rng
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	b.rng = x
	return x
}

// coin returns a pseudo-random bit.
func (b *builder) coin() bool {
	if b.nbits == 0 {
		b.bits = b.random()
		b.nbits = 64
	}
	c := b.bits&1 != 0
	b.bits >>= 1
	b.nbits--
	return c
}

var nextIn = [3]int{1, 2, 0}

// locate finds where p lies by a randomized visibility walk from the
// triangle of half-edge start: from the current triangle, cross an edge
// that has p strictly on its other side (choosing at random between two
// candidates), until no such edge exists or the hull is left. In a Delaunay
// triangulation this walk cannot cycle (Edelsbrunner's acyclicity theorem);
// a step limit still guards against it, falling back to an exhaustive
// search.
func (b *builder) locate(p Point, start int) (int, int) {
	tri, half, pts := b.tri, b.half, b.pts
	e0 := start - start%3
	skip := -1 // edge (0..2) of triangle e0 through which the walk entered
	limit := 2*b.nt + 64
	for steps := 0; steps < limit; steps++ {
		q := [3]Point{pts[tri[e0]], pts[tri[e0+1]], pts[tri[e0+2]]}
		ord := [3]int{0, 1, 2}
		m := 3
		if skip >= 0 {
			ord[0], ord[1] = nextIn[skip], nextIn[nextIn[skip]]
			if b.coin() {
				ord[0], ord[1] = ord[1], ord[0]
			}
			m = 2
		}
		zero, nz := -1, 0
		moved := false
		for _, k := range ord[:m] {
			o := b.pr.orient(q[k], q[nextIn[k]], p)
			if o < 0 {
				h := int(half[e0+k])
				if h < 0 {
					return e0 + k, locOutside
				}
				skip = h % 3
				e0 = h - skip
				moved = true
				break
			}
			if o == 0 {
				zero = e0 + k
				nz++
			}
		}
		if !moved {
			return b.classify(p, e0, zero, nz)
		}
	}
	return b.locateBrute(p)
}

// classify reports the location of p, known to be in the closed triangle of
// half-edge e0 with nz zero orientations, the last one on edge zero.
func (b *builder) classify(p Point, e0, zero, nz int) (int, int) {
	for s := e0; s < e0+3; s++ {
		if b.pts[b.tri[s]] == p {
			return s, locVertex
		}
	}
	if nz == 0 {
		return e0, locInside
	}
	return zero, locEdge
}

func (b *builder) locateBrute(p Point) (int, int) {
	for t := 0; t < b.nt; t++ {
		zero, nz := -1, 0
		in := true
		for s := 3 * t; s < 3*t+3; s++ {
			o := b.pr.orient(b.pts[b.tri[s]], b.pts[b.tri[Next(s)]], p)
			if o < 0 {
				in = false
				break
			}
			if o == 0 {
				zero = s
				nz++
			}
		}
		if in {
			return b.classify(p, 3*t, zero, nz)
		}
	}
	v := b.hullStart
	for {
		w := int(b.hullNext[v])
		if b.pr.orient(b.pts[v], b.pts[w], p) < 0 {
			return int(b.hullEdge[v]), locOutside
		}
		v = w
		if v == b.hullStart {
			break
		}
	}
	panic("delaunay: internal error: point location failed")
}

// insert adds internal point i.
func (b *builder) insert(i int) {
	p := b.pts[i]
	e, where := b.locate(p, b.last)
	switch where {
	case locVertex:
		b.dup[b.orig[i]] = int(b.orig[b.tri[e]])
		return
	case locInside:
		b.splitTriangle(i, e/3)
	case locEdge:
		if b.half[e] < 0 {
			b.splitHullEdge(i, e)
		} else {
			b.splitEdge(i, e)
		}
	case locOutside:
		b.addOutside(i, e)
	}
	b.legalize(i)
}

// In the split functions below, every new triangle has point i as its
// third corner, so its first half-edge is the one opposite i, the one to
// legalize.

// splitTriangle inserts point i strictly inside triangle t.
func (b *builder) splitTriangle(i, t int) {
	a, bb, c := int(b.tri[3*t]), int(b.tri[3*t+1]), int(b.tri[3*t+2])
	h0, h1, h2 := int(b.half[3*t]), int(b.half[3*t+1]), int(b.half[3*t+2])
	t1 := b.addTri(bb, c, i)
	t2 := b.addTri(c, a, i)
	b.setTri(t, a, bb, i)
	b.link(3*t, h0)
	b.link(3*t1, h1)
	b.link(3*t2, h2)
	b.link(3*t+1, 3*t1+2)
	b.link(3*t1+1, 3*t2+2)
	b.link(3*t2+1, 3*t+2)
	b.stack = append(b.stack, idx(3*t), idx(3*t1), idx(3*t2))
	b.last = 3 * t
}

// splitHullEdge inserts point i on the open hull edge e.
func (b *builder) splitHullEdge(i, e int) {
	t := e / 3
	a, bb, c := int(b.tri[e]), int(b.tri[Next(e)]), int(b.tri[Prev(e)])
	hbc, hca := int(b.half[Next(e)]), int(b.half[Prev(e)])
	t1 := b.addTri(c, a, i)
	b.setTri(t, bb, c, i)
	b.link(3*t, hbc)
	b.link(3*t1, hca)
	b.link(3*t+1, 3*t1+2)
	b.link(3*t+2, -1)  // i -> bb
	b.link(3*t1+1, -1) // a -> i
	b.hullNext[a] = idx(i)
	b.hullPrev[i] = idx(a)
	b.hullNext[i] = idx(bb)
	b.hullPrev[bb] = idx(i)
	b.stack = append(b.stack, idx(3*t), idx(3*t1))
	b.last = 3 * t
}

// splitEdge inserts point i on the open interior edge e.
func (b *builder) splitEdge(i, e int) {
	f := int(b.half[e])
	ta, tb := e/3, f/3
	a, bb, c := int(b.tri[e]), int(b.tri[Next(e)]), int(b.tri[Prev(e)])
	d := int(b.tri[Prev(f)])
	hbc, hca := int(b.half[Next(e)]), int(b.half[Prev(e)])
	had, hdb := int(b.half[Next(f)]), int(b.half[Prev(f)])
	tc := b.addTri(c, a, i)
	td := b.addTri(d, bb, i)
	b.setTri(ta, bb, c, i)
	b.setTri(tb, a, d, i)
	b.link(3*ta, hbc)
	b.link(3*tb, had)
	b.link(3*tc, hca)
	b.link(3*td, hdb)
	b.link(3*ta+1, 3*tc+2)
	b.link(3*ta+2, 3*td+1)
	b.link(3*tb+1, 3*td+2)
	b.link(3*tb+2, 3*tc+1)
	b.stack = append(b.stack, idx(3*ta), idx(3*tb), idx(3*tc), idx(3*td))
	b.last = 3 * ta
}

// addOutside inserts point i outside the hull; e is a hull edge with i
// strictly to its right. It connects i to the chain of hull edges that have
// i strictly to their right: the chain is contiguous and contains e. Hull
// edges whose line passes through i are not in it, so hull points collinear
// with i stay on the hull.
func (b *builder) addOutside(i, e int) {
	p := b.pts[i]
	a, c := int(b.tri[e]), int(b.tri[Next(e)])
	s := a
	for {
		q := int(b.hullPrev[s])
		if q == c || b.pr.orient(b.pts[q], b.pts[s], p) >= 0 {
			break
		}
		s = q
	}
	end := c
	for {
		q := int(b.hullNext[end])
		if q == s || b.pr.orient(b.pts[end], b.pts[q], p) >= 0 {
			break
		}
		end = q
	}
	prevPV := -1
	for u := s; u != end; {
		v := int(b.hullNext[u])
		he := int(b.hullEdge[u])
		t := b.addTri(v, u, i)
		b.link(3*t, he)
		b.link(3*t+1, prevPV) // u -> i; -1 for the first triangle (s -> i is a hull edge)
		prevPV = 3*t + 2
		b.stack = append(b.stack, idx(3*t))
		u = v
	}
	b.link(prevPV, -1) // i -> end
	b.hullNext[s] = idx(i)
	b.hullPrev[i] = idx(s)
	b.hullNext[i] = idx(end)
	b.hullPrev[end] = idx(i)
	b.hullStart = i
	b.last = prevPV
}

// legalize restores the Delaunay property after inserting point i by
// Lawson flips: an edge a-b opposite i whose neighbouring triangle's third
// point d lies strictly inside the circle through a, b, i is replaced by
// i-d. Every half-edge on the stack lies in a triangle containing i and is
// the edge opposite i; a flip only rewrites the two triangles involved, so
// the other stacked half-edges stay valid.
func (b *builder) legalize(i int) {
	p := b.pts[i]
	tri, half, pts := b.tri, b.half, b.pts
	for len(b.stack) > 0 {
		e := int(b.stack[len(b.stack)-1])
		b.stack = b.stack[:len(b.stack)-1]
		f := int(half[e])
		if f < 0 {
			continue
		}
		n0 := Next(e)
		n1, p1 := Next(f), Prev(f)
		d := tri[p1]
		if b.pr.incircle(pts[tri[e]], pts[tri[n0]], p, pts[d]) <= 0 {
			continue
		}
		// Flip a-b to i-d: triangle (a,b,i) becomes (a,d,i) and
		// (b,a,d) becomes (b,i,d).
		hbi := int(half[n0])
		had := int(half[n1])
		tri[n0] = d
		tri[n1] = idx(i)
		b.link(e, had)
		b.link(f, hbi)
		b.link(n0, n1)
		b.stack = append(b.stack, idx(e), idx(p1))
	}
}

// finish builds the Triangulation in input indexes.
func (b *builder) finish() *Triangulation {
	n := len(b.pts)
	m := 3 * b.nt
	out := make([]int, 2*m)
	tri, half := out[:m:m], out[m:]
	for e, v := range b.tri[:m] {
		tri[e] = int(b.orig[v])
	}
	for e, h := range b.half[:m] {
		half[e] = int(h)
	}

	// Make the first occurrence of each group of duplicates the
	// triangulated one.
	var first []int
	for i, d := range b.dup {
		if d > i {
			if first == nil {
				first = make([]int, n)
				for j := range first {
					first[j] = j
				}
			}
			if i < first[d] {
				first[d] = i
			}
		}
	}
	if first != nil {
		for e, v := range tri {
			tri[e] = first[v]
		}
		for i, d := range b.dup {
			switch {
			case d >= 0 && first[d] == i:
				b.dup[i] = -1
			case d >= 0:
				b.dup[i] = first[d]
			case first[i] != i:
				b.dup[i] = first[i]
			}
		}
	}

	h := 1
	for v := int(b.hullNext[b.hullStart]); v != b.hullStart && h < n; v = int(b.hullNext[v]) {
		h++
	}
	hull := make([]int, 0, h)
	v := b.hullStart
	for range h {
		w := int(b.orig[v])
		if first != nil {
			w = first[w]
		}
		hull = append(hull, w)
		v = int(b.hullNext[v])
	}

	outEdge := make([]int, n)
	for i := range outEdge {
		outEdge[i] = -1
	}
	for e, v := range tri {
		if outEdge[v] < 0 || half[e] < 0 {
			outEdge[v] = e
		}
	}
	return &Triangulation{
		Points:    append([]Point(nil), b.input...),
		Triangles: tri,
		Halfedges: half,
		Hull:      hull,
		dup:       b.dup,
		outEdge:   outEdge,
	}
}

// idx is the integer type of the internal arrays.
type idx = int32
