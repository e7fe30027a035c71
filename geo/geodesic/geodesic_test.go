package geodesic

import (
	"errors"
	"math"
	"testing"
)

// Reference values for WGS84 that follow from the ellipsoid alone:
// the quarter meridian and the equatorial circumference.
const (
	quarterMeridian = 10001965.729313 // metres, equator to pole
	equatorLength   = 2 * math.Pi * A
)

func TestInverseKnownCases(t *testing.T) {
	cases := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		s12, azi1, azi2        float64
		tolS                   float64
	}{
		{"zero distance", 48.5, 35, 48.5, 35, 0, 0, 0, 0},
		{"zero distance at the origin", 0, 0, 0, 0, 0, 0, 0, 0},
		{"zero distance through longitude wrap", 48.5, 35, 48.5, 395, 0, 0, 0, 0},
		{"equator one degree east", 0, 0, 0, 1, A * degree, 90, 90, 1e-9},
		{"equator quarter", 0, 0, 0, 90, equatorLength / 4, 90, 90, 1e-8},
		{"equator west", 0, 10, 0, -20, A * 30 * degree, -90, -90, 1e-8},
		{"equator beyond (1-f)·180° leaves the equator", 0, 0, 0, 179.5, 19980861.908891, 55.966495140, 124.033504860, 1e-6},
		{"meridian equator to pole", 0, 0, 90, 0, quarterMeridian, 0, 0, 1e-6},
		{"meridian southward", 10, 30, -10, 30, 2211709.666469, 180, 180, 1e-6},
		{"pole to pole", -90, 0, 90, 0, 2 * quarterMeridian, 0, 0, 1e-6},
		{"across the north pole", 80, 0, 80, 180, 2 * (quarterMeridian - 8885139.871937), 0, 180, 1e-6},
		{"from the north pole", 90, 0, 45, 30, quarterMeridian - 4984944.377978, 150, 180, 1e-6},
		{"exact antipodes on the equator", 0, 0, 0, 180, 2 * quarterMeridian, 0, 180, 1e-6},
		{"exact antipodes off the equator", 30, 0, -30, 180, 2 * quarterMeridian, 0, 180, 1e-6},
		{"across the antimeridian", 50, 179.9, 50, -179.9, 14339.146451, 89.923395523, 90.076604477, 1e-6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s12, azi1, azi2, err := Inverse(c.lat1, c.lon1, c.lat2, c.lon2)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(s12-c.s12) > c.tolS {
				t.Errorf("s12 = %.6f, want %.6f", s12, c.s12)
			}
			if c.s12 == 0 {
				return
			}
			if azDiff(azi1, c.azi1) > 1e-6 || azDiff(azi2, c.azi2) > 1e-6 {
				t.Errorf("azimuths %.9f %.9f, want %.9f %.9f", azi1, azi2, c.azi1, c.azi2)
			}
		})
	}
}

func TestDirectKnownCases(t *testing.T) {
	cases := []struct {
		name                  string
		lat1, lon1, azi1, s12 float64
		lat2, lon2, azi2      float64
	}{
		{"zero distance", 48.5, 35, 77, 0, 48.5, 35, 77},
		{"along the equator", 0, 0, 90, A * 10 * degree, 0, 10, 90},
		{"along the equator westward across the antimeridian", 0, -175, -90, A * 10 * degree, 0, 175, -90},
		{"equator to pole", 0, 30, 0, quarterMeridian, 90, 30, 0},
		{"over the pole", 0, 30, 0, 2 * quarterMeridian, 0, -150, 180},
		{"pole to pole", -90, 0, 0, 2 * quarterMeridian, 90, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lat2, lon2, azi2 := Direct(c.lat1, c.lon1, c.azi1, c.s12)
			// quarterMeridian is rounded to a micrometre, so a line ending at
			// a pole may end just past it: compare positions, not degrees.
			if d := Distance([2]float64{lon2, lat2}, [2]float64{c.lon2, c.lat2}); d > 1e-6 {
				t.Errorf("point (%.12f, %.12f), want (%v, %v): %.3g m away", lat2, lon2, c.lat2, c.lon2, d)
			}
			if math.Abs(c.lat2) < 90 && azDiff(azi2, c.azi2) > 1e-9 {
				t.Errorf("azi2 = %.12f, want %v", azi2, c.azi2)
			}
		})
	}
}

