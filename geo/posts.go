package geo

import (
	"container/heap"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// Placement of observation posts on the line (the patrol recommendation
// of SPEC 9).
//
// A post is a patrol of one position; it watches the stretches of line
// within its distance, measured exactly as Zones.patrols measures them
// (the same plane, scale and withinOfSegment), so that what the placement
// counts is what the coverage report shows. Cover is kept exactly, as
// sorted disjoint intervals of along-line km, rather than on a grid of
// pieces: there is no discretisation error to allow for.
//
// The objective is the reduction of the total deficit,
//
//	f(S) = Σ_sectors min(need_s, watched length of sector s by S),
//
// where need_s is what sector s lacks of target × its length once the
// existing patrols are counted. The watched length is a coverage function
// (monotone submodular), its minimum with a constant is still so, and so
// is the sum: the greedy choice is the classic set-cover greedy, within
// ln(n) + 1 of the fewest posts, and lazy re-evaluation (CELF) is exact
// for it. It stops as soon as every sector reaches the target (f reaches
// its maximum), no candidate adds anything, or max posts are placed.
//
// Candidates lie on the line every DefaultPostSpacingKm (less when the distance
// watched is short, so that neighbouring candidates' cover meets). Gains
// within postTieKm (10 cm) of each other are ties, broken towards the
// candidate earliest along the line: on a straight line this places
// posts end to end from the start, which is optimal there.

// PostSite is a recommended observation post.
type PostSite struct {
	Pos             orb.Point // lon/lat, on the line
	GainKm          float64   // deficit reduction by this post: line newly watched where a sector still needed it
	CoveredFraction float64   // the whole line's watched fraction after this post (cumulative)
}

// Defaults and limits of the post placement.
const (
	DefaultPostSpacingKm = 0.5
	maxPostCandidates    = 50000
	maxPostObserveKm     = 1000.0
	// postMetKm: a sector short of its target by less than this (a metre)
	// counts as reaching it; posts end to end leave gaps of micrometres
	// where the projection's scale varies.
	postMetKm = 1e-3
	// postTieKm: gains closer than this (10 cm) are ties; the plane
	// measures 10 km of cover to within about a millimetre.
	postTieKm = 1e-4
)

// RecommendPatrolPosts places the fewest observation posts (greedily) on
// the line, each watching observeKm around it, so that every sector's
// patrol covered fraction, counting the existing patrols, is at least
// target (0 < target <= 1), or max posts (0: DefaultPlacementMax) are
// placed. When the target cannot be reached the posts placed so far are
// returned; the caller sees it in the coverage.
func (z *Zones) RecommendPatrolPosts(existing []Patrol, observeKm, target float64, max int) ([]PostSite, error) {
	return z.recommendPosts(existing, observeKm, target, max, DefaultPostSpacingKm)
}

func (z *Zones) recommendPosts(existing []Patrol, observeKm, target float64, limit int, spacingKm float64) ([]PostSite, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidPlacement}, a...)...)
	}
	switch {
	case !(observeKm > 0) || observeKm > maxPostObserveKm:
		return nil, bad("observation distance must be more than 0 and at most %g km, got %g", maxPostObserveKm, observeKm)
	case !(target > 0 && target <= 1):
		return nil, bad("target must be more than 0 and at most 1, got %g", target)
	case limit < 0 || limit > MaxPlacementCount:
		return nil, bad("max must be from 0 to %d, got %d", MaxPlacementCount, limit)
	case !(spacingKm > 0) || math.IsInf(spacingKm, 0):
		return nil, bad("candidate spacing must be positive, got %g", spacingKm)
	}
	if limit == 0 {
		limit = DefaultPlacementMax
	}
	l := z.line
	l.plane()
	total := l.LengthKm()
	// Neighbouring candidates' cover must meet, and the list stay bounded.
	spacingKm = math.Min(spacingKm, observeKm)
	spacingKm = math.Max(spacingKm, total/maxPostCandidates)

	m := &postModel{z: z, need: make([]float64, len(z.sectors))}
	for _, p := range existing {
		if len(p.Route) == 0 || !(p.ObserveKm > 0) {
			continue
		}
		for _, s := range z.watchSpans(p) {
			m.cover = addSpan(m.cover, s)
		}
	}
	covered := make([]float64, len(z.sectors))
	m.perSector(m.cover, func(i int, km float64) { covered[i] += km })
	for i, s := range z.sectors {
		m.need[i] = math.Max(0, target*s.LengthKm()-covered[i])
		if m.need[i] < postMetKm {
			m.need[i] = 0
		}
	}

	n := int(math.Ceil(total/spacingKm-1e-9)) + 1
	if total == 0 {
		n = 1
	}
	m.cands = make([]postCand, n)
	for i := range m.cands {
		pos := l.PointAt(math.Min(float64(i)*spacingKm, total))
		m.cands[i] = postCand{pos: pos, spans: z.watchSpans(Patrol{Route: orb.LineString{pos}, ObserveKm: observeKm})}
	}

	var out []PostSite
	q := make(postQueue, 0, len(m.cands))
	for i := range m.cands {
		if g := m.gain(i); g > postTieKm {
			q = append(q, postEntry{i: i, gain: g})
		}
	}
	heap.Init(&q)
	for len(out) < limit && len(q) > 0 && !m.met() {
		top := &q[0]
		if top.round != len(out) {
			top.gain, top.round = m.gain(top.i), len(out)
			if top.gain <= postTieKm {
				heap.Pop(&q)
				continue
			}
			heap.Fix(&q, 0)
			continue
		}
		e := heap.Pop(&q).(postEntry)
		m.add(e.i)
		out = append(out, PostSite{Pos: m.cands[e.i].pos, GainKm: e.gain, CoveredFraction: m.fraction(total)})
	}
	return out, nil
}

