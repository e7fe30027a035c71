package delaunay

import (
	"math"
	"math/big"
)

// Geometric predicates.
//
// orient2d and incircle are evaluated in three stages:
//
//  1. a float64 evaluation with Shewchuk's static-relative error bound
//     ("Adaptive Precision Floating-Point Arithmetic and Fast Robust
//     Geometric Predicates", 1997, bounds ccwerrboundA and iccerrboundA);
//     if |det| exceeds the bound, its sign is certain;
//  2. otherwise an exact evaluation with floating-point expansions
//     (error-free TwoSum / TwoProduct, the latter via math.FMA), whose sign
//     is the sign of its most significant component;
//  3. when the input contains coordinates outside the "safe" range (see
//     safeCoord), where underflow or overflow could invalidate stages 1 and
//     2, every predicate is evaluated with math/big.Rat instead.
//
// Every product whose rounding matters is wrapped in an explicit float64
// conversion so that the compiler may not fuse it into an FMA (the Go spec
// allows fusion otherwise), which would invalidate the error analysis.

const (
	epsilon = 0x1p-53 // half an ulp of 1: the unit roundoff of float64
	// Shewchuk's error bound coefficients (stage A).
	ccwErrBoundA = (3 + 16*epsilon) * epsilon
	iccErrBoundA = (10 + 96*epsilon) * epsilon

	// Coordinates x with x == 0 or safeMin <= |x| <= safeMax keep every
	// intermediate value of the predicates (products of up to four
	// coordinate differences and their expansion components) inside the
	// normal float64 range: nonzero differences are >= 2^-202, so degree-4
	// terms are >= 2^-808, and all magnitudes stay below 2^970.
	safeMin = 0x1p-150
	safeMax = 0x1p240
)

// safeCoord reports whether x is in the range in which the filtered float64
// and expansion predicates are exact.
func safeCoord(x float64) bool {
	a := math.Abs(x)
	return a == 0 || (a >= safeMin && a <= safeMax)
}

// Predicates evaluates exact predicates for code outside this package (the
// crossing test of a line's edges). Its zero value is ready; it keeps
// scratch memory between calls, so one value must not be used
// concurrently.
type Predicates struct{ pr predicates }

// Orient returns +1 if a, b, c are in counter-clockwise order (c left of
// the directed line a→b), -1 if clockwise and 0 if collinear, exactly, for
// any finite coordinates: filtered float64 and expansions in the safe
// range, math/big beyond it.
func (p *Predicates) Orient(a, b, c Point) int {
	if !safeCoord(a.X) || !safeCoord(a.Y) || !safeCoord(b.X) || !safeCoord(b.Y) || !safeCoord(c.X) || !safeCoord(c.Y) {
		return orientRat(a, b, c)
	}
	return p.pr.orient(a, b, c)
}

// predicates evaluates robust predicates; it owns the scratch memory used by
// the exact stage, so one value must not be used concurrently.
type predicates struct {
	exactOnly bool      // inputs outside the safe range: use big.Rat only
	arena     []float64 // scratch for expansions
	off       int
}

// orient returns +1 if a, b, c are in counter-clockwise order, -1 if
// clockwise and 0 if collinear (exactly).
func (pr *predicates) orient(a, b, c Point) int {
	if pr.exactOnly {
		return orientRat(a, b, c)
	}
	detleft := float64((a.X - c.X) * (b.Y - c.Y))
	detright := float64((a.Y - c.Y) * (b.X - c.X))
	det := detleft - detright
	var detsum float64
	switch {
	case detleft > 0:
		if detright <= 0 {
			return sign(det)
		}
		detsum = detleft + detright
	case detleft < 0:
		if detright >= 0 {
			return sign(det)
		}
		detsum = -detleft - detright
	default:
		// detleft is exactly zero (no underflow in the safe range), so
		// det = -detright has the exact sign.
		return sign(det)
	}
	errbound := ccwErrBoundA * detsum
	if det > errbound || -det > errbound {
		return sign(det)
	}
	return pr.orientExact(a, b, c)
}

