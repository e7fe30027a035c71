package delaunay_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"frontline/geo/delaunay"
)

type P = delaunay.Point

func randomUniform(n int, seed uint64) []P {
	r := rand.New(rand.NewPCG(seed, 1))
	pts := make([]P, n)
	for i := range pts {
		pts[i] = P{r.Float64()*2e6 - 1e6, r.Float64()*2e6 + 1e6}
	}
	return pts
}

func grid(nx, ny int, step, ox, oy float64) []P {
	var pts []P
	for j := range ny {
		for i := range nx {
			pts = append(pts, P{ox + float64(i)*step, oy + float64(j)*step})
		}
	}
	return pts
}

// polyline returns n points spaced ds apart along a random wiggly polyline
// of straight segments (points interpolated along each segment, so long
// runs are nearly or exactly collinear), in projected metres near (x0, y0).
func polyline(n int, ds float64, seed uint64) []P {
	r := rand.New(rand.NewPCG(seed, 2))
	pts := make([]P, 0, n)
	a := P{-1.2e6, 2.9e6}
	heading := 0.3
	carry := 0.0 // distance already travelled past the last sample
	for len(pts) < n {
		heading += (r.Float64() - 0.5) * 1.2
		length := 2e3 + r.Float64()*40e3
		b := P{a.X + length*math.Cos(heading), a.Y + length*math.Sin(heading)}
		for s := ds - carry; s <= length && len(pts) < n; s += ds {
			t := s / length
			pts = append(pts, P{a.X + t*(b.X-a.X), a.Y + t*(b.Y-a.Y)})
			carry = length - s
		}
		a = b
	}
	return pts
}

func frame(pts []P) []P {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	w, h := 5*(maxX-minX), 5*(maxY-minY)
	return append(pts, P{cx - w, cy - h}, P{cx + w, cy - h}, P{cx + w, cy + h}, P{cx - w, cy + h})
}

func sinePolyline() []P {
	var pts []P
	for i := range 4000 {
		x := 3e5 + float64(i)*500
		y := 2.5e6 + 40e3*math.Sin(x/70e3) + 5e3*math.Sin(x/9e3)
		pts = append(pts, P{x, y})
		if i%97 == 0 { // a point 1 m away
			pts = append(pts, P{x + 0.6, y + 0.8})
		}
	}
	return pts
}

