package geo

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"testing"

	"github.com/paulmach/orb"
)

func postZones(t testing.TB, sectoring Sectoring, parts ...[]orb.Point) *Zones {
	t.Helper()
	l := mustLine(t, parts...)
	sec, err := l.Sectors(sectoring)
	if err != nil {
		t.Fatal(err)
	}
	z, err := NewZones(l, sec, ZoneOptions{DepthKm: 10, Side: Left})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// straight100 is a 100 km geodesic line (one edge due east) in 25 km
// sectors.
func straight100(t testing.TB) *Zones {
	return postZones(t, Sectoring{SectorKm: 25}, path(orb.Point{35, 48}, [2]float64{90, 100}))
}

func postPatrols(sites []PostSite, observeKm float64) []Patrol {
	var out []Patrol
	for i, s := range sites {
		out = append(out, Patrol{ID: fmt.Sprintf("post%d", i), Route: orb.LineString{s.Pos}, ObserveKm: observeKm, VisitsPerDay: 1})
	}
	return out
}

// checkPosts checks, with Zones.Coverage computed afresh, that every
// sector reaches the target with the posts added, and that each post's
// cumulative fraction is the line's watched fraction after it.
func checkPosts(t *testing.T, z *Zones, existing []Patrol, sites []PostSite, observeKm, target float64) {
	t.Helper()
	total := z.line.LengthKm()
	posts := postPatrols(sites, observeKm)
	for i := range sites {
		km := 0.0
		for _, c := range z.Coverage(Units{Patrols: append(append([]Patrol{}, existing...), posts[:i+1]...)}) {
			km += c.PatrolKm
		}
		if got, want := sites[i].CoveredFraction, km/total; math.Abs(got-want) > 0.01 {
			t.Errorf("post %d: reported fraction %.6f, coverage says %.6f", i, got, want)
		} else if math.Abs(got-want) > 1e-6 {
			t.Logf("post %d: reported fraction %.6f, coverage says %.6f", i, got, want)
		}
		if !(sites[i].GainKm > 0) {
			t.Errorf("post %d: gain %g", i, sites[i].GainKm)
		}
	}
	for _, c := range z.Coverage(Units{Patrols: append(append([]Patrol{}, existing...), posts...)}) {
		// Short by less than a metre counts as reached (postMetKm).
		if f := c.PatrolKm / c.LengthKm(); f < target-postMetKm/c.LengthKm()-1e-9 {
			t.Errorf("sector %s: patrol fraction %.6f < target %g (%d posts)", c.ID, f, target, len(sites))
		}
	}
}

func TestRecommendPatrolPostsStraight(t *testing.T) {
	z := straight100(t)
	if n := len(z.Sectors()); n != 4 {
		t.Fatalf("%d sectors, want 4", n)
	}
	// Each post watches 10 km of line. Target 1 needs the whole 100 km:
	// at least 10 posts; ties go to the earliest candidate, so the greedy
	// puts them end to end at 5, 15, ..., 95 km, which is exactly 10.
	// Target 0.5 needs 12.5 km in each sector, 50 km in all: at least 5
	// posts, and the greedy finds 5 (worked by hand): [0,10] for S001,
	// [22.5,32.5] (2.5 km of S001, 7.5 of S002), [45,55], [67.5,77.5],
	// [77.5,87.5], each cutting the deficit by 10 km.
	for _, tc := range []struct {
		target float64
		want   []float64 // km along the line
	}{
		{1, []float64{5, 15, 25, 35, 45, 55, 65, 75, 85, 95}},
		{0.5, []float64{5, 27.5, 50, 72.5, 82.5}},
	} {
		t.Run(fmt.Sprint(tc.target), func(t *testing.T) {
			sites, err := z.RecommendPatrolPosts(nil, 5, tc.target, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(sites) != len(tc.want) {
				t.Fatalf("%d posts, want %d: %+v", len(sites), len(tc.want), sites)
			}
			for i, s := range sites {
				at := z.line.Nearest(s.Pos).AlongKm
				if math.Abs(at-tc.want[i]) > 1e-3 {
					t.Errorf("post %d at %.4f km, want %g", i, at, tc.want[i])
				}
				if math.Abs(s.GainKm-10) > 1e-3 {
					t.Errorf("post %d gains %.6f km, want 10", i, s.GainKm)
				}
			}
			if got, want := sites[len(sites)-1].CoveredFraction, tc.target; math.Abs(got-want) > 1e-4 {
				t.Errorf("final fraction %.6f, want %g", got, want)
			}
			checkPosts(t, z, nil, sites, 5, tc.target)
		})
	}
}

func TestRecommendPatrolPostsWiggly(t *testing.T) {
	z := postZones(t, Sectoring{SectorKm: 25}, synthLine(150))
	existing := []Patrol{{ID: "p", Route: orb.LineString{z.line.PointAt(10), z.line.PointAt(40)}, ObserveKm: 2, VisitsPerDay: 2}}
	for _, target := range []float64{0.9, 1} {
		sites, err := z.RecommendPatrolPosts(existing, 3, target, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(sites) == 0 {
			t.Fatal("no posts")
		}
		t.Logf("target %g: %d posts on %.1f km", target, len(sites), z.line.LengthKm())
		checkPosts(t, z, existing, sites, 3, target)
	}
	// max stops early.
	sites, err := z.RecommendPatrolPosts(existing, 3, 1, 3)
	if err != nil || len(sites) != 3 {
		t.Fatalf("max 3: %d posts, %v", len(sites), err)
	}
}

func TestRecommendPatrolPostsAlreadyCovered(t *testing.T) {
	z := straight100(t)
	whole := Patrol{ID: "all", Route: orb.LineString(z.line.Parts()[0]), ObserveKm: 1, VisitsPerDay: 1}
	sites, err := z.RecommendPatrolPosts([]Patrol{whole}, 5, 1, 0)
	if err != nil || len(sites) != 0 {
		t.Fatalf("got %d posts, %v; want none", len(sites), err)
	}
	// Posts at 5 and 15 km already there: target 1 needs the other 8.
	existing := postPatrols([]PostSite{{Pos: z.line.PointAt(5)}, {Pos: z.line.PointAt(15)}}, 5)
	sites, err = z.RecommendPatrolPosts(existing, 5, 1, 0)
	if err != nil || len(sites) != 8 {
		t.Fatalf("got %d posts, %v; want 8", len(sites), err)
	}
	checkPosts(t, z, existing, sites, 5, 1)
}

func TestRecommendPatrolPostsInvalid(t *testing.T) {
	z := straight100(t)
	for _, tc := range []struct {
		observe, target float64
		max             int
	}{
		{0, 1, 0}, {-1, 1, 0}, {math.NaN(), 1, 0}, {math.Inf(1), 1, 0},
		{5, 0, 0}, {5, -0.1, 0}, {5, 1.01, 0}, {5, math.NaN(), 0},
		{5, 1, -1},
	} {
		if _, err := z.RecommendPatrolPosts(nil, tc.observe, tc.target, tc.max); !errors.Is(err, ErrInvalidPlacement) {
			t.Errorf("observe %g target %g max %d: err %v, want ErrInvalidPlacement", tc.observe, tc.target, tc.max, err)
		}
	}
}

// TestRecommendPatrolPostsExhaustive compares the greedy with the fewest
// posts found by trying every subset of the candidates (every 2 km on a
// line of about 30 km).
func TestRecommendPatrolPostsExhaustive(t *testing.T) {
	const spacing = 2.0
	for _, tc := range []struct {
		observe, target float64
		sectors         int
	}{
		{3, 1, 3}, {3, 0.9, 3}, {2, 0.7, 4}, {2.5, 0.5, 5}, {4, 0.8, 2},
	} {
		z := postZones(t, Sectoring{Count: tc.sectors}, synthLine(30))
		total := z.line.LengthKm()
		n := int(math.Ceil(total/spacing-1e-9)) + 1
		if n > 20 {
			t.Fatalf("%d candidates: too many to try", n)
		}
		spans := make([][]kmSpan, n)
		for i := range spans {
			spans[i] = z.watchSpans(Patrol{Route: orb.LineString{z.line.PointAt(math.Min(float64(i)*spacing, total))}, ObserveKm: tc.observe})
		}
		secs := z.Sectors()
		feasible := func(set uint32) bool {
			var cover []kmSpan
			for i := 0; i < n; i++ {
				if set&(1<<i) != 0 {
					for _, s := range spans[i] {
						cover = addSpan(cover, s)
					}
				}
			}
			got := make([]float64, len(secs))
			(&postModel{z: z}).perSector(cover, func(i int, km float64) { got[i] += km })
			for i, s := range secs {
				if tc.target*s.LengthKm()-got[i] >= postMetKm {
					return false
				}
			}
			return true
		}
		best := -1
		for set := uint32(0); set < 1<<n; set++ {
			if c := bits.OnesCount32(set); (best < 0 || c < best) && feasible(set) {
				best = c
			}
		}
		sites, err := z.recommendPosts(nil, tc.observe, tc.target, 0, spacing)
		if err != nil {
			t.Fatal(err)
		}
		if best < 0 {
			t.Fatalf("%+v: no subset reaches the target", tc)
		}
		checkPosts(t, z, nil, sites, tc.observe, tc.target)
		ratio := float64(len(sites)) / float64(best)
		t.Logf("observe %g target %g, %d sectors, %d candidates: greedy %d posts, fewest %d (ratio %.2f)",
			tc.observe, tc.target, tc.sectors, n, len(sites), best, ratio)
		if len(sites) < best || ratio > math.Log(float64(n))+1 {
			t.Errorf("greedy %d posts, fewest %d: outside [1, ln(%d)+1]", len(sites), best, n)
		}
	}
}

// BenchmarkPatrolPosts: posts watching 5 km to 0.9 on a 2,100 km line.
func BenchmarkPatrolPosts(b *testing.B) {
	l := benchLine(b)
	sec, _ := l.Sectors(Sectoring{SectorKm: 25})
	z, err := NewZones(l, sec, ZoneOptions{DepthKm: 30, Side: Left})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := z.RecommendPatrolPosts(nil, 5, 0.9, 1000); err != nil {
			b.Fatal(err)
		}
	}
}
