package geodesic

// Distance returns the geodesic distance in metres between two
// [2]float64{lon, lat} points (GeoJSON order). It never panics; should the
// inverse search not converge it returns the best estimate.
func Distance(p, q [2]float64) float64 {
	s12, _, _, _, _, _ := inverse(p[1], p[0], q[1], q[0])
	return s12
}

// Interpolate returns the point at fraction f of the geodesic from p to q
// (points as [2]float64{lon, lat}). f = 0 and f = 1 return p and q exactly;
// values outside [0, 1] extrapolate along the same geodesic.
func Interpolate(p, q [2]float64, f float64) [2]float64 {
	switch f {
	case 0:
		return p
	case 1:
		return q
	}
	s12, azi1, _, _ := Inverse(p[1], p[0], q[1], q[0])
	if s12 == 0 {
		return p
	}
	lat, lon, _ := Direct(p[1], p[0], azi1, f*s12)
	return [2]float64{lon, lat}
}

// Length returns the geodesic length in metres of a polyline of
// [2]float64{lon, lat} points.
func Length(pts [][2]float64) float64 {
	var sum, comp float64
	for i := 1; i < len(pts); i++ {
		// Kahan summation: a front line has thousands of short edges.
		y := Distance(pts[i-1], pts[i]) - comp
		t := sum + y
		comp = (t - sum) - y
		sum = t
	}
	return sum
}