func TestNew(t *testing.T) {
	full := verifyOpts{bruteDelaunay: true, bruteHull: true}
	cases := []struct {
		name string
		pts  []P
		opt  verifyOpts
	}{
		{"random uniform 1000", randomUniform(1000, 1), full},
		{"random uniform 20000", randomUniform(20000, 2), verifyOpts{}},
		{"regular grid 60x60", grid(60, 60, 1, 0, 0), verifyOpts{}},
		{"grid 500m far from origin", grid(40, 30, 500, 2.9e6, -2.9e6), verifyOpts{}},
		{"grid small", grid(7, 5, 1, 0, 0), full},
		{"collinear plus one", func() []P {
			var pts []P
			for i := range 2000 {
				pts = append(pts, P{1000 + 3*float64(i), -2000 + 7*float64(i)})
			}
			return append(pts, P{4000, 0})
		}(), verifyOpts{}},
		{"collinear plus one small", func() []P {
			pts := []P{{5, 1}}
			for i := range 30 {
				pts = append(pts, P{float64(i), float64(i)})
			}
			return pts
		}(), full},
		{"interpolated line plus one", func() []P {
			var pts []P
			a, b := P{-1234567.891, 2345678.123}, P{987654.321, 2999999.987}
			for i := range 3000 {
				t := float64(i) / 2999
				pts = append(pts, P{a.X + t*(b.X-a.X), a.Y + t*(b.Y-a.Y)})
			}
			return append(pts, P{0, 0})
		}(), verifyOpts{}},
		{"sine polyline 500m with 1m pairs", sinePolyline(), verifyOpts{}},
		{"sine polyline with frame", frame(sinePolyline()), verifyOpts{}},
		{"polyline 10000 with frame", frame(polyline(10000, 300, 3)), verifyOpts{}},
		{"polyline 2000 exact", polyline(2000, 1000, 4), verifyOpts{bruteHull: true}},
		{"axis-aligned integer polyline revisiting points", func() []P {
			r := rand.New(rand.NewPCG(10, 10))
			var pts []P
			x, y := 0.0, 0.0
			for len(pts) < 6000 {
				dx, dy := 0.0, 0.0
				if r.IntN(2) == 0 {
					dx = float64(r.IntN(3) - 1)
				} else {
					dy = float64(r.IntN(3) - 1)
				}
				for k := r.IntN(100); k > 0 && len(pts) < 6000; k-- {
					x, y = x+dx*100, y+dy*100
					pts = append(pts, P{x, y})
				}
			}
			return pts
		}(), verifyOpts{}},
		{"L shape exact collinear", func() []P {
			var pts []P
			for i := range 3000 {
				pts = append(pts, P{float64(i) * 10, 0})
			}
			for i := 1; i < 3000; i++ {
				pts = append(pts, P{-float64(i) * 6, float64(i) * 8})
			}
			return pts
		}(), verifyOpts{}},
		{"perturbed grid 1e-9", func() []P {
			r := rand.New(rand.NewPCG(5, 5))
			pts := grid(50, 50, 1000, 1e6, 2e6)
			for i := range pts {
				pts[i].X *= 1 + 1e-9*(2*r.Float64()-1)
				pts[i].Y *= 1 + 1e-9*(2*r.Float64()-1)
			}
			return pts
		}(), verifyOpts{}},
		{"perturbed grid 1e-15", func() []P {
			r := rand.New(rand.NewPCG(6, 6))
			pts := grid(30, 30, 1, 1e3, 1e3)
			for i := range pts {
				pts[i].X *= 1 + 1e-15*(2*r.Float64()-1)
				pts[i].Y *= 1 + 1e-15*(2*r.Float64()-1)
			}
			return pts
		}(), full},
		{"duplicates", func() []P {
			pts := randomUniform(500, 7)
			r := rand.New(rand.NewPCG(7, 7))
			for range 300 {
				pts = append(pts, pts[r.IntN(len(pts))])
			}
			pts = append(pts, P{0, 0}, P{math.Copysign(0, -1), 0}, P{0, 0})
			// permute so that duplicates are spread
			r.Shuffle(len(pts), func(i, j int) { pts[i], pts[j] = pts[j], pts[i] })
			return pts
		}(), full},
		{"duplicates of grid", append(grid(10, 10, 1, 0, 0), grid(10, 10, 1, 0, 0)...), full},
		{"3 points clockwise", []P{{0, 0}, {0, 1}, {1, 0}}, full},
		{"3 points plus duplicates", []P{{0, 0}, {0, 0}, {0, 1}, {1, 0}, {0, 1}}, full},
		{"frame corners far away", frame(randomUniform(2000, 8)), verifyOpts{}},
		{"cocircular integer points", func() []P {
			var pts []P
			const r2 = 5 * 5 * 5 * 5 * 13 * 13 * 17 * 17
			for x := -1000000; x <= 1000000; x++ {
				y2 := r2 - x*x
				if y2 < 0 {
					continue
				}
				y := int(math.Sqrt(float64(y2)) + 0.5)
				if y*y == y2 {
					pts = append(pts, P{float64(x), float64(y)})
					if y != 0 {
						pts = append(pts, P{float64(x), float64(-y)})
					}
				}
			}
			return append(pts, P{0, 0}, P{1, 0})
		}(), full},
		{"mixed magnitudes", func() []P {
			r := rand.New(rand.NewPCG(9, 9))
			var pts []P
			for range 60 {
				pts = append(pts, P{math.Ldexp(r.Float64()-0.5, r.IntN(800)-400), math.Ldexp(r.Float64()-0.5, r.IntN(800)-400)})
			}
			return pts
		}(), full},
		{"tiny and huge coordinates", []P{{1e-300, 0}, {0, 1e-300}, {0, 0}, {1e300, 1e300}, {-1e300, 1e300}, {2e-300, 2e-300}, {3e-300, 3e-300}, {1e-300, 1e-300}}, full},
		{"near-collinear points at 3e6", func() []P {
			var pts []P
			for i := range 150 {
				x := 3e6 + float64(i)*0.5
				y := -3e6 + float64(i)*0.25
				switch i % 3 {
				case 0:
					y = math.Nextafter(y, math.Inf(1))
				case 1:
					y = math.Nextafter(y, math.Inf(-1))
				}
				pts = append(pts, P{x, y})
			}
			return pts
		}(), full},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, err := delaunay.New(c.pts)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			verify(t, c.pts, tr, c.opt)
			t.Logf("%d points, %d triangles, %d hull points", len(c.pts), len(tr.Triangles)/3, len(tr.Hull))
		})
	}
}

