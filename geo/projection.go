package geo

import (
	"math"

	"github.com/paulmach/orb"

	"frontline/geo/geodesic"
)

// Projection is a conformal map of the WGS84 ellipsoid onto a plane,
// centred on the area of interest: the ellipsoid is first mapped
// conformally onto a sphere (by conformal latitude), then the sphere
// stereographically onto the plane tangent at the centre.
//
// Conformality is what makes a single projection good enough for a front
// line a thousand kilometres long: at every point, lengths in every
// direction are scaled by the same factor k, which is known exactly
// (Scale). The engine divides planar lengths by k and planar areas by k²
// where it needs true ones, so the only error left comes from k varying
// across a single small feature (a few parts in 10⁵ over 30 km at
// 700 km from the centre), far inside the tolerances of the
// specification.
type Projection struct {
	lon0, chi0       float64 // centre (radians; chi0 is the conformal latitude)
	sinChi0, cosChi0 float64
	r                float64 // radius of the conformal sphere (m)
}

var (
	wgsE2 = geodesic.F * (2 - geodesic.F)
	wgsE  = math.Sqrt(wgsE2)
)

// NewProjection returns the projection centred at c (lon, lat in degrees).
// The sphere's radius is chosen so that the scale is 1 at the centre.
func NewProjection(c orb.Point) *Projection {
	phi0 := c[1] * math.Pi / 180
	chi0 := conformalLat(phi0)
	s := math.Sin(phi0)
	n0 := geodesic.A / math.Sqrt(1-wgsE2*s*s)
	return &Projection{
		lon0:    c[0] * math.Pi / 180,
		chi0:    chi0,
		sinChi0: math.Sin(chi0),
		cosChi0: math.Cos(chi0),
		r:       n0 * math.Cos(phi0) / math.Cos(chi0),
	}
}

// conformalLat maps geodetic latitude phi to conformal latitude (radians).
func conformalLat(phi float64) float64 {
	es := wgsE * math.Sin(phi)
	return 2*math.Atan(math.Tan(math.Pi/4+phi/2)*math.Pow((1-es)/(1+es), wgsE/2)) - math.Pi/2
}

// geodeticLat inverts conformalLat by fixed-point iteration, which
// converges to full precision in a handful of steps because e is small.
func geodeticLat(chi float64) float64 {
	t := math.Tan(math.Pi/4 + chi/2)
	phi := chi
	for i := 0; i < 12; i++ {
		es := wgsE * math.Sin(phi)
		next := 2*math.Atan(t*math.Pow((1+es)/(1-es), wgsE/2)) - math.Pi/2
		if math.Abs(next-phi) < 1e-14 {
			return next
		}
		phi = next
	}
	return phi
}

// Forward projects a lon/lat point (degrees) to plane coordinates in metres
// (x east, y north at the centre).
func (p *Projection) Forward(q orb.Point) Vec {
	chi := conformalLat(q[1] * math.Pi / 180)
	dl := q[0]*math.Pi/180 - p.lon0
	sinChi, cosChi := math.Sincos(chi)
	sinDl, cosDl := math.Sincos(dl)
	k := 2 / (1 + p.sinChi0*sinChi + p.cosChi0*cosChi*cosDl)
	return Vec{
		X: p.r * k * cosChi * sinDl,
		Y: p.r * k * (p.cosChi0*sinChi - p.sinChi0*cosChi*cosDl),
	}
}

// Inverse maps plane coordinates back to lon/lat (degrees). Longitudes are
// kept within 180° of the centre so that output stays continuous.
func (p *Projection) Inverse(v Vec) orb.Point {
	rho := math.Hypot(v.X, v.Y)
	if rho == 0 {
		return orb.Point{p.lon0 * 180 / math.Pi, geodeticLat(p.chi0) * 180 / math.Pi}
	}
	c := 2 * math.Atan(rho/(2*p.r))
	sinC, cosC := math.Sincos(c)
	chi := math.Asin(cosC*p.sinChi0 + v.Y*sinC*p.cosChi0/rho)
	dl := math.Atan2(v.X*sinC, rho*p.cosChi0*cosC-v.Y*p.sinChi0*sinC)
	return orb.Point{(p.lon0 + dl) * 180 / math.Pi, geodeticLat(chi) * 180 / math.Pi}
}

// Scale returns the point scale factor k at a lon/lat point: a short
// length ds on the ellipsoid there becomes k·ds on the plane.
func (p *Projection) Scale(q orb.Point) float64 {
	phi := q[1] * math.Pi / 180
	chi := conformalLat(phi)
	dl := q[0]*math.Pi/180 - p.lon0
	s := math.Sin(phi)
	n := geodesic.A / math.Sqrt(1-wgsE2*s*s)
	sinChi, cosChi := math.Sincos(chi)
	cosC := p.sinChi0*sinChi + p.cosChi0*cosChi*math.Cos(dl)
	return p.r * cosChi / (n * math.Cos(phi)) * 2 / (1 + cosC)
}
