package geo

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline/data"
)

type pts = []orb.Point

func TestFirstCrossing(t *testing.T) {
	up := math.Nextafter(0.3, 1)   // one ulp above 0.3
	down := math.Nextafter(0.3, 0) // one ulp below
	tests := []struct {
		name  string
		parts []pts
		want  *Crossing // nil: no crossing
	}{
		{"X within a part",
			[]pts{{{0, 0}, {2, 2}, {2, 0}, {0, 2}}},
			&Crossing{0, 0, 0, 2, false, orb.Point{1, 1}}},
		{"X between two parts",
			[]pts{{{0, 0}, {2, 2}}, {{0, 2}, {2, 0}}},
			&Crossing{0, 0, 1, 0, false, orb.Point{1, 1}}},
		{"collinear overlap between parts",
			[]pts{{{0, 0}, {3, 0}}, {{1, 1}, {1, 0}, {2, 0}, {2, 1}}},
			&Crossing{0, 0, 1, 1, true, orb.Point{1, 0}}},
		{"overlap named where it begins along edge B",
			[]pts{{{0, 0}, {3, 0}}, {{2, 1}, {2, 0}, {1, 0}, {1, 1}}},
			&Crossing{0, 0, 1, 1, true, orb.Point{2, 0}}},
		{"part doubling back on itself",
			[]pts{{{0, 0}, {2, 0}, {1, 0}}},
			&Crossing{0, 0, 0, 1, true, orb.Point{2, 0}}},
		{"collinear edges end to end allowed",
			[]pts{{{0, 0}, {1, 0}, {2, 0}}, {{2, 0}, {3, 0}}},
			nil},
		{"T-touch of a part's end allowed",
			[]pts{{{0, 0}, {2, 0}}, {{1, 0}, {1, 1}}},
			nil},
		{"T-touch of a part's end on its own edge allowed",
			[]pts{{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}},
			nil},
		{"crossing through a vertex refused",
			[]pts{{{0, 0}, {2, 0}}, {{1, -1}, {1, 0}, {1, 1}}},
			&Crossing{0, 0, 1, 0, false, orb.Point{1, 0}}},
		{"touch at a vertex allowed",
			[]pts{{{0, 0}, {2, 0}}, {{0, 1}, {1, 0}, {2, 1}}},
			nil},
		{"crossing at a vertex of both refused",
			[]pts{{{0, 0}, {1, 0}, {2, 0}}, {{1, -1}, {1, 0}, {1, 1}}},
			&Crossing{0, 0, 1, 0, false, orb.Point{1, 0}}},
		{"touch at a vertex of both allowed",
			[]pts{{{0, 0}, {1, 1}, {2, 0}}, {{0, 2}, {1, 1}, {2, 2}}},
			nil},
		{"touch at a vertex of both, sharing no direction, allowed",
			[]pts{{{0, 0}, {1, 0}, {2, 0}}, {{0, 1}, {1, 0}, {2, 1}}},
			nil},
		{"figure eight through one vertex refused",
			[]pts{{{0, 0}, {1, 1}, {2, 2}, {2, 0}, {1, 1}, {0, 2}}},
			&Crossing{0, 0, 0, 3, false, orb.Point{1, 1}}},
		{"petals touching at one vertex allowed",
			[]pts{{{0, 0}, {1, 0}, {1, 1}, {0, 0}, {-1, 0}, {-1, -1}, {0, 0}}},
			nil},
		{"passage across another whose next edge runs along a third part",
			// The first crossing is edge 0 of part 2 with part 1; edge 1 of
			// part 2 then also overlaps part 0.
			[]pts{{{0, 0}, {1, 0}}, {{0, -1}, {0, 0}, {0, 1}}, {{-1, 0}, {0, 0}, {2, 0}}},
			&Crossing{1, 0, 2, 0, false, orb.Point{0, 0}}},
		{"closed ring allowed",
			[]pts{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
			nil},
		{"crossing through a ring's closing vertex refused",
			[]pts{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}, {{0.5, 0.25}, {-1, -0.5}}},
			&Crossing{0, 0, 1, 0, false, orb.Point{0, 0}}},
		{"the same through an open part's end allowed",
			[]pts{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, {{0.5, 0.25}, {-1, -0.5}}},
			nil},
		{"parts sharing ends allowed",
			[]pts{{{0, 0}, {1, 0}}, {{1, 0}, {2, 1}}, {{1, 0}, {1, -1}}, {{2, 1}, {0, 0}}},
			nil},
		{"repeated vertices skipped, edges numbered as given",
			[]pts{{{0, 0}, {0, 0}, {2, 2}, {2, 2}, {2, 0}, {0, 2}, {0, 2}}},
			&Crossing{0, 1, 0, 4, false, orb.Point{1, 1}}},
		{"repeated vertex in a passage through a vertex",
			[]pts{{{0, 0}, {2, 0}}, {{1, -1}, {1, 0}, {1, 0}, {1, 1}}},
			&Crossing{0, 0, 1, 0, false, orb.Point{1, 0}}},
		{"repeated vertex in a touch",
			[]pts{{{0, 0}, {2, 0}}, {{0, 1}, {1, 0}, {1, 0}, {1, 0}, {2, 1}}},
			nil},
		{"repeated closing vertex of a ring",
			[]pts{{{0, 0}, {0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}, {0, 0}}},
			nil},
		{"a part of one position, a part of repeats",
			[]pts{{{5, 5}}, {{1, 1}, {1, 1}}, {{0, 0}, {2, 0}}},
			nil},
		{"the earlier of two edges crossed is named",
			[]pts{{{0, 0}, {4, 0}, {4, 2}, {0, 2}}, {{2, -1}, {2, 3}}},
			&Crossing{0, 0, 1, 0, false, orb.Point{2, 0}}},
		{"the first crossing along the line is named",
			// Edge 6 crosses edge 0, but edge 3 has already crossed edge 1.
			[]pts{{{0, 0}, {0, 10}, {10, 10}, {10, 5}, {6, 13}, {-2, 13}, {-2, 5}, {3, 5}}},
			&Crossing{0, 1, 0, 3, false, orb.Point{7.5, 10}}},
		{"vertex exactly on an edge, turning back: touch",
			[]pts{{{0.1, 0.1}, {0.7, 0.7}}, {{0.3, 0.2}, {0.3, 0.3}, {0.4, 0.3}}},
			nil},
		{"vertex exactly on an edge, passing: crossing",
			[]pts{{{0.1, 0.1}, {0.7, 0.7}}, {{0.3, 0.2}, {0.3, 0.3}, {0.2, 0.3}}},
			&Crossing{0, 0, 1, 0, false, orb.Point{0.3, 0.3}}},
		{"vertex one ulp beyond the edge: crosses it twice",
			[]pts{{{0.1, 0.1}, {0.7, 0.7}}, {{0.3, 0.2}, {0.3, up}, {0.4, 0.3}}},
			&Crossing{0, 0, 1, 0, false, orb.Point{0.3, 0.3}}},
		{"vertex one ulp short of the edge: clear",
			[]pts{{{0.1, 0.1}, {0.7, 0.7}}, {{0.3, 0.2}, {0.3, down}, {0.4, 0.3}}},
			nil},
		{"all edges on one meridian",
			[]pts{{{35, 47}, {35, 47.5}, {35, 48}, {35, 49}}, {{35, 50}, {35, 51}}},
			nil},
		{"one meridian, doubling back",
			[]pts{{{35, 47}, {35, 47.5}, {35, 48}, {35, 49}, {35, 48.5}}},
			&Crossing{0, 2, 0, 3, true, orb.Point{35, 49}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := FirstCrossing(tc.parts)
			checkAgainstBrute(t, tc.parts)
			switch {
			case tc.want == nil && ok:
				t.Errorf("got %v, want no crossing", got)
			case tc.want != nil && !ok:
				t.Errorf("got no crossing, want %v", *tc.want)
			case tc.want != nil && got != *tc.want:
				t.Errorf("got  %v\nwant %v", got, *tc.want)
			}
		})
	}
}

