package geo

import (
	"errors"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"frontline/geo/geodesic"
)

// Territory is the reference a line of contact is told from: the
// boundary of the territory (its land borders and sea coast), along which
// the edge of an area held by the other side is not contact, and the land
// border with the other side, which a line may run on along.
type Territory struct {
	boundary *Line
	border   [][]orb.Point
}

// NewTerritory prepares a reference territory: boundary holds the lines
// of its outer boundary and coast, border the land border with the other
// side, oriented with the other side on its right (it may be empty).
func NewTerritory(boundary, border [][]orb.Point) (*Territory, error) {
	if len(boundary) == 0 {
		return nil, errors.New("geo: a territory needs a boundary")
	}
	l, err := NewLine(boundary)
	if err != nil {
		return nil, err
	}
	t := &Territory{boundary: l}
	for _, part := range border {
		if len(part) >= 2 {
			t.border = append(t.border, part)
		}
	}
	return t, nil
}

// AlongBoundary returns the share of a line's length that runs within
// toleranceKm of the territory's boundary.
func (t *Territory) AlongBoundary(parts []orb.LineString, toleranceKm float64) float64 {
	var along, total float64
	for _, part := range parts {
		s := densify(part, false)
		distances(s, t.boundary, toleranceKm, toleranceKm)
		for i := 1; i < len(s); i++ {
			total += s[i].step
			if s[i].km <= toleranceKm {
				along += s[i].step
			}
		}
	}
	if total == 0 {
		return 0
	}
	return along / total
}

// HasBorder reports whether the territory has a land border to append.
func (t *Territory) HasBorder() bool { return len(t.border) > 0 }

// ContactOptions are the parameters of a derivation.
type ContactOptions struct {
	// ToleranceKm: a stretch of the area's edge is contact when somewhere
	// it runs farther than this from the territory's boundary.
	ToleranceKm float64
	// SnapKm: such a stretch runs on until it comes this close to the
	// boundary, so that it ends on the border or the coast.
	SnapKm float64
	// MinPartKm: shorter stretches are dropped (holes and artefacts).
	// Zero values take the defaults.
	MinPartKm float64
	// AppendBorder appends the land border the area does not touch.
	AppendBorder bool
}

// Default derivation parameters.
const (
	DefaultToleranceKm = 2.0
	DefaultSnapKm      = 0.5
	DefaultMinPartKm   = 5.0
	// sampleKm is the spacing at which edges are measured against the
	// reference.
	sampleKm = 0.1
)

// Contact is a derived line.
type Contact struct {
	// Parts are the line's parts, ordered along the front: the longest
	// stretch of contact first, then each part that starts nearest to
	// where the one before ends.
	Parts [][]orb.Point
	// Border says of each part whether it is a stretch of the land border
	// rather than of the area's edge; ContactParts counts the others.
	Border       []bool
	ContactParts int
	// Dropped counts the stretches of contact shorter than MinPartKm.
	Dropped int
	// ContactKm and BorderKm are the lengths of both kinds of part.
	ContactKm, BorderKm float64
}

// ErrNoContact says that an area's edge runs nowhere away from the
// territory's boundary.
var ErrNoContact = errors.New("geo: the area's edge runs along the territory's boundary everywhere: no line of contact")

