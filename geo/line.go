package geo

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/paulmach/orb"

	"frontline/geo/geodesic"
)

// ErrInvalidLine is wrapped by every error that refuses a line.
var ErrInvalidLine = errors.New("geo: invalid line")

// InvalidError says which rule a line broke and where. Part and Vertex are
// indexes into the parts and positions as given (Vertex is -1 when the
// error is about a whole part).
type InvalidError struct {
	Part, Vertex int
	Rule         string // a stable word: too_few_vertices, bad_coordinates, too_long
	Reason       string
}

func (e *InvalidError) Error() string {
	if e.Part < 0 {
		return "line: " + e.Reason
	}
	if e.Vertex < 0 {
		return fmt.Sprintf("part %d: %s", e.Part, e.Reason)
	}
	return fmt.Sprintf("part %d, vertex %d: %s", e.Part, e.Vertex, e.Reason)
}

func (e *InvalidError) Unwrap() error { return ErrInvalidLine }

// Limits of a line: no front line is longer than the equator, and an
// edge of thousands of kilometres is a mistake in the data, not a front.
const (
	MaxLineKm    = 25000.0
	MaxEdgeKm    = 5000.0
	sameVertexKm = 1e-6 // vertices closer than a millimetre are one vertex
)

// maxEdgeKm is the longest straight piece the engine lets stand for a
// geodesic edge in its plane. Over 2 km the projected geodesic bows away
// from its chord by well under a millimetre anywhere the projection is
// used, so the planar line is the geodesic line.
const maxEdgeKm = 2.0

// Line is a validated front line: one or more parts, taken in order, each
// a chain of geodesic edges between lon/lat vertices. Distance along the
// line runs through the parts one after another; the gap between two
// parts counts zero.
type Line struct {
	parts  []orb.LineString // as given, minus repeated consecutive vertices
	cum    [][]float64      // along-line km at each vertex of parts
	length float64          // km

	// The plane is set up on first use (Nearest, NewZones): importing and
	// measuring a line does not need it.
	planeOnce sync.Once
	proj      *Projection

	// The line in the plane, densified so that no edge is longer than
	// maxEdgeKm. Points of all parts are stored one after another; part i
	// covers pv[pstart[i]:pstart[i+1]].
	pv     []Vec
	pa     []float64 // along-line km of each point of pv
	pstart []int
	index  *segIndex
}

// NewLine validates the parts (lon/lat positions; anything beyond two
// coordinates is ignored) and prepares the line for computation.
func NewLine(parts [][]orb.Point) (*Line, error) {
	if len(parts) == 0 {
		return nil, &InvalidError{Part: 0, Vertex: -1, Rule: "too_few_vertices", Reason: "line has no parts"}
	}
	l := &Line{}
	for i, part := range parts {
		clean := make(orb.LineString, 0, len(part))
		for j, p := range part {
			if err := checkPosition(p); err != "" {
				return nil, &InvalidError{Part: i, Vertex: j, Rule: "bad_coordinates", Reason: err}
			}
			if n := len(clean); n > 0 {
				// The same place, whatever its coordinates say (the
				// antimeridian, a pole), is not a new vertex.
				km := geodesic.Distance(clean[n-1], p) / 1000
				if km < sameVertexKm {
					continue
				}
				if math.Abs(p[0]-clean[n-1][0]) > 180 {
					return nil, &InvalidError{Part: i, Vertex: j, Rule: "crosses_antimeridian",
						Reason: "the edge to this vertex crosses the antimeridian (180° longitude), which lines may not"}
				}
				if km > MaxEdgeKm {
					return nil, &InvalidError{Part: i, Vertex: j, Rule: "too_long",
						Reason: fmt.Sprintf("the edge to this vertex is %.0f km long, more than the limit of %.0f km", km, MaxEdgeKm)}
				}
			}
			clean = append(clean, p)
		}
		if len(clean) < 2 {
			return nil, &InvalidError{Part: i, Vertex: -1, Rule: "too_few_vertices",
				Reason: fmt.Sprintf("needs at least 2 distinct vertices, has %d", len(clean))}
		}
		l.parts = append(l.parts, clean)
	}
	l.measure()
	if l.length > MaxLineKm {
		return nil, &InvalidError{Part: -1, Vertex: -1, Rule: "too_long",
			Reason: fmt.Sprintf("is %.0f km long, more than the limit of %.0f km", l.length, MaxLineKm)}
	}
	return l, nil
}

func checkPosition(p orb.Point) string {
	switch {
	case math.IsNaN(p[0]) || math.IsInf(p[0], 0):
		return "longitude is not a finite number"
	case math.IsNaN(p[1]) || math.IsInf(p[1], 0):
		return "latitude is not a finite number"
	case p[0] < -180 || p[0] > 180:
		return fmt.Sprintf("longitude %g outside [-180, 180]", p[0])
	case p[1] < -90 || p[1] > 90:
		return fmt.Sprintf("latitude %g outside [-90, 90]", p[1])
	}
	return ""
}