func TestSymmetries(t *testing.T) {
	const lat1, lon1, lat2, lon2 = 46.5, 32.5, 50.1, 36.3
	s, a1, a2, _ := Inverse(lat1, lon1, lat2, lon2)
	t.Run("reverse", func(t *testing.T) {
		sr, b1, b2, _ := Inverse(lat2, lon2, lat1, lon1)
		if sr != s || azDiff(b1, a2+180) > 1e-12 || azDiff(b2, a1+180) > 1e-12 {
			t.Errorf("reverse: %v %v %v vs %v %v %v", sr, b1, b2, s, a1, a2)
		}
	})
	t.Run("mirror north-south", func(t *testing.T) {
		sm, b1, b2, _ := Inverse(-lat1, lon1, -lat2, lon2)
		if sm != s || azDiff(b1, 180-a1) > 1e-12 || azDiff(b2, 180-a2) > 1e-12 {
			t.Errorf("mirror: %v %v %v vs %v %v %v", sm, b1, b2, s, a1, a2)
		}
	})
	t.Run("longitude shift", func(t *testing.T) {
		for _, shift := range []float64{360, -720, 1080} {
			ss, b1, b2, _ := Inverse(lat1, lon1+shift, lat2, lon2)
			if math.Abs(ss-s) > 1e-9 || azDiff(b1, a1) > 1e-10 || azDiff(b2, a2) > 1e-10 {
				t.Errorf("shift %v: %v %v %v vs %v %v %v", shift, ss, b1, b2, s, a1, a2)
			}
		}
	})
	t.Run("direct inverts inverse", func(t *testing.T) {
		la, lo, az := Direct(lat1, lon1, a1, s)
		if math.Abs(la-lat2) > 1e-12 || math.Abs(lo-lon2) > 1e-12 || azDiff(az, a2) > 1e-10 {
			t.Errorf("direct gave (%v, %v, %v), want (%v, %v, %v)", la, lo, az, lat2, lon2, a2)
		}
	})
}

func TestInvalidInput(t *testing.T) {
	for _, c := range [][4]float64{{math.NaN(), 0, 0, 0}, {91, 0, 0, 0}, {0, 0, -90.5, 0}, {0, math.Inf(1), 0, 0}} {
		s, a1, a2, err := Inverse(c[0], c[1], c[2], c[3])
		if err != nil || !math.IsNaN(s) || !math.IsNaN(a1) || !math.IsNaN(a2) {
			t.Errorf("Inverse%v = %v %v %v %v, want NaNs", c, s, a1, a2, err)
		}
	}
	if lat, lon, az := Direct(100, 0, 0, 1); !math.IsNaN(lat) || !math.IsNaN(lon) || !math.IsNaN(az) {
		t.Errorf("Direct at lat 100 = %v %v %v, want NaNs", lat, lon, az)
	}
}

// The azimuth search is bracketed, so ErrNoConvergence cannot be provoked by
// input: nearly antipodal points must converge, and a search cut short must
// report the error along with a usable estimate.
func TestNearlyAntipodal(t *testing.T) {
	for _, c := range [][4]float64{
		{0, 0, 0, 179.99999}, {0, 0, 1e-9, 180}, {-0.5, 0, 0.5, 179.7}, {30, 0, -30.0000001, 179.9999999},
		{89.99, 0, -89.99, 180}, {-45, 10, 44.999, -170.001}, {1e-5, 0, -2e-5, 179.99},
	} {
		s, _, _, err := Inverse(c[0], c[1], c[2], c[3])
		if err != nil {
			t.Errorf("Inverse%v: %v", c, err)
		}
		if !(s > 19.9e6 && s <= 2*quarterMeridian+1e-6) {
			t.Errorf("Inverse%v: s12 = %v", c, s)
		}
	}

	t.Run("error path", func(t *testing.T) {
		defer func(n int) { iterationLimit = n }(iterationLimit)
		iterationLimit = 1
		s, a1, a2, err := Inverse(-0.5, 0, 0.5, 179.7)
		if !errors.Is(err, ErrNoConvergence) {
			t.Fatalf("err = %v, want ErrNoConvergence", err)
		}
		if math.IsNaN(s) || math.IsNaN(a1) || math.IsNaN(a2) || s < 19e6 || s > 21e6 {
			t.Errorf("estimate %v %v %v is not usable", s, a1, a2)
		}
		if d := Distance([2]float64{0, -0.5}, [2]float64{179.7, 0.5}); math.Abs(d-s) > 0 {
			t.Errorf("Distance = %v, want the estimate %v", d, s)
		}
	})
}

