package geodesic

import "math"

const degree = math.Pi / 180

// angNormalize reduces x degrees to (-180, 180].
func angNormalize(x float64) float64 {
	if x > -180 && x <= 180 {
		return x
	}
	x = math.Remainder(x, 360)
	if x == -180 {
		x = 180
	}
	return x
}

// angDiff returns y − x reduced to (-180, 180]. Reducing each operand first
// keeps the subtraction exact for nearby longitudes given as, say, 390 and 30.1.
func angDiff(x, y float64) float64 {
	return angNormalize(angNormalize(y) - angNormalize(x))
}

// sincosd returns the sine and cosine of x degrees. The reduction to
// [-45°, 45°] happens in degrees, where it is exact, so multiples of 90° give
// exact zeros and ones: poles, the equator and meridians stay exact.
func sincosd(x float64) (s, c float64) {
	r := x
	if r < -180 || r > 180 {
		r = math.Remainder(r, 360)
	}
	q := math.Round(r / 90)
	r -= 90 * q
	s, c = math.Sincos(r * degree)
	switch int(q) & 3 {
	case 1:
		s, c = c, -s
	case 2:
		s, c = -s, -c
	case 3:
		s, c = -c, s
	}
	// Adding zero turns -0 into +0, which keeps atan2 away from the wrong
	// branch when a cosine is exactly zero.
	return s + 0, c + 0
}

// atan2d returns atan2(y, x) in degrees. Folding into the first octant before
// the conversion makes exact right angles (for example due east on the
// equator) come out as exactly 90, 180, ...
func atan2d(y, x float64) float64 {
	q := 0
	if math.Abs(y) > math.Abs(x) {
		x, y = y, x
		q = 2
	}
	if x < 0 {
		x = -x
		q++
	}
	ang := math.Atan2(y, x) / degree
	switch q {
	case 1:
		if y >= 0 {
			ang = 180 - ang
		} else {
			ang = -180 - ang
		}
	case 2:
		ang = 90 - ang
	case 3:
		ang = -90 + ang
	}
	return ang
}

// norm2 scales (x, y) to a unit vector. Components here never exceed a few
// units nor are both below 1e-150, so math.Hypot's overflow guards (several
// times slower) are not needed.
func norm2(x, y float64) (float64, float64) {
	r := math.Sqrt(x*x + y*y)
	return x / r, y / r
}

// pos returns max(x, 0) for a non-NaN x, without math.Max's handling of
// signed zeros and NaN.
func pos(x float64) float64 {
	if x > 0 {
		return x
	}
	return 0
}
