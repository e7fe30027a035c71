package bruteforce

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"frontline/geo/geodesic"
)

// meridian returns the vertices of a line due north along meridian lon from
// lat0, lengthKm long, in n equal geodesic edges.
func meridian(lon, lat0, lengthKm float64, n int) [][2]float64 {
	pts := [][2]float64{{lon, lat0}}
	for i := 1; i <= n; i++ {
		lat, lon2, _ := geodesic.Direct(lat0, lon, 0, lengthKm*1000*float64(i)/float64(n))
		pts = append(pts, [2]float64{lon2, lat})
	}
	return pts
}

// geodesicPts returns n+1 points on the geodesic from p at azimuth azi,
// lengthKm long: a straight line with n edges.
func geodesicPts(p [2]float64, azi, lengthKm float64, n int) [][2]float64 {
	pts := [][2]float64{p}
	for i := 1; i <= n; i++ {
		pts = append(pts, along(p, azi, lengthKm*float64(i)/float64(n)))
	}
	return pts
}

// along returns the point km along the geodesic from p with azimuth azi.
func along(p [2]float64, azi, km float64) [2]float64 {
	lat, lon, _ := geodesic.Direct(p[1], p[0], azi, km*1000)
	return [2]float64{lon, lat}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestSectorOf(t *testing.T) {
	bounds := []float64{0, 10, 10, 25, 40}
	for _, tc := range []struct {
		name  string
		along float64
		want  int
	}{
		{"start", 0, 0},
		{"inside first", 5, 0},
		{"on bound goes to next (empty sector skipped)", 10, 2},
		{"inside", 30, 3},
		{"end included in last", 40, 3},
		{"before start clamps", -1, 0},
		{"after end clamps", 41, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SectorOf(bounds, tc.along); got != tc.want {
				t.Errorf("SectorOf(%v) = %d, want %d", tc.along, got, tc.want)
			}
		})
	}
	if got := SectorOf([]float64{0}, 1); got != -1 {
		t.Errorf("SectorOf with one bound = %d, want -1", got)
	}
}

// TestLowerBound checks the pruning bound against exact distances.
func TestLowerBound(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		p := [2]float64{20 + 30*r.Float64(), 30 + 40*r.Float64()}
		q := [2]float64{p[0] + (r.Float64()-0.5)*8, p[1] + (r.Float64()-0.5)*5}
		if i%3 == 0 { // tiny separations
			q = [2]float64{p[0] + (r.Float64()-0.5)*0.01, p[1] + (r.Float64()-0.5)*0.01}
		}
		D := 1 + 600*r.Float64()
		d, _, _ := inverse(p, q)
		lb := lowerBoundKm(p[0], p[1], pointBox(q), lonScale(p[1], D))
		if d < math.Min(D, lb)-1e-9 {
			t.Fatalf("p %v q %v D %v: distance %v < min(D, bound %v)", p, q, D, d, lb)
		}
	}
}

// TestPointAt checks that the edge parametrisation is geodesic.Interpolate.
func TestPointAt(t *testing.T) {
	l := NewLine([][][2]float64{{{30, 48}, {30.3, 48.2}, {30.2, 48.1}}})
	for e := range l.edges {
		ed := l.edges[e]
		for _, f := range []float64{0, 0.25, 0.5, 0.9, 1} {
			got, _ := l.pointAt(e, f*ed.lenKm)
			want := geodesic.Interpolate(l.verts[ed.a].p, l.verts[ed.b].p, f)
			if geodesic.Distance(got, want) > 1e-6 {
				t.Errorf("edge %d f %v: %v, Interpolate %v", e, f, got, want)
			}
		}
	}
	if want := geodesic.Length(l.Parts[0]) / 1000; !near(l.LengthKm(), want, 1e-9) {
		t.Errorf("LengthKm %v, geodesic.Length %v", l.LengthKm(), want)
	}
}

