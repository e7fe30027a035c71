package geo

import (
	"container/heap"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Placement of new air-defense units (the recommendation of SPEC 9).
//
// Choosing k sites among candidates to cover the most area is maximum
// coverage, which is NP-hard; the covered area is a monotone submodular
// function of the set of sites, so the greedy choice (each time the site
// that adds the most area) is within 1 - 1/e of the optimum, and lazy
// re-evaluation (CELF) is exact for it: a site's gain can only shrink as
// others are chosen, so a stale gain is an upper bound and only the top of
// the queue needs recomputing.
//
// The band is discretised once into area-weighted points on a square grid
// CellKm apart in the plane, each given to the zone cell (and so to the
// sector) it falls in; each sector's weights are scaled so that they add
// up to its exact zone area. Every candidate's disk is turned once into
// the list of points it covers, and the greedy works on those lists
// alone. Counting points instead of measuring areas misplaces the edge of
// each range by up to half a cell: the covered area of one range is off
// by at most CellKm/2 times the length of its edge inside the band, and in
// practice far less because the errors along an edge cancel. With the
// default 1 km cells, the band's covered fraction agrees with
// Zones.Coverage to within 0.01 (usually 0.001) and each sector's to
// within a few hundredths; see the tests.

// Sentinel errors of RecommendAirDefense.
var (
	ErrInvalidPlacement = errors.New("geo: invalid placement settings")
	ErrNoCandidates     = errors.New("geo: no candidate sites")
)

// PlacementOptions of RecommendAirDefense. Zero values take the defaults.
type PlacementOptions struct {
	RangeKm float64 // of each new unit
	Count   int     // place this many (0: use Target)
	// Target: with Count 0, place until every sector's covered fraction
	// (as the placement's cells measure it) is at least Target, no site
	// adds any area, or Max sites are placed.
	Target float64
	Max    int // at most this many with Target (default 200)
	// SpacingKm: candidate sites lie on a square grid at most this far
	// apart (default 5).
	SpacingKm float64
	// MinFromLineKm: candidates are at least this far from the line
	// (default 1; zero takes the default).
	MinFromLineKm float64
	// Side: candidates on this side of the line. The zero value, Both,
	// stands for Left, the own side.
	Side Side
	// CellKm is the spacing of the points the band is measured by
	// (default 1); see the package notes above for the error it implies.
	// It is coarsened when the band is too large for the memory budget.
	CellKm float64
}

// Defaults and limits of the placement.
const (
	DefaultPlacementMax     = 200
	DefaultPlacementSpacing = 5.0
	DefaultMinFromLineKm    = 1.0
	DefaultPlacementCellKm  = 1.0
	MaxPlacementCount       = 1000
	maxPlacementRangeKm     = 1000.0
	maxPlacementPoints      = 1 << 20
	maxPlacementCandidates  = 20000
	maxPlacementIncidence   = 30 << 20 // point references in all candidates' lists
)

// Site is a recommended position of a new air-defense unit.
type Site struct {
	Pos             orb.Point // lon/lat
	GainKm2         float64   // band area newly covered at least once by this site, given the ones before
	LayeredGainKm2  float64   // band area newly covered twice or more by it
	CoveredFraction float64   // the band's covered fraction after this site (cumulative)
}

func (o *PlacementOptions) validate(z *Zones) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidPlacement}, a...)...)
	}
	switch {
	case !(o.RangeKm > 0) || o.RangeKm > maxPlacementRangeKm:
		return bad("range must be more than 0 and at most %g km, got %g", maxPlacementRangeKm, o.RangeKm)
	case o.Count < 0 || o.Count > MaxPlacementCount:
		return bad("count must be from 0 to %d, got %d", MaxPlacementCount, o.Count)
	case !(o.Target >= 0 && o.Target <= 1):
		return bad("target must be from 0 to 1, got %g", o.Target)
	case o.Max < 0 || o.Max > MaxPlacementCount:
		return bad("max must be from 0 to %d, got %d", MaxPlacementCount, o.Max)
	case !(o.SpacingKm >= 0) || math.IsInf(o.SpacingKm, 0):
		return bad("candidate spacing must be positive, got %g", o.SpacingKm)
	case !(o.MinFromLineKm >= 0) || math.IsInf(o.MinFromLineKm, 0):
		return bad("distance from the line must be positive, got %g", o.MinFromLineKm)
	case o.Side < Both || o.Side > Right:
		return bad("unknown side %d", o.Side)
	case !(o.CellKm >= 0) || math.IsInf(o.CellKm, 0):
		return bad("cell size must be positive, got %g", o.CellKm)
	}
	if o.Max == 0 {
		o.Max = DefaultPlacementMax
	}
	if o.SpacingKm == 0 {
		o.SpacingKm = DefaultPlacementSpacing
	}
	if o.MinFromLineKm == 0 {
		o.MinFromLineKm = DefaultMinFromLineKm
	}
	if o.Side == Both {
		o.Side = Left
	}
	if o.CellKm == 0 {
		o.CellKm = DefaultPlacementCellKm
	}
	// Keep the points, the candidates and their lists within budget.
	area := sum64(z.area)
	o.CellKm = math.Max(o.CellKm, math.Sqrt(area/maxPlacementPoints))
	o.SpacingKm = math.Max(o.SpacingKm, math.Sqrt(area/maxPlacementCandidates))
	perSite := math.Min(math.Pi*o.RangeKm*o.RangeKm, area)
	if refs := area / (o.SpacingKm * o.SpacingKm) * perSite / (o.CellKm * o.CellKm); refs > maxPlacementIncidence {
		o.CellKm *= math.Sqrt(refs / maxPlacementIncidence)
	}
	return nil
}

