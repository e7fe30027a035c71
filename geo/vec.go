package geo

import "math"

// Vec is a point or vector in the engine's plane (metres).
type Vec struct{ X, Y float64 }

func (a Vec) Add(b Vec) Vec       { return Vec{a.X + b.X, a.Y + b.Y} }
func (a Vec) Sub(b Vec) Vec       { return Vec{a.X - b.X, a.Y - b.Y} }
func (a Vec) Scale(s float64) Vec { return Vec{a.X * s, a.Y * s} }
func (a Vec) Dot(b Vec) float64   { return a.X*b.X + a.Y*b.Y }
func (a Vec) Cross(b Vec) float64 { return a.X*b.Y - a.Y*b.X }
func (a Vec) Len() float64        { return math.Hypot(a.X, a.Y) }
func (a Vec) Angle() float64      { return math.Atan2(a.Y, a.X) }
func (a Vec) Lerp(b Vec, t float64) Vec {
	return Vec{a.X + t*(b.X-a.X), a.Y + t*(b.Y-a.Y)}
}

// Unit returns a scaled to length 1 (the zero vector stays zero).
func (a Vec) Unit() Vec {
	l := a.Len()
	if l == 0 {
		return a
	}
	return Vec{a.X / l, a.Y / l}
}

// Perp returns a rotated a quarter turn counter-clockwise: the left normal.
func (a Vec) Perp() Vec { return Vec{-a.Y, a.X} }

func dir(theta float64) Vec {
	s, c := math.Sincos(theta)
	return Vec{c, s}
}

// ccwFrom returns the counter-clockwise angle from a to b in [0, 2π).
func ccwFrom(a, b float64) float64 {
	d := math.Mod(b-a, 2*math.Pi)
	if d < 0 {
		d += 2 * math.Pi
	}
	return d
}

// segmentDist2 returns the squared distance from p to segment ab and the
// parameter t in [0, 1] of the nearest point.
func segmentDist2(p, a, b Vec) (float64, float64) {
	ab := b.Sub(a)
	l2 := ab.Dot(ab)
	t := 0.0
	if l2 > 0 {
		t = p.Sub(a).Dot(ab) / l2
		if t < 0 {
			t = 0
		} else if t > 1 {
			t = 1
		}
	}
	d := p.Sub(a.Lerp(b, t))
	return d.Dot(d), t
}

// ringArea returns the signed area of a closed ring given without its
// closing point (positive when counter-clockwise).
func ringArea(pts []Vec) float64 {
	var s float64
	n := len(pts)
	for i := range pts {
		j := i + 1
		if j == n {
			j = 0
		}
		s += pts[i].Cross(pts[j])
	}
	return s / 2
}