func TestCrossingString(t *testing.T) {
	for _, tc := range []struct {
		c    Crossing
		want string
	}{
		{Crossing{0, 3, 2, 17, false, orb.Point{37.5, 47.25}}, "part 0 edge 3 and part 2 edge 17 cross at 37.5, 47.25"},
		{Crossing{1, 0, 1, 1, true, orb.Point{36, 48}}, "part 1 edge 0 and part 1 edge 1 overlap from 36, 48"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func ExampleFirstCrossing() {
	// The third edge comes back across the first.
	c, ok := FirstCrossing([][]orb.Point{{{30, 48}, {31, 48}, {31, 48.5}, {30.5, 47.5}}})
	fmt.Println(ok, c)
	// Output: true part 0 edge 0 and part 0 edge 2 cross at 30.75, 48
}

// TestFirstCrossingBruteForce compares FirstCrossing with the brute force
// on thousands of small random lines, and the sweep on every prefix of each.
func TestFirstCrossingBruteForce(t *testing.T) {
	kinds := []struct {
		name string
		n    int // lines
		gen  func(r *rand.Rand) []pts
	}{
		// Small integer grids: many collinear edges, shared vertices, touches.
		{"grid", 1500, func(r *rand.Rand) []pts { return randomLine(r, 4, 1, 8) }},
		{"wide grid", 1500, func(r *rand.Rand) []pts { return randomLine(r, 12, 1, 8) }},
		// Longer walks: more edges in the sweep at once.
		{"long walks", 300, func(r *rand.Rand) []pts { return randomLine(r, 40, 1, 40) }},
		// Tenths are not exact in binary: near-collinear triples that only
		// the exact stage can decide.
		{"tenths", 1500, func(r *rand.Rand) []pts { return randomLine(r, 6, 0.1, 8) }},
		{"lon/lat 1e-7 steps", 1500, func(r *rand.Rand) []pts {
			return shift(randomLine(r, 5, 1e-7, 8), 36.1, 48.3)
		}},
		{"floats", 1500, func(r *rand.Rand) []pts { return randomLine(r, 0, 1, 8) }},
		// Outside the float filter's safe range: math/big decides.
		{"tiny", 300, func(r *rand.Rand) []pts { return randomLine(r, 5, 1e-200, 8) }},
		{"huge", 300, func(r *rand.Rand) []pts { return randomLine(r, 5, 1e200, 8) }},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(len(k.name))))
			crossings := 0
			n := k.n
			if testing.Short() {
				n /= 5
			}
			for i := 0; i < n; i++ {
				parts := k.gen(r)
				if checkAgainstBrute(t, parts) {
					crossings++
				}
				if t.Failed() {
					t.Fatalf("line %d: %v", i, parts)
				}
			}
			t.Logf("%d lines, %d with a crossing", n, crossings)
		})
	}
}

