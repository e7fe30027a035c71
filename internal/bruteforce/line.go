package bruteforce

import (
	"fmt"
	"math"
	"sync"

	"frontline/geo/geodesic"
)

// chunkEdges is the number of consecutive edges grouped under one lon/lat
// box for pruning.
const chunkEdges = 8

// Line is a front line: parts (LineStrings) of {lon, lat} vertices, in order.
// Build it with NewLine. A Line is safe for concurrent use.
type Line struct {
	Parts [][][2]float64

	once     sync.Once
	verts    []vertex
	edges    []edge
	chunks   []chunk
	all      []int32 // 0, 1, ..., len(chunks)-1
	lengthKm float64
	halfSmax float64 // half of the longest edge, km
	bbox     box     // lon/lat box of all vertices
}

// vertex is a vertex of the cleaned line.
type vertex struct {
	p       [2]float64 // {lon, lat}
	along   float64    // km along the line
	part    int        // index among the kept parts
	in, out int        // incoming and outgoing edge, -1 at an end of a part
}

// edge is a geodesic edge from vertex a to vertex b = a+1.
type edge struct {
	a, b       int
	lenKm      float64
	aziA, aziB float64 // forward azimuth (degrees) at a and at b
	along0     float64 // km along the line at a
}

// chunk groups consecutive edges of one part, [e0, e1), with vertices
// [v0, v1], under the lon/lat box of those vertices.
type chunk struct {
	box      box
	v0, v1   int
	e0, e1   int
	halfSmax float64
}

// box is a lon/lat box (degrees). It must not straddle the antimeridian.
type box struct{ minLon, minLat, maxLon, maxLat float64 }

func emptyBox() box {
	return box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
}

func (b *box) add(p [2]float64) {
	b.minLon = math.Min(b.minLon, p[0])
	b.maxLon = math.Max(b.maxLon, p[0])
	b.minLat = math.Min(b.minLat, p[1])
	b.maxLat = math.Max(b.maxLat, p[1])
}

// NewLine builds a Line and precomputes its edges (lengths and azimuths by
// geodesic.Inverse), along-line positions and pruning boxes.
//
// Consecutive repeated vertices are dropped (a zero-length edge has no
// direction), and so are parts left with fewer than two distinct vertices;
// "first part" and "last part" (flat ends) refer to the kept parts. NewLine
// panics if no edge is left or a coordinate is invalid.
func NewLine(parts [][][2]float64) *Line {
	l := &Line{Parts: parts}
	l.init()
	return l
}

func (l *Line) init() {
	l.once.Do(l.build)
}

func (l *Line) build() {
	l.bbox = emptyBox()
	along := 0.0
	kept := 0
	for _, part := range l.Parts {
		var pts [][2]float64
		for _, p := range part {
			if len(pts) == 0 || p != pts[len(pts)-1] {
				pts = append(pts, p)
			}
		}
		if len(pts) < 2 {
			continue
		}
		first := len(l.verts)
		for i, p := range pts {
			if !(p[1] >= -90 && p[1] <= 90 && p[0] >= -180 && p[0] <= 180) {
				panic(fmt.Sprintf("bruteforce: invalid coordinate %v", p))
			}
			v := vertex{p: p, part: kept, in: -1, out: -1}
			if i > 0 {
				a := first + i - 1
				s, aziA, aziB := inverse(pts[i-1], p)
				e := edge{a: a, b: a + 1, lenKm: s, aziA: aziA, aziB: aziB, along0: along}
				along += s
				l.verts[a].out = len(l.edges)
				v.in = len(l.edges)
				l.edges = append(l.edges, e)
				l.halfSmax = math.Max(l.halfSmax, s/2)
			}
			v.along = along
			l.verts = append(l.verts, v)
			l.bbox.add(p)
		}
		// Chunks of this part's edges.
		firstEdge := l.verts[first].out
		lastEdge := len(l.edges)
		for e0 := firstEdge; e0 < lastEdge; e0 += chunkEdges {
			e1 := min(e0+chunkEdges, lastEdge)
			c := chunk{box: emptyBox(), v0: l.edges[e0].a, v1: l.edges[e1-1].b, e0: e0, e1: e1}
			for v := c.v0; v <= c.v1; v++ {
				c.box.add(l.verts[v].p)
			}
			for e := e0; e < e1; e++ {
				c.halfSmax = math.Max(c.halfSmax, l.edges[e].lenKm/2)
			}
			l.chunks = append(l.chunks, c)
		}
		kept++
	}
	if len(l.edges) == 0 {
		panic("bruteforce: line has no edge")
	}
	l.lengthKm = along
	for ci := range l.chunks {
		l.all = append(l.all, int32(ci))
	}
}

