package geo

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/paulmach/orb"

	"frontline/geo/delaunay"
)

// Side says which side of the line the zones cover, judged against the
// line's direction at each point's nearest point of the line.
type Side int

const (
	Both Side = iota
	Left
	Right
)

func (s Side) String() string {
	switch s {
	case Left:
		return "left"
	case Right:
		return "right"
	}
	return "both"
}

// ParseSide reads "both", "left" or "right".
func ParseSide(s string) (Side, error) {
	switch s {
	case "both":
		return Both, nil
	case "left":
		return Left, nil
	case "right":
		return Right, nil
	}
	return Both, fmt.Errorf("%w: side must be both, left or right, got %q", ErrInvalidZone, s)
}

// ErrInvalidZone is wrapped by errors about zone settings.
var ErrInvalidZone = errors.New("geo: invalid zone settings")

// ZoneOptions set how deep the band behind the line is and on which side.
type ZoneOptions struct {
	DepthKm float64
	Side    Side
	// SpacingKm is the largest distance between the samples of the line
	// that the zones are built from (default 0.5 km). Errors shrink with
	// the square of it; see the package documentation.
	SpacingKm float64
}

// Limits of the zone settings.
const (
	MaxDepthKm       = 500.0
	DefaultSpacingKm = 0.5
	maxSamples       = 400000
)

func (o *ZoneOptions) validate(l *Line) error {
	if !(o.DepthKm > 0) || o.DepthKm > MaxDepthKm {
		return fmt.Errorf("%w: depth must be more than 0 and at most %g km, got %g", ErrInvalidZone, MaxDepthKm, o.DepthKm)
	}
	if o.Side < Both || o.Side > Right {
		return fmt.Errorf("%w: unknown side %d", ErrInvalidZone, o.Side)
	}
	if o.SpacingKm == 0 {
		o.SpacingKm = DefaultSpacingKm
	}
	if !(o.SpacingKm > 0) {
		return fmt.Errorf("%w: sample spacing must be positive, got %g", ErrInvalidZone, o.SpacingKm)
	}
	if n := l.length / o.SpacingKm; n > maxSamples {
		o.SpacingKm = l.length / maxSamples
	}
	return nil
}

// Zones is the band behind the line split into one zone per sector: the
// points within DepthKm of the line, on the chosen side, each given to the
// sector that holds its nearest point of the line.
//
// It is built from the Voronoi diagram of samples taken along the line
// (every vertex, every SpacingKm, and pairs straddling each sector
// boundary): a sample's Voronoi cell, cut to the disk of radius DepthKm
// around the sample and to the sample's side of the line, is the part of
// the band whose nearest line point is near that sample. Cells of samples
// of the same sector are merged into the zone's polygon, and their areas,
// corrected for the projection's scale, add up to the zone's area.
type Zones struct {
	line    *Line
	sectors []Sector
	opt     ZoneOptions

	samples []sample
	tri     *delaunay.Triangulation
	pts     []Vec // boundary points: triangle circumcentres first

	// Canonical pieces of Voronoi edges, shared by the two cells that
	// meet along them, so that merging cells cancels them exactly.
	edgeOf []int32 // half-edge (the smaller of a pair) -> index into vedges, or -1
	vedges []vedge
	ept    []int32 // point ids of the Voronoi edges' pieces
	subs   []subedge

	cells   []cell
	ring    []int32 // cell region polygons: point ids ...
	tag     []int32 // ... and, per vertex, the sub-edge its outgoing edge lies on (-1: inside the cell)
	cellPts []Vec   // the same polygons as coordinates

	area []float64 // km² per sector

	polyOnce sync.Once
	planar   [][][][]Vec // per sector: polygons of rings (outer CCW, holes CW) in the plane
	polys    []orb.MultiPolygon
}

type sample struct {
	p         Vec
	along     float64
	dIn, dOut Vec
	flatStart bool
	flatEnd   bool
	sector    int32
	lo, span  float64 // angular range of the sample's region (span 2π: all)
	r         float64 // planar radius of the band around the sample
	k         float64 // projection scale at the sample
	id        int32   // point id of the sample in pts, or -1 until needed
	hasRegion bool
}

