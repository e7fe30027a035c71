package geo

import (
	"errors"
	"math"
	"sort"
	"testing"

	"github.com/paulmach/orb"

	"frontline/geo/geodesic"
)

// coveredFraction is the band's covered fraction by Zones.Coverage.
func coveredFraction(cov []SectorCoverage) float64 {
	var c, a float64
	for _, s := range cov {
		c += s.ADCoveredKm2
		a += s.ZoneAreaKm2
	}
	return c / a
}

func withSites(existing []AirDefense, sites []Site, rangeKm float64) []AirDefense {
	out := append([]AirDefense(nil), existing...)
	for _, s := range sites {
		out = append(out, AirDefense{ID: "new", Pos: s.Pos, RangeKm: rangeKm})
	}
	return out
}

// bestSubset is the exhaustive optimum of the same cell model: the most
// weight newly covered by any n of the candidates.
func bestSubset(m *placement, n int) float64 {
	cnt := append([]int32(nil), m.cnt...)
	best := 0.0
	var rec func(from, left int, got float64)
	rec = func(from, left int, got float64) {
		if got > best {
			best = got
		}
		if left == 0 {
			return
		}
		for i := from; i < len(m.cands); i++ {
			add := 0.0
			ps := m.incPts[m.incStart[i]:m.incStart[i+1]]
			for _, p := range ps {
				if cnt[p] == 0 {
					add += m.w[p]
				}
				cnt[p]++
			}
			rec(i+1, left-1, got+add)
			for _, p := range ps {
				cnt[p]--
			}
		}
	}
	rec(0, n, 0)
	return best
}

func TestPlacementOptimality(t *testing.T) {
	start := orb.Point{36, 48.5}
	l := mustLine(t, path(start, [2]float64{60, 30}, [2]float64{110, 35}))
	z := mustZones(t, l, Sectoring{SectorKm: 20}, ZoneOptions{DepthKm: 15, Side: Left})
	worst := 1.0
	for _, tc := range []struct {
		name     string
		rangeKm  float64
		existing []AirDefense
	}{
		{"short range", 5, nil},
		{"medium range", 8, nil},
		{"long range", 14, nil},
		{"with existing", 8, []AirDefense{{"a", walk(start, 330, 8), 10}, {"b", walk(walk(start, 60, 30), 330, 6), 7}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := PlacementOptions{RangeKm: tc.rangeKm, Count: 1, SpacingKm: 5.5, CellKm: 0.5}
			if err := opt.validate(z); err != nil {
				t.Fatal(err)
			}
			base, err := z.placementModel(tc.existing, opt)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(base.cands); n < 20 || n > 40 {
				t.Fatalf("%d candidates, want 20 to 40", n)
			}
			for n := 1; n <= 4; n++ {
				m, _ := z.placementModel(tc.existing, opt)
				got := 0.0
				for _, s := range m.greedy(n, -1) {
					got += s.GainKm2
				}
				opt := bestSubset(base, n)
				ratio := got / opt
				t.Logf("%d candidates, n=%d: greedy %.2f km², optimum %.2f km², ratio %.4f", len(base.cands), n, got, opt, ratio)
				worst = math.Min(worst, ratio)
				if ratio < 1-1/math.E {
					t.Errorf("n=%d: greedy %.2f below (1-1/e) of the optimum %.2f", n, got, opt)
				}
				if ratio > 1+1e-9 {
					t.Errorf("n=%d: greedy %.2f above the optimum %.2f: the search is wrong", n, got, opt)
				}
			}
		})
	}
	t.Logf("worst greedy/optimum ratio: %.4f (bound 1-1/e = %.4f)", worst, 1-1/math.E)
}

