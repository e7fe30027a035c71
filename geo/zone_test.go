package geo

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"

	"frontline/geo/geodesic"
	"frontline/internal/bruteforce"
)

// Known answers: a geodesic of length L has a band of area 2·D·L (flat
// ends), half on each side; every sector of it has 2·D·its length.
func TestZonesStraightLine(t *testing.T) {
	start := orb.Point{35, 48}
	for _, tc := range []struct {
		name  string
		az    float64
		side  Side
		perKm float64 // area per km of line
	}{
		{"north both", 0, Both, 60},
		{"north left", 0, Left, 30},
		{"north right", 0, Right, 30},
		{"east both", 90, Both, 60},
		{"south-west left", 225, Left, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := mustLine(t, path(start, [2]float64{tc.az, 100}))
			z := mustZones(t, l, Sectoring{SectorKm: 25}, ZoneOptions{DepthKm: 30, Side: tc.side})
			if len(z.AreaKm2()) != 4 {
				t.Fatalf("got %d sectors, want 4", len(z.AreaKm2()))
			}
			for i, a := range z.AreaKm2() {
				want := tc.perKm * z.Sectors()[i].LengthKm()
				if e := relErr(a, want); e > 2e-4 {
					t.Errorf("sector %d: area %.3f km², want %.3f (error %.2e)", i, a, want, e)
				}
			}
			for i, mp := range z.Polygons() {
				if e := relErr(polygonArea(mp), z.AreaKm2()[i]); e > 2e-4 {
					t.Errorf("sector %d: polygon's geodesic area %.3f, engine area %.3f", i, polygonArea(mp), z.AreaKm2()[i])
				}
				if len(mp) != 1 || len(mp[0]) != 1 {
					t.Errorf("sector %d: want one polygon without holes, got %d polygons", i, len(mp))
				}
			}
		})
	}
}

// refBounds are the sector boundaries for the brute force. A boundary on
// a vertex belongs to the sector that starts there ([start, end)), and so
// do the points whose nearest point is that vertex; the reference's own
// sum of edge lengths may put the vertex a hair before the boundary, so
// such a boundary is moved back by a millimetre.
func refBounds(l *Line, sectors []Sector) []float64 {
	b := bounds(sectors)
	for i := 1; i+1 < len(b); i++ {
		for _, c := range l.cum {
			for _, a := range c {
				if math.Abs(a-b[i]) < snapKm {
					b[i] = a - 1e-4
				}
			}
		}
	}
	return b
}

// refNoise bounds the brute force's own error on a zone: each grid cell
// the zone's boundary crosses is counted whole or not at all by one random
// point, so the error is a sum of independent terms of at most a cell's
// area; this is three standard deviations of it.
func refNoise(mp orb.MultiPolygon, cellKm float64) float64 {
	perimeter := 0.0
	for _, poly := range mp {
		for _, r := range poly {
			perimeter += geodesic.Length(ringPoints(r)) / 1000
		}
	}
	return 3 * cellKm * cellKm * math.Sqrt(perimeter/cellKm) / 2
}

// The hard cases, each checked sector by sector against the brute-force
// integration of the specification's definition on the ellipsoid.
func TestZonesAgainstBruteForce(t *testing.T) {
	start := orb.Point{36, 48.5}
	cases := []struct {
		name  string
		parts [][]orb.Point
		sec   Sectoring
	}{
		{"sharp bend", [][]orb.Point{path(start, [2]float64{0, 60}, [2]float64{160, 60})}, Sectoring{SectorKm: 25}},
		{"right angle", [][]orb.Point{path(start, [2]float64{90, 50}, [2]float64{0, 50})}, Sectoring{SectorKm: 20}},
		{"boundary on a vertex", [][]orb.Point{path(start, [2]float64{45, 40}, [2]float64{120, 40})}, Sectoring{Count: 2}},
		{"zigzag", [][]orb.Point{path(start, [2]float64{30, 15}, [2]float64{150, 15}, [2]float64{30, 15}, [2]float64{150, 15}, [2]float64{30, 15})}, Sectoring{SectorKm: 20}},
		{"gap between parts", [][]orb.Point{
			path(start, [2]float64{90, 40}),
			path(walk(start, 95, 55), [2]float64{80, 40}),
		}, Sectoring{SectorKm: 30}},
		{"U turn closer than twice the depth", [][]orb.Point{path(start, [2]float64{90, 60}, [2]float64{0, 30}, [2]float64{270, 60})}, Sectoring{SectorKm: 25}},
	}
	if testing.Short() {
		t.Skip("brute force takes a minute")
	}
	const cellKm = 0.4
	for _, tc := range cases {
		for _, side := range []Side{Both, Left, Right} {
			t.Run(fmt.Sprintf("%s/%s", tc.name, side), func(t *testing.T) {
				l := mustLine(t, tc.parts...)
				z := mustZones(t, l, tc.sec, ZoneOptions{DepthKm: 30, Side: side})
				ref := bruteforce.NewLine(toBF(tc.parts)).Zones(refBounds(l, z.Sectors()), 30, side.String(), nil, cellKm)
				total, refTotal := sum(z.AreaKm2()), 0.0
				for i, r := range ref {
					refTotal += r.AreaKm2
					got := z.AreaKm2()[i]
					tol := 0.003*r.AreaKm2 + refNoise(z.Polygons()[i], cellKm)
					if math.Abs(got-r.AreaKm2) > tol {
						t.Errorf("sector %d: area %.2f km², brute force %.2f", i, got, r.AreaKm2)
					}
					if pa := polygonArea(z.Polygons()[i]); relErr(pa, got) > 5e-4 {
						t.Errorf("sector %d: served polygon's area %.3f, engine %.3f", i, pa, got)
					}
				}
				if e := relErr(total, refTotal); e > 0.002 {
					t.Errorf("band area %.2f km², brute force %.2f (error %.2e)", total, refTotal, e)
				}
			})
		}
	}
}