// LengthKm is the geodesic length of the line (sum of its edges), km.
func (l *Line) LengthKm() float64 {
	l.init()
	return l.lengthKm
}

// inverse returns the geodesic distance (km) from p to q and the forward
// azimuths (degrees) at p and at q.
func inverse(p, q [2]float64) (km, azi1, azi2 float64) {
	s, a1, a2, err := geodesic.Inverse(p[1], p[0], q[1], q[0])
	if err != nil {
		panic(fmt.Sprintf("bruteforce: geodesic.Inverse(%v, %v): %v", p, q, err))
	}
	return s / 1000, a1, a2
}

// pointAt returns the point at km along edge e from its start, and the
// forward azimuth of the edge there. It is geodesic.Interpolate(A, B,
// km/len) computed from the edge's stored start azimuth.
func (l *Line) pointAt(e int, km float64) (p [2]float64, azi float64) {
	ed := &l.edges[e]
	a := l.verts[ed.a].p
	lat, lon, azi2 := geodesic.Direct(a[1], a[0], ed.aziA, km*1000)
	return [2]float64{lon, lat}, azi2
}

// Lower bounds of degree lengths on the WGS84 ellipsoid, km. A degree of
// latitude is at least a(1-e²)·π/180 = 110.574 km; a degree of longitude at
// latitude φ is N(φ)·cos φ·π/180 >= a·cos φ·π/180 = 111.3195·cos φ km.
const (
	kmPerDegLatMin   = 110.5
	kmPerDegLonEqMin = 111.319
)

// lonScale returns c such that a degree of longitude is at least c km
// everywhere on any path shorter than D km from latitude lat: such a path
// stays within |φ' - lat| < D/kmPerDegLatMin, where a degree of longitude
// is N(φ')·cos φ'·π/180 >= kmPerDegLonEqMin·cos(|lat| + D/kmPerDegLatMin).
func lonScale(lat, D float64) float64 {
	reach := math.Abs(lat) + D/kmPerDegLatMin
	if !(reach < 90) {
		return 0
	}
	return kmPerDegLonEqMin * math.Cos(reach*deg)
}

// lowerBoundKm returns L such that the geodesic distance d from (lon, lat)
// to any point of box b satisfies d >= min(D, L), where c = lonScale(lat, D).
//
// Proof: a shortest path of length d joins the points. Along it ds² =
// ρ²dφ² + (N cos φ)²dλ², with ρ >= kmPerDegLatMin per degree, and if d < D
// then N cos φ >= c per degree all along it. By Minkowski's inequality
// d >= hypot(kmPerDegLatMin·Δφ, c·Δλ), where Δφ and Δλ are the latitude
// and (wrapped) longitude gaps between the point and the box.
func lowerBoundKm(lon, lat float64, b box, c float64) float64 {
	var dlat float64
	if lat < b.minLat {
		dlat = b.minLat - lat
	} else if lat > b.maxLat {
		dlat = lat - b.maxLat
	}
	y := dlat * kmPerDegLatMin
	x := c * lonGap(lon, b.minLon, b.maxLon)
	return math.Sqrt(x*x + y*y)
}

// lonGap is the smallest longitude difference (degrees, either way round)
// between lon and the interval [minLon, maxLon], 0 inside it. Longitudes are
// in [-180, 180].
func lonGap(lon, minLon, maxLon float64) float64 {
	switch {
	case lon < minLon:
		return math.Min(minLon-lon, lon+360-maxLon)
	case lon > maxLon:
		return math.Min(lon-maxLon, minLon+360-lon)
	}
	return 0
}

func pointBox(p [2]float64) box { return box{p[0], p[1], p[0], p[1]} }