type vedge struct {
	pt0, n, sub0 int32
	p, q         int32 // the samples (triangulation points) on either side
}

type subedge struct {
	inDisk       bool
	keptP, keptQ bool
}

type cell struct {
	sample int32
	zone   int32
	r0, r1 int32 // region polygon in ring/tag/cellPts
	area   float64
	min    Vec
	max    Vec
}

const (
	straddle   = 0.5               // m: half the gap of the sample pair that pins a sector boundary
	snapKm     = 0.001             // sector boundaries this close to a vertex are taken to be on it
	arcStep    = 2 * math.Pi / 180 // largest angle between points of a drawn arc
	fullCircle = 2 * math.Pi
)

// NewZones builds the zones of the given sectors of the line.
func NewZones(l *Line, sectors []Sector, opt ZoneOptions) (*Zones, error) {
	l.plane()
	if err := opt.validate(l); err != nil {
		return nil, err
	}
	if len(sectors) == 0 {
		return nil, fmt.Errorf("%w: no sectors", ErrInvalidZone)
	}
	z := &Zones{line: l, sectors: sectors, opt: opt}
	z.sampleLine()
	if err := z.triangulate(); err != nil {
		return nil, err
	}
	z.buildCells()
	return z, nil
}

// Sectors returns the sectors the zones belong to.
func (z *Zones) Sectors() []Sector { return z.sectors }

// Line returns the line the zones were built on.
func (z *Zones) Line() *Line { return z.line }

// AreaKm2 returns the area of each sector's zone.
func (z *Zones) AreaKm2() []float64 { return z.area }

// sampleLine places the samples: every vertex of the planar line, enough
// points between them to keep within the spacing, and around each sector
// boundary a pair of samples 2·straddle apart whose bisector is the
// boundary's normal.
func (z *Zones) sampleLine() {
	l := z.line
	bounds := make([]float64, 0, len(z.sectors))
	for _, s := range z.sectors[1:] {
		bounds = append(bounds, s.StartKm)
	}
	// nearBound returns the index of a sector boundary within snapKm of km.
	nearBound := func(km float64) int {
		i := sort.SearchFloat64s(bounds, km-snapKm)
		if i < len(bounds) && bounds[i] <= km+snapKm {
			return i
		}
		return -1
	}
	spacing := z.opt.SpacingKm * 1000
	seen := make(map[Vec]bool, len(l.pv)*2)
	add := func(s sample) {
		if seen[s.p] {
			return // a point of one part repeated by another
		}
		seen[s.p] = true
		s.id = -1
		z.samples = append(z.samples, s)
	}
	last := len(l.pstart) - 2
	for part := 0; part <= last; part++ {
		s0, s1 := l.pstart[part], l.pstart[part+1]
		for i := s0; i < s1; i++ {
			var dIn, dOut Vec
			if i > s0 {
				dIn = l.pv[i].Sub(l.pv[i-1]).Unit()
			}
			if i+1 < s1 {
				dOut = l.pv[i+1].Sub(l.pv[i]).Unit()
			}
			if i == s0 {
				dIn = dOut
			}
			if i+1 == s1 {
				dOut = dIn
			}
			along, sector := l.pa[i], -1
			if b := nearBound(along); b >= 0 {
				along, sector = bounds[b], b+1
				if i > s0 {
					// The sample just before the vertex belongs to the
					// sector before the boundary.
					seg := l.pv[i].Sub(l.pv[i-1]).Len()
					off := math.Min(straddle, seg/2)
					add(sample{p: l.pv[i].Sub(dIn.Scale(off)), along: along - off/seg*(l.pa[i]-l.pa[i-1]),
						dIn: dIn, dOut: dIn, sector: int32(b)})
				}
			}
			if sector < 0 {
				sector = SectorAt(z.sectors, along)
			}
			add(sample{p: l.pv[i], along: along, dIn: dIn, dOut: dOut, sector: int32(sector),
				flatStart: part == 0 && i == s0, flatEnd: part == last && i+1 == s1})
			if i+1 < s1 {
				z.fillEdge(i, bounds, spacing, add)
			}
		}
	}
	for i := range z.samples {
		z.region(&z.samples[i])
	}
}