func sum64(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// RecommendAirDefense chooses sites for new air-defense units of
// opt.RangeKm, given the existing ones, to maximise the band area newly
// covered at least once, ties going to the most area newly layered. Sites
// are returned in the order chosen, each with its gain and the band's
// covered fraction after it.
func (z *Zones) RecommendAirDefense(existing []AirDefense, opt PlacementOptions) ([]Site, error) {
	if err := opt.validate(z); err != nil {
		return nil, err
	}
	if opt.Count == 0 && opt.Target == 0 {
		return nil, nil
	}
	m, err := z.placementModel(existing, opt)
	if err != nil {
		return nil, err
	}
	limit, target := opt.Count, -1.0
	if limit == 0 {
		limit, target = opt.Max, opt.Target
	}
	return m.greedy(limit, target), nil
}

// placement is the discretised problem: points of the band with their
// weights (km²) and sectors, how many ranges cover each, and for every
// candidate site the points it covers (incidence lists, packed).
type placement struct {
	w      []float64
	zone   []int32
	cnt    []int32 // ranges covering each point
	zoneW  []float64
	cov    []float64 // weight covered per sector
	totalW float64

	cands    []orb.Point
	incStart []int32 // candidate i covers incPts[incStart[i]:incStart[i+1]]
	incPts   []int32
}

// placementModel discretises the band, marks what the existing units
// cover and lists what each candidate site would.
func (z *Zones) placementModel(existing []AirDefense, opt PlacementOptions) (*placement, error) {
	l := z.line
	kRef, kMin := 0.0, math.Inf(1)
	for _, s := range z.samples {
		kRef += s.k / float64(len(z.samples))
		kMin = math.Min(kMin, s.k)
	}
	m := &placement{zoneW: make([]float64, len(z.sectors)), cov: make([]float64, len(z.sectors))}

	// Points of the band, a grid cell apart, weighted by their true area.
	h := opt.CellKm * 1000 * kRef
	var pts []Vec
	z.gridPoints(h, func(v Vec, c *cell) {
		k := z.samples[c.sample].k
		pts = append(pts, v)
		m.w = append(m.w, h*h/(k*k)/1e6)
		m.zone = append(m.zone, c.zone)
		m.zoneW[c.zone] += h * h / (k * k) / 1e6
	})
	// A sector thinner than a cell still gets points: its cells' centres.
	for i := range z.cells {
		c := &z.cells[i]
		if m.zoneW[c.zone] > 0 {
			continue
		}
		var ctr Vec
		poly := z.cellPts[c.r0:c.r1]
		for _, v := range poly {
			ctr = ctr.Add(v.Scale(1 / float64(len(poly))))
		}
		pts = append(pts, ctr)
		m.w = append(m.w, c.area)
		m.zone = append(m.zone, c.zone)
	}
	for i := range m.zoneW {
		m.zoneW[i] = 0
	}
	for i, zi := range m.zone {
		m.zoneW[zi] += m.w[i]
	}
	for i, zi := range m.zone {
		if m.zoneW[zi] > 0 {
			m.w[i] *= z.area[zi] / m.zoneW[zi]
		}
	}
	copy(m.zoneW, z.area)
	m.totalW = sum64(z.area)
	ix := newPointIndex(pts, math.Max(4*h, 2000))
	// Reorder the points by bucket, as the index holds them.
	w, zone := make([]float64, len(pts)), make([]int32, len(pts))
	for i, p := range ix.ids {
		w[i], zone[i] = m.w[p], m.zone[p]
	}
	m.w, m.zone = w, zone
	m.cnt = make([]int32, len(pts))

	for i, u := range existing {
		d := z.disk(u, i)
		ix.inDisk(d, func(p int32) { m.cnt[p]++ })
	}
	for p, c := range m.cnt {
		if c > 0 {
			m.cov[m.zone[p]] += m.w[p]
		}
	}

	// Candidates: grid points in the band, on the chosen side, not too
	// near the line.
	hc := opt.SpacingKm * 1000 * kMin
	var cands []Vec
	z.gridPoints(hc, func(v Vec, _ *cell) { cands = append(cands, v) })
	m.incStart = append(m.incStart, 0)
	for _, v := range cands {
		pos := l.proj.Inverse(v)
		n := l.Nearest(pos)
		if n.Left != (opt.Side == Left) || n.DistanceKm < opt.MinFromLineKm {
			continue
		}
		d := z.disk(AirDefense{Pos: pos, RangeKm: opt.RangeKm}, 0)
		ix.inDisk(d, func(p int32) { m.incPts = append(m.incPts, p) })
		m.cands = append(m.cands, pos)
		m.incStart = append(m.incStart, int32(len(m.incPts)))
	}
	if len(m.cands) == 0 {
		return nil, fmt.Errorf("%w: none in the band on the %s side at least %g km from the line, %g km apart",
			ErrNoCandidates, opt.Side, opt.MinFromLineKm, opt.SpacingKm)
	}
	return m, nil
}

// gridPoints calls fn with every point of the square grid of spacing h
// (planar) that lies in a zone cell, and that cell. Each cell is scanned
// row by row between its edges' crossings, half-open, so that a point on
// the edge two cells share goes to one of them only.
func (z *Zones) gridPoints(h float64, fn func(Vec, *cell)) {
	if len(z.cells) == 0 {
		return
	}
	minX, minY := math.Inf(1), math.Inf(1)
	for _, c := range z.cells {
		minX, minY = math.Min(minX, c.min.X), math.Min(minY, c.min.Y)
	}
	var xs []float64
	for ci := range z.cells {
		c := &z.cells[ci]
		poly := z.cellPts[c.r0:c.r1]
		j0 := int(math.Ceil((c.min.Y-minY)/h - 0.5))
		j1 := int(math.Floor((c.max.Y-minY)/h - 0.5))
		for j := j0; j <= j1; j++ {
			y := minY + (float64(j)+0.5)*h
			xs = xs[:0]
			for i := range poly {
				a, b := poly[i], poly[(i+1)%len(poly)]
				if (a.Y > y) != (b.Y > y) {
					xs = append(xs, a.X+(y-a.Y)/(b.Y-a.Y)*(b.X-a.X))
				}
			}
			sortSmall(xs)
			for k := 0; k+1 < len(xs); k += 2 {
				i0 := int(math.Ceil((xs[k]-minX)/h - 0.5))
				for i := i0; ; i++ {
					x := minX + (float64(i)+0.5)*h
					if x >= xs[k+1] {
						break
					}
					fn(Vec{x, y}, c)
				}
			}
		}
	}
}

// sortSmall sorts a few numbers by insertion.
func sortSmall(a []float64) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// pointIndex buckets points on a square grid; points are renumbered so
// that each bucket's are contiguous.
type pointIndex struct {
	pts        []Vec // in bucket order
	ids        []int32
	start      []int32
	minX, minY float64
	size       float64
	nx, ny     int
}

func newPointIndex(pts []Vec, size float64) *pointIndex {
	ix := &pointIndex{size: size, minX: math.Inf(1), minY: math.Inf(1)}
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		ix.minX, ix.minY = math.Min(ix.minX, p.X), math.Min(ix.minY, p.Y)
		maxX, maxY = math.Max(maxX, p.X), math.Max(maxY, p.Y)
	}
	if len(pts) == 0 {
		ix.minX, ix.minY, maxX, maxY = 0, 0, 0, 0
	}
	ix.nx, ix.ny = int((maxX-ix.minX)/size)+1, int((maxY-ix.minY)/size)+1
	ix.start = make([]int32, ix.nx*ix.ny+1)
	bucket := make([]int32, len(pts))
	for i, p := range pts {
		x, y := ix.cellOf(p)
		bucket[i] = int32(y*ix.nx + x)
		ix.start[bucket[i]+1]++
	}
	for b := 1; b < len(ix.start); b++ {
		ix.start[b] += ix.start[b-1]
	}
	next := append([]int32(nil), ix.start[:len(ix.start)-1]...)
	ix.pts = make([]Vec, len(pts))
	ix.ids = make([]int32, len(pts))
	for i, p := range pts {
		k := next[bucket[i]]
		next[bucket[i]]++
		ix.pts[k], ix.ids[k] = p, int32(i)
	}
	return ix
}

