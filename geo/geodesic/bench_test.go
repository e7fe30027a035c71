package geodesic

import (
	"math/rand"
	"testing"
)

// Ukrainian pairs of points, as the front-line code uses them.
func benchPairs() [][4]float64 {
	r := rand.New(rand.NewSource(1))
	pts := make([][4]float64, 1024)
	for i := range pts {
		pts[i] = [4]float64{44 + 9*r.Float64(), 22 + 19*r.Float64(), 44 + 9*r.Float64(), 22 + 19*r.Float64()}
	}
	return pts
}

func BenchmarkInverse(b *testing.B) {
	pts := benchPairs()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &pts[i&1023]
		Inverse(p[0], p[1], p[2], p[3])
	}
}

func BenchmarkInverseShort(b *testing.B) {
	pts := benchPairs()
	for i := range pts {
		pts[i][2] = pts[i][0] + 0.01*(pts[i][2]-48)
		pts[i][3] = pts[i][1] + 0.01*(pts[i][3]-31)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &pts[i&1023]
		Inverse(p[0], p[1], p[2], p[3])
	}
}

func BenchmarkInverseGlobal(b *testing.B) {
	r := rand.New(rand.NewSource(2))
	pts := make([][4]float64, 1024)
	for i := range pts {
		pts[i] = [4]float64{180*r.Float64() - 90, 360 * r.Float64(), 180*r.Float64() - 90, 360 * r.Float64()}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &pts[i&1023]
		Inverse(p[0], p[1], p[2], p[3])
	}
}

func BenchmarkDirect(b *testing.B) {
	pts := benchPairs()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &pts[i&1023]
		Direct(p[0], p[1], p[2]*8, p[3]*2e4)
	}
}

// benchRing is a 1,000-vertex ring of about 100 km radius around Dnipro.
func benchRing() [][2]float64 {
	ring := make([][2]float64, 1000)
	for i := range ring {
		lat, lon, _ := Direct(48.45, 35.05, -0.36*float64(i), 1e5)
		ring[i] = [2]float64{lon, lat}
	}
	return ring
}

func BenchmarkArea(b *testing.B) {
	ring := benchRing()
	b.ReportAllocs()
	for b.Loop() {
		Area(ring)
	}
}

func BenchmarkLength(b *testing.B) {
	ring := benchRing()
	b.ReportAllocs()
	for b.Loop() {
		Length(ring)
	}
}