// fillEdge adds the samples strictly inside planar edge i.
func (z *Zones) fillEdge(i int, bounds []float64, spacing float64, add func(sample)) {
	l := z.line
	a, b := l.pv[i], l.pv[i+1]
	a0, a1 := l.pa[i], l.pa[i+1]
	seg := b.Sub(a).Len()
	d := b.Sub(a).Unit()
	// Fixed parameters along the edge: its ends and the boundary pairs.
	fixed := []float64{0}
	lo := sort.SearchFloat64s(bounds, a0+snapKm)
	for j := lo; j < len(bounds) && bounds[j] < a1-snapKm; j++ {
		f := (bounds[j] - a0) / (a1 - a0)
		off := straddle / seg
		fixed = append(fixed, f-off, f+off)
	}
	fixed = append(fixed, 1)
	for j := 0; j+1 < len(fixed); j++ {
		f0, f1 := fixed[j], fixed[j+1]
		if j > 0 {
			z.addOnEdge(a, d, seg, a0, a1, f0, add)
		}
		n := int(math.Ceil((f1 - f0) * seg / spacing))
		for k := 1; k < n; k++ {
			z.addOnEdge(a, d, seg, a0, a1, f0+(f1-f0)*float64(k)/float64(n), add)
		}
	}
}

func (z *Zones) addOnEdge(a, d Vec, seg, a0, a1, f float64, add func(sample)) {
	along := a0 + f*(a1-a0)
	add(sample{p: a.Add(d.Scale(f * seg)), along: along, dIn: d, dOut: d,
		sector: int32(SectorAt(z.sectors, along))})
}

// region sets the sample's angular range and radius. The range is where
// the band lies around the sample: all round, or the side of the line
// (between the rays back along the incoming edge and forward along the
// outgoing one), cut square at the line's two ends.
func (z *Zones) region(s *sample) {
	in, out := s.dIn.Angle(), s.dOut.Angle()
	back := in + math.Pi
	switch z.opt.Side {
	case Both:
		s.lo, s.span = 0, fullCircle
		if s.flatStart {
			s.lo, s.span = out-math.Pi/2, math.Pi
		} else if s.flatEnd {
			s.lo, s.span = in+math.Pi/2, math.Pi
		}
	case Left:
		s.lo, s.span = out, ccwFrom(out, back)
		if s.flatStart {
			s.span = math.Pi / 2
		} else if s.flatEnd {
			s.lo, s.span = in+math.Pi/2, math.Pi/2
		}
	case Right:
		s.lo, s.span = back, ccwFrom(back, out)
		if s.flatStart {
			s.lo, s.span = out-math.Pi/2, math.Pi/2
		} else if s.flatEnd {
			s.lo, s.span = in+math.Pi, math.Pi/2
		}
	}
	if s.span == 0 && z.opt.Side != Both {
		// Straight through: the side is a half plane.
		s.span = math.Pi
	}
	s.hasRegion = s.span > 1e-12
	s.k = z.line.proj.Scale(z.line.proj.Inverse(s.p))
	s.r = z.opt.DepthKm * 1000 * s.k
}

// inRegion reports whether direction theta from the sample is in its
// angular range.
func (s *sample) inRegion(theta float64) bool {
	return s.span >= fullCircle || ccwFrom(s.lo, theta) <= s.span
}

