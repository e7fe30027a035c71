package geo

import (
	"math"
	"path/filepath"
	"sort"
	"testing"

	"github.com/paulmach/orb"

	"frontline/geo/geodesic"
)

// scanArea integrates, row by row of latitude, the area inside b and not
// inside a (even-odd rule over all rings), on the WGS84 ellipsoid: an
// independent check of the overlay. Rows are dLat degrees apart.
func scanArea(a, b orb.MultiPolygon, dLat float64) float64 {
	const (
		semi = 6378137.0
		f    = 1 / 298.257223563
	)
	e2 := f * (2 - f)
	bound := a.Bound().Union(b.Bound())
	total := 0.0
	for y := bound.Min[1] + dLat/2; y < bound.Max[1]; y += dLat {
		in := func(mp orb.MultiPolygon) []float64 {
			var xs []float64
			for _, poly := range mp {
				for _, r := range poly {
					for i := 1; i < len(r); i++ {
						p, q := r[i-1], r[i]
						if (p[1] > y) != (q[1] > y) {
							xs = append(xs, p[0]+(y-p[1])/(q[1]-p[1])*(q[0]-p[0]))
						}
					}
				}
			}
			sort.Float64s(xs)
			return xs
		}
		ia, ib := in(a), in(b)
		// The length of b's intervals outside a's.
		length := 0.0
		for i := 0; i+1 < len(ib); i += 2 {
			lo, hi := ib[i], ib[i+1]
			covered := 0.0
			for j := 0; j+1 < len(ia); j += 2 {
				covered += math.Max(0, math.Min(hi, ia[j+1])-math.Max(lo, ia[j]))
			}
			length += hi - lo - covered
		}
		phi := y * math.Pi / 180
		w := 1 - e2*math.Sin(phi)*math.Sin(phi)
		m := semi * (1 - e2) / math.Pow(w, 1.5) // meridian radius
		n := semi / math.Sqrt(w)                // prime vertical radius
		total += length * math.Pi / 180 * n * math.Cos(phi) * dLat * math.Pi / 180 * m
	}
	return total / 1e6
}

// The area that changed hands between two real days agrees with a
// row-by-row integration within 1 %, and gained less lost is the change
// of the whole area.
func TestDiffAreasDeepState(t *testing.T) {
	read := func(day string) orb.MultiPolygon {
		return readFeatureGeometry(t, filepath.Join(deepstateDir, day+".occupied.geojson")).(orb.MultiPolygon)
	}
	if m, _ := filepath.Glob(filepath.Join(deepstateDir, "*.occupied.geojson")); len(m) < 2 {
		t.Skipf("no DeepStateMap days in %s: the real-data check is skipped", deepstateDir)
	}
	for _, pair := range [][2]string{{"2024-07-08", "2025-03-25"}, {"2025-03-25", "2026-08-22"}} {
		from, to := read(pair[0]), read(pair[1])
		d, err := DiffAreas(from, to)
		if err != nil {
			t.Fatal(err)
		}
		gained, lost := AreaKm2(d.Gained), AreaKm2(d.Lost)
		wantGained, wantLost := scanArea(from, to, 0.0005), scanArea(to, from, 0.0005)
		t.Logf("%s to %s: gained %.1f km² (rows: %.1f), lost %.1f km² (rows: %.1f)", pair[0], pair[1], gained, wantGained, lost, wantLost)
		if math.Abs(gained-wantGained) > 0.01*wantGained || math.Abs(lost-wantLost) > 0.01*math.Max(wantLost, 10) {
			t.Errorf("gained %.1f km², lost %.1f km²; the rows give %.1f and %.1f", gained, lost, wantGained, wantLost)
		}
		if net, want := gained-lost, AreaKm2(to)-AreaKm2(from); math.Abs(net-want) > 0.001*AreaKm2(to) {
			t.Errorf("gained less lost %.1f km², the areas differ by %.1f km²", net, want)
		}
	}
}

// A line moved by exactly 3 km is 3 km from where it was, in every
// sector.
func TestShiftFromMovedLine(t *testing.T) {
	var a, b []orb.Point
	for lon := 34.0; lon <= 36.0001; lon += 0.05 {
		a = append(a, orb.Point{lon, 48 + 0.3*math.Sin(lon*3)})
	}
	for i, p := range a {
		// Move each vertex 3 km at right angles to the line there.
		q := a[max(i-1, 0)]
		r := a[min(i+1, len(a)-1)]
		_, azi, _, _ := geodesic.Inverse(q[1], q[0], r[1], r[0])
		lat, lon, _ := geodesic.Direct(p[1], p[0], azi-90, 3000)
		b = append(b, orb.Point{lon, lat})
	}
	la, err := NewLine([][]orb.Point{a})
	if err != nil {
		t.Fatal(err)
	}
	lb, err := NewLine([][]orb.Point{b})
	if err != nil {
		t.Fatal(err)
	}
	sectors, err := la.Sectors(Sectoring{SectorKm: 25})
	if err != nil {
		t.Fatal(err)
	}
	for k, sh := range la.ShiftFrom(lb, sectors, 0.5) {
		if sh.Samples == 0 {
			t.Errorf("sector %d: no samples", k)
			continue
		}
		// Vertices move at right angles to the chord of their
		// neighbours, so the moved line is 3 km away to within metres.
		if math.Abs(sh.MeanKm-3) > 0.02 || math.Abs(sh.MaxKm-3) > 0.03 {
			t.Errorf("sector %d: mean %.4f km, max %.4f km, want 3", k, sh.MeanKm, sh.MaxKm)
		}
	}
}
