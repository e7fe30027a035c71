package geo

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"frontline/geo/geodesic"
	"frontline/internal/bruteforce"
)

func TestAirDefenseKnownAnswers(t *testing.T) {
	start := orb.Point{35, 48}
	l := mustLine(t, path(start, [2]float64{0, 100}))
	mid := walk(start, 0, 50)
	for _, tc := range []struct {
		name           string
		units          []AirDefense
		covered, layer float64
		ids            []string
	}{
		{"none", nil, 0, 0, nil},
		{"far away", []AirDefense{{"far", walk(mid, 90, 500), 160}}, 0, 0, nil},
		{"swallows the band", []AirDefense{{"big", mid, 400}}, 1, 0, []string{"big"}},
		{"two swallow it", []AirDefense{{"b", mid, 400}, {"a", walk(mid, 270, 10), 300}}, 1, 1, []string{"a", "b"}},
		{"touching nothing just outside the band", []AirDefense{{"near", walk(mid, 90, 40.5), 10}}, 0, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := mustZones(t, l, Sectoring{Count: 1}, ZoneOptions{DepthKm: 30})
			c := z.Coverage(Units{AirDefense: tc.units})[0]
			if got := c.ADCoveredKm2 / c.ZoneAreaKm2; math.Abs(got-tc.covered) > 1e-9 {
				t.Errorf("covered fraction %g, want %g", got, tc.covered)
			}
			if got := c.ADLayeredKm2 / c.ZoneAreaKm2; math.Abs(got-tc.layer) > 1e-9 {
				t.Errorf("layered fraction %g, want %g", got, tc.layer)
			}
			if !reflect.DeepEqual(c.ADUnits, tc.ids) {
				t.Errorf("units %v, want %v", c.ADUnits, tc.ids)
			}
		})
	}
}

// Partial cover on a bent line, per sector, against the brute force.
func TestAirDefenseAgainstBruteForce(t *testing.T) {
	start := orb.Point{36, 48.5}
	parts := [][]orb.Point{path(start, [2]float64{80, 50}, [2]float64{20, 40}, [2]float64{100, 50})}
	l := mustLine(t, parts...)
	units := []AirDefense{
		{"a", walk(start, 90, 30), 25},
		{"b", walk(start, 60, 60), 35},
		{"c", walk(walk(start, 80, 50), 20, 20), 45},
		{"d", walk(start, 180, 20), 30},
	}
	var disks []bruteforce.Disk
	for _, u := range units {
		disks = append(disks, bruteforce.Disk{Center: u.Pos, RadiusKm: u.RangeKm})
	}
	for _, side := range []Side{Both, Left} {
		t.Run(side.String(), func(t *testing.T) {
			z := mustZones(t, l, Sectoring{SectorKm: 20}, ZoneOptions{DepthKm: 30, Side: side})
			got := z.Coverage(Units{AirDefense: units})
			ref := bruteforce.NewLine(toBF(parts)).Zones(bounds(z.Sectors()), 30, side.String(), disks, 0.4)
			for i, r := range ref {
				c := got[i]
				for _, f := range []struct {
					name     string
					got, ref float64
				}{
					{"covered", c.ADCoveredKm2 / c.ZoneAreaKm2, r.ADCoveredKm2 / r.AreaKm2},
					{"layered", c.ADLayeredKm2 / c.ZoneAreaKm2, r.ADLayeredKm2 / r.AreaKm2},
				} {
					if math.Abs(f.got-f.ref) > 0.005 {
						t.Errorf("sector %d %s fraction %.4f, brute force %.4f", i, f.name, f.got, f.ref)
					}
				}
			}
		})
	}
}

func TestPatrols(t *testing.T) {
	start := orb.Point{35, 48}
	line := path(start, [2]float64{0, 100})
	l := mustLine(t, line)
	z := mustZones(t, l, Sectoring{SectorKm: 50}, ZoneOptions{DepthKm: 30})
	for _, tc := range []struct {
		name   string
		p      []Patrol
		km     [2]float64
		visits [2]float64
	}{
		{"route along the whole line", []Patrol{{"r", orb.LineString{walk(start, 90, 0.5), walk(walk(start, 0, 100), 90, 0.5)}, 1, 2}}, [2]float64{50, 50}, [2]float64{2, 2}},
		{"post in the first sector", []Patrol{{"p", orb.LineString{walk(walk(start, 0, 20), 90, 3)}, 5, 3}}, [2]float64{8, 0}, [2]float64{3, 0}},
		{"post on the boundary", []Patrol{{"p", orb.LineString{walk(start, 0, 50)}, 5, 1}}, [2]float64{5, 5}, [2]float64{1, 1}},
		{"out of sight", []Patrol{{"p", orb.LineString{walk(walk(start, 0, 20), 90, 6)}, 5, 1}}, [2]float64{0, 0}, [2]float64{0, 0}},
		{"overlapping posts count once", []Patrol{{"p", orb.LineString{walk(start, 0, 10)}, 5, 1}, {"q", orb.LineString{walk(start, 0, 12)}, 5, 1}}, [2]float64{12, 0}, [2]float64{2, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := z.Coverage(Units{Patrols: tc.p})
			for i := range got {
				if math.Abs(got[i].PatrolKm-tc.km[i]) > 0.005 {
					t.Errorf("sector %d: watched %.4f km, want %.4f", i, got[i].PatrolKm, tc.km[i])
				}
				if got[i].PatrolVisits != tc.visits[i] {
					t.Errorf("sector %d: visits %g, want %g", i, got[i].PatrolVisits, tc.visits[i])
				}
			}
		})
	}
}