// triangulate computes the Delaunay triangulation of the samples plus
// four far corners that keep every sample's Voronoi cell bounded. The
// corners are more than twice the band's depth from every sample, so no
// point of the band is nearer to a corner than to the line.
func (z *Zones) triangulate() error {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	rmax := 0.0
	pts := make([]delaunay.Point, len(z.samples), len(z.samples)+4)
	for i, s := range z.samples {
		pts[i] = delaunay.Point{X: s.p.X, Y: s.p.Y}
		minX, maxX = math.Min(minX, s.p.X), math.Max(maxX, s.p.X)
		minY, maxY = math.Min(minY, s.p.Y), math.Max(maxY, s.p.Y)
		rmax = math.Max(rmax, s.r)
	}
	m := 10*rmax + math.Max(maxX-minX, maxY-minY)
	pts = append(pts,
		delaunay.Point{X: minX - m, Y: minY - m}, delaunay.Point{X: maxX + m, Y: minY - m},
		delaunay.Point{X: maxX + m, Y: maxY + m}, delaunay.Point{X: minX - m, Y: maxY + m})
	t, err := delaunay.New(pts)
	if err != nil {
		return fmt.Errorf("geo: triangulating %d samples: %w", len(pts), err)
	}
	z.tri = t
	nt := len(t.Triangles) / 3
	z.pts = make([]Vec, nt, nt*3)
	for i := 0; i < nt; i++ {
		c := t.Circumcenter(i)
		z.pts[i] = Vec{c.X, c.Y}
		if math.IsNaN(c.X) || math.IsInf(c.X, 0) || math.IsNaN(c.Y) || math.IsInf(c.Y, 0) {
			z.pts[i] = farCentre(t, i)
		}
	}
	z.edgeOf = make([]int32, len(t.Halfedges))
	for i := range z.edgeOf {
		z.edgeOf[i] = -1
	}
	return nil
}

// farCentre stands in for the circumcentre of a triangle too flat for
// float64: a point far out on the perpendicular bisector of its longest
// edge, on the side away from the third vertex.
func farCentre(t *delaunay.Triangulation, tri int) Vec {
	p := func(e int) Vec { q := t.Points[t.Triangles[e]]; return Vec{q.X, q.Y} }
	best, bl := 0, -1.0
	for e := 3 * tri; e < 3*tri+3; e++ {
		if l := p(delaunay.Next(e)).Sub(p(e)).Len(); l > bl {
			best, bl = e, l
		}
	}
	a, b, c := p(best), p(delaunay.Next(best)), p(delaunay.Prev(best))
	m := a.Lerp(b, 0.5)
	n := b.Sub(a).Perp().Unit()
	if n.Dot(c.Sub(m)) > 0 {
		n = n.Scale(-1)
	}
	return m.Add(n.Scale(1e12))
}

func (z *Zones) addPoint(v Vec) int32 {
	z.pts = append(z.pts, v)
	return int32(len(z.pts) - 1)
}

