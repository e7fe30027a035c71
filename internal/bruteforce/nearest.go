package bruteforce

import (
	"cmp"
	"math"
	"slices"
)

const (
	deg = math.Pi / 180
	// invPhi is 1/φ, the golden-section ratio.
	invPhi = 0.6180339887498949
	// searchTolKm ends the golden-section search when the bracket along the
	// edge is shorter than this (1 cm). The distance error is then far
	// smaller (the distance is stationary at the minimum).
	searchTolKm = 1e-5
)

// hit is a nearest point of the line.
type hit struct {
	dist   float64 // km from the query point
	along  float64 // km along the line
	vertex int     // vertex index if the nearest point is a vertex, else -1
	edge   int     // edge index if the nearest point is inside an edge
	azDir  float64 // edge direction at the nearest point (interior only)
	azToP  float64 // azimuth from the nearest point to the query point
}

type chunkLB struct {
	lb float64
	ci int
}

// searcher holds per-goroutine scratch space for nearest-point queries.
type searcher struct {
	l        *Line
	order    []chunkLB
	stamp    []uint32 // vdist/vaz valid for vertex v when stamp[v] == query
	query    uint32
	vdist    []float64
	vaz      []float64
	qp       [2]float64
	rowCands []int32 // scratch for Zones
}

func newSearcher(l *Line) *searcher {
	l.init()
	n := len(l.verts)
	return &searcher{l: l, stamp: make([]uint32, n), vdist: make([]float64, n), vaz: make([]float64, n)}
}

// vertexDist returns the exact distance (km) from vertex v to the query
// point and the azimuth at v towards it, computed once per query.
func (s *searcher) vertexDist(v int) (float64, float64) {
	if s.stamp[v] != s.query {
		d, az, _ := inverse(s.l.verts[v].p, s.qp)
		s.vdist[v], s.vaz[v], s.stamp[v] = d, az, s.query
	}
	return s.vdist[v], s.vaz[v]
}

// nearest finds the nearest point of the line to p among points closer than
// limit (km; +Inf for no limit). ok is false if no point of the line is
// closer than limit. cands lists the chunks to consider (nil: all); it must
// hold every chunk that may have a point closer than limit. The result is
// exact up to the golden-section tolerance and does not depend on the
// pruning.
func (s *searcher) nearest(p [2]float64, limit float64, cands []int32) (h hit, ok bool) {
	l := s.l
	s.query++
	if s.query == 0 { // wrapped: invalidate all stamps
		clear(s.stamp)
		s.query = 1
	}
	s.qp = p
	if cands == nil {
		cands = l.all
	}
	if len(cands) == 0 {
		return hit{}, false
	}
	if math.IsInf(limit, 1) {
		// Any vertex gives an upper bound; take the first vertex of the
		// candidate chunk with the smallest latitude-only bound (a
		// heuristic choice that only affects speed).
		bestCi, bestLB := cands[0], math.Inf(1)
		for _, ci := range cands {
			if lb := lowerBoundKm(p[0], p[1], l.chunks[ci].box, 0); lb < bestLB {
				bestCi, bestLB = ci, lb
			}
		}
		d, _ := s.vertexDist(l.chunks[bestCi].v0)
		limit = d*(1+1e-12) + 1e-12 // strictly above, so that vertex is found
	}

	// Chunks that may hold a point closer than limit, by increasing bound.
	// For X on an edge of the chunk, some vertex v of the chunk has
	// d(v, X) <= halfSmax, so d(p, X) < limit implies d(p, v) < limit +
	// halfSmax <= D, hence d(p, X) >= lowerBoundKm(.., lonScale(.., D)) -
	// halfSmax.
	c := lonScale(p[1], limit+l.halfSmax)
	s.order = s.order[:0]
	for _, ci := range cands {
		ch := &l.chunks[ci]
		lb := lowerBoundKm(p[0], p[1], ch.box, c) - ch.halfSmax
		if lb < limit {
			s.order = append(s.order, chunkLB{lb, int(ci)})
		}
	}
	slices.SortFunc(s.order, func(a, b chunkLB) int {
		if c := cmp.Compare(a.lb, b.lb); c != 0 {
			return c
		}
		return cmp.Compare(a.ci, b.ci)
	})

	best := limit
	for _, o := range s.order {
		if o.lb >= best {
			break
		}
		c := &l.chunks[o.ci]
		// Vertices are candidates themselves.
		for v := c.v0; v <= c.v1; v++ {
			if d, az := s.vertexDist(v); d < best {
				best, ok = d, true
				h = hit{dist: d, along: l.verts[v].along, vertex: v, edge: -1, azToP: az}
			}
		}
		// Edge interiors.
		for e := c.e0; e < c.e1; e++ {
			ed := &l.edges[e]
			dA, azA := s.vertexDist(ed.a)
			dB, azB := s.vertexDist(ed.b)
			// Triangle inequality: for X at t along the edge,
			// d(p,X) >= max(dA - t, dB - (len - t)) >= (dA + dB - len)/2.
			if (dA+dB-ed.lenKm)/2 >= best {
				continue
			}
			// First variation of the distance: at A it grows along the
			// edge when the angle between the edge and the direction to
			// p is >= 90°; at B it still decreases when that angle is
			// < 90°. The distance is unimodal on a short edge, so then the
			// minimum is at the vertex, already a candidate.
			if math.Cos((azA-ed.aziA)*deg) <= 0 || math.Cos((azB-ed.aziB)*deg) >= 0 {
				continue
			}
			if eh := s.edgeMin(e); eh.dist < best {
				best, ok, h = eh.dist, true, eh
			}
		}
	}
	return h, ok
}