func TestPatrolsAgainstBruteForce(t *testing.T) {
	for _, rl := range realLines(t)[:1] {
		l := mustLine(t, rl.parts...)
		z := mustZones(t, l, Sectoring{SectorKm: 50}, ZoneOptions{DepthKm: 30})
		var patrols []Patrol
		var ref []bruteforce.Patrol
		for i := 0; i < 40; i++ {
			p := l.PointAt(float64(i) * 25)
			route := orb.LineString{walk(p, 45, 2), walk(p, 135, 6), walk(p, 200, 4)}
			if i%3 == 0 {
				route = route[:1]
			}
			obs := 2 + float64(i%4)
			patrols = append(patrols, Patrol{ID: fmt.Sprint(i), Route: route, ObserveKm: obs, VisitsPerDay: 1})
			bf := make([][2]float64, len(route))
			for j, q := range route {
				bf[j] = q
			}
			ref = append(ref, bruteforce.Patrol{Route: bf, ObserveKm: obs})
		}
		got := z.Coverage(Units{Patrols: patrols})
		want := bruteforce.NewLine(toBF(rl.parts)).PatrolCovered(bounds(z.Sectors()), ref, 0.02)
		for i := range got {
			if math.Abs(got[i].PatrolKm-want[i]) > 0.05 {
				t.Errorf("%s sector %d: watched %.3f km, brute force %.3f", rl.name, i, got[i].PatrolKm, want[i])
			}
		}
	}
}

func TestTroops(t *testing.T) {
	start := orb.Point{35, 48}
	l := mustLine(t, path(start, [2]float64{0, 100}))
	z := mustZones(t, l, Sectoring{SectorKm: 25}, ZoneOptions{DepthKm: 30})
	units := []Troop{
		{"a", walk(walk(start, 0, 10), 90, 5), 100, ""},     // S001 by position
		{"b", walk(walk(start, 0, 60), 270, 80), 200, ""},   // S003 by position, far behind
		{"c", walk(start, 0, 10), 300, "S004"},              // S004 by assignment
		{"d", walk(walk(start, 0, 90), 90, 1), 400, "X999"}, // unknown sector: by position, S004
	}
	got := z.Coverage(Units{Troops: units})
	want := []int{100, 0, 200, 700}
	for i, w := range want {
		if got[i].Strength != w {
			t.Errorf("sector %d: strength %d, want %d", i, got[i].Strength, w)
		}
	}
}

// The gaps: what is left of each zone after the covered area, and the
// line no patrol watches.
func TestGaps(t *testing.T) {
	start := orb.Point{36, 48.5}
	l := mustLine(t, path(start, [2]float64{70, 50}, [2]float64{20, 50}))
	z := mustZones(t, l, Sectoring{SectorKm: 25}, ZoneOptions{DepthKm: 30})
	units := Units{
		AirDefense: []AirDefense{{"a", walk(start, 70, 30), 25}, {"b", walk(start, 60, 45), 20}, {"far", walk(start, 250, 300), 10}},
		Patrols:    []Patrol{{"p", orb.LineString{walk(start, 70, 10)}, 5, 1}},
	}
	cov := z.Coverage(units)
	gaps, err := z.AirDefenseGaps(units.AirDefense)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cov {
		uncovered := c.ZoneAreaKm2 - c.ADCoveredKm2
		if got := polygonArea(gaps[i]); math.Abs(got-uncovered) > 0.002*c.ZoneAreaKm2 {
			t.Errorf("sector %d: gap polygons %.2f km², uncovered area %.2f", i, got, uncovered)
		}
	}
	lines := z.PatrolGaps(cov)
	for i, c := range cov {
		km := 0.0
		for _, ls := range lines[i] {
			pts := make([][2]float64, len(ls))
			for j, p := range ls {
				pts[j] = p
			}
			km += geodesic.Length(pts) / 1000
		}
		if math.Abs(km-(c.LengthKm()-c.PatrolKm)) > 1e-3 {
			t.Errorf("sector %d: unwatched pieces %.4f km, want %.4f", i, km, c.LengthKm()-c.PatrolKm)
		}
	}
}