func (ix *pointIndex) cellOf(v Vec) (int, int) {
	x := int(math.Floor((v.X - ix.minX) / ix.size))
	y := int(math.Floor((v.Y - ix.minY) / ix.size))
	return min(max(x, 0), ix.nx-1), min(max(y, 0), ix.ny-1)
}

// inDisk calls fn with the (renumbered) index of every point in the disk.
func (ix *pointIndex) inDisk(d disk, fn func(int32)) {
	if d.max.X < ix.minX || d.max.Y < ix.minY ||
		d.min.X > ix.minX+float64(ix.nx)*ix.size || d.min.Y > ix.minY+float64(ix.ny)*ix.size {
		return
	}
	x0, y0 := ix.cellOf(d.min)
	x1, y1 := ix.cellOf(d.max)
	r2 := d.r * d.r
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			b := y*ix.nx + x
			for p := ix.start[b]; p < ix.start[b+1]; p++ {
				if q := ix.pts[p].Sub(d.c); q.Dot(q) <= r2 {
					fn(p)
				}
			}
		}
	}
}

// gain returns the weight candidate i would newly cover once and newly
// cover twice.
func (m *placement) gain(i int) (one, two float64) {
	for _, p := range m.incPts[m.incStart[i]:m.incStart[i+1]] {
		switch m.cnt[p] {
		case 0:
			one += m.w[p]
		case 1:
			two += m.w[p]
		}
	}
	return one, two
}