func TestNearest(t *testing.T) {
	// Right-angle bend: north along meridian 30, then east.
	corner := [2]float64{30, 48.5}
	bend := NewLine([][][2]float64{{{30, 48}, corner, along(corner, 90, 50)}})
	leg1 := bend.edges[0].lenKm
	// Straight line due north, 100 km.
	straight := NewLine([][][2]float64{meridian(30, 48, 100, 10)})
	start, end := straight.verts[0].p, straight.verts[len(straight.verts)-1].p
	// Two parts with a gap: part 2 starts 30 km east of part 1's end.
	p1 := meridian(30, 48, 50, 5)
	p2 := meridian(31, 48.2, 40, 4)
	gap := NewLine([][][2]float64{p1, p2})
	len1 := geodesic.Length(p1) / 1000

	type want struct {
		distKm  float64 // < 0: check against an exact distance to vertex
		alongKm float64
		left    bool
		beyond  bool
	}
	for _, tc := range []struct {
		name string
		l    *Line
		p    [2]float64
		w    want
		tol  float64 // along tolerance
	}{
		{"bend outer wedge NW", bend, [2]float64{29.9, 48.6}, want{-1, leg1, true, false}, 1e-9},
		{"bend outer wedge N", bend, [2]float64{29.999, 48.7}, want{-1, leg1, true, false}, 1e-9},
		{"bend outer wedge W", bend, [2]float64{29.7, 48.501}, want{-1, leg1, true, false}, 1e-9},
		{"straight start behind (flat)", straight, along(start, 170, 3), want{3, 0, false, true}, 1e-9},
		{"straight start behind-left (flat)", straight, along(start, 200, 3), want{3, 0, true, true}, 1e-9},
		{"straight end ahead (flat)", straight, along(end, 10, 2), want{2, 100, false, true}, 1e-9},
		{"straight middle right", straight, along(straight.verts[5].p, 90, 7), want{7, 50, false, false}, 1e-4},
		{"straight middle left", straight, along(straight.verts[3].p, 270, 12), want{12, 30, true, false}, 1e-4},
		{"straight inside edge right", straight, along(along(start, 0, 43.3), 90, 4), want{4, 43.3, false, false}, 1e-4},
		{"gap part 2 start right", gap, along(p2[0], 90, 0.5), want{0.5, len1, false, false}, 1e-4},
		{"gap part 2 start behind (round)", gap, along(p2[0], 170, 2), want{2, len1, false, false}, 1e-6},
		{"gap part 1 end ahead (round)", gap, along(p1[len(p1)-1], 10, 2), want{2, len1, false, false}, 1e-6},
		{"gap part 1 start behind (flat)", gap, along(p1[0], 190, 2), want{2, 0, true, true}, 1e-9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a, left, beyond := tc.l.Nearest(tc.p)
			wd := tc.w.distKm
			if wd < 0 {
				wd, _, _ = inverse(corner, tc.p)
			}
			if !near(d, wd, 1e-6) || !near(a, tc.w.alongKm, tc.tol) || left != tc.w.left || beyond != tc.w.beyond {
				t.Errorf("Nearest(%v) = %.9f km, along %.9f, left %v, beyond %v; want %.9f, %.9f, %v, %v",
					tc.p, d, a, left, beyond, wd, tc.w.alongKm, tc.w.left, tc.w.beyond)
			}
		})
	}
}

// nearestScan is Nearest without pruning: every vertex, and a golden-section
// search over every whole edge.
func nearestScan(l *Line, p [2]float64) (dist, alongKm float64) {
	dist = math.Inf(1)
	for _, v := range l.verts {
		if d, _, _ := inverse(v.p, p); d < dist {
			dist, alongKm = d, v.along
		}
	}
	for e, ed := range l.edges {
		lo, hi := 0.0, ed.lenKm
		f := func(t float64) float64 {
			x, _ := l.pointAt(e, t)
			d, _, _ := inverse(x, p)
			if d < dist {
				dist, alongKm = d, ed.along0+t
			}
			return d
		}
		for hi-lo > 1e-6 {
			c, d := hi-invPhi*(hi-lo), lo+invPhi*(hi-lo)
			if f(c) < f(d) {
				hi = d
			} else {
				lo = c
			}
		}
	}
	return dist, alongKm
}