func TestPlacementConsistency(t *testing.T) {
	l := mustLine(t, synthLine(200))
	z := mustZones(t, l, Sectoring{SectorKm: 25}, ZoneOptions{DepthKm: 30, Side: Left})
	existing := []AirDefense{
		{"a", walk(l.PointAt(40), 315, 10), 30},
		{"b", walk(l.PointAt(150), 315, 15), 45},
	}
	for _, tc := range []struct {
		name string
		opt  PlacementOptions
	}{
		{"count", PlacementOptions{RangeKm: 15, Count: 6}},
		{"target", PlacementOptions{RangeKm: 15, Target: 0.8}},
		{"fine target", PlacementOptions{RangeKm: 10, Target: 0.9, CellKm: 0.5, SpacingKm: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sites, err := z.RecommendAirDefense(existing, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(sites) == 0 {
				t.Fatal("no sites")
			}
			cov := z.Coverage(Units{AirDefense: withSites(existing, sites, tc.opt.RangeKm)})
			got, want := sites[len(sites)-1].CoveredFraction, coveredFraction(cov)
			t.Logf("%d sites: placement says %.4f covered, Coverage %.4f", len(sites), got, want)
			if math.Abs(got-want) > 0.01 {
				t.Errorf("placement's covered fraction %.4f, Coverage's %.4f", got, want)
			}
			for i, s := range sites {
				if i > 0 && s.CoveredFraction < sites[i-1].CoveredFraction {
					t.Errorf("site %d: covered fraction fell to %.4f", i, s.CoveredFraction)
				}
				if n := l.Nearest(s.Pos); !n.Left || n.DistanceKm < 1-1e-6 || n.DistanceKm > 30+1e-6 {
					t.Errorf("site %d at %v: %+v, want on the left, 1 to 30 km from the line", i, s.Pos, n)
				}
			}
			// Per sector, the cell model with the sites added against Coverage.
			opt := tc.opt
			if err := opt.validate(z); err != nil {
				t.Fatal(err)
			}
			m, err := z.placementModel(withSites(existing, sites, tc.opt.RangeKm), opt)
			if err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i, c := range cov {
				f := c.ADCoveredKm2 / c.ZoneAreaKm2
				worst = math.Max(worst, math.Abs(m.cov[i]/m.zoneW[i]-f))
				if tc.opt.Target > 0 && f < tc.opt.Target-0.03 {
					t.Errorf("sector %s covered %.4f, target %.2f", c.ID, f, tc.opt.Target)
				}
			}
			t.Logf("largest difference of a sector's covered fraction: %.4f", worst)
			if worst > 0.03 {
				t.Errorf("a sector's covered fraction differs from Coverage's by %.4f", worst)
			}
		})
	}
}

// naivePlacement puts one unit in each of the n worst-covered sectors: at
// the middle of its line, on the left at half the range.
func naivePlacement(z *Zones, existing []AirDefense, n int, rangeKm float64) []AirDefense {
	cov := z.Coverage(Units{AirDefense: existing})
	sort.SliceStable(cov, func(i, j int) bool {
		return cov[i].ADCoveredKm2/cov[i].ZoneAreaKm2 < cov[j].ADCoveredKm2/cov[j].ZoneAreaKm2
	})
	out := append([]AirDefense(nil), existing...)
	l := z.Line()
	for _, c := range cov[:n] {
		mid := (c.StartKm + c.EndKm) / 2
		a, b := l.PointAt(mid-0.5), l.PointAt(mid+0.5)
		_, az, _, _ := geodesic.Inverse(a[1], a[0], b[1], b[0])
		out = append(out, AirDefense{ID: "naive", Pos: walk(l.PointAt(mid), az-90, rangeKm/2), RangeKm: rangeKm})
	}
	return out
}

func TestPlacementBeatsNaive(t *testing.T) {
	l := mustLine(t, synthLine(500))
	z := mustZones(t, l, Sectoring{SectorKm: 25}, ZoneOptions{DepthKm: 30, Side: Left})
	existing := benchUnits(l, 8, 0, 0).AirDefense
	const n, rangeKm = 8, 30.0
	sites, err := z.RecommendAirDefense(existing, PlacementOptions{RangeKm: rangeKm, Count: n})
	if err != nil {
		t.Fatal(err)
	}
	before := coveredFraction(z.Coverage(Units{AirDefense: existing}))
	greedy := coveredFraction(z.Coverage(Units{AirDefense: withSites(existing, sites, rangeKm)}))
	naive := coveredFraction(z.Coverage(Units{AirDefense: naivePlacement(z, existing, n, rangeKm)}))
	area := sum(z.AreaKm2())
	t.Logf("covered before %.4f; %d units placed greedily %.4f, naively %.4f: greedy covers %.0f km² more (%.1f%% more new area)",
		before, n, greedy, naive, (greedy-naive)*area, 100*((greedy-before)/(naive-before)-1))
	if greedy <= naive {
		t.Errorf("greedy covers %.4f, no more than the naive placement's %.4f", greedy, naive)
	}
}

func TestPlacementEdgeCases(t *testing.T) {
	start := orb.Point{35, 48}
	l := mustLine(t, path(start, [2]float64{0, 40}))
	mid := walk(start, 0, 20)
	z := mustZones(t, l, Sectoring{SectorKm: 10}, ZoneOptions{DepthKm: 10, Side: Left})
	for _, tc := range []struct {
		name     string
		z        *Zones
		existing []AirDefense
		opt      PlacementOptions
		sites    int
		err      error
		msg      string
	}{
		{name: "count 0 and target 0", z: z, opt: PlacementOptions{RangeKm: 30}},
		{name: "one covers all", z: z, opt: PlacementOptions{RangeKm: 200, Target: 1}, sites: 1},
		{name: "already covered", z: z, existing: []AirDefense{{"big", mid, 400}}, opt: PlacementOptions{RangeKm: 30, Target: 0.9}},
		{name: "no candidates", z: mustZones(t, l, Sectoring{SectorKm: 10}, ZoneOptions{DepthKm: 2, Side: Left}),
			opt: PlacementOptions{RangeKm: 10, Count: 1, MinFromLineKm: 3}, err: ErrNoCandidates,
			msg: "geo: no candidate sites: none in the band on the left side at least 3 km from the line, 5 km apart"},
		{name: "no candidates on the right", z: z, opt: PlacementOptions{RangeKm: 10, Count: 1, Side: Right}, err: ErrNoCandidates,
			msg: "geo: no candidate sites: none in the band on the right side at least 1 km from the line, 5 km apart"},
		{name: "no range", z: z, opt: PlacementOptions{Count: 1}, err: ErrInvalidPlacement,
			msg: "geo: invalid placement settings: range must be more than 0 and at most 1000 km, got 0"},
		{name: "bad target", z: z, opt: PlacementOptions{RangeKm: 10, Target: 1.5}, err: ErrInvalidPlacement,
			msg: "geo: invalid placement settings: target must be from 0 to 1, got 1.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sites, err := tc.z.RecommendAirDefense(tc.existing, tc.opt)
			if tc.err != nil {
				if !errors.Is(err, tc.err) || err.Error() != tc.msg {
					t.Fatalf("error %v, want %q", err, tc.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(sites) != tc.sites {
				t.Fatalf("%d sites, want %d: %+v", len(sites), tc.sites, sites)
			}
			if tc.sites > 0 && math.Abs(sites[len(sites)-1].CoveredFraction-1) > 1e-9 {
				t.Errorf("covered fraction %g, want 1", sites[len(sites)-1].CoveredFraction)
			}
		})
	}
}

// BenchmarkPlacement: 10 NASAMS (30 km) on a 2,100 km line with 100
// existing units.
func BenchmarkPlacement(b *testing.B) {
	l := benchLine(b)
	sec, _ := l.Sectors(Sectoring{SectorKm: 25})
	z, err := NewZones(l, sec, ZoneOptions{DepthKm: 30, Side: Left})
	if err != nil {
		b.Fatal(err)
	}
	existing := benchUnits(l, 100, 0, 0).AirDefense
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sites, err := z.RecommendAirDefense(existing, PlacementOptions{RangeKm: 30, Count: 10})
		if err != nil || len(sites) != 10 {
			b.Fatal(len(sites), err)
		}
	}
}
