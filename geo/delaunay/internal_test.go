package delaunay

import (
	"math"
	"math/rand/v2"
	"testing"
)

// nearDegenerate returns test quadruples: nearly collinear, nearly
// cocircular, on a grid, with mixed magnitudes (all within the safe range).
func nearDegenerate(r *rand.Rand, kind int) (a, b, c, d Point) {
	ulps := func(x float64, k int) float64 {
		for ; k > 0; k-- {
			x = math.Nextafter(x, math.Inf(1))
		}
		for ; k < 0; k++ {
			x = math.Nextafter(x, math.Inf(-1))
		}
		return x
	}
	jitter := func(p Point) Point {
		return Point{ulps(p.X, r.IntN(7)-3), ulps(p.Y, r.IntN(7)-3)}
	}
	switch kind {
	case 0: // along a line at projected-metre magnitudes
		p := Point{r.Float64()*6e6 - 3e6, r.Float64()*6e6 - 3e6}
		q := Point{p.X + r.Float64()*1e4, p.Y + r.Float64()*1e4}
		at := func(t float64) Point { return jitter(Point{p.X + t*(q.X-p.X), p.Y + t*(q.Y-p.Y)}) }
		return at(0), at(r.Float64()), at(1), at(r.Float64()*3 - 1)
	case 1: // on a circle
		cx, cy, rad := r.Float64()*6e6-3e6, r.Float64()*6e6-3e6, math.Exp(r.Float64()*15)
		at := func() Point {
			t := r.Float64() * 2 * math.Pi
			return jitter(Point{cx + rad*math.Cos(t), cy + rad*math.Sin(t)})
		}
		return at(), at(), at(), at()
	case 2: // small integer grid (exact degeneracies)
		g := func() Point { return Point{float64(r.IntN(4)), float64(r.IntN(4))} }
		return g(), g(), g(), g()
	default: // mixed magnitudes
		m := func() float64 {
			if r.IntN(5) == 0 {
				return 0
			}
			return math.Ldexp(r.Float64()-0.5, r.IntN(300)-100)
		}
		return Point{m(), m()}, Point{m(), m()}, Point{m(), m()}, Point{m(), m()}
	}
}

func TestPredicatesAgainstRat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var pr predicates
	for i := range 60000 {
		a, b, c, d := nearDegenerate(r, i%4)
		if !safeCoord(a.X) || !safeCoord(a.Y) || !safeCoord(b.X) || !safeCoord(b.Y) ||
			!safeCoord(c.X) || !safeCoord(c.Y) || !safeCoord(d.X) || !safeCoord(d.Y) {
			continue
		}
		want := orientRat(a, b, c)
		if got := pr.orient(a, b, c); got != want {
			t.Fatalf("orient(%v, %v, %v) = %d, want %d", a, b, c, got, want)
		}
		if got := pr.orientExact(a, b, c); got != want {
			t.Fatalf("orientExact(%v, %v, %v) = %d, want %d", a, b, c, got, want)
		}
		want = incircleRat(a, b, c, d)
		if got := pr.incircle(a, b, c, d); got != want {
			t.Fatalf("incircle(%v, %v, %v, %v) = %d, want %d", a, b, c, d, got, want)
		}
		if got := pr.incircleExact(a, b, c, d); got != want {
			t.Fatalf("incircleExact(%v, %v, %v, %v) = %d, want %d", a, b, c, d, got, want)
		}
	}
}

func TestCircumcenterSlivers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		a, b, c, _ := nearDegenerate(r, 0)
		if orientRat(a, b, c) == 0 {
			continue
		}
		got := circumcenter(a, b, c)
		want := circumcenterRat(a, b, c)
		if math.IsInf(got.X, 0) || math.IsNaN(got.X) || math.IsInf(got.Y, 0) || math.IsNaN(got.Y) {
			t.Fatalf("circumcenter(%v, %v, %v) = %v", a, b, c, got)
		}
		// Equal up to a small relative error in the distance from a.
		ra := math.Hypot(want.X-a.X, want.Y-a.Y)
		if err := math.Hypot(got.X-want.X, got.Y-want.Y); err > 1e-8*ra {
			t.Fatalf("circumcenter(%v, %v, %v) = %v, exact %v", a, b, c, got, want)
		}
	}
}

// TestLocateBrute checks the exhaustive fallback of point location against
// the walk.
func TestLocateBrute(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var pts []Point
	for range 300 {
		pts = append(pts, Point{float64(r.IntN(20)), float64(r.IntN(20))})
	}
	b := newBuilder(pts, false)
	if !b.seed() {
		t.Fatal("seed failed")
	}
	for k := 3; k < len(pts); k++ {
		b.insert(k)
	}
	for range 2000 {
		p := Point{float64(r.IntN(26)-3) / 2, float64(r.IntN(26)-3) / 2}
		e1, w1 := b.locate(p, 3*r.IntN(b.nt))
		e2, w2 := b.locateBrute(p)
		if w1 != w2 {
			t.Fatalf("%v: walk says %d, brute force %d", p, w1, w2)
		}
		switch w1 {
		case locVertex:
			if b.tri[e1] != b.tri[e2] {
				t.Fatalf("%v: vertex %d vs %d", p, b.tri[e1], b.tri[e2])
			}
		case locOutside:
			for _, e := range []int{e1, e2} {
				if b.half[e] != -1 || b.pr.orient(b.pts[b.tri[e]], b.pts[b.tri[Next(e)]], p) >= 0 {
					t.Fatalf("%v: edge %d is not a hull edge seeing the point", p, e)
				}
			}
		case locEdge:
			for _, e := range []int{e1, e2} {
				if b.pr.orient(b.pts[b.tri[e]], b.pts[b.tri[Next(e)]], p) != 0 {
					t.Fatalf("%v: not on edge %d", p, e)
				}
			}
		}
	}
}
