package geodesic

import (
	"math"
	"testing"
)

// TestSeriesAgainstQuadrature re-derives A and C_l of I1, I2 and I3
// numerically. Each integrand is even with period π, so with the trapezoid
// rule on an equally spaced grid its mean and cosine coefficients converge
// geometrically; 64 points reach rounding level here. If
// g(σ) = g0 + Σ g_l cos 2lσ then ∫g = g0·(σ + Σ g_l/(2l·g0) sin 2lσ).
//
// Rounding in the quadrature (about 1e-16) hides the highest coefficients
// of I3 (C3_5, C3_6 are below 1e-17), so this confirms the series to the
// level that can affect a float64 result; the coefficients themselves come
// from an exact rational expansion.
func TestSeriesAgainstQuadrature(t *testing.T) {
	integrands := []struct {
		name string
		g    func(k2, sig float64) float64
		a    func(eps float64) float64
		c    func(eps float64, c *[order + 1]float64)
	}{
		{"I1", func(k2, s float64) float64 { return math.Sqrt(1 + k2*math.Sin(s)*math.Sin(s)) }, a1, c1},
		{"I2", func(k2, s float64) float64 { return 1 / math.Sqrt(1+k2*math.Sin(s)*math.Sin(s)) }, a2, c2},
		{"I3", func(k2, s float64) float64 {
			return (2 - F) / (1 + (1-F)*math.Sqrt(1+k2*math.Sin(s)*math.Sin(s)))
		}, a3, c3},
	}
	const npts = 64
	for _, in := range integrands {
		for _, cos2a0 := range []float64{0, 0.1, 0.5, 0.9, 1} {
			k2 := secEcc2 * cos2a0
			eps := k2 / (2*(1+math.Sqrt(1+k2)) + k2)
			var mean float64
			var cos [order + 1]float64
			for j := 0; j < npts; j++ {
				s := math.Pi * float64(j) / npts
				v := in.g(k2, s)
				mean += v / npts
				for l := 1; l <= order; l++ {
					cos[l] += 2 * v * math.Cos(2*float64(l)*s) / npts
				}
			}
			if got := in.a(eps); math.Abs(got-mean) > 1e-15 {
				t.Errorf("%s, cos²α0 = %v: A = %.17g, quadrature %.17g", in.name, cos2a0, got, mean)
			}
			var c [order + 1]float64
			in.c(eps, &c)
			for l := 1; l <= order; l++ {
				want := cos[l] / (2 * float64(l) * mean)
				if math.Abs(c[l]-want) > 2e-16 {
					t.Errorf("%s, cos²α0 = %v: C_%d = %.6g, quadrature %.6g", in.name, cos2a0, l, c[l], want)
				}
			}
		}
	}
}

// TestReducedLength checks m12, which only steers Newton's method, against
// a finite difference of the direct problem: turning the start azimuth by δ
// moves the end point sideways by m12·δ.
func TestReducedLength(t *testing.T) {
	for _, c := range [][4]float64{{48, 30, 40, 2e5}, {-20, 10, 100, 5e6}, {5, 0, 60, 3e6}} {
		lat1, lon1, azi1, s12 := c[0], c[1], c[2], c[3]
		lat2, lon2, _ := Direct(lat1, lon1, azi1, s12)
		sb1, cb1 := reduced(lat1)
		sb2, cb2 := reduced(lat2)
		sa1, ca1 := sincosd(azi1)
		dlon := angDiff(lon1, lon2)
		var g line
		slam, clam := sincosd(dlon)
		g.eval(sb1, cb1, sb2, cb2, sa1, ca1, slam, clam)
		const delta = 1e-6
		la, lo, _ := Direct(lat1, lon1, azi1+delta/degree, s12)
		lb, lob, _ := Direct(lat1, lon1, azi1-delta/degree, s12)
		fd := Distance([2]float64{lo, la}, [2]float64{lob, lb}) / (2 * delta)
		if m := semiMinor * g.m12b; math.Abs(m-fd) > 1e-5*math.Abs(m) {
			t.Errorf("%v: m12 = %.6f, finite difference %.6f", c, m, fd)
		}
	}
}
