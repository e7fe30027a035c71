package geodesic

import (
	"errors"
	"math"
)

const (
	A = 6378137.0         // WGS84 semi-major axis, metres
	F = 1 / 298.257223563 // WGS84 flattening
)

// Derived ellipsoid constants. They stay untyped so that the series
// coefficients built from them are folded exactly at compile time.
const (
	semiMinor = A * (1 - F)                // b
	ecc2      = F * (2 - F)                // e²
	secEcc2   = ecc2 / ((1 - F) * (1 - F)) // e'²
	n         = F / (2 - F)                // third flattening
)

// ErrNoConvergence is returned by Inverse when the azimuth search ends
// without meeting its tolerance. The search is bracketed, so this is not
// expected for any input; the results returned with it are the best estimate.
var ErrNoConvergence = errors.New("geodesic: inverse problem did not converge")

// tiny keeps cos β of a pole away from zero, so that azimuths there stay
// defined (as limits along the meridian of the given longitude) and nothing
// divides by zero; it is far too small to move the pole, and its square is
// still a normal float64.
var tiny = math.Sqrt(math.SmallestNonzeroFloat64 * (1 << 52))

// Iteration limits of the inverse search: Newton's method normally needs two
// to four steps; bisection of [0, π] takes at most about 55 to reach the
// resolution of a float64. iterationLimit is a variable only so that a test
// can cut the search short.
const maxNewton = 20

var iterationLimit = maxNewton + 80

// reduced returns sin β and cos β of the reduced latitude for lat degrees.
func reduced(lat float64) (sb, cb float64) {
	sp, cp := sincosd(lat)
	sb, cb = norm2((1-F)*sp, cp)
	return sb, math.Max(tiny, cb)
}

// Inverse solves the inverse problem: distance s12 in metres and forward
// azimuths azi1 (at point 1) and azi2 (at point 2, direction of travel) in
// degrees clockwise from north, for points given in degrees.
//
// Longitudes may take any value; latitudes outside [-90, 90] or NaN inputs
// give NaN results. Coincident points give s12 = 0 and, by convention, the
// azimuths of the meridian (0 or 180). The result is accurate to about
// 15 nm for any pair of points, nearly antipodal ones included; err is
// non-nil only in the unexpected case that the azimuth search fails, and the
// results are then the best estimate found.
func Inverse(lat1, lon1, lat2, lon2 float64) (s12, azi1, azi2 float64, err error) {
	var sa1, ca1, sa2, ca2 float64
	var ok bool
	s12, sa1, ca1, sa2, ca2, ok = inverse(lat1, lon1, lat2, lon2)
	azi1 = atan2d(sa1, ca1)
	azi2 = atan2d(sa2, ca2)
	if !ok {
		err = ErrNoConvergence
	}
	return s12, azi1, azi2, err
}

// inverse returns the distance and the forward azimuths at both ends as
// (sin, cos) pairs; ok is false only if the azimuth search did not converge.
func inverse(lat1, lon1, lat2, lon2 float64) (s12, sa1, ca1, sa2, ca2 float64, ok bool) {
	if !(math.Abs(lat1) <= 90 && math.Abs(lat2) <= 90) ||
		math.IsNaN(lon1) || math.IsNaN(lon2) || math.IsInf(lon1, 0) || math.IsInf(lon2, 0) {
		nan := math.NaN()
		return nan, nan, nan, nan, nan, true
	}

	// Reduce to a canonical case by symmetry: λ12 in [0, 180], lat1 <= 0 and
	// |lat1| >= |lat2|. Then the geodesic from point 1, heading anywhere in
	// [0, π], always reaches the latitude of point 2, on a northward stretch,
	// and the longitude it gets there is an increasing function of α1.
	lon12 := angDiff(lon1, lon2)
	lonSign := 1.0
	if lon12 < 0 {
		lonSign = -1
		lon12 = -lon12
	}
	swapped := math.Abs(lat1) < math.Abs(lat2)
	if swapped {
		// Going from 2 to 1 the longitude difference changes sign, so one
		// more east-west reflection brings it back to [0, 180].
		lat1, lat2 = lat2, lat1
		lonSign = -lonSign
	}
	latSign := 1.0
	if lat1 > 0 {
		latSign = -1
		lat1, lat2 = -lat1, -lat2
	}

	sb1, cb1 := reduced(lat1)
	sb2, cb2 := reduced(lat2)
	slam, clam := sincosd(lon12)

	s12, sa1, ca1, sa2, ca2, ok = solveCanonical(lat1, sb1, cb1, sb2, cb2, lon12*degree, slam, clam)
	if sb1 == 0 && lon12 > 0 {
		// Both points on the equator but too far apart for the equator to be
		// shortest: the paths north and south are equally short. The search
		// finds the southern one; report the northern, as GeographicLib does.
		ca1, ca2 = -ca1, -ca2
	}

	// Undo the reductions: each reflection flips the sign of one component of
	// both azimuths; the swap exchanges the ends and reverses the direction.
	sa1, sa2 = sa1*lonSign, sa2*lonSign
	ca1, ca2 = ca1*latSign, ca2*latSign
	if swapped {
		sa1, ca1, sa2, ca2 = -sa2, -ca2, -sa1, -ca1
	}
	return s12, sa1 + 0, ca1 + 0, sa2 + 0, ca2 + 0, ok
}

