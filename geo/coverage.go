package geo

import (
	"math"
	"sort"

	"github.com/paulmach/orb"

	"frontline/geo/geodesic"
)

// Troop is a unit of troops at a position. It counts in the sector named
// Sector when the sectorisation has one of that id, and otherwise in the
// sector of its position's nearest line point.
type Troop struct {
	ID       string
	Pos      orb.Point
	Strength int
	Sector   string
}

// AirDefense is an active air-defense unit covering everything within
// RangeKm (geodesic) of its position.
type AirDefense struct {
	ID      string
	Pos     orb.Point
	RangeKm float64
}

// Patrol watches everything within ObserveKm of its route; a route of one
// position is an observation post.
type Patrol struct {
	ID           string
	Route        orb.LineString
	ObserveKm    float64
	VisitsPerDay float64
}

// Units are the units a coverage computation counts.
type Units struct {
	Troops     []Troop
	AirDefense []AirDefense
	Patrols    []Patrol
}

// SectorCoverage holds the raw coverage figures of one sector.
type SectorCoverage struct {
	Sector
	ZoneAreaKm2 float64

	Strength int // personnel of the troop units counted in the sector

	ADCoveredKm2 float64  // zone area within range of at least one unit
	ADLayeredKm2 float64  // zone area within range of two or more
	ADUnits      []string // units covering some of the zone, sorted

	PatrolKm     float64  // line length watched by some patrol
	PatrolVisits float64  // visits per day of the patrols watching some of it
	PatrolUnits  []string // those patrols, sorted
	Unwatched    [][2]float64
}

// disk is an air-defense range in the plane: the geodesic circle
// projected, which the conformal plane shows as a circle to within
// second-order terms once its centre is taken as the mean of four points
// of the true circle.
type disk struct {
	c        Vec
	r        float64
	min, max Vec
	unit     int
}

func (z *Zones) disk(u AirDefense, i int) disk {
	proj := z.line.proj
	var c Vec
	var pts [4]Vec
	for j := range pts {
		lat, lon, _ := geodesic.Direct(u.Pos[1], u.Pos[0], float64(90*j), u.RangeKm*1000)
		pts[j] = proj.Forward(orb.Point{lon, lat})
		c = c.Add(pts[j].Scale(0.25))
	}
	r := 0.0
	for _, p := range pts {
		r += p.Sub(c).Len() / 4
	}
	return disk{c: c, r: r, min: Vec{c.X - r, c.Y - r}, max: Vec{c.X + r, c.Y + r}, unit: i}
}

// Coverage computes every sector's coverage by the units.
func (z *Zones) Coverage(u Units) []SectorCoverage {
	out := make([]SectorCoverage, len(z.sectors))
	ids := make(map[string]int, len(z.sectors))
	for i, s := range z.sectors {
		out[i] = SectorCoverage{Sector: s, ZoneAreaKm2: z.area[i]}
		ids[s.ID] = i
	}
	for _, t := range u.Troops {
		i, ok := ids[t.Sector]
		if !ok {
			i = SectorAt(z.sectors, z.line.Nearest(t.Pos).AlongKm)
		}
		out[i].Strength += t.Strength
	}
	z.airDefense(u.AirDefense, out)
	z.patrols(u.Patrols, out)
	return out
}

// airDefense measures, cell by cell, how much of each zone lies within
// one and within two or more ranges. A cell wholly inside or outside every
// range is counted whole; a cell that a range's edge crosses is measured
// along lines across it, exactly along each line and by the midpoint rule
// across lines a tenth of a kilometre apart, and that fraction of its
// exact area is taken.
func (z *Zones) airDefense(units []AirDefense, out []SectorCoverage) {
	if len(units) == 0 {
		return
	}
	disks := make([]disk, len(units))
	for i, u := range units {
		disks[i] = z.disk(u, i)
	}
	touch := make([][]bool, len(out))
	for i := range touch {
		touch[i] = make([]bool, len(units))
	}
	var partial []disk
	for _, c := range z.cells {
		full := 0
		partial = partial[:0]
		poly := z.cellPts[c.r0:c.r1]
		for _, d := range disks {
			if d.max.X < c.min.X || d.min.X > c.max.X || d.max.Y < c.min.Y || d.min.Y > c.max.Y {
				continue
			}
			switch diskRelation(d, poly) {
			case inside:
				full++
				touch[c.zone][d.unit] = true
			case crossing:
				partial = append(partial, d)
			}
		}
		if len(partial) == 0 {
			if full >= 1 {
				out[c.zone].ADCoveredKm2 += c.area
			}
			if full >= 2 {
				out[c.zone].ADLayeredKm2 += c.area
			}
			continue
		}
		s := &z.samples[c.sample]
		one, two, hit := measureCell(poly, s.dIn.Add(s.dOut).Perp().Unit(), partial, full)
		out[c.zone].ADCoveredKm2 += one * c.area
		out[c.zone].ADLayeredKm2 += two * c.area
		for _, i := range hit {
			touch[c.zone][i] = true
		}
	}
	for i := range out {
		for j, t := range touch[i] {
			if t {
				out[i].ADUnits = append(out[i].ADUnits, units[j].ID)
			}
		}
		sort.Strings(out[i].ADUnits)
	}
}