// checkAgainstBrute reports disagreements between FirstCrossing and the
// sweep on each prefix, and the brute force.
func checkAgainstBrute(t *testing.T, parts []pts) bool {
	t.Helper()
	got, ok := FirstCrossing(parts)
	want, wok := bruteFirstCrossing(parts)
	if ok != wok || got != want {
		t.Errorf("FirstCrossing %v %v, brute force %v %v", ok, got, wok, want)
	}
	checkSearches(t, parts, want, wok)
	// The prefix of k edges has a crossing exactly when it holds the
	// first crossing's edge B; a witness must be a crossing pair.
	f := newCrossFinder(parts)
	bf := newBrute(parts)
	if len(f.start) != len(bf.edges) {
		t.Fatalf("%d edges, brute force %d", len(f.start), len(bf.edges))
	}
	firstB := len(bf.edges)
	if wok {
		firstB = bf.index(want.PartB, want.EdgeB)
	}
	for k := 0; k <= len(f.start); k++ {
		bad, a, b := f.sweep(int32(k))
		if bad != (k > firstB) {
			t.Errorf("sweep of the first %d edges: %v, want %v", k, bad, k > firstB)
		}
		if bad {
			a, b = min(a, b), max(a, b)
			if b >= int32(k) || !bf.crosses(int(a), int(b)) {
				t.Errorf("sweep of the first %d edges: edges %d and %d do not cross", k, a, b)
			}
		}
	}
	return ok
}

