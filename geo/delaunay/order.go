package delaunay

import "math"

// insertionOrder returns the input indexes in the order in which they are
// inserted: a Biased Randomized Insertion Order (Amenta, Choi and Rote,
// 2003). The points are shuffled (with a fixed seed, so results are
// reproducible) and split into rounds of doubling size; the randomization
// bounds the expected number of flips by O(n) whatever the input order.
// (Inserting points in their order along a curve does not: along two long
// straight segments meeting at an angle it costs Θ(n²) flips.)
//
// Within a round the points are sorted so that consecutive insertions are
// close to each other and point location, which walks from the previous
// insertion, is cheap: either in input order, when the input is a
// spatially coherent sequence such as samples along a polyline, or else
// along a Hilbert curve. The one with the shorter total path is used.
// Consecutive rounds run in opposite directions.
//
// The order is written to out; scratch must hold 2*len(pts) values.
func insertionOrder(pts []Point, out, scratch []int32) {
	n := len(pts)
	// Shuffle (Fisher-Yates with splitmix64).
	perm, byIndex := scratch[:n], scratch[n:2*n]
	for i := range perm {
		perm[i] = int32(i)
	}
	state := uint64(0x2545f4914f6cdd1d) ^ uint64(n)
	for i := n - 1; i > 0; i-- {
		state += 0x9e3779b97f4a7c15
		z := state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		j := int(z % uint64(i+1))
		perm[i], perm[j] = perm[j], perm[i]
	}
	// Rounds: perm[:m], ..., perm[n/4:n/2], perm[n/2:] with m <= 64,
	// numbered from the last one (0) backwards.
	bounds := make([]int, 0, 40) // start of round r (r = 0 is the last round)
	for end := n; ; {
		start := end / 2
		if end <= 64 {
			start = 0
		}
		bounds = append(bounds, start)
		if start == 0 {
			break
		}
		end = start
	}
	round := make([]uint8, n)
	end := n
	for r, start := range bounds {
		for _, i := range perm[start:end] {
			round[i] = uint8(r)
		}
		end = start
	}

	// Hilbert keys: (round, direction-adjusted Hilbert index, input index).
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX = min(minX, p.X)
		minY = min(minY, p.Y)
		maxX = max(maxX, p.X)
		maxY = max(maxY, p.Y)
	}
	span := max(maxX-minX, maxY-minY)
	scale := 0.0
	if span > 0 && !math.IsInf(span, 0) {
		scale = (hilbertSize - 1) / span
	}
	keys := make([]uint64, 2*n) // keys and radix sort scratch
	keys, tmp := keys[:n:n], keys[n:]
	nr := len(bounds)
	for i, p := range pts {
		var h uint32
		if scale != 0 {
			h = hilbert(quantize((p.X-minX)*scale), quantize((p.Y-minY)*scale))
		}
		r := round[i]
		if r%2 == 1 {
			h = hilbertSize*hilbertSize - 1 - h
		}
		// Earlier rounds (higher r) first.
		keys[i] = uint64(nr-1-int(r))<<(2*hilbertBits+31) | uint64(h)<<31 | uint64(i)
	}
	radixSort(keys, tmp, 2*hilbertBits+31+bitsFor(nr))
	hil := perm // reuse
	for k, key := range keys {
		hil[k] = int32(key & (1<<31 - 1))
	}

	// Input order within rounds, by counting sort.
	pos := make([]int, nr)
	p0 := 0
	for r := nr - 1; r >= 0; r-- {
		pos[r] = p0
		size := n - bounds[r]
		if r > 0 {
			size = bounds[r-1] - bounds[r]
		}
		p0 += size
	}
	for i := range n {
		r := round[i]
		if r%2 == 1 {
			continue
		}
		byIndex[pos[r]] = int32(i)
		pos[r]++
	}
	for i := n - 1; i >= 0; i-- {
		r := round[i]
		if r%2 == 0 {
			continue
		}
		byIndex[pos[r]] = int32(i)
		pos[r]++
	}
	if pathLength(pts, byIndex) < pathLength(pts, hil) {
		copy(out, byIndex)
	} else {
		copy(out, hil)
	}
}

func pathLength(pts []Point, order []int32) float64 {
	var l float64
	for k := 1; k < len(order); k++ {
		a, b := pts[order[k-1]], pts[order[k]]
		dx, dy := a.X-b.X, a.Y-b.Y
		l += math.Sqrt(dx*dx + dy*dy)
	}
	return l
}

func bitsFor(n int) int {
	b := 0
	for 1<<b < n {
		b++
	}
	return b
}

// radixSort sorts keys by their low `bits` bits (LSD radix sort, 11-bit
// digits); tmp is scratch of the same length.
func radixSort(keys, tmp []uint64, bits int) {
	const digit = 11
	var count [1 << digit]int
	for shift := 0; shift < bits; shift += digit {
		count = [1 << digit]int{}
		for _, k := range keys {
			count[(k>>shift)&(1<<digit-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, k := range keys {
			d := (k >> shift) & (1<<digit - 1)
			tmp[count[d]] = k
			count[d]++
		}
		keys, tmp = tmp, keys
	}
	if (bits+digit-1)/digit%2 == 1 {
		copy(tmp, keys) // the result is in the scratch buffer: copy back
	}
}

const (
	hilbertBits = 14
	hilbertSize = 1 << hilbertBits
)

func quantize(x float64) uint32 {
	if !(x > 0) {
		return 0
	}
	if x >= hilbertSize-1 {
		return hilbertSize - 1
	}
	return uint32(x)
}

// hilbert returns the index of cell (x, y), 0 <= x, y < hilbertSize, along
// a Hilbert curve filling the grid.
func hilbert(x, y uint32) uint32 {
	const n = hilbertSize
	var d uint32
	for s := uint32(n / 2); s > 0; s /= 2 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		if ry == 0 {
			if rx == 1 {
				x = n - 1 - x
				y = n - 1 - y
			}
			x, y = y, x
		}
	}
	return d
}