func TestPaths(t *testing.T) {
	kyiv := [2]float64{30.5234, 50.4501}
	kharkiv := [2]float64{36.2304, 49.9935}
	t.Run("interpolate ends", func(t *testing.T) {
		if p := Interpolate(kyiv, kharkiv, 0); p != kyiv {
			t.Errorf("f=0 gave %v", p)
		}
		if p := Interpolate(kyiv, kharkiv, 1); p != kharkiv {
			t.Errorf("f=1 gave %v", p)
		}
		if p := Interpolate(kyiv, kyiv, 0.3); p != kyiv {
			t.Errorf("coincident ends gave %v", p)
		}
	})
	t.Run("interpolate splits the distance", func(t *testing.T) {
		d := Distance(kyiv, kharkiv)
		for _, f := range []float64{0.1, 0.25, 0.5, 0.9} {
			m := Interpolate(kyiv, kharkiv, f)
			d1, d2 := Distance(kyiv, m), Distance(m, kharkiv)
			if math.Abs(d1-f*d) > 1e-6 || math.Abs(d1+d2-d) > 1e-6 {
				t.Errorf("f=%v: %v + %v, want %v of %v", f, d1, d2, f, d)
			}
		}
	})
	t.Run("interpolate over the pole", func(t *testing.T) {
		m := Interpolate([2]float64{0, 80}, [2]float64{180, 80}, 0.5)
		if math.Abs(m[1]-90) > 1e-9 {
			t.Errorf("midpoint %v, want the north pole", m)
		}
	})
	t.Run("length", func(t *testing.T) {
		if Length(nil) != 0 || Length([][2]float64{kyiv}) != 0 {
			t.Error("empty or single-point polylines must have length 0")
		}
		m := Interpolate(kyiv, kharkiv, 0.4)
		if d, l := Distance(kyiv, kharkiv), Length([][2]float64{kyiv, m, kharkiv}); math.Abs(d-l) > 1e-6 {
			t.Errorf("length through a point on the geodesic %v, want %v", l, d)
		}
	})
}

func TestArea(t *testing.T) {
	sq := [][2]float64{{30, 50}, {30.01, 50}, {30.01, 50.01}, {30, 50.01}}
	a := Area(sq)
	t.Run("winding and closure do not matter", func(t *testing.T) {
		rev := [][2]float64{sq[3], sq[2], sq[1], sq[0]}
		closed := append(append([][2]float64(nil), sq...), sq[0])
		shifted := [][2]float64{{390, 50}, {390.01, 50}, {390.01, 50.01}, {390, 50.01}}
		// 390.01 − 390 differs from 30.01 − 30 by 1e-14°, a few nanometres,
		// hence the tolerance.
		for _, r := range [][][2]float64{rev, closed, shifted} {
			if b := Area(r); math.Abs(b-a) > 1e-4 {
				t.Errorf("Area(%v) = %v, want %v", r, b, a)
			}
		}
	})
	t.Run("degenerate rings", func(t *testing.T) {
		for _, r := range [][][2]float64{nil, sq[:2], {sq[0], sq[1], sq[0]}} {
			if b := Area(r); b != 0 {
				t.Errorf("Area(%v) = %v, want 0", r, b)
			}
		}
	})
	t.Run("hemisphere", func(t *testing.T) {
		// The equator is a geodesic for these short edges, so the ring
		// splits the ellipsoid into two equal halves.
		var eq [][2]float64
		for lon := -180.0; lon < 180; lon += 10 {
			eq = append(eq, [2]float64{lon, 0})
		}
		if b, want := Area(eq), QuadArea(-180, 0, 180, 90); math.Abs(b-want) > 1e-6*want {
			t.Errorf("Area(equator) = %v, want %v", b, want)
		}
	})
	t.Run("polar cap", func(t *testing.T) {
		// Around a pole the result is the cap, whichever way the ring runs.
		// GeographicLib's area for this ring is 979142843186 m²; the
		// geodesic edges bulge poleward of the parallel, so it is a little
		// less than the area north of 85°.
		var ring [][2]float64
		for lon := 0.0; lon < 360; lon += 0.5 {
			ring = append(ring, [2]float64{lon, 85})
		}
		const want = 979142843186.0
		for _, r := range [][][2]float64{ring, reversed(ring)} {
			if b := Area(r); math.Abs(b-want) > 1e-8*want {
				t.Errorf("Area(cap) = %.1f, want %.1f", b, want)
			}
		}
		if cap := QuadArea(0, 85, 360, 90); !(want < cap && cap < want*(1+1e-4)) {
			t.Errorf("cap north of 85° %.1f, ring %.1f", cap, want)
		}
	})
}