// ContactLine derives the line of contact of an area held by the other
// side: the stretches of its edge that do not run along the territory's
// boundary, each oriented with the area on its right. With AppendBorder,
// the stretches of the land border the area does not touch follow, so
// that the line runs on along the border.
func (t *Territory) ContactLine(area orb.MultiPolygon, opt ContactOptions) (Contact, error) {
	if opt.ToleranceKm <= 0 {
		opt.ToleranceKm = DefaultToleranceKm
	}
	if opt.SnapKm <= 0 || opt.SnapKm > opt.ToleranceKm {
		opt.SnapKm = math.Min(DefaultSnapKm, opt.ToleranceKm)
	}
	if opt.MinPartKm <= 0 {
		opt.MinPartKm = DefaultMinPartKm
	}
	var c Contact
	var contact, border [][]orb.Point
	for _, poly := range area {
		for k, ring := range poly {
			if len(ring) < 4 {
				continue
			}
			// The area on the right: exteriors clockwise, holes
			// counter-clockwise.
			r := ring
			if cw := r.Orientation() == orb.CW; (k == 0) != cw {
				r = reverseRing(r)
			}
			for _, part := range t.stretches(r, opt) {
				if km := lengthKm(part); km < opt.MinPartKm {
					c.Dropped++
				} else {
					contact = append(contact, part)
					c.ContactKm += km
				}
			}
		}
	}
	if len(contact) == 0 {
		return c, ErrNoContact
	}
	c.ContactParts = len(contact)
	if opt.AppendBorder && len(t.border) > 0 {
		border = t.untouchedBorder(area, opt)
		for _, part := range border {
			c.BorderKm += lengthKm(part)
		}
	}
	c.Parts, c.Border = chain(contact, border)
	return c, nil
}

// edgeSample is a point on an edge, a fraction f of the way from a to b
// (a itself when f is 0), placed on the geodesic only when asked: most
// samples never are.
type edgeSample struct {
	a, b   orb.Point
	f      float64
	vertex bool
	step   float64 // km from the sample before
	km     float64 // distance to the reference, or a bound of it
}

func (s *edgeSample) at() orb.Point {
	if s.f == 0 {
		return s.a
	}
	return geodesic.Interpolate(s.a, s.b, s.f)
}

// distances sets each sample's distance to l where it matters: exactly
// where it might be on either side of snap or tol, and elsewhere a bound
// that is on the right side of both. Distance to a line changes by no more
// than the way walked, so after an exact distance d the next samples lie
// within d ± the way since: most of a stretch far from l, or on it, needs
// no search.
func distances(s []edgeSample, l *Line, snap, tol float64) {
	d, since := math.Inf(1), math.Inf(1)
	for i := range s {
		since += s[i].step
		switch {
		case d-since > tol:
			s[i].km = d - since
		case d+since <= snap:
			s[i].km = d + since
		default:
			d, since = l.DistanceKm(s[i].at()), 0
			s[i].km = d
		}
	}
}

// densify samples a ring or line every sampleKm at most; a closed ring's
// closing repeat is left out, an open line's last vertex kept.
func densify(r []orb.Point, closed bool) []edgeSample {
	var out []edgeSample
	step := 0.0
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		out = append(out, edgeSample{a: a, vertex: true, step: step})
		km := geodesic.Distance(a, b) / 1000
		n := int(math.Ceil(km / sampleKm))
		step = km / float64(max(n, 1))
		for k := 1; k < n; k++ {
			out = append(out, edgeSample{a: a, b: b, f: float64(k) / float64(n), step: step})
		}
	}
	if !closed && len(r) > 0 {
		out = append(out, edgeSample{a: r[len(r)-1], vertex: true, step: step})
	} else if len(out) > 0 {
		// The first sample follows the last round the ring.
		out[0].step = step
	}
	return out
}

// stretches returns the stretches of a closed ring that run away from the
// boundary: maximal runs of samples farther than SnapKm from it that
// somewhere get farther than ToleranceKm, each extended to the samples
// within SnapKm at both ends.
func (t *Territory) stretches(r orb.Ring, opt ContactOptions) [][]orb.Point {
	s := densify(r, true)
	n := len(s)
	if n < 3 {
		return nil
	}
	distances(s, t.boundary, opt.SnapKm, opt.ToleranceKm)
	start := -1
	for i := range s {
		if s[i].km <= opt.SnapKm {
			start = i
			break
		}
	}
	if start < 0 {
		// The whole ring is away from the boundary: a closed part.
		part := make([]orb.Point, 0, len(r))
		for _, q := range s {
			if q.vertex {
				part = append(part, q.a)
			}
		}
		return [][]orb.Point{append(part, part[0])}
	}
	var out [][]orb.Point
	var run []orb.Point
	far := false
	for k := 1; k <= n; k++ {
		i := (start + k) % n
		q := s[i]
		if q.km > opt.SnapKm {
			if run == nil {
				run = []orb.Point{s[(i+n-1)%n].at()}
				far = false
			}
			far = far || q.km > opt.ToleranceKm
			if q.vertex {
				run = append(run, q.a)
			}
			continue
		}
		if run != nil {
			run = append(run, q.at())
			if far && len(run) >= 2 {
				out = append(out, run)
			}
			run = nil
		}
	}
	return out
}