// checkSearches checks both ways of finding the first crossing, whichever
// FirstCrossing took, against the brute force's answer.
func checkSearches(t *testing.T, parts []pts, want Crossing, wok bool) {
	t.Helper()
	f := newCrossFinder(parts)
	bad, a, b := f.sweep(int32(len(f.start)))
	if bad != wok {
		t.Fatalf("sweep %v, brute force %v", bad, wok)
	}
	if !bad {
		return
	}
	if ia, ib, ok := f.firstByIndex(math.MaxInt); !ok || f.crossing(ia, ib) != want {
		t.Errorf("R-tree search %v %v, brute force %v", ok, f.crossing(ia, ib), want)
	}
	if sa, sb := f.firstBySweeps(a, b); f.crossing(sa, sb) != want {
		t.Errorf("bisection %v, brute force %v", f.crossing(sa, sb), want)
	}
}

// randomLine returns 1 to 3 parts of 2 to maxV random positions on a grid of
// integers 0..g (any float in [0, 1) when g is 0), times scale. Some
// positions repeat, some are another part's, and some parts close.
func randomLine(r *rand.Rand, g int, scale float64, maxV int) []pts {
	coord := func() float64 {
		if g == 0 {
			return r.Float64() * scale
		}
		return float64(r.IntN(g+1)) * scale
	}
	var parts []pts
	np := 1 + r.IntN(3)
	for range np {
		nv := 2 + r.IntN(maxV-1)
		var p pts
		for range nv {
			switch {
			case len(p) > 0 && r.IntN(8) == 0:
				p = append(p, p[len(p)-1])
			case len(parts) > 0 && r.IntN(6) == 0:
				// Reuse another part's vertex: parts meeting at ends and
				// vertices.
				q := parts[r.IntN(len(parts))]
				p = append(p, q[r.IntN(len(q))])
			default:
				p = append(p, orb.Point{coord(), coord()})
			}
		}
		if r.IntN(5) == 0 {
			p = append(p, p[0])
		}
		parts = append(parts, p)
	}
	return parts
}

func shift(parts []pts, dx, dy float64) []pts {
	for _, p := range parts {
		for i := range p {
			p[i] = orb.Point{p[i][0] + dx, p[i][1] + dy}
		}
	}
	return parts
}

// The brute force: every pair of edges, decided in rational arithmetic
// from the definition, each edge's neighbours found by scanning its part.

type bruteEdge struct {
	part, j int // from parts[part][j] to parts[part][j+1]
}

type brute struct {
	parts  [][]orb.Point
	edges  []bruteEdge
	inPart [][]int // the edges of each part
}

func newBrute(parts [][]orb.Point) *brute {
	bf := &brute{parts: parts, inPart: make([][]int, len(parts))}
	for pi, p := range parts {
		for j := 0; j+1 < len(p); j++ {
			if p[j] != p[j+1] {
				bf.inPart[pi] = append(bf.inPart[pi], len(bf.edges))
				bf.edges = append(bf.edges, bruteEdge{pi, j})
			}
		}
	}
	return bf
}

func (bf *brute) index(part, j int) int {
	for i, e := range bf.edges {
		if e.part == part && e.j == j {
			return i
		}
	}
	return -1
}

func (bf *brute) ends(i int) (orb.Point, orb.Point) {
	e := bf.edges[i]
	return bf.parts[e.part][e.j], bf.parts[e.part][e.j+1]
}