// line holds what one evaluation of a trial geodesic produces.
type line struct {
	sa2, ca2   float64 // azimuth at point 2
	ss1, cs1   float64 // σ1
	ss2, cs2   float64 // σ2
	sig12      float64 // σ12 in [0, π]
	eps        float64
	v          float64 // λ12(α1) − λ12 target, radians
	dv         float64 // dv/dα1; 0 if unavailable
	s12b, m12b float64 // distance and reduced length in units of b
}

// lengths fills s12b and m12b from σ1, σ2 and eps.
func (g *line) lengths() {
	var c1c, c2c [order + 1]float64
	c1(g.eps, &c1c)
	c2(g.eps, &c2c)
	A1, A2 := a1(g.eps), a2(g.eps)
	var d [order + 1]float64 // coefficients of J = I1 − I2
	for l := 1; l <= order; l++ {
		d[l] = A1*c1c[l] - A2*c2c[l]
	}
	b1 := sinSeries(&c1c, g.ss2, g.cs2) - sinSeries(&c1c, g.ss1, g.cs1)
	j12 := (A1-A2)*g.sig12 + sinSeries(&d, g.ss2, g.cs2) - sinSeries(&d, g.ss1, g.cs1)
	g.s12b = A1 * (g.sig12 + b1)
	k2 := g.k2()
	dn1 := math.Sqrt(1 + k2*g.ss1*g.ss1)
	dn2 := math.Sqrt(1 + k2*g.ss2*g.ss2)
	// Reduced length (the Jacobi field along the geodesic) from the standard
	// closed form in σ and J.
	g.m12b = dn2*g.cs1*g.ss2 - dn1*g.ss1*g.cs2 - g.cs1*g.cs2*j12
}

func (g *line) k2() float64 {
	// eps = (√(1+k²)−1)/(√(1+k²)+1) inverts to k² = 4eps/(1−eps)².
	return 4 * g.eps / ((1 - g.eps) * (1 - g.eps))
}