func (m *placement) add(i int) {
	for _, p := range m.incPts[m.incStart[i]:m.incStart[i+1]] {
		if m.cnt[p] == 0 {
			m.cov[m.zone[p]] += m.w[p]
		}
		m.cnt[p]++
	}
}

// reached reports whether every sector's covered fraction is at least
// target.
func (m *placement) reached(target float64) bool {
	for i, c := range m.cov {
		if m.zoneW[i] > 0 && c < target*m.zoneW[i]*(1-1e-12) {
			return false
		}
	}
	return true
}

func (m *placement) covered() float64 { return sum64(m.cov) }

// greedy places up to limit sites, CELF style. With target >= 0 it stops
// once every sector reaches it or no site adds area; otherwise it places
// all of them (layering once everything is covered).
//
// Only the first-cover gain is submodular, so the queue is ordered by it
// and lazily refreshed; among the sites whose first-cover gain ties with
// the best (within a relative 10⁻⁹), each is refreshed and the one with
// the most layered gain wins, then the first in candidate order.
func (m *placement) greedy(limit int, target float64) []Site {
	q := make(celfQueue, len(m.cands))
	for i := range m.cands {
		one, two := m.gain(i)
		q[i] = celfEntry{cand: i, one: one, two: two}
	}
	heap.Init(&q)
	tol := 1e-9 * m.totalW
	var out []Site
	var ties, back []celfEntry
	for round := 0; len(out) < limit && len(q) > 0; round++ {
		if target >= 0 && m.reached(target) {
			break
		}
		for q[0].round != round {
			q[0].one, q[0].two = m.gain(q[0].cand)
			q[0].round = round
			heap.Fix(&q, 0)
		}
		best := q[0].one
		if target >= 0 && best <= tol {
			break // nothing left that a site can add
		}
		ties, back = ties[:0], back[:0]
		for len(q) > 0 && q[0].one >= best-tol {
			e := heap.Pop(&q).(celfEntry)
			if e.round != round {
				e.one, e.two = m.gain(e.cand)
				e.round = round
				if e.one < best-tol {
					back = append(back, e)
					continue
				}
			}
			ties = append(ties, e)
		}
		pick := 0
		for i, e := range ties[1:] {
			if e.two > ties[pick].two+tol || (e.two >= ties[pick].two-tol && e.cand < ties[pick].cand) {
				pick = i + 1
			}
		}
		for i, e := range ties {
			if i != pick {
				heap.Push(&q, e)
			}
		}
		for _, e := range back {
			heap.Push(&q, e)
		}
		e := ties[pick]
		m.add(e.cand)
		out = append(out, Site{Pos: m.cands[e.cand], GainKm2: e.one, LayeredGainKm2: e.two,
			CoveredFraction: m.covered() / m.totalW})
	}
	return out
}

type celfEntry struct {
	cand     int
	one, two float64
	round    int // the round the gains were computed in
}

type celfQueue []celfEntry

func (q celfQueue) Len() int { return len(q) }
func (q celfQueue) Less(i, j int) bool {
	if q[i].one != q[j].one {
		return q[i].one > q[j].one
	}
	return q[i].cand < q[j].cand
}
func (q celfQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *celfQueue) Push(x any)   { *q = append(*q, x.(celfEntry)) }
func (q *celfQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