// edge returns the canonical pieces of the Voronoi edge dual to half-edge
// key (the smaller of its pair). The edge runs, as seen by key's origin p
// walking its cell counter-clockwise, from the circumcentre of the
// triangle across the edge to the circumcentre of key's triangle. It is
// cut where it leaves the band's disk (taken with the mean radius of p
// and q, so both cells cut it at the same points) and where the rays of p
// and q that bound their sides of the line cross it.
func (z *Zones) edge(key int) *vedge {
	if i := z.edgeOf[key]; i >= 0 {
		return &z.vedges[i]
	}
	t := z.tri
	twin := t.Halfedges[key]
	pi, qi := t.Triangles[key], t.Triangles[twin]
	c0id, c1id := int32(twin/3), int32(key/3)
	c0, c1 := z.pts[c0id], z.pts[c1id]
	d := c1.Sub(c0)
	cuts := make([]float64, 0, 6)
	var inR2 float64 // squared radius, about the pair's midpoint, of the disk on the edge
	pq := [2]int{pi, qi}
	var mid Vec
	if pi < len(z.samples) && qi < len(z.samples) {
		p, q := &z.samples[pi], &z.samples[qi]
		mid = p.p.Lerp(q.p, 0.5)
		h := q.p.Sub(p.p).Len() / 2
		r := (p.r + q.r) / 2
		inR2 = r*r - h*h
		if inR2 > 0 {
			w := c0.Sub(mid)
			aa, bb, cc := d.Dot(d), 2*w.Dot(d), w.Dot(w)-inR2
			if disc := bb*bb - 4*aa*cc; disc > 0 && aa > 0 {
				sq := math.Sqrt(disc)
				cuts = append(cuts, (-bb-sq)/(2*aa), (-bb+sq)/(2*aa))
			}
		}
	} else {
		// An edge with a corner point lies far outside the band.
		inR2 = -1
	}
	for _, si := range pq {
		if si >= len(z.samples) {
			continue
		}
		s := &z.samples[si]
		if s.span >= fullCircle || !s.hasRegion {
			continue
		}
		for _, th := range [2]float64{s.lo, s.lo + s.span} {
			u := dir(th)
			den := d.Cross(u)
			if den == 0 {
				continue
			}
			f := s.p.Sub(c0).Cross(u) / den
			if c0.Add(d.Scale(f)).Sub(s.p).Dot(u) >= 0 {
				cuts = append(cuts, f)
			}
		}
	}
	sort.Float64s(cuts)
	ve := vedge{pt0: int32(len(z.ept)), sub0: int32(len(z.subs)), p: int32(pi), q: int32(qi)}
	z.ept = append(z.ept, c0id)
	prev := 0.0
	prevPt := c0
	for _, f := range cuts {
		if f <= prev+1e-12 || f >= 1-1e-12 {
			continue
		}
		p := c0.Add(d.Scale(f))
		z.ept = append(z.ept, z.addPoint(p))
		z.subs = append(z.subs, subedge{inDisk: prevPt.Lerp(p, 0.5).Sub(mid).Len() <= math.Sqrt(math.Max(inR2, 0)) && inR2 > 0})
		prev, prevPt = f, p
	}
	z.ept = append(z.ept, c1id)
	z.subs = append(z.subs, subedge{inDisk: prevPt.Lerp(c1, 0.5).Sub(mid).Len() <= math.Sqrt(math.Max(inR2, 0)) && inR2 > 0})
	ve.n = int32(len(z.ept)) - ve.pt0 - 1
	z.edgeOf[key] = int32(len(z.vedges))
	z.vedges = append(z.vedges, ve)
	return &z.vedges[len(z.vedges)-1]
}

// piece is one canonical piece of a cell's boundary, in the cell's
// counter-clockwise order.
type piece struct {
	from, to int32
	sub      int32
	inDisk   bool
	inRegion bool
}

func (pc piece) kept() bool { return pc.inDisk && pc.inRegion }

// buildCells cuts every sample's Voronoi cell to its region and the band's
// disk, records which canonical pieces each cell keeps, and sums areas.
func (z *Zones) buildCells() {
	z.area = make([]float64, len(z.sectors))
	var pieces []piece
	var edges []int
	for si := range z.samples {
		s := &z.samples[si]
		if !s.hasRegion {
			continue
		}
		var onHull bool
		edges, onHull = z.tri.AppendEdgesAround(edges[:0], si)
		if onHull || len(edges) == 0 {
			continue // cannot happen with the corner points; be safe
		}
		pieces = pieces[:0]
		for _, e := range edges {
			key, rev := e, false
			if tw := z.tri.Halfedges[e]; tw < e {
				key, rev = tw, true
			}
			ve := *z.edge(key)
			ids := z.ept[ve.pt0 : ve.pt0+ve.n+1]
			for j := int32(0); j < ve.n; j++ {
				pc := piece{from: ids[j], to: ids[j+1], sub: ve.sub0 + j}
				if rev {
					pc = piece{from: ids[ve.n-j], to: ids[ve.n-j-1], sub: ve.sub0 + ve.n - 1 - j}
				}
				pc.inDisk = z.subs[pc.sub].inDisk
				pc.inRegion = s.inRegion(z.pts[pc.from].Lerp(z.pts[pc.to], 0.5).Sub(s.p).Angle())
				if pc.kept() {
					if rev {
						z.subs[pc.sub].keptQ = true
					} else {
						z.subs[pc.sub].keptP = true
					}
				}
				pieces = append(pieces, pc)
			}
		}
		z.cutCell(int32(si), pieces)
	}
}