// solveCanonical solves the reduced problem (lat1 <= 0, |lat2| <= |lat1|,
// 0 <= λ12 <= π).
func solveCanonical(lat1, sb1, cb1, sb2, cb2, lam12, slam, clam float64) (s12, sa1, ca1, sa2, ca2 float64, ok bool) {
	// Along a meridian (including any line from a pole) the azimuth is known.
	if slam == 0 || lat1 == -90 {
		sa1, ca1 = slam, clam
		var g line
		g.sa2, g.ca2 = 0, 1
		g.ss1, g.cs1 = norm2(sb1, ca1*cb1)
		g.ss2, g.cs2 = norm2(sb2, cb2)
		g.sig12 = math.Atan2(pos(g.cs1*g.ss2-g.ss1*g.cs2), g.cs1*g.cs2+g.ss1*g.ss2)
		sa0 := sa1 * cb1
		k2 := secEcc2 * (1 - sa0*sa0)
		g.eps = k2 / (2*(1+math.Sqrt(1+k2)) + k2)
		g.lengths()
		// A meridian stops being shortest past its conjugate point, which
		// shows as a negative reduced length; on an oblate ellipsoid that
		// cannot happen within σ12 <= π, but keep the general search as the
		// fallback rather than rely on it.
		if g.sig12 < 1 || g.m12b >= 0 {
			return semiMinor * g.s12b, sa1, ca1, g.sa2, g.ca2, true
		}
	}

	// Along the equator up to (1−f)·180° of longitude; beyond that a geodesic
	// over higher latitudes is shorter.
	if sb1 == 0 && lam12 <= (1-F)*math.Pi {
		return A * lam12, 1, 0, 1, 0, true
	}

	// α1 is carried as a unit vector (sin, cos), not an angle: near 90° an
	// angle in radians resolves only 2e-16, which for a short east-west line
	// near the equator already misplaces point 2 by tens of micrometres,
	// whereas cos α1 keeps full relative precision there.
	//
	// The bracket (lo, hi) keeps v(lo) <= 0 <= v(hi). Its ends start a tiny
	// bit off 0 and π so that their first bisector is 90°.
	slo, clo := tiny, 1.0
	shi, chi := tiny, -1.0
	sa1, ca1 = startAzimuth(sb1, cb1, sb2, cb2, lam12, slam, clam)
	var g line
	polished := false
	for iter := 0; iter < iterationLimit; iter++ {
		g.eval(sb1, cb1, sb2, cb2, sa1, ca1, slam, clam)
		if av := math.Abs(g.v); av <= 4e-15 {
			// A longitude miss v moves point 2 by about a·v, a relative
			// error of v/σ12 in s12. The absolute tolerance is therefore
			// enough for long lines, but a line of a few metres would keep
			// an error near 1e-8; one more Newton step, converging
			// quadratically, removes it. Below 4e-16 v is rounding noise
			// (sub-nanometre), and a further step gains nothing.
			if polished || av <= 1e-14*g.sig12 || av <= 4e-16 || !(g.dv > 0) {
				ok = true
				break
			}
			polished = true
			ns, nc := rotate(sa1, ca1, -g.v/g.dv)
			if !(ns > 0) || (ns == sa1 && nc == ca1) {
				ok = true
				break
			}
			sa1, ca1 = ns, nc
			continue
		}
		if g.v > 0 {
			shi, chi = sa1, ca1
		} else {
			slo, clo = sa1, ca1
		}
		ns, nc := math.NaN(), math.NaN()
		if iter < maxNewton && g.dv > 0 {
			if d := -g.v / g.dv; math.Abs(d) < math.Pi/2 {
				ns, nc = rotate(sa1, ca1, d)
			}
		}
		// Newton's step is taken only if it lands strictly inside the
		// bracket (the cross products are sines of angle differences);
		// otherwise bisect, which cannot fail since v increases with α1.
		if !(ns > 0 && ns*clo-nc*slo > 0 && shi*nc-chi*ns > 0) {
			ns, nc = norm2(slo+shi, clo+chi)
		}
		if (ns == slo && nc == clo) || (ns == shi && nc == chi) {
			// The bracket is down to adjacent floating-point directions.
			ok = true
			break
		}
		sa1, ca1 = ns, nc
	}
	return semiMinor * g.s12b, sa1, ca1, g.sa2, g.ca2, ok
}

// rotate turns the direction (s, c) by d radians.
func rotate(s, c, d float64) (float64, float64) {
	sd, cd := math.Sincos(d)
	return norm2(s*cd+c*sd, c*cd-s*sd)
}