type relation int

const (
	outside relation = iota
	crossing
	inside
)

// diskRelation tells whether a convex or star-shaped polygon is inside the
// disk, outside it, or crossed by its edge.
func diskRelation(d disk, poly []Vec) relation {
	r2 := d.r * d.r
	in := true
	for _, v := range poly {
		if v.Sub(d.c).Dot(v.Sub(d.c)) > r2 {
			in = false
			break
		}
	}
	if in {
		return inside
	}
	// Outside when the centre is outside the polygon and every edge is
	// farther than the radius.
	for i := range poly {
		if dd, _ := segmentDist2(d.c, poly[i], poly[(i+1)%len(poly)]); dd < r2 {
			return crossing
		}
	}
	if pointInRing(d.c, poly) {
		return crossing
	}
	return outside
}

const sliceM = 100.0 // distance between measuring lines across a cell

// measureCell returns the fractions of the polygon covered by at least one
// and by at least two disks, counting `full` disks known to hold it all,
// and the units of the partial disks that cover some of it. The polygon is
// measured along lines parallel to axis.
func measureCell(poly []Vec, axis Vec, partial []disk, full int) (one, two float64, hit []int) {
	perp := axis.Perp()
	o := poly[0]
	wmin, wmax := math.Inf(1), math.Inf(-1)
	for _, v := range poly {
		w := v.Sub(o).Dot(perp)
		wmin, wmax = math.Min(wmin, w), math.Max(wmax, w)
	}
	m := int(math.Ceil((wmax - wmin) / sliceM))
	m = min(max(m, 2), 2000)
	var total, cov1, cov2 float64
	hitSet := make([]bool, len(partial))
	var xs []float64
	type ev struct {
		s float64
		d int
	}
	var evs []ev
	for j := 0; j < m; j++ {
		w := wmin + (wmax-wmin)*(float64(j)+0.5)/float64(m)
		base := o.Add(perp.Scale(w))
		// Crossings of the line base + s·axis with the polygon's edges.
		xs = xs[:0]
		for i := range poly {
			a, b := poly[i].Sub(o).Dot(perp)-w, poly[(i+1)%len(poly)].Sub(o).Dot(perp)-w
			if (a > 0) != (b > 0) {
				f := a / (a - b)
				p := poly[i].Lerp(poly[(i+1)%len(poly)], f)
				xs = append(xs, p.Sub(base).Dot(axis))
			}
		}
		sort.Float64s(xs)
		for i := 0; i+1 < len(xs); i += 2 {
			s0, s1 := xs[i], xs[i+1]
			total += s1 - s0
			evs = evs[:0]
			for di, d := range partial {
				// |base + s·axis - c|² <= r²
				q := base.Sub(d.c)
				bq := q.Dot(axis)
				disc := bq*bq - (q.Dot(q) - d.r*d.r)
				if disc <= 0 {
					continue
				}
				sq := math.Sqrt(disc)
				lo, hi := math.Max(-bq-sq, s0), math.Min(-bq+sq, s1)
				if hi > lo {
					evs = append(evs, ev{lo, 1}, ev{hi, -1})
					hitSet[di] = true
				}
			}
			sort.Slice(evs, func(a, b int) bool { return evs[a].s < evs[b].s })
			n, prev := full, s0
			for _, e := range evs {
				if n >= 1 {
					cov1 += e.s - prev
				}
				if n >= 2 {
					cov2 += e.s - prev
				}
				n += e.d
				prev = e.s
			}
			if n >= 1 {
				cov1 += s1 - prev
			}
			if n >= 2 {
				cov2 += s1 - prev
			}
		}
	}
	for i, h := range hitSet {
		if h {
			hit = append(hit, partial[i].unit)
		}
	}
	if total == 0 {
		return 0, 0, hit
	}
	return cov1 / total, cov2 / total, hit
}