// edgeMin minimises the distance from the query point to the interior of
// edge e by golden-section search on the position along the edge.
func (s *searcher) edgeMin(e int) hit {
	l := s.l
	ed := &l.edges[e]
	best := hit{dist: math.Inf(1), vertex: -1, edge: e}
	eval := func(t float64) float64 {
		x, azi := l.pointAt(e, t)
		d, az, _ := inverse(x, s.qp)
		if d < best.dist {
			best.dist, best.along, best.azDir, best.azToP = d, ed.along0+t, azi, az
		}
		return d
	}
	lo, hi := 0.0, ed.lenKm
	c := hi - invPhi*(hi-lo)
	d := lo + invPhi*(hi-lo)
	fc, fd := eval(c), eval(d)
	for hi-lo > searchTolKm {
		if fc < fd {
			hi, d, fd = d, c, fc
			c = hi - invPhi*(hi-lo)
			fc = eval(c)
		} else {
			lo, c, fc = c, d, fd
			d = lo + invPhi*(hi-lo)
			fd = eval(d)
		}
	}
	return best
}

// classify returns the side of the query point and whether it lies beyond a
// flat end, judged at its nearest point h.
func (l *Line) classify(h hit) (left, beyond bool) {
	dir := h.azDir
	if h.vertex >= 0 {
		v := &l.verts[h.vertex]
		switch {
		case v.in < 0: // first vertex of a part
			dir = l.edges[v.out].aziA
			if v.part == 0 {
				beyond = math.Cos((h.azToP-dir)*deg) < 0
			}
		case v.out < 0: // last vertex of a part
			dir = l.edges[v.in].aziB
			if v.part == l.verts[len(l.verts)-1].part {
				beyond = math.Cos((h.azToP-dir)*deg) > 0
			}
		default: // bisector of the incoming and outgoing directions
			a, b := l.edges[v.in].aziB*deg, l.edges[v.out].aziA*deg
			dir = math.Atan2(math.Sin(a)+math.Sin(b), math.Cos(a)+math.Cos(b)) / deg
		}
	}
	left = math.Sin((h.azToP-dir)*deg) < 0
	return left, beyond
}

// Nearest returns, for point p = {lon, lat}, the geodesic distance (km) to
// the nearest point of the line, that point's position along the line
// (km), whether p is left of the line there, and whether p lies beyond a
// flat end (first vertex of the first part, last vertex of the last part).
func (l *Line) Nearest(p [2]float64) (distKm, alongKm float64, left bool, beyondFlatEnd bool) {
	s := newSearcher(l)
	h, _ := s.nearest(p, math.Inf(1), nil)
	left, beyond := l.classify(h)
	return h.dist, h.along, left, beyond
}