// eval follows the geodesic that leaves point 1 at azimuth α1 to the latitude
// of point 2 and records how far its longitude misses λ12, with the
// derivative of the miss for Newton's method.
func (g *line) eval(sb1, cb1, sb2, cb2, sa1, ca1, slam, clam float64) {
	sa0 := sa1 * cb1 // Clairaut's constant
	ca0 := math.Sqrt(ca1*ca1 + (sa1*sb1)*(sa1*sb1))

	g.ss1, g.cs1 = norm2(sb1, sigmaCos(sb1, ca1*cb1))
	so1, co1 := sa0*sb1, sigmaCos(sb1, ca1*cb1) // ω1, unnormalised

	if cb2 != cb1 {
		g.sa2 = sa0 / cb2
	} else {
		g.sa2 = sa1
	}
	// cos α2 from Clairaut; the difference cos²β2 − cos²β1 is formed from
	// whichever of the sines or the cosines does not cancel.
	if cb2 != cb1 || math.Abs(sb2) != -sb1 {
		var d float64
		if cb1 < -sb1 {
			d = (cb2 - cb1) * (cb1 + cb2)
		} else {
			d = (sb1 - sb2) * (sb1 + sb2)
		}
		g.ca2 = math.Sqrt(pos((ca1*cb1)*(ca1*cb1)+d)) / cb2
	} else {
		g.ca2 = math.Abs(ca1)
	}
	g.ss2, g.cs2 = norm2(sb2, g.ca2*cb2)
	so2, co2 := sa0*sb2, g.ca2*cb2

	g.sig12 = math.Atan2(pos(g.cs1*g.ss2-g.ss1*g.cs2), g.cs1*g.cs2+g.ss1*g.ss2)
	// ω12 − λ12 as one angle, so that λ12 near π causes no wrap-around.
	somg := pos(co1*so2 - so1*co2)
	comg := co1*co2 + so1*so2
	eta := math.Atan2(somg*clam-comg*slam, comg*clam+somg*slam)

	k2 := secEcc2 * ca0 * ca0
	g.eps = k2 / (2*(1+math.Sqrt(1+k2)) + k2)
	var c3c [order + 1]float64
	c3(g.eps, &c3c)
	i3 := a3(g.eps) * (g.sig12 + sinSeries(&c3c, g.ss2, g.cs2) - sinSeries(&c3c, g.ss1, g.cs1))
	g.v = eta - F*sa0*i3

	// dλ12/dα1 = m12/(a cos α2 cos β2): a turn of δα1 moves point 2 sideways
	// by m12·δα1, which along the parallel of radius a·cos β2 is that much
	// longitude once divided by cos α2.
	g.lengths()
	g.dv = 0
	if g.ca2 > 0 {
		g.dv = (1 - F) * g.m12b / (g.ca2 * cb2)
	}
}

// sigmaCos returns the unnormalised cos σ of a point, cos α cos β, except on
// the equator heading due east or west, where σ is undefined (the path is the
// equator itself) and σ = 0 is chosen.
func sigmaCos(sb, cacb float64) float64 {
	if sb == 0 && cacb == 0 {
		return 1
	}
	return cacb
}

// startAzimuth returns a first estimate of α1 in (0, π) as (sin, cos).
func startAzimuth(sb1, cb1, sb2, cb2, lam12, slam, clam float64) (sa, ca float64) {
	// Nearly antipodal points: the spherical estimate is useless there
	// because on the ellipsoid a whole range of azimuths ends near the
	// antipode. Scaled by the size of that region, the problem reduces to the
	// astroid x²/(1+μ)² + y²/μ² = 1 (Karney 2013, sect. 5).
	x := (lam12 - math.Pi) / (F * math.Pi * cb1)
	var y float64
	if x > -3 {
		sbsum := sb1*cb2 + cb1*sb2 // sin(β1+β2) <= 0
		y = math.Asin(math.Max(-1, math.Min(1, sbsum))) / (F * math.Pi * cb1 * cb1)
	}
	if x > -3 && y > -3 {
		if y == 0 {
			if x >= -1 {
				sa, ca = -x, -math.Sqrt(pos(1-x*x))
			} else {
				sa, ca = 1, 0
			}
		} else {
			mu := astroid(x, y)
			sa, ca = -x/(1+mu), y/mu
		}
		if sa > 0 {
			return norm2(sa, ca)
		}
	}

	// Otherwise solve on the auxiliary sphere, with the longitude stretched
	// by 1/w at the mean latitude, which makes short lines nearly exact.
	cbm := (cb1 + cb2) / 2
	w := math.Sqrt(1 - ecc2*cbm*cbm)
	omg := lam12 / w
	if omg >= math.Pi {
		omg = lam12
	}
	so, co := math.Sincos(omg)
	sb12 := sb2*cb1 - cb2*sb1 // sin(β2 − β1)
	var omc float64           // 1 − cos ω without cancellation
	if co >= 0 {
		omc = so * so / (1 + co)
	} else {
		omc = 1 - co
	}
	sa, ca = norm2(cb2*so, sb12+sb1*cb2*omc)
	if !(sa > 0) {
		return 1, 0
	}
	return sa, ca
}