// closed says whether the part's ends are one position and it has at
// least two edges.
func (bf *brute) closed(part int) bool {
	p := bf.parts[part]
	return len(bf.inPart[part]) >= 2 && p[0] == p[len(p)-1]
}

// neighbour returns the edge that continues edge i at its start (atEnd
// false) or at its end, or -1.
func (bf *brute) neighbour(i int, atEnd bool) int {
	e := bf.edges[i]
	cands := bf.inPart[e.part]
	pos := sort.SearchInts(cands, i)
	switch {
	case !atEnd && pos > 0:
		return cands[pos-1]
	case atEnd && pos < len(cands)-1:
		return cands[pos+1]
	case bf.closed(e.part) && !atEnd:
		return cands[len(cands)-1]
	case bf.closed(e.part) && atEnd:
		return cands[0]
	}
	return -1
}

type rvec struct{ x, y *big.Rat }

func rv(p orb.Point) rvec {
	return rvec{new(big.Rat).SetFloat64(p[0]), new(big.Rat).SetFloat64(p[1])}
}
func (a rvec) sub(b rvec) rvec {
	return rvec{new(big.Rat).Sub(a.x, b.x), new(big.Rat).Sub(a.y, b.y)}
}
func (a rvec) add(b rvec) rvec {
	return rvec{new(big.Rat).Add(a.x, b.x), new(big.Rat).Add(a.y, b.y)}
}
func (a rvec) scale(t *big.Rat) rvec {
	return rvec{new(big.Rat).Mul(a.x, t), new(big.Rat).Mul(a.y, t)}
}
func (a rvec) cross(b rvec) *big.Rat {
	return new(big.Rat).Sub(new(big.Rat).Mul(a.x, b.y), new(big.Rat).Mul(a.y, b.x))
}
func (a rvec) dot(b rvec) *big.Rat {
	return new(big.Rat).Add(new(big.Rat).Mul(a.x, b.x), new(big.Rat).Mul(a.y, b.y))
}
func (a rvec) eq(b rvec) bool { return a.x.Cmp(b.x) == 0 && a.y.Cmp(b.y) == 0 }
func (a rvec) point() orb.Point {
	x, _ := a.x.Float64()
	y, _ := a.y.Float64()
	return orb.Point{x, y}
}

// meet decides how edges i and j meet: "" (not at all), "proper",
// "touch" or "overlap", with the touching point or where the overlap
// begins along j.
func (bf *brute) meet(i, j int) (string, rvec) {
	pa, qa := bf.ends(i)
	pb, qb := bf.ends(j)
	// Boxes first, so that long real lines stay quick.
	if math.Max(pa[0], qa[0]) < math.Min(pb[0], qb[0]) || math.Max(pb[0], qb[0]) < math.Min(pa[0], qa[0]) ||
		math.Max(pa[1], qa[1]) < math.Min(pb[1], qb[1]) || math.Max(pb[1], qb[1]) < math.Min(pa[1], qa[1]) {
		return "", rvec{}
	}
	a, b := rv(pa), rv(pb)
	r, s := rv(qa).sub(a), rv(qb).sub(b)
	w := b.sub(a)
	zero, one := new(big.Rat), big.NewRat(1, 1)
	den := r.cross(s)
	if den.Sign() != 0 {
		t := new(big.Rat).Quo(w.cross(s), den)
		u := new(big.Rat).Quo(w.cross(r), den)
		if t.Cmp(zero) < 0 || t.Cmp(one) > 0 || u.Cmp(zero) < 0 || u.Cmp(one) > 0 {
			return "", rvec{}
		}
		x := a.add(r.scale(t))
		if t.Sign() > 0 && t.Cmp(one) < 0 && u.Sign() > 0 && u.Cmp(one) < 0 {
			return "proper", x
		}
		return "touch", x
	}
	if w.cross(r).Sign() != 0 {
		return "", rvec{} // parallel
	}
	rr := r.dot(r)
	t0 := new(big.Rat).Quo(w.dot(r), rr)
	t1 := new(big.Rat).Quo(rv(qb).sub(a).dot(r), rr)
	if t0.Cmp(t1) > 0 {
		t0, t1 = t1, t0
	}
	if t0.Cmp(zero) < 0 {
		t0 = zero
	}
	if t1.Cmp(one) > 0 {
		t1 = one
	}
	switch t0.Cmp(t1) {
	case 1:
		return "", rvec{}
	case 0:
		return "touch", a.add(r.scale(t0))
	}
	x0, x1 := a.add(r.scale(t0)), a.add(r.scale(t1))
	if x0.sub(b).dot(s).Cmp(x1.sub(b).dot(s)) > 0 {
		x0 = x1
	}
	return "overlap", x0
}