// cutCell writes the region polygon of sample si from its cell's pieces.
func (z *Zones) cutCell(si int32, pieces []piece) {
	s := &z.samples[si]
	r0 := int32(len(z.ring))
	push := func(id, tag int32) {
		if n := len(z.ring); n > int(r0) && z.ring[n-1] == id {
			z.tag[n-1] = tag
			return
		}
		z.ring = append(z.ring, id)
		z.tag = append(z.tag, tag)
	}
	arc := func(from, to float64) {
		for _, th := range arcAngles(from, ccwFrom(from, to)) {
			push(z.addPoint(s.p.Add(dir(th).Scale(s.r))), -1)
		}
	}
	angle := func(id int32) float64 { return z.pts[id].Sub(s.p).Angle() }
	n := len(pieces)
	// walk emits the polygon along pieces[start:start+count] (cyclic),
	// following kept pieces and drawing arcs across the others. It returns
	// whether it ended outside the disk.
	walk := func(start, count int, enterAngle float64, entered bool) (float64, bool) {
		lastAngle, inside := enterAngle, entered
		for k := 0; k < count; k++ {
			pc := pieces[(start+k)%n]
			if pc.kept() {
				if !inside {
					arc(lastAngle, angle(pc.from))
				}
				push(pc.from, pc.sub)
				inside = true
				continue
			}
			if inside {
				push(pc.from, -1)
				lastAngle = angle(pc.from)
				inside = false
			}
		}
		if inside {
			return 0, false
		}
		return lastAngle, true
	}
	if s.span >= fullCircle {
		start := -1
		for i, pc := range pieces {
			if pc.kept() && !pieces[(i+n-1)%n].kept() {
				start = i
				break
			}
		}
		switch {
		case start < 0 && pieces[0].kept(): // the whole cell is in the band
			for _, pc := range pieces {
				push(pc.from, pc.sub)
			}
		case start < 0: // the band's disk lies inside the cell
			for _, th := range arcAngles(0, fullCircle) {
				push(z.addPoint(s.p.Add(dir(th).Scale(s.r))), -1)
			}
			push(z.addPoint(s.p.Add(dir(0).Scale(s.r))), -1)
		default:
			if last, out := walk(start, n, 0, true); out {
				arc(last, angle(pieces[start].from))
			}
		}
	} else {
		start, count := -1, 0
		for i, pc := range pieces {
			if pc.inRegion && !pieces[(i+n-1)%n].inRegion {
				start = i
				break
			}
		}
		if start < 0 {
			return
		}
		for count < n && pieces[(start+count)%n].inRegion {
			count++
		}
		if s.id < 0 {
			s.id = z.addPoint(s.p)
		}
		push(s.id, -1)
		first := pieces[start]
		if !first.inDisk {
			push(z.addPoint(s.p.Add(dir(s.lo).Scale(s.r))), -1)
		}
		if last, out := walk(start, count, s.lo, first.inDisk); out {
			arc(last, s.lo+s.span)
			push(z.addPoint(s.p.Add(dir(s.lo+s.span).Scale(s.r))), -1)
		} else {
			push(pieces[(start+count-1)%n].to, -1)
		}
	}
	r1 := int32(len(z.ring))
	if r1-r0 < 3 {
		z.ring, z.tag = z.ring[:r0], z.tag[:r0]
		return
	}
	c := cell{sample: si, zone: s.sector, r0: r0, r1: r1,
		min: Vec{math.Inf(1), math.Inf(1)}, max: Vec{math.Inf(-1), math.Inf(-1)}}
	for _, id := range z.ring[r0:r1] {
		v := z.pts[id]
		z.cellPts = append(z.cellPts, v)
		c.min = Vec{math.Min(c.min.X, v.X), math.Min(c.min.Y, v.Y)}
		c.max = Vec{math.Max(c.max.X, v.X), math.Max(c.max.Y, v.Y)}
	}
	c.area = ringArea(z.cellPts[r0:r1]) / (s.k * s.k) / 1e6
	z.area[s.sector] += c.area
	z.cells = append(z.cells, c)
}

// arcAngles returns the angles strictly inside the arc that starts at
// from and turns span counter-clockwise, at which to draw it.
func arcAngles(from, span float64) []float64 {
	n := int(math.Ceil(span / arcStep))
	out := make([]float64, 0, n)
	for j := 1; j < n; j++ {
		out = append(out, from+span*float64(j)/float64(n))
	}
	return out
}