// astroid returns the positive root μ of x²/(1+μ)² + y²/μ² = 1 (y != 0).
// The left side is convex and decreasing in μ, so Newton's method started
// below the root climbs to it without overshooting.
func astroid(x, y float64) float64 {
	x2, y2 := x*x, y*y
	mu := math.Max(math.Abs(y), math.Abs(x)-1)
	for i := 0; i < 100; i++ {
		p, q := 1+mu, mu
		h := x2/(p*p) + y2/(q*q) - 1
		dh := -2*x2/(p*p*p) - 2*y2/(q*q*q)
		step := -h / dh
		if !(step > 0) {
			break
		}
		mu += step
		if step <= 1e-15*mu {
			break
		}
	}
	return mu
}

// Direct solves the direct problem: the point reached from (lat1, lon1) going
// s12 metres along azimuth azi1; azi2 is the forward azimuth there. Negative
// s12 goes backwards; lon2 is reduced to (-180, 180].
func Direct(lat1, lon1, azi1, s12 float64) (lat2, lon2, azi2 float64) {
	if !(math.Abs(lat1) <= 90) {
		nan := math.NaN()
		return nan, nan, nan
	}
	sb1, cb1 := reduced(lat1)
	sa1, ca1 := sincosd(azi1)
	sa0 := sa1 * cb1
	ca0 := math.Sqrt(ca1*ca1 + (sa1*sb1)*(sa1*sb1))

	ss1, cs1 := norm2(sb1, sigmaCos(sb1, ca1*cb1))
	sig1 := math.Atan2(ss1, cs1)

	k2 := secEcc2 * ca0 * ca0
	eps := k2 / (2*(1+math.Sqrt(1+k2)) + k2)
	A1 := a1(eps)
	var c1c [order + 1]float64
	c1(eps, &c1c)

	// Distance is b·A1·τ with τ = σ + Σ C1_l sin 2lσ; invert for σ2.
	tau2 := sig1 + sinSeries(&c1c, ss1, cs1) + s12/(semiMinor*A1)
	sig2 := tau2 - c1c[1]*math.Sin(2*tau2) // first-order inverse
	var ss2, cs2 float64
	for i := 0; i < 6; i++ {
		ss2, cs2 = math.Sincos(sig2)
		resid := sig2 + sinSeries(&c1c, ss2, cs2) - tau2
		// dτ/dσ = √(1 + k² sin²σ)/A1 exactly.
		step := resid * A1 / math.Sqrt(1+k2*ss2*ss2)
		sig2 -= step
		if math.Abs(step) <= 1e-16*(1+math.Abs(sig2)) {
			break
		}
	}
	ss2, cs2 = math.Sincos(sig2)

	sb2 := ca0 * ss2
	cb2 := math.Sqrt(sa0*sa0 + (ca0*cs2)*(ca0*cs2))

	// ω12 only matters modulo 2π, so the unit-vector difference suffices
	// even for lines that wrap around the globe.
	so1, co1 := sa0*ss1, cs1
	so2, co2 := sa0*ss2, cs2
	omg12 := math.Atan2(co1*so2-so1*co2, co1*co2+so1*so2)

	var c3c [order + 1]float64
	c3(eps, &c3c)
	i3 := a3(eps) * ((sig2 - sig1) + sinSeries(&c3c, ss2, cs2) - sinSeries(&c3c, ss1, cs1))
	lam12 := omg12 - F*sa0*i3

	lat2 = atan2d(sb2, (1-F)*cb2)
	lon2 = angNormalize(angNormalize(lon1) + lam12/degree)
	azi2 = atan2d(sa0, ca0*cs2)
	return lat2, lon2, azi2
}