// TestNearestMatchesScan checks that pruning never changes the result, on a
// wiggly multi-part line.
func TestNearestMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var parts [][][2]float64
	for pi := range 3 {
		p := [2]float64{35 + float64(pi)*0.8, 47 + float64(pi)*0.3}
		part := [][2]float64{p}
		for range 60 {
			p = along(p, 45+90*r.Float64()-45*float64(pi), 0.3+4*r.Float64())
			part = append(part, p)
		}
		parts = append(parts, part)
	}
	l := NewLine(parts)
	s := newSearcher(l)
	for i := range 60 {
		v := l.verts[r.IntN(len(l.verts))].p
		p := along(v, 360*r.Float64(), 60*r.Float64()*r.Float64())
		d, a, _, _ := l.Nearest(p)
		sd, sa := nearestScan(l, p)
		if !near(d, sd, 1e-6) || !near(a, sa, 1e-3) {
			t.Errorf("point %d %v: Nearest %.9f km along %.6f, scan %.9f along %.6f", i, p, d, a, sd, sa)
		}
		// With a distance limit and the row candidates, as Zones uses it.
		limit := 40 * r.Float64()
		h, ok := s.nearest(p, limit, l.rowCands(p[1], limit, nil))
		if ok != (sd < limit) || ok && (!near(h.dist, sd, 1e-6) || !near(h.along, sa, 1e-3)) {
			t.Errorf("point %d %v limit %.3f: ok %v %.9f km along %.6f, scan %.9f along %.6f", i, p, limit, ok, h.dist, h.along, sd, sa)
		}
	}
}