func TestErrors(t *testing.T) {
	var collinear []P
	for i := range 1000 {
		collinear = append(collinear, P{float64(i) * 0.125, 3 - float64(i)*0.25})
	}
	cases := []struct {
		name string
		pts  []P
		want error
	}{
		{"empty", nil, delaunay.ErrDegenerate},
		{"one point", []P{{1, 2}}, delaunay.ErrDegenerate},
		{"two points", []P{{1, 2}, {3, 4}}, delaunay.ErrDegenerate},
		{"all equal", []P{{1, 2}, {1, 2}, {1, 2}, {1, 2}}, delaunay.ErrDegenerate},
		{"two distinct", []P{{1, 2}, {1, 2}, {3, 2}, {1, 2}}, delaunay.ErrDegenerate},
		{"all collinear", collinear, delaunay.ErrDegenerate},
		{"NaN", []P{{0, 0}, {1, 0}, {0, math.NaN()}}, delaunay.ErrNotFinite},
		{"Inf", []P{{0, 0}, {1, 0}, {math.Inf(-1), 1}}, delaunay.ErrNotFinite},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, err := delaunay.New(c.pts)
			if !errors.Is(err, c.want) || tr != nil {
				t.Fatalf("New = %p, %v; want nil, %v", tr, err, c.want)
			}
		})
	}
}

// TestNotQuadratic checks that inputs that make naive in-order insertion
// quadratic stay fast.
func TestNotQuadratic(t *testing.T) {
	var pts []P
	for i := range 20000 {
		pts = append(pts, P{float64(i), float64(i) * float64(i) * 1e-6})
	}
	start := time.Now()
	tr, err := delaunay.New(pts)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("20000 points on a parabola took %v", d)
	}
	verify(t, pts, tr, verifyOpts{})
}

func TestCircumcenter(t *testing.T) {
	pts := []P{{0, 0}, {4, 0}, {0, 2}, {1e6, 1e6 + 1e-4}, {2e6, 2e6}}
	for _, c := range [][3]int{{0, 1, 2}, {0, 3, 4}} {
		tr := &delaunay.Triangulation{Points: pts, Triangles: c[:]}
		cc := tr.Circumcenter(0)
		a, b, d := pts[c[0]], pts[c[1]], pts[c[2]]
		ra, rb, rd := math.Hypot(cc.X-a.X, cc.Y-a.Y), math.Hypot(cc.X-b.X, cc.Y-b.Y), math.Hypot(cc.X-d.X, cc.Y-d.Y)
		if math.Abs(ra-rb) > 1e-9*ra || math.Abs(ra-rd) > 1e-9*ra {
			t.Errorf("circumcenter %v of %v %v %v: radii %v %v %v", cc, a, b, d, ra, rb, rd)
		}
	}
	if cc := (&delaunay.Triangulation{Points: pts, Triangles: []int{0, 1, 2}}).Circumcenter(0); cc != (P{2, 1}) {
		t.Errorf("circumcenter = %v, want {2 1}", cc)
	}
}

