package bruteforce

import (
	"math"
)

// patrolShape is a patrol ready for queries: a post or a route line.
type patrolShape struct {
	post      [2]float64
	route     *Line // nil for a post
	observeKm float64
}

// sample is a line sample standing for weightKm of line around it.
type sample struct {
	p        [2]float64
	weightKm float64
	sector   int
}

// PatrolCovered returns, for each sector [bounds[k], bounds[k+1]), the
// length (km) of line watched by at least one patrol: a line point is
// watched when its geodesic distance to a patrol's route (minimised
// exactly) or post is <= ObserveKm.
//
// Each edge is cut at the sector bounds, each piece into equal sub-pieces
// no longer than stepKm, and each sub-piece is classified by its midpoint
// (on the geodesic). So the lengths of all sub-pieces of sector k add up
// to the sector's length, and the error of a watched length is at most
// about stepKm per end of a watched stretch.
func (l *Line) PatrolCovered(bounds []float64, patrols []Patrol, stepKm float64) []float64 {
	l.init()
	if len(bounds) < 2 || !(stepKm > 0) {
		panic("bruteforce: PatrolCovered needs >= 2 bounds and stepKm > 0")
	}
	nSec := len(bounds) - 1

	shapes := make([]patrolShape, 0, len(patrols))
	for _, pt := range patrols {
		if len(pt.Route) == 0 {
			continue
		}
		sh := patrolShape{post: pt.Route[0], observeKm: pt.ObserveKm}
		distinct := false
		for _, q := range pt.Route[1:] {
			distinct = distinct || q != pt.Route[0]
		}
		if distinct {
			sh.route = NewLine([][][2]float64{pt.Route})
		}
		shapes = append(shapes, sh)
	}

	// Samples, in line order.
	var samples []sample
	for e := range l.edges {
		ed := &l.edges[e]
		a0, a1 := ed.along0, ed.along0+ed.lenKm
		// Cut points: the edge's ends and the bounds strictly inside it.
		cuts := []float64{a0}
		for _, b := range bounds {
			if b > a0 && b < a1 {
				cuts = append(cuts, b)
			}
		}
		cuts = append(cuts, a1)
		for i := 0; i+1 < len(cuts); i++ {
			u0, u1 := cuts[i], cuts[i+1]
			if !(u1 > u0) {
				continue
			}
			n := int(math.Ceil((u1 - u0) / stepKm))
			w := (u1 - u0) / float64(n)
			for j := range n {
				mid := u0 + (float64(j)+0.5)*w
				p, _ := l.pointAt(e, mid-a0)
				samples = append(samples, sample{p: p, weightKm: w, sector: SectorOf(bounds, mid)})
			}
		}
	}

	// Classify the samples in parallel, sum in order.
	nw := workers()
	routeSearchers := make([][]*searcher, nw)
	for w := range routeSearchers {
		routeSearchers[w] = make([]*searcher, len(shapes))
		for i, sh := range shapes {
			if sh.route != nil {
				routeSearchers[w][i] = newSearcher(sh.route)
			}
		}
	}
	watched := make([]bool, len(samples))
	const block = 64
	parallel((len(samples)+block-1)/block, nw, func(w, bi int) {
		for i := bi * block; i < min((bi+1)*block, len(samples)); i++ {
			watched[i] = isWatched(samples[i].p, shapes, routeSearchers[w])
		}
	})
	out := make([]float64, nSec)
	for i, sm := range samples {
		if watched[i] {
			out[sm.sector] += sm.weightKm
		}
	}
	return out
}

// isWatched reports whether p is within ObserveKm of some patrol.
func isWatched(p [2]float64, shapes []patrolShape, ss []*searcher) bool {
	for i, sh := range shapes {
		lim := sh.observeKm + 1e-9
		if sh.route == nil {
			if lowerBoundKm(p[0], p[1], pointBox(sh.post), lonScale(p[1], lim)) >= lim {
				continue
			}
			if km, _, _ := inverse(p, sh.post); km <= sh.observeKm {
				return true
			}
			continue
		}
		if h, ok := ss[i].nearest(p, lim, nil); ok && h.dist <= sh.observeKm {
			return true
		}
	}
	return false
}