func TestZones(t *testing.T) {
	const L, depth = 100.0, 20.0
	pts := meridian(30, 48, L, 10)
	l := NewLine([][][2]float64{pts})
	mid := along(pts[0], 0, L/2)
	far := Disk{Center: [2]float64{40, 40}, RadiusKm: 100}
	big := Disk{Center: mid, RadiusKm: 500}
	band := 2 * depth * L
	const fine = 0.5 // cellKm for the precise area checks

	// The band of a geodesic with flat ends is {0 <= s <= L, |x| <= depth}
	// in geodesic parallel coordinates; its area is 2·depth·L·(1 - K·depth²/6),
	// 2·depth·L to 1e-5 here.
	both := l.Zones([]float64{0, L}, depth, "both", nil, fine)[0].AreaKm2
	t.Run("both ~ 2*depth*length", func(t *testing.T) {
		if rel := math.Abs(both-band) / band; rel > 0.003 {
			t.Errorf("area %.3f km², want %.3f (rel err %.5f)", both, band, rel)
		}
	})
	// For side left/right the meridian line itself is a zone boundary that
	// runs exactly along a grid column, so centre sampling may err by up to
	// half a cell width times L (systematically, it does not average out).
	// Check that left and right partition both and stay within that bound;
	// the 0.3 % check of the sides is made on a tilted line below.
	sides := map[string]float64{}
	for _, side := range []string{"left", "right"} {
		sides[side] = l.Zones([]float64{0, L}, depth, side, nil, fine)[0].AreaKm2
	}
	t.Run("meridian left+right = both, each ~ half", func(t *testing.T) {
		lf, rt := sides["left"], sides["right"]
		if !near(lf+rt, both, 1e-9*both) {
			t.Errorf("left %.6f + right %.6f != both %.6f", lf, rt, both)
		}
		tol := fine/2*L + 0.003*band/2
		if !near(lf, band/2, tol) || !near(rt, band/2, tol) {
			t.Errorf("left %.3f, right %.3f, want %.3f ± %.3f", lf, rt, band/2, tol)
		}
	})
	// A straight geodesic at azimuth 40°: no boundary is parallel to the
	// grid.
	tilted := NewLine([][][2]float64{geodesicPts([2]float64{30, 48}, 40, L, 10)})
	for _, tc := range []struct {
		side string
		want float64
	}{{"both", band}, {"left", band / 2}, {"right", band / 2}} {
		t.Run("tilted "+tc.side, func(t *testing.T) {
			got := tilted.Zones([]float64{0, L}, depth, tc.side, nil, fine)[0].AreaKm2
			if rel := math.Abs(got-tc.want) / tc.want; rel > 0.003 {
				t.Errorf("%s area %.3f km², want %.3f (rel err %.5f)", tc.side, got, tc.want, rel)
			}
		})
	}
	t.Run("sectors", func(t *testing.T) {
		z := l.Zones([]float64{0, 30, L}, depth, "both", nil, fine)
		if len(z) != 2 {
			t.Fatalf("%d zones, want 2", len(z))
		}
		if !near(z[0].AreaKm2+z[1].AreaKm2, both, 1e-6*both) {
			t.Errorf("sector sum %.6f, want %.6f", z[0].AreaKm2+z[1].AreaKm2, both)
		}
		for k, w := range []float64{2 * depth * 30, 2 * depth * 70} {
			if rel := math.Abs(z[k].AreaKm2-w) / w; rel > 0.01 {
				t.Errorf("sector %d area %.3f, want %.3f (rel %.5f)", k, z[k].AreaKm2, w, rel)
			}
		}
	})
	for _, tc := range []struct {
		name                string
		ad                  []Disk
		covered, layeredAll bool
	}{
		{"no AD", nil, false, false},
		{"far disk", []Disk{far}, false, false},
		{"one big disk", []Disk{big, far}, true, false},
		{"two big disks", []Disk{far, big, big}, true, true},
	} {
		t.Run("AD "+tc.name, func(t *testing.T) {
			z := l.Zones([]float64{0, L}, depth, "both", tc.ad, 1)[0]
			wc, wl := 0.0, 0.0
			if tc.covered {
				wc = z.AreaKm2
			}
			if tc.layeredAll {
				wl = z.AreaKm2
			}
			if z.AreaKm2 < 0.97*band || z.ADCoveredKm2 != wc || z.ADLayeredKm2 != wl {
				t.Errorf("got %+v, want area ~%.0f, covered %.3f, layered %.3f", z, band, wc, wl)
			}
		})
	}
	t.Run("AD disk on part of the band", func(t *testing.T) {
		// A disk of radius 10 km centred on the line, 50 km from the ends:
		// its whole area (~π·10²) lies in the band.
		z := l.Zones([]float64{0, L}, depth, "both", []Disk{{mid, 10}}, fine)[0]
		w := math.Pi * 100
		if rel := math.Abs(z.ADCoveredKm2-w) / w; rel > 0.01 || z.ADLayeredKm2 != 0 {
			t.Errorf("covered %.3f, want ~%.3f (rel %.5f); layered %.3f", z.ADCoveredKm2, w, rel, z.ADLayeredKm2)
		}
	})
}

// TestAreaPrecision logs the relative error of the band area on straight
// lines for a few cell sizes (run with -v). The meridian line is the worst
// case of a lon/lat grid: its band's long sides run along grid columns, so
// centre sampling errs systematically, by up to half a cell per side.
func TestAreaPrecision(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const L, depth = 100.0, 20.0
	lines := []struct {
		name string
		l    *Line
	}{
		{"meridian", NewLine([][][2]float64{meridian(30, 48, L, 10)})},
		{"azimuth 40", NewLine([][][2]float64{geodesicPts([2]float64{30, 48}, 40, L, 10)})},
	}
	for _, cell := range []float64{2, 1, 0.5} {
		for _, ln := range lines {
			for _, side := range []string{"both", "left"} {
				want := 2 * depth * L
				if side != "both" {
					want /= 2
				}
				start := time.Now()
				got := ln.l.Zones([]float64{0, L}, depth, side, nil, cell)[0].AreaKm2
				rel := (got - want) / want
				t.Logf("%-10s %-4s cellKm %.2f: area %8.2f km², rel err %+.4f%%, %v", ln.name, side, cell, got, 100*rel, time.Since(start))
				// Worst case of centre sampling: half a cell along each
				// boundary (2 sides of L, 2 ends of 2·depth, or the line).
				if bound := cell / 2 * (2*L + 4*depth) / want; math.Abs(rel) > bound {
					t.Errorf("%s %s cellKm %v: rel err %v above bound %v", ln.name, side, cell, rel, bound)
				}
			}
		}
	}
}