// passage returns the directions in which the line's passage through x
// along edge i leaves x, or nil at a loose end.
func (bf *brute) passage(i int, x rvec) []rvec {
	p, q := bf.ends(i)
	a, b := rv(p), rv(q)
	switch {
	case x.eq(a):
		n := bf.neighbour(i, false)
		if n < 0 {
			return nil
		}
		np, _ := bf.ends(n)
		return []rvec{b.sub(x), rv(np).sub(x)}
	case x.eq(b):
		n := bf.neighbour(i, true)
		if n < 0 {
			return nil
		}
		_, nq := bf.ends(n)
		return []rvec{a.sub(x), rv(nq).sub(x)}
	}
	return []rvec{a.sub(x), b.sub(x)}
}

func (bf *brute) crosses(i, j int) bool {
	kind, x := bf.meet(i, j)
	switch kind {
	case "proper", "overlap":
		return true
	case "":
		return false
	}
	pi, qi := bf.ends(i)
	if (x.eq(rv(pi)) && bf.neighbour(i, false) == j) || (x.eq(rv(qi)) && bf.neighbour(i, true) == j) {
		return false
	}
	v, w := bf.passage(i, x), bf.passage(j, x)
	if v == nil || w == nil {
		return false
	}
	type dir struct {
		d     rvec
		label int
	}
	ds := []dir{{v[0], 0}, {v[1], 0}, {w[0], 1}, {w[1], 1}}
	for a := range ds {
		for b := a + 1; b < len(ds); b++ {
			if ds[a].d.cross(ds[b].d).Sign() == 0 && ds[a].d.dot(ds[b].d).Sign() > 0 {
				return false // two directions the same
			}
		}
	}
	// Counterclockwise from east; the passages cross when the labels
	// alternate around x.
	upper := func(d rvec) bool { return d.y.Sign() > 0 || (d.y.Sign() == 0 && d.x.Sign() > 0) }
	sort.Slice(ds, func(a, b int) bool {
		ua, ub := upper(ds[a].d), upper(ds[b].d)
		if ua != ub {
			return ua
		}
		return ds[a].d.cross(ds[b].d).Sign() > 0
	})
	return ds[0].label != ds[1].label && ds[1].label != ds[2].label && ds[2].label != ds[3].label
}

// bruteFirstCrossing finds the first crossing pair by the definition: the
// smallest edge B, then the smallest A.
func bruteFirstCrossing(parts [][]orb.Point) (Crossing, bool) {
	bf := newBrute(parts)
	for j := range bf.edges {
		for i := 0; i < j; i++ {
			if !bf.crosses(i, j) {
				continue
			}
			kind, x := bf.meet(i, j)
			ea, eb := bf.edges[i], bf.edges[j]
			return Crossing{ea.part, ea.j, eb.part, eb.j, kind == "overlap", x.point()}, true
		}
	}
	return Crossing{}, false
}

