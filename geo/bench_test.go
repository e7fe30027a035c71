package geo

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/paulmach/orb"
)

// benchUnits spreads n air-defense, troop and patrol units along the line,
// up to 40 km either side, with the mix of real systems' ranges.
func benchUnits(l *Line, nAD, nTroops, nPatrols int) Units {
	var u Units
	ranges := []float64{160, 100, 30, 40, 45, 35, 6, 8}
	off := func(i int) float64 { return 40 * math.Sin(float64(i)*1.7) }
	at := func(i, n int) orb.Point {
		km := l.LengthKm() * (float64(i) + 0.5) / float64(n)
		return l.PointAt(km)
	}
	for i := 0; i < nAD; i++ {
		u.AirDefense = append(u.AirDefense, AirDefense{fmt.Sprintf("ad%d", i), walk(at(i, nAD), 135, math.Abs(off(i))), ranges[i%len(ranges)]})
	}
	for i := 0; i < nTroops; i++ {
		u.Troops = append(u.Troops, Troop{fmt.Sprintf("t%d", i), walk(at(i, nTroops), 90, off(i)), 150 + i%100, ""})
	}
	for i := 0; i < nPatrols; i++ {
		p := at(i, nPatrols)
		route := orb.LineString{walk(p, 0, 3), walk(p, 120, 4), walk(p, 240, 3)}
		u.Patrols = append(u.Patrols, Patrol{fmt.Sprintf("p%d", i), route, 5, 2})
	}
	return u
}

func benchLine(b *testing.B) *Line {
	l, err := NewLine([][]orb.Point{synthLine(2100)})
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// BenchmarkFullRecompute: sectors, zones and coverage of a 2,100 km line
// with 1,000 units, from a loaded line.
func BenchmarkFullRecompute(b *testing.B) {
	l := benchLine(b)
	u := benchUnits(l, 100, 600, 300)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sec, err := l.Sectors(Sectoring{SectorKm: 25})
		if err != nil {
			b.Fatal(err)
		}
		z, err := NewZones(l, sec, ZoneOptions{DepthKm: 30})
		if err != nil {
			b.Fatal(err)
		}
		z.Coverage(u)
	}
}

// BenchmarkUnitsRecompute: coverage again after only the units changed.
func BenchmarkUnitsRecompute(b *testing.B) {
	l := benchLine(b)
	u := benchUnits(l, 100, 600, 300)
	sec, _ := l.Sectors(Sectoring{SectorKm: 25})
	z, err := NewZones(l, sec, ZoneOptions{DepthKm: 30})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.Coverage(u)
	}
}

// BenchmarkZonePolygons: the zones as lon/lat polygons for map overlays.
func BenchmarkZonePolygons(b *testing.B) {
	l := benchLine(b)
	sec, _ := l.Sectors(Sectoring{SectorKm: 25})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z, err := NewZones(l, sec, ZoneOptions{DepthKm: 30})
		if err != nil {
			b.Fatal(err)
		}
		z.Polygons()
	}
}

// BenchmarkRealLines: full recompute on each DeepStateMap line.
func BenchmarkRealLines(b *testing.B) {
	for _, rl := range realLines(b) {
		b.Run(rl.name, func(b *testing.B) {
			l := mustLine(b, rl.parts...)
			u := benchUnits(l, 100, 600, 300)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sec, _ := l.Sectors(Sectoring{SectorKm: 25})
				z, err := NewZones(l, sec, ZoneOptions{DepthKm: 30})
				if err != nil {
					b.Fatal(err)
				}
				z.Coverage(u)
			}
		})
	}
}

// BenchmarkPeakHeap bounds the heap a full recompute with the zone
// polygons needs: the live heap can never exceed what was there before
// plus everything allocated since (MB-allocated), and MB-retained is what
// stays in use for the line and settings afterwards.
func BenchmarkPeakHeap(b *testing.B) {
	l := benchLine(b)
	u := benchUnits(l, 100, 600, 300)
	var alloc, retained uint64
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		sec, _ := l.Sectors(Sectoring{SectorKm: 25})
		z, _ := NewZones(l, sec, ZoneOptions{DepthKm: 30})
		z.Coverage(u)
		z.Polygons()
		runtime.ReadMemStats(&after)
		alloc = max(alloc, after.TotalAlloc-before.TotalAlloc)
		runtime.GC()
		runtime.ReadMemStats(&after)
		if after.HeapAlloc > before.HeapAlloc {
			retained = max(retained, after.HeapAlloc-before.HeapAlloc)
		}
		runtime.KeepAlive(z)
	}
	b.ReportMetric(float64(alloc)/1e6, "MB-allocated")
	b.ReportMetric(float64(retained)/1e6, "MB-retained")
}