// incircle returns +1 if d lies strictly inside the circle through a, b, c
// (which must be counter-clockwise), -1 if strictly outside and 0 if the
// four points are cocircular (exactly).
func (pr *predicates) incircle(a, b, c, d Point) int {
	if pr.exactOnly {
		return incircleRat(a, b, c, d)
	}
	adx := a.X - d.X
	bdx := b.X - d.X
	cdx := c.X - d.X
	ady := a.Y - d.Y
	bdy := b.Y - d.Y
	cdy := c.Y - d.Y

	bdxcdy := float64(bdx * cdy)
	cdxbdy := float64(cdx * bdy)
	alift := float64(adx*adx) + float64(ady*ady)

	cdxady := float64(cdx * ady)
	adxcdy := float64(adx * cdy)
	blift := float64(bdx*bdx) + float64(bdy*bdy)

	adxbdy := float64(adx * bdy)
	bdxady := float64(bdx * ady)
	clift := float64(cdx*cdx) + float64(cdy*cdy)

	det := float64(alift*(bdxcdy-cdxbdy)) +
		float64(blift*(cdxady-adxcdy)) +
		float64(clift*(adxbdy-bdxady))
	permanent := float64((math.Abs(bdxcdy)+math.Abs(cdxbdy))*alift) +
		float64((math.Abs(cdxady)+math.Abs(adxcdy))*blift) +
		float64((math.Abs(adxbdy)+math.Abs(bdxady))*clift)
	errbound := iccErrBoundA * permanent
	if det > errbound || -det > errbound {
		return sign(det)
	}
	return pr.incircleExact(a, b, c, d)
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// ---- exact stage: floating-point expansions ----
//
// An expansion is a slice of float64 components, nonoverlapping, sorted by
// increasing magnitude, without zero components except that the value zero
// is represented as [0]. Its sign is the sign of its last component.

// alloc returns an empty slice with capacity n from the scratch arena.
func (pr *predicates) alloc(n int) []float64 {
	if pr.off+n > len(pr.arena) {
		// Only reached if the size estimates below are wrong; stay correct
		// by allocating.
		return make([]float64, 0, n)
	}
	s := pr.arena[pr.off : pr.off : pr.off+n]
	pr.off += n
	return s
}

// reset prepares the arena for one exact evaluation.
func (pr *predicates) reset() {
	if pr.arena == nil {
		pr.arena = make([]float64, 8192)
	}
	pr.off = 0
}

func twoSum(a, b float64) (x, y float64) {
	x = a + b
	bv := x - a
	av := x - bv
	y = (a - av) + (b - bv)
	return
}

func fastTwoSum(a, b float64) (x, y float64) { // requires |a| >= |b| or a == 0
	x = a + b
	y = b - (x - a)
	return
}

func twoDiff(a, b float64) (x, y float64) {
	x = a - b
	bv := a - x
	av := x + bv
	y = (a - av) + (bv - b)
	return
}

func twoProd(a, b float64) (x, y float64) {
	x = float64(a * b)
	y = math.FMA(a, b, -x)
	return
}

// diffExp returns a-b as an expansion.
func (pr *predicates) diffExp(a, b float64) []float64 {
	x, y := twoDiff(a, b)
	h := pr.alloc(2)
	if y != 0 {
		h = append(h, y)
	}
	return append(h, x)
}

// sumExp returns e+f (Shewchuk's FAST-EXPANSION-SUM with zero elimination;
// the first FastTwoSum is replaced by an equivalent TwoSum).
func sumExp(e, f, h []float64) []float64 {
	h = h[:0]
	i, j := 0, 0
	var q float64
	if j >= len(f) || (i < len(e) && math.Abs(e[i]) <= math.Abs(f[j])) {
		q = e[i]
		i++
	} else {
		q = f[j]
		j++
	}
	for i < len(e) || j < len(f) {
		var g float64
		if j >= len(f) || (i < len(e) && math.Abs(e[i]) <= math.Abs(f[j])) {
			g = e[i]
			i++
		} else {
			g = f[j]
			j++
		}
		var hh float64
		q, hh = twoSum(q, g)
		if hh != 0 {
			h = append(h, hh)
		}
	}
	if q != 0 || len(h) == 0 {
		h = append(h, q)
	}
	return h
}

// scaleExp returns e*b (Shewchuk's SCALE-EXPANSION with zero elimination).
func scaleExp(e []float64, b float64, h []float64) []float64 {
	h = h[:0]
	q, hh := twoProd(e[0], b)
	if hh != 0 {
		h = append(h, hh)
	}
	for _, en := range e[1:] {
		p1, p0 := twoProd(en, b)
		var sum float64
		sum, hh = twoSum(q, p0)
		if hh != 0 {
			h = append(h, hh)
		}
		q, hh = fastTwoSum(p1, sum)
		if hh != 0 {
			h = append(h, hh)
		}
	}
	if q != 0 || len(h) == 0 {
		h = append(h, q)
	}
	return h
}

func (pr *predicates) add(e, f []float64) []float64 {
	return sumExp(e, f, pr.alloc(len(e)+len(f)))
}

// sub returns e-f; f is negated in place (it must be a temporary).
func (pr *predicates) sub(e, f []float64) []float64 {
	for i := range f {
		f[i] = -f[i]
	}
	return sumExp(e, f, pr.alloc(len(e)+len(f)))
}

// mul returns e*f.
func (pr *predicates) mul(e, f []float64) []float64 {
	if len(f) > len(e) {
		e, f = f, e
	}
	if len(f) == 1 {
		return scaleExp(e, f[0], pr.alloc(2*len(e)))
	}
	n := 2 * len(e) * len(f)
	acc := scaleExp(e, f[0], pr.alloc(n))
	other := pr.alloc(n)
	tmp := pr.alloc(2 * len(e))
	for _, fi := range f[1:] {
		s := scaleExp(e, fi, tmp)
		next := sumExp(acc, s, other)
		other = acc
		acc = next
	}
	return acc
}

func expSign(e []float64) int {
	return sign(e[len(e)-1])
}

func (pr *predicates) orientExact(a, b, c Point) int {
	pr.reset()
	acx := pr.diffExp(a.X, c.X)
	bcy := pr.diffExp(b.Y, c.Y)
	acy := pr.diffExp(a.Y, c.Y)
	bcx := pr.diffExp(b.X, c.X)
	return expSign(pr.sub(pr.mul(acx, bcy), pr.mul(acy, bcx)))
}

func (pr *predicates) incircleExact(a, b, c, d Point) int {
	pr.reset()
	adx := pr.diffExp(a.X, d.X)
	ady := pr.diffExp(a.Y, d.Y)
	bdx := pr.diffExp(b.X, d.X)
	bdy := pr.diffExp(b.Y, d.Y)
	cdx := pr.diffExp(c.X, d.X)
	cdy := pr.diffExp(c.Y, d.Y)

	bc := pr.sub(pr.mul(bdx, cdy), pr.mul(cdx, bdy))
	ca := pr.sub(pr.mul(cdx, ady), pr.mul(adx, cdy))
	ab := pr.sub(pr.mul(adx, bdy), pr.mul(bdx, ady))
	alift := pr.add(pr.mul(adx, adx), pr.mul(ady, ady))
	blift := pr.add(pr.mul(bdx, bdx), pr.mul(bdy, bdy))
	clift := pr.add(pr.mul(cdx, cdx), pr.mul(cdy, cdy))

	det := pr.add(pr.add(pr.mul(alift, bc), pr.mul(blift, ca)), pr.mul(clift, ab))
	return expSign(det)
}

// ---- big.Rat fallback for inputs outside the safe range ----

func rat(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }

func ratSub(a, b float64) *big.Rat { return new(big.Rat).Sub(rat(a), rat(b)) }

func ratMul(a, b *big.Rat) *big.Rat { return new(big.Rat).Mul(a, b) }

func orientRat(a, b, c Point) int {
	l := ratMul(ratSub(a.X, c.X), ratSub(b.Y, c.Y))
	r := ratMul(ratSub(a.Y, c.Y), ratSub(b.X, c.X))
	return l.Cmp(r)
}

func incircleRat(a, b, c, d Point) int {
	adx, ady := ratSub(a.X, d.X), ratSub(a.Y, d.Y)
	bdx, bdy := ratSub(b.X, d.X), ratSub(b.Y, d.Y)
	cdx, cdy := ratSub(c.X, d.X), ratSub(c.Y, d.Y)
	lift := func(x, y *big.Rat) *big.Rat { return new(big.Rat).Add(ratMul(x, x), ratMul(y, y)) }
	cross := func(x1, y1, x2, y2 *big.Rat) *big.Rat {
		return new(big.Rat).Sub(ratMul(x1, y2), ratMul(x2, y1))
	}
	det := ratMul(lift(adx, ady), cross(bdx, bdy, cdx, cdy))
	det.Add(det, ratMul(lift(bdx, bdy), cross(cdx, cdy, adx, ady)))
	det.Add(det, ratMul(lift(cdx, cdy), cross(adx, ady, bdx, bdy)))
	return det.Sign()
}

// ---- circumcenter ----

// circumcenter returns the centre of the circle through a, b, c. It uses
// float64 when the triangle is well-conditioned and exact rational
// arithmetic (rounded once to float64) otherwise, so the result is finite
// for every triangle of non-zero area unless the true centre lies beyond
// the float64 range.
func circumcenter(a, b, c Point) Point {
	dx := b.X - a.X
	dy := b.Y - a.Y
	ex := c.X - a.X
	ey := c.Y - a.Y
	l := float64(dx * ey)
	r := float64(dy * ex)
	d := l - r
	if math.Abs(d) > 1e-6*(math.Abs(l)+math.Abs(r)) {
		bl := float64(dx*dx) + float64(dy*dy)
		cl := float64(ex*ex) + float64(ey*ey)
		f := 0.5 / d
		x := a.X + float64((float64(ey*bl)-float64(dy*cl))*f)
		y := a.Y + float64((float64(dx*cl)-float64(ex*bl))*f)
		if !math.IsInf(x, 0) && !math.IsNaN(x) && !math.IsInf(y, 0) && !math.IsNaN(y) {
			return Point{x, y}
		}
	}
	return circumcenterRat(a, b, c)
}

func circumcenterRat(a, b, c Point) Point {
	dx, dy := ratSub(b.X, a.X), ratSub(b.Y, a.Y)
	ex, ey := ratSub(c.X, a.X), ratSub(c.Y, a.Y)
	d := new(big.Rat).Sub(ratMul(dx, ey), ratMul(dy, ex))
	if d.Sign() == 0 {
		return Point{math.Inf(1), math.Inf(1)}
	}
	d.Add(d, d)
	bl := new(big.Rat).Add(ratMul(dx, dx), ratMul(dy, dy))
	cl := new(big.Rat).Add(ratMul(ex, ex), ratMul(ey, ey))
	x := new(big.Rat).Sub(ratMul(ey, bl), ratMul(dy, cl))
	x.Quo(x, d)
	x.Add(x, rat(a.X))
	y := new(big.Rat).Sub(ratMul(dx, cl), ratMul(ex, bl))
	y.Quo(y, d)
	y.Add(y, rat(a.Y))
	fx, _ := x.Float64()
	fy, _ := y.Float64()
	return Point{fx, fy}
}