// TestFirstCrossingShapes runs lines that would make a box index test
// nearly every pair, and checks them against the brute force.
func TestFirstCrossingShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		parts []pts
		cross bool
	}{
		{"zigzag", []pts{zigzag(300)}, false},
		{"spiral", []pts{spiral(300)}, false},
		{"flower", []pts{flower(150)}, false},
		{"north-south", []pts{meridian(300)}, false},
		{"front", []pts{front(3000)}, false},
		{"zigzag, last stroke across", []pts{withEnd(zigzag(300), orb.Point{30.5, 48})}, true},
		{"spiral, last edge across", []pts{across(spiral(300))}, true},
		{"flower, last edge across", []pts{across(flower(150))}, true},
		{"north-south, doubling back", []pts{withEnd(meridian(300), orb.Point{35, 48.001})}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := FirstCrossing(tc.parts)
			want, wok := bruteFirstCrossing(tc.parts)
			if ok != wok || got != want {
				t.Errorf("FirstCrossing %v %v, brute force %v %v", ok, got, wok, want)
			}
			checkSearches(t, tc.parts, want, wok)
			if ok != tc.cross {
				t.Errorf("crossing %v, want %v", ok, tc.cross)
			}
		})
	}
}

func withEnd(p pts, end orb.Point) pts { return append(p[:len(p):len(p)], end) }

// across adds an edge from the last vertex to near its mirror image
// through (30, 48), the centre of the spiral and the flower.
func across(p pts) pts {
	l := p[len(p)-1]
	return withEnd(p, orb.Point{60.000001 - l[0], 96.000003 - l[1]})
}

// zigzag: n strokes up a diagonal and back, each 1e-5° north of the last,
// so that the boxes of all strokes overlap.
func zigzag(n int) pts {
	var p pts
	for i := 0; len(p) < n; i++ {
		d := float64(i) * 1e-5
		p = append(p, orb.Point{30, 48 + d}, orb.Point{31, 49 + d})
	}
	return p[:n]
}

// spiral: a square spiral turned 30°, its turns 1e-5° apart.
func spiral(n int) pts {
	p := pts{{30, 48}}
	s, c := math.Sincos(math.Pi / 6)
	x, y := 0.0, 0.0
	for i := 0; len(p) < n; i++ {
		l := float64(i/2+1) * 1e-5
		switch i % 4 {
		case 0:
			x += l
		case 1:
			y += l
		case 2:
			x -= l
		case 3:
			y -= l
		}
		p = append(p, orb.Point{30 + c*x - s*y, 48 + s*x + c*y})
	}
	return p
}

// flower: petals around one vertex, each a thin triangle in its own
// direction, touching only there.
func flower(n int) pts {
	c := orb.Point{30, 48}
	p := pts{c}
	k := n / 3
	for i := 0; len(p) < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(k)
		s0, c0 := math.Sincos(a)
		s1, c1 := math.Sincos(a + math.Pi/float64(k))
		p = append(p, orb.Point{30 + 0.1*c0, 48 + 0.1*s0}, orb.Point{30 + 0.1*c1, 48 + 0.1*s1}, c)
	}
	return p[:n]
}

// meridian: n vertices due north along 35° E, 1e-5° apart.
func meridian(n int) pts {
	p := make(pts, n)
	for i := range p {
		p[i] = orb.Point{35, 48 + float64(i)*1e-5}
	}
	return p
}

// front: a synthetic front of n vertices that meanders east and west in
// rows 0.05° apart, 10,000 vertices across 8° each, with wiggles up to
// 0.02° and uneven steps: more folds than a real front (one row of the
// sweep per row), none crossing.
func front(n int) pts {
	const rowLen = 10000
	p := make(pts, 0, n)
	x := 30.0
	for i := 0; len(p) < n; i++ {
		row, k := i/rowLen, i%rowLen
		h := float64(uint32(i)*2654435761) / (1 << 32) // 0..1, repeatable
		step := 8.0 / rowLen * (0.5 + h)
		if k > 0 {
			if row%2 == 0 {
				x += step
			} else {
				x -= step
			}
		}
		y := 46 + 0.05*float64(row) + 0.015*math.Sin(float64(i)*0.01)*math.Sin(float64(i)*0.0013) + 0.004*(h-0.5)
		p = append(p, orb.Point{x, y})
	}
	return p
}