// Left and right zones must tile the two-sided band: no overlap at bends.
func TestZonesSidesTileBand(t *testing.T) {
	start := orb.Point{36, 48.5}
	l := mustLine(t, path(start, [2]float64{0, 40}, [2]float64{170, 40}, [2]float64{10, 40}))
	areas := map[Side]float64{}
	for _, side := range []Side{Both, Left, Right} {
		areas[side] = sum(mustZones(t, l, Sectoring{SectorKm: 10}, ZoneOptions{DepthKm: 30, Side: side}).AreaKm2())
	}
	if e := relErr(areas[Left]+areas[Right], areas[Both]); e > 1e-6 {
		t.Errorf("left %.3f + right %.3f != both %.3f", areas[Left], areas[Right], areas[Both])
	}
}

func TestZonesDeterministic(t *testing.T) {
	l := mustLine(t, synthLine(300))
	enc := func() string {
		z := mustZones(t, l, Sectoring{SectorKm: 25}, ZoneOptions{DepthKm: 30})
		b, err := json.Marshal(z.Polygons())
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(z.AreaKm2())
		return string(a) + string(b)
	}
	if enc() != enc() {
		t.Error("two computations of the same zones differ")
	}
}

// Real lines: the whole band against the brute force, and every sector's
// served polygon against the engine's own area.
func TestZonesRealLines(t *testing.T) {
	for _, rl := range realLines(t) {
		t.Run(rl.name, func(t *testing.T) {
			l := mustLine(t, rl.parts...)
			if e := math.Abs(l.LengthKm() - rl.lengthKm); e > 0.001 {
				t.Errorf("length %.4f km, published %.3f", l.LengthKm(), rl.lengthKm)
			}
			z := mustZones(t, l, Sectoring{SectorKm: 25}, ZoneOptions{DepthKm: 30})
			if testing.Short() {
				return
			}
			const cellKm = 1.0
			ref := bruteforce.NewLine(toBF(rl.parts)).Zones(refBounds(l, z.Sectors()), 30, "both", nil, cellKm)
			refTotal := 0.0
			for i, r := range ref {
				refTotal += r.AreaKm2
				if d := math.Abs(z.AreaKm2()[i] - r.AreaKm2); d > 0.003*r.AreaKm2+refNoise(z.Polygons()[i], cellKm) {
					t.Errorf("sector %s: area %.2f km², brute force %.2f", z.Sectors()[i].ID, z.AreaKm2()[i], r.AreaKm2)
				}
			}
			if e := relErr(sum(z.AreaKm2()), refTotal); e > 0.001 {
				t.Errorf("band area %.1f km², brute force %.1f (error %.2e)", sum(z.AreaKm2()), refTotal, e)
			}
			for i, mp := range z.Polygons() {
				if e := relErr(polygonArea(mp), z.AreaKm2()[i]); e > 5e-4 {
					t.Errorf("sector %s: served polygon's area %.3f, engine %.3f", z.Sectors()[i].ID, polygonArea(mp), z.AreaKm2()[i])
				}
			}
		})
	}
}

// Zone polygons are valid simple-features polygons (no self-intersection,
// holes inside their shells), as GIS clients require, on real and
// synthetic lines and on every side.
func TestZonesValidPolygons(t *testing.T) {
	cases := map[string][][]orb.Point{"synthetic": {synthLine(600)}}
	start := orb.Point{36, 48.5}
	cases["zigzag"] = [][]orb.Point{path(start, [2]float64{30, 15}, [2]float64{150, 15}, [2]float64{30, 15}, [2]float64{150, 15})}
	cases["U turn"] = [][]orb.Point{path(start, [2]float64{90, 60}, [2]float64{0, 30}, [2]float64{270, 60})}
	if files, _ := filepath.Glob(filepath.Join(sharedData, "*.contact.geojson")); len(files) > 0 {
		for _, rl := range realLines(t) {
			cases[rl.name] = rl.parts
		}
	}
	for name, parts := range cases {
		l := mustLine(t, parts...)
		for _, side := range []Side{Both, Left, Right} {
			t.Run(name+"/"+side.String(), func(t *testing.T) {
				z := mustZones(t, l, Sectoring{SectorKm: 25}, ZoneOptions{DepthKm: 30, Side: side})
				for i, polys := range z.planarPolygons() {
					if err := sfMultiPolygon(polys).Validate(); err != nil {
						t.Errorf("sector %d: %v", i, err)
					}
				}
			})
		}
	}
}