// TestDeterministic checks that results do not depend on the number of
// goroutines.
func TestDeterministic(t *testing.T) {
	pts := geodesicPts([2]float64{30, 48}, 40, 100, 7)
	l := NewLine([][][2]float64{pts[:4], pts[4:]})
	ad := []Disk{{pts[2], 15}, {pts[3], 30}}
	pa := []Patrol{{Route: pts[1:3], ObserveKm: 2}, {Route: pts[5:6], ObserveKm: 4}}
	run := func(procs int) ([]ZoneStats, []float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		return l.Zones([]float64{0, 33, 100}, 15, "right", ad, 1), l.PatrolCovered([]float64{0, 33, 100}, pa, 0.1)
	}
	z1, p1 := run(1)
	z4, p4 := run(4)
	if !slices.Equal(z1, z4) || !slices.Equal(p1, p4) {
		t.Errorf("1 goroutine: %v %v; 4 goroutines: %v %v", z1, p1, z4, p4)
	}
}

func TestPatrolCovered(t *testing.T) {
	const L = 100.0
	pts := meridian(30, 48, L, 10)
	l := NewLine([][][2]float64{pts})
	length := l.LengthKm()
	mid := along(pts[0], 0, L/2)
	bounds := []float64{0, 40, length}
	for _, tc := range []struct {
		name    string
		patrols []Patrol
		want    []float64
		tol     float64
	}{
		{"whole route observe 1", []Patrol{{Route: pts, ObserveKm: 1}}, []float64{40, length - 40}, 1e-9},
		{"post in the middle", []Patrol{{Route: [][2]float64{mid}, ObserveKm: 5}}, []float64{0, 10}, 0.1},
		{"post off the line", []Patrol{{Route: [][2]float64{along(mid, 90, 3)}, ObserveKm: 5}}, []float64{0, 8}, 0.1},
		{"post too far", []Patrol{{Route: [][2]float64{along(mid, 90, 6)}, ObserveKm: 5}}, []float64{0, 0}, 0},
		{"parallel route 3 km east, observe 4", []Patrol{{Route: [][2]float64{along(pts[0], 90, 3), along(pts[10], 90, 3)}, ObserveKm: 4}}, []float64{40, length - 40}, 0.2},
		{"route across sector bound", []Patrol{{Route: [][2]float64{along(pts[0], 0, 30), along(pts[0], 0, 45)}, ObserveKm: 1}}, []float64{11, 6}, 0.1},
		{"no patrol", nil, []float64{0, 0}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := l.PatrolCovered(bounds, tc.patrols, 0.05)
			for k := range tc.want {
				if !near(got[k], tc.want[k], tc.tol) {
					t.Errorf("got %v, want %v ± %v", got, tc.want, tc.tol)
					break
				}
			}
		})
	}
}

const deepstate = "../../../shared/data/deepstate/2025-03-25.contact.geojson"

// TestDeepStateRuntime times Zones on the real 1,120 km line at cellKm 2
// (depth 30, side both, one sector). It reads the shared file, if present.
func TestDeepStateRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	raw, err := os.ReadFile(deepstate)
	if err != nil {
		t.Skipf("no data: %v", err)
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates [][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil || len(fc.Features) == 0 {
		t.Fatalf("decode: %v", err)
	}
	start := time.Now()
	l := NewLine(fc.Features[0].Geometry.Coordinates)
	L := l.LengthKm()
	z := l.Zones([]float64{0, L}, 30, "both", nil, 2)[0]
	el := time.Since(start)
	t.Logf("length %.3f km, %d vertices, band %.0f km² (2·depth·L = %.0f), %v", L, len(l.verts), z.AreaKm2, 60*L, el)
	if !near(L, 1119.691, 0.01) {
		t.Errorf("length %.3f km, README says 1119.691", L)
	}
	if z.AreaKm2 < 0.5*60*L || z.AreaKm2 > 60*L {
		t.Errorf("band area %.0f km² out of plausible range", z.AreaKm2)
	}
}