// decodeFuzz turns fuzz bytes into at most 64 points; the first byte picks
// a family of inputs.
func decodeFuzz(data []byte) []P {
	if len(data) == 0 {
		return nil
	}
	mode := data[0] % 5
	data = data[1:]
	var pts []P
	switch mode {
	case 0: // small integer grid: heavy collinearity, cocircularity, duplicates
		for i := 0; i+1 < len(data) && len(pts) < 64; i += 2 {
			pts = append(pts, P{float64(data[i] % 8), float64(data[i+1] % 8)})
		}
	case 1: // arbitrary float64 bit patterns
		for i := 0; i+15 < len(data) && len(pts) < 64; i += 16 {
			pts = append(pts, P{
				math.Float64frombits(binary.LittleEndian.Uint64(data[i:])),
				math.Float64frombits(binary.LittleEndian.Uint64(data[i+8:])),
			})
		}
	case 2: // nearly collinear at projected-metre magnitudes, few-ulp offsets
		for i := 0; i+1 < len(data) && len(pts) < 64; i += 2 {
			s := float64(int8(data[i]))
			pts = append(pts, P{3e6 + s*100.1, -2e6 + s*37.3 + float64(int8(data[i+1]))*1e-9})
		}
	case 3: // int8 coordinates at a scale chosen by the next byte
		if len(data) == 0 {
			return nil
		}
		e := int(int8(data[0])) * 4
		data = data[1:]
		for i := 0; i+1 < len(data) && len(pts) < 64; i += 2 {
			pts = append(pts, P{math.Ldexp(float64(int8(data[i])), e), math.Ldexp(float64(int8(data[i+1])), e)})
		}
	case 4: // points interpolated along segments between grid nodes
		for i := 0; i+2 < len(data) && len(pts) < 64; i += 3 {
			a := P{float64(data[i]%4) * 1000.3, float64(data[i]/4%4) * 999.7}
			b := P{float64(data[i+1]%4) * 1000.3, float64(data[i+1]/4%4) * 999.7}
			t := float64(data[i+2]) / 255
			pts = append(pts, P{a.X + t*(b.X-a.X), a.Y + t*(b.Y-a.Y)})
		}
	}
	return pts
}

func FuzzNew(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 1, 2, 2, 3, 3})
	f.Add([]byte{0, 0, 0, 7, 0, 7, 7, 0, 7, 3, 3, 3, 4, 4, 3, 1, 1})
	f.Add([]byte{2, 1, 0, 2, 1, 3, 255, 4, 0, 5, 1, 200, 3})
	f.Add([]byte{3, 200, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{4, 0, 15, 10, 0, 15, 100, 3, 12, 50, 1, 1, 1})
	f.Add(append([]byte{1}, make([]byte, 64)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		pts := decodeFuzz(data)
		tr, err := delaunay.New(pts)
		if err != nil {
			if tr != nil {
				t.Fatalf("non-nil triangulation with error %v", err)
			}
			switch {
			case errors.Is(err, delaunay.ErrNotFinite):
				for _, p := range pts {
					if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
						return
					}
				}
				t.Fatalf("ErrNotFinite for finite points")
			case errors.Is(err, delaunay.ErrDegenerate):
				for i := range pts {
					for j := range pts {
						for k := range pts {
							if orientRef(pts[i], pts[j], pts[k]) != 0 {
								t.Fatalf("ErrDegenerate for non-collinear points %d %d %d", i, j, k)
							}
						}
					}
				}
				return
			}
			t.Fatalf("unexpected error %v", err)
		}
		verify(t, pts, tr, verifyOpts{bruteDelaunay: true, bruteHull: true})
	})
}

func benchmarkPolyline(b *testing.B, n int) {
	pts := frame(polyline(n-4, 150, 11))
	// a few close pairs, as where the front line folds back on itself
	for i := 100; i+1 < len(pts)-4; i += 1000 {
		pts[i+1] = P{pts[i].X + 1, pts[i].Y}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := delaunay.New(pts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPolyline10k(b *testing.B) { benchmarkPolyline(b, 10000) }
func BenchmarkPolyline30k(b *testing.B) { benchmarkPolyline(b, 30000) }

func BenchmarkUniform30k(b *testing.B) {
	pts := randomUniform(30000, 12)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := delaunay.New(pts); err != nil {
			b.Fatal(err)
		}
	}
}

func Example() {
	pts := []delaunay.Point{{0, 0}, {4, 0}, {4, 3}, {0, 3}, {1, 1}, {4, 0}}
	tr, err := delaunay.New(pts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("triangles:", len(tr.Triangles)/3)
	fmt.Println("hull points:", len(tr.Hull))
	fmt.Println("duplicates:", tr.Duplicates())
	edges, onHull := tr.EdgesAround(4)
	fmt.Println("edges around point 4:", len(edges), "on hull:", onHull)
	_, err = delaunay.New([]delaunay.Point{{0, 0}, {1, 1}, {2, 2}})
	fmt.Println(err)
	// Output:
	// triangles: 4
	// hull points: 4
	// duplicates: [-1 -1 -1 -1 -1 1]
	// edges around point 4: 4 on hull: false
	// delaunay: fewer than 3 non-collinear points
}