type kmSpan struct{ a, b float64 }

type postCand struct {
	pos   orb.Point
	spans []kmSpan // along-line km watched, sorted and disjoint
}

type postModel struct {
	z     *Zones
	cands []postCand
	cover []kmSpan  // along-line km watched so far, sorted and disjoint
	need  []float64 // per sector: km still needed to reach the target
}

// perSector calls fn with the length of each sector's part of the spans.
func (m *postModel) perSector(spans []kmSpan, fn func(int, float64)) {
	secs := m.z.sectors
	for _, s := range spans {
		for si := SectorAt(secs, s.a); si < len(secs) && secs[si].StartKm < s.b; si++ {
			if d := math.Min(s.b, secs[si].EndKm) - math.Max(s.a, secs[si].StartKm); d > 0 {
				fn(si, d)
			}
		}
	}
}

// fresh returns the parts of candidate i's spans not yet watched.
func (m *postModel) fresh(i int) []kmSpan {
	var out []kmSpan
	for _, s := range m.cands[i].spans {
		j := sort.Search(len(m.cover), func(j int) bool { return m.cover[j].b > s.a })
		a := s.a
		for ; j < len(m.cover) && m.cover[j].a < s.b; j++ {
			if m.cover[j].a > a {
				out = append(out, kmSpan{a, m.cover[j].a})
			}
			a = math.Max(a, m.cover[j].b)
		}
		if s.b > a {
			out = append(out, kmSpan{a, s.b})
		}
	}
	return out
}

// gain is the deficit reduction candidate i would bring.
func (m *postModel) gain(i int) float64 {
	add := make(map[int]float64, 2)
	m.perSector(m.fresh(i), func(si int, km float64) { add[si] += km })
	g := 0.0
	for si, km := range add {
		g += math.Min(m.need[si], km)
	}
	return g
}

func (m *postModel) add(i int) {
	m.perSector(m.fresh(i), func(si int, km float64) {
		m.need[si] = math.Max(0, m.need[si]-km)
		if m.need[si] < postMetKm {
			m.need[si] = 0
		}
	})
	for _, s := range m.cands[i].spans {
		m.cover = addSpan(m.cover, s)
	}
}

func (m *postModel) met() bool {
	for _, n := range m.need {
		if n > 0 {
			return false
		}
	}
	return true
}

func (m *postModel) fraction(total float64) float64 {
	if total <= 0 {
		return 0
	}
	w := 0.0
	for _, s := range m.cover {
		w += s.b - s.a
	}
	return math.Min(1, w/total)
}

// addSpan merges s into the sorted disjoint spans (touching spans join).
func addSpan(spans []kmSpan, s kmSpan) []kmSpan {
	if !(s.b > s.a) {
		return spans
	}
	lo := sort.Search(len(spans), func(j int) bool { return spans[j].b >= s.a })
	hi := lo
	for hi < len(spans) && spans[hi].a <= s.b {
		s.a, s.b = math.Min(s.a, spans[hi].a), math.Max(s.b, spans[hi].b)
		hi++
	}
	out := append(spans[:lo:lo], s)
	return append(out, spans[hi:]...)
}

// watchSpans returns the along-line km the patrol watches, sorted and
// disjoint, measured as Zones.patrols measures them.
func (z *Zones) watchSpans(p Patrol) []kmSpan {
	l := z.line
	l.plane()
	route := make([]Vec, len(p.Route))
	for i, q := range p.Route {
		route[i] = l.proj.Forward(q)
	}
	if len(route) == 1 {
		route = append(route, route[0])
	}
	k := l.proj.Scale(p.Route[0])
	r := p.ObserveKm * 1000 * k
	ix := l.index
	var spans []kmSpan
	seen := make(map[int32]bool)
	for j := 0; j+1 < len(route); j++ {
		pa, pb := route[j], route[j+1]
		x0, y0 := ix.cellOf(Vec{math.Min(pa.X, pb.X) - r, math.Min(pa.Y, pb.Y) - r})
		x1, y1 := ix.cellOf(Vec{math.Max(pa.X, pb.X) + r, math.Max(pa.Y, pb.Y) + r})
		clear(seen)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				for _, s := range ix.cells[y*ix.nx+x] {
					if seen[s] {
						continue
					}
					seen[s] = true
					a, b, ok := withinOfSegment(l.pv[s], l.pv[s+1], pa, pb, r)
					if !ok {
						continue
					}
					spans = append(spans, kmSpan{l.pa[s] + a*(l.pa[s+1]-l.pa[s]), l.pa[s] + b*(l.pa[s+1]-l.pa[s])})
				}
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].a < spans[j].a })
	var out []kmSpan
	for _, s := range spans {
		if n := len(out); n > 0 && s.a <= out[n-1].b {
			out[n-1].b = math.Max(out[n-1].b, s.b)
			continue
		}
		out = append(out, s)
	}
	return out
}

// postQueue is a max-heap of candidates by gain (stale gains are upper
// bounds), ties to the earliest candidate along the line.
type postEntry struct {
	i     int
	gain  float64
	round int // number of posts placed when gain was computed
}

type postQueue []postEntry

func (q postQueue) Len() int { return len(q) }
func (q postQueue) Less(i, j int) bool {
	if d := q[i].gain - q[j].gain; math.Abs(d) > postTieKm {
		return d > 0
	}
	return q[i].i < q[j].i
}
func (q postQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *postQueue) Push(x any)   { *q = append(*q, x.(postEntry)) }
func (q *postQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