// patrols measures the length of line each patrol watches: in the plane,
// the part of each edge within the patrol's distance (scaled) of each of
// its route's edges, which is one interval since both are convex.
func (z *Zones) patrols(patrols []Patrol, out []SectorCoverage) {
	l := z.line
	type span struct{ a, b float64 }
	watched := make([][]span, len(l.pv)) // per planar edge: parameter intervals
	touched := make([][]bool, len(out))
	for i := range touched {
		touched[i] = make([]bool, len(patrols))
	}
	ix := l.index
	var segs []int32
	mark := make([]int, len(l.pv)) // stamp of the last route edge that listed each line edge
	stamp := 0
	for pi, p := range patrols {
		route := make([]Vec, len(p.Route))
		for i, q := range p.Route {
			route[i] = l.proj.Forward(q)
		}
		if len(route) == 1 {
			route = append(route, route[0])
		}
		k := l.proj.Scale(p.Route[0])
		r := p.ObserveKm * 1000 * k
		for j := 0; j+1 < len(route); j++ {
			pa, pb := route[j], route[j+1]
			x0, y0 := ix.cellOf(Vec{math.Min(pa.X, pb.X) - r, math.Min(pa.Y, pb.Y) - r})
			x1, y1 := ix.cellOf(Vec{math.Max(pa.X, pb.X) + r, math.Max(pa.Y, pb.Y) + r})
			segs = segs[:0]
			stamp++
			for y := y0; y <= y1; y++ {
				for x := x0; x <= x1; x++ {
					for _, s := range ix.cells[y*ix.nx+x] {
						if mark[s] != stamp {
							mark[s] = stamp
							segs = append(segs, s)
						}
					}
				}
			}
			for _, s := range segs {
				a, b, ok := withinOfSegment(l.pv[s], l.pv[s+1], pa, pb, r)
				if !ok {
					continue
				}
				watched[s] = append(watched[s], span{a, b})
				from := l.pa[s] + a*(l.pa[s+1]-l.pa[s])
				to := l.pa[s] + b*(l.pa[s+1]-l.pa[s])
				for si := SectorAt(z.sectors, from); si < len(out) && z.sectors[si].StartKm < to; si++ {
					if math.Min(to, z.sectors[si].EndKm)-math.Max(from, z.sectors[si].StartKm) > 0 {
						touched[si][pi] = true
					}
				}
			}
		}
	}
	// Merge the intervals of each edge and add them up per sector.
	var merged []span // along-line km, in order
	for s, w := range watched {
		if len(w) == 0 {
			continue
		}
		sort.Slice(w, func(i, j int) bool { return w[i].a < w[j].a })
		cur := w[0]
		flush := func(c span) {
			a := l.pa[s] + c.a*(l.pa[s+1]-l.pa[s])
			b := l.pa[s] + c.b*(l.pa[s+1]-l.pa[s])
			if n := len(merged); n > 0 && a <= merged[n-1].b {
				merged[n-1].b = math.Max(merged[n-1].b, b)
				return
			}
			merged = append(merged, span{a, b})
		}
		for _, x := range w[1:] {
			if x.a <= cur.b {
				cur.b = math.Max(cur.b, x.b)
				continue
			}
			flush(cur)
			cur = x
		}
		flush(cur)
	}
	for i := range out {
		sec := z.sectors[i]
		prev := sec.StartKm
		for _, m := range merged {
			a, b := math.Max(m.a, sec.StartKm), math.Min(m.b, sec.EndKm)
			if b <= a {
				continue
			}
			out[i].PatrolKm += b - a
			if a > prev {
				out[i].Unwatched = append(out[i].Unwatched, [2]float64{prev, a})
			}
			prev = b
		}
		if sec.EndKm > prev {
			out[i].Unwatched = append(out[i].Unwatched, [2]float64{prev, sec.EndKm})
		}
		for j, t := range touched[i] {
			if t {
				out[i].PatrolUnits = append(out[i].PatrolUnits, patrols[j].ID)
				out[i].PatrolVisits += patrols[j].VisitsPerDay
			}
		}
		sort.Strings(out[i].PatrolUnits)
	}
}

// withinOfSegment returns the parameter interval [a, b] of the points of
// segment p0p1 within distance r of segment q0q1 (a stadium, so the set is
// one interval), and whether there is one of positive length.
func withinOfSegment(p0, p1, q0, q1 Vec, r float64) (float64, float64, bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	add := func(a, b float64) {
		a, b = math.Max(a, 0), math.Min(b, 1)
		if b > a {
			lo, hi = math.Min(lo, a), math.Max(hi, b)
		}
	}
	d := p1.Sub(p0)
	for _, c := range [2]Vec{q0, q1} {
		// |p0 + t·d - c|² <= r²
		w := p0.Sub(c)
		aa, bb, cc := d.Dot(d), 2*w.Dot(d), w.Dot(w)-r*r
		if disc := bb*bb - 4*aa*cc; aa > 0 && disc > 0 {
			sq := math.Sqrt(disc)
			add((-bb-sq)/(2*aa), (-bb+sq)/(2*aa))
		}
	}
	if e := q1.Sub(q0); e.Len() > 0 {
		u := e.Unit()
		n := u.Perp()
		// 0 <= (x-q0)·u <= |e| and |(x-q0)·n| <= r, each linear in t.
		a, b := 0.0, 1.0
		for _, c := range [4]struct {
			v   Vec
			lim float64
			neg bool
		}{{u, 0, true}, {u, e.Len(), false}, {n, r, false}, {n, -r, true}} {
			f0 := p0.Sub(q0).Dot(c.v)
			df := d.Dot(c.v)
			// want f0 + t·df <= lim (or >= lim when neg)
			if c.neg {
				f0, df, c.lim = -f0, -df, -c.lim
			}
			if df == 0 {
				if f0 > c.lim {
					a, b = 1, 0
				}
				continue
			}
			t := (c.lim - f0) / df
			if df > 0 {
				b = math.Min(b, t)
			} else {
				a = math.Max(a, t)
			}
		}
		add(a, b)
	}
	return lo, hi, hi > lo
}