// untouchedBorder returns the stretches of the land border that run away
// from the area (outside it, farther than SnapKm from its edge and
// somewhere farther than ToleranceKm), in the border's direction.
func (t *Territory) untouchedBorder(area orb.MultiPolygon, opt ContactOptions) [][]orb.Point {
	var rings [][]orb.Point
	for _, poly := range area {
		for _, ring := range poly {
			if len(ring) >= 4 {
				rings = append(rings, ring)
			}
		}
	}
	edge, err := NewLine(rings)
	if err != nil {
		return nil
	}
	bound := area.Bound()
	var out [][]orb.Point
	keep := func(run []orb.Point, far bool) {
		if far && len(run) >= 2 && lengthKm(run) >= opt.MinPartKm {
			out = append(out, run)
		}
	}
	for _, part := range t.border {
		s := densify(part, false)
		distances(s, edge, opt.SnapKm, opt.ToleranceKm)
		var run []orb.Point
		far, inside, known := false, false, false
		for i, q := range s {
			km := q.km
			// Whether a sample is in the area changes only across its
			// edge: while the samples stay farther than SnapKm (more than
			// their spacing) from it, the answer carries over.
			if km <= opt.SnapKm {
				known = false
			} else if !known {
				p := q.at()
				inside = bound.Contains(p) && planar.MultiPolygonContains(area, p)
				known = true
			}
			if known && inside {
				km = 0
			}
			if km > opt.SnapKm {
				if run == nil {
					run, far = nil, false
					if i > 0 {
						run = append(run, s[i-1].at())
					}
				}
				if q.vertex || i == 0 {
					run = append(run, q.at())
				}
				far = far || km > opt.ToleranceKm
				continue
			}
			if run != nil {
				keep(append(run, q.at()), far)
				run = nil
			}
		}
		if run != nil {
			keep(run, far)
		}
	}
	return out
}

// chain orders parts along the front: the longest contact part first,
// then each time the part (contact or border) starting nearest to where
// the last one ends. It says of each part whether it is border.
func chain(contact, border [][]orb.Point) ([][]orb.Point, []bool) {
	sort.SliceStable(contact, func(i, j int) bool { return lengthKm(contact[i]) > lengthKm(contact[j]) })
	type part struct {
		pts    []orb.Point
		border bool
	}
	var rest []part
	for _, p := range contact[1:] {
		rest = append(rest, part{p, false})
	}
	for _, p := range border {
		rest = append(rest, part{p, true})
	}
	out, isBorder := [][]orb.Point{contact[0]}, []bool{false}
	for len(rest) > 0 {
		last := out[len(out)-1]
		end := last[len(last)-1]
		best, bestKm := 0, math.Inf(1)
		for i, p := range rest {
			if km := geodesic.Distance(end, p.pts[0]); km < bestKm {
				best, bestKm = i, km
			}
		}
		out, isBorder = append(out, rest[best].pts), append(isBorder, rest[best].border)
		rest = append(rest[:best], rest[best+1:]...)
	}
	return out, isBorder
}

func reverseRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

func lengthKm(part []orb.Point) float64 {
	sum := 0.0
	for i := 1; i < len(part); i++ {
		sum += geodesic.Distance(part[i-1], part[i])
	}
	return sum / 1000
}