// TestFirstCrossingRealLines: the DeepStateMap lines of contact and the
// embedded default line have no crossing, and the brute force agrees.
func TestFirstCrossingRealLines(t *testing.T) {
	fc, err := geojson.UnmarshalFeatureCollection(data.Line())
	if err != nil {
		t.Fatal(err)
	}
	var def []pts
	for _, ft := range fc.Features {
		switch g := ft.Geometry.(type) {
		case orb.LineString:
			def = append(def, pts(g))
		case orb.MultiLineString:
			for _, ls := range g {
				def = append(def, pts(ls))
			}
		}
	}
	lines := []realLine{{name: "data/line.geojson", parts: def}}
	t.Run("data/line.geojson", func(t *testing.T) { checkRealLine(t, lines[0]) })
	t.Run("deepstate", func(t *testing.T) {
		for _, rl := range realLines(t) {
			t.Run(rl.name, func(t *testing.T) { checkRealLine(t, rl) })
		}
	})
}

func checkRealLine(t *testing.T, rl realLine) {
	n := 0
	for _, p := range rl.parts {
		n += len(p)
	}
	got, ok := FirstCrossing(rl.parts)
	want, wok := bruteFirstCrossing(rl.parts)
	if ok != wok || got != want {
		t.Errorf("FirstCrossing %v %v, brute force %v %v", ok, got, wok, want)
	}
	if ok {
		t.Errorf("%s (%d parts, %d vertices) crosses itself: %v", rl.name, len(rl.parts), n, got)
		return
	}
	t.Logf("%s: %d parts, %d vertices, no crossing", rl.name, len(rl.parts), n)
}

// FuzzFirstCrossing: small lines on a grid, decoded from bytes, against the
// brute force. Each byte is a position (two coordinates 0..7), 0xFF starts
// a new part; the first byte picks a scale.
func FuzzFirstCrossing(f *testing.F) {
	f.Add([]byte{0, 0x00, 0x22, 0x20, 0x02})
	f.Add([]byte{1, 0x00, 0x20, 0xFF, 0x1f, 0x10, 0x11})
	f.Add([]byte{2, 0x00, 0x10, 0x11, 0x01, 0x00, 0xFF, 0x12, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 2 || len(b) > 32 {
			return
		}
		scale := []float64{1, 0.1, 1e-7, 1e-200, 3}[int(b[0])%5]
		parts := []pts{nil}
		for _, c := range b[1:] {
			if c == 0xFF {
				parts = append(parts, nil)
				continue
			}
			p := orb.Point{float64(c&7) * scale, float64(c>>3&7) * scale}
			if scale == 1e-7 {
				p = orb.Point{36.1 + p[0], 48.3 + p[1]}
			}
			parts[len(parts)-1] = append(parts[len(parts)-1], p)
		}
		checkAgainstBrute(t, parts)
	})
}

// BenchmarkFirstCrossing on synthetic lines: a meandering front of 100,000
// and 1,000,000 vertices, and 100,000-vertex shapes that defeat box
// indexes; "crossing" has one crossing at its end, which costs the search
// for the first.
func BenchmarkFirstCrossing(b *testing.B) {
	for _, bc := range []struct {
		name  string
		line  func() pts
		cross bool
	}{
		{"front/100k", func() pts { return front(100_000) }, false},
		{"front/1M", func() pts { return front(1_000_000) }, false},
		{"north-south/100k", func() pts { return meridian(100_000) }, false},
		{"zigzag/100k", func() pts { return zigzag(100_000) }, false},
		{"spiral/100k", func() pts { return spiral(100_000) }, false},
		{"flower/100k", func() pts { return flower(100_000) }, false},
		{"crossing/100k", func() pts { return withEnd(front(100_000), orb.Point{37.9, 46.01}) }, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			parts := [][]orb.Point{bc.line()}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, ok := FirstCrossing(parts); ok != bc.cross {
					b.Fatalf("crossing %v, want %v", ok, bc.cross)
				}
			}
		})
	}
}