func reversed(r [][2]float64) [][2]float64 {
	out := make([][2]float64, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

func TestQuadArea(t *testing.T) {
	// Surface area of the WGS84 ellipsoid (4π R_q²).
	const wgs84Area = 510065621724088.5
	t.Run("whole ellipsoid", func(t *testing.T) {
		if a := QuadArea(-180, -90, 180, 90); math.Abs(a-wgs84Area) > 1 {
			t.Errorf("area %.1f, want %.1f", a, wgs84Area)
		}
	})
	t.Run("additive", func(t *testing.T) {
		a := QuadArea(22, 44, 41, 53)
		b := QuadArea(22, 44, 30, 48.5) + QuadArea(30, 44, 41, 48.5) + QuadArea(22, 48.5, 41, 53)
		if math.Abs(a-b) > 1e-12*a {
			t.Errorf("%v != %v", a, b)
		}
	})
	t.Run("against quadrature", func(t *testing.T) {
		// dA = M·N·cos φ dφ dλ = a²(1−e²) cos φ/(1 − e² sin²φ)² dφ dλ,
		// integrated by 20-point Gauss–Legendre on sub-intervals.
		for _, c := range [][4]float64{{30, 48, 31, 49}, {0, -90, 1, 90}, {10, 89, 12, 90}, {0, 0, 0.001, 0.001}, {35, 50, 35.00001, 50.00001}} {
			want := (c[2] - c[0]) * degree * integrateLat(c[1], c[3])
			if got := QuadArea(c[0], c[1], c[2], c[3]); math.Abs(got-want) > 1e-12*want {
				t.Errorf("QuadArea%v = %.9g, want %.9g (rel %.2g)", c, got, want, math.Abs(got-want)/want)
			}
		}
	})
	t.Run("sign", func(t *testing.T) {
		if a, b := QuadArea(31, 48, 30, 49), QuadArea(30, 48, 31, 49); a != -b {
			t.Errorf("%v != -%v", a, b)
		}
	})
}

// integrateLat returns ∫ a²(1−e²) cos φ/(1 − e² sin²φ)² dφ from lat1 to lat2.
func integrateLat(lat1, lat2 float64) float64 {
	x := [10]float64{0.0765265211334973, 0.2277858511416451, 0.3737060887154195, 0.5108670019508271,
		0.6360536807265150, 0.7463319064601508, 0.8391169718222188, 0.9122344282513259,
		0.9639719272779138, 0.9931285991850949}
	w := [10]float64{0.1527533871307258, 0.1491729864726037, 0.1420961093183820, 0.1316886384491766,
		0.1181945319615184, 0.1019301198172404, 0.0832767415767048, 0.0626720483341091,
		0.0406014298003869, 0.0176140071391521}
	f := func(phi float64) float64 {
		s, c := math.Sincos(phi)
		d := 1 - ecc2*s*s
		return A * A * (1 - ecc2) * c / (d * d)
	}
	const parts = 16
	// The step comes from the difference in degrees, which is exact; the
	// difference of two latitudes in radians would lose digits for a tiny cell.
	p1 := lat1 * degree
	h := (lat2 - lat1) * degree / parts
	var sum float64
	for k := 0; k < parts; k++ {
		mid := p1 + (float64(k)+0.5)*h
		for i := range x {
			sum += w[i] * (f(mid+x[i]*h/2) + f(mid-x[i]*h/2)) * h / 2
		}
	}
	return sum
}