func (l *Line) measure() {
	along := 0.0
	l.cum = make([][]float64, len(l.parts))
	for i, part := range l.parts {
		c := make([]float64, len(part))
		c[0] = along
		for j := 1; j < len(part); j++ {
			along += geodesic.Distance(part[j-1], part[j]) / 1000
			c[j] = along
		}
		l.cum[i] = c
	}
	l.length = along
}

// plane sets up the line's plane once; every use of pv, pa, index or
// proj goes through a method that calls it first.
func (l *Line) plane() { l.planeOnce.Do(l.project) }

// project sets up the plane: a projection centred on the line's bounding
// box (longitudes unwrapped around the first vertex, so that a line across
// the antimeridian is centred correctly) and the densified planar line.
func (l *Line) project() {
	lon0 := l.parts[0][0][0]
	minX, maxX := math.Inf(1), math.Inf(-1)
	minY, maxY := math.Inf(1), math.Inf(-1)
	for _, part := range l.parts {
		for _, p := range part {
			x := lon0 + math.Remainder(p[0]-lon0, 360)
			minX, maxX = math.Min(minX, x), math.Max(maxX, x)
			minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
		}
	}
	l.proj = NewProjection(orb.Point{(minX + maxX) / 2, (minY + maxY) / 2})
	for i, part := range l.parts {
		l.pstart = append(l.pstart, len(l.pv))
		for j, p := range part {
			if j > 0 {
				// Split long edges at points on the geodesic.
				km := l.cum[i][j] - l.cum[i][j-1]
				n := int(math.Ceil(km / maxEdgeKm))
				for k := 1; k < n; k++ {
					f := float64(k) / float64(n)
					l.pv = append(l.pv, l.proj.Forward(geodesic.Interpolate(part[j-1], p, f)))
					l.pa = append(l.pa, l.cum[i][j-1]+f*km)
				}
			}
			l.pv = append(l.pv, l.proj.Forward(p))
			l.pa = append(l.pa, l.cum[i][j])
		}
	}
	l.pstart = append(l.pstart, len(l.pv))
	l.index = newSegIndex(l)
}

// LengthKm is the geodesic length of the line.
func (l *Line) LengthKm() float64 { return l.length }

// Parts returns the line's parts (shared: do not modify).
func (l *Line) Parts() []orb.LineString { return l.parts }

// Vertices counts the positions of all parts.
func (l *Line) Vertices() int {
	n := 0
	for _, p := range l.parts {
		n += len(p)
	}
	return n
}

// Bound returns the lon/lat bounding box of the line.
func (l *Line) Bound() orb.Bound {
	return orb.MultiLineString(l.parts).Bound()
}

// PointAt returns the point at km along the line (clamped to the line).
// Where two parts meet, it is the end of the first.
func (l *Line) PointAt(km float64) orb.Point {
	km = math.Max(0, math.Min(km, l.length))
	for i := range l.parts {
		c := l.cum[i]
		if km <= c[len(c)-1] {
			return l.partPoint(i, km)
		}
	}
	last := l.parts[len(l.parts)-1]
	return last[len(last)-1]
}

// partPoint returns the point of part i at km along the line, which must
// be within the part's range.
func (l *Line) partPoint(i int, km float64) orb.Point {
	c, part := l.cum[i], l.parts[i]
	j := sort.SearchFloat64s(c, km) // first vertex at or after km
	switch {
	case j == len(c):
		return part[len(part)-1]
	case c[j] == km || j == 0:
		return part[j]
	}
	return geodesic.Interpolate(part[j-1], part[j], (km-c[j-1])/(c[j]-c[j-1]))
}

// Cut returns the pieces of the line between from and to km along it: one
// LineString per part it touches. Pieces of zero length are left out.
func (l *Line) Cut(from, to float64) orb.MultiLineString {
	from = math.Max(0, from)
	to = math.Min(to, l.length)
	var out orb.MultiLineString
	for i, part := range l.parts {
		c := l.cum[i]
		lo, hi := math.Max(from, c[0]), math.Min(to, c[len(c)-1])
		if hi <= lo {
			continue
		}
		piece := orb.LineString{l.partPoint(i, lo)}
		for j, a := range c {
			if a > lo && a < hi {
				piece = append(piece, part[j])
			}
		}
		if end := l.partPoint(i, hi); end != piece[len(piece)-1] {
			piece = append(piece, end)
		}
		if len(piece) >= 2 {
			out = append(out, piece)
		}
	}
	return out
}
