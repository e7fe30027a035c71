package bruteforce

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"frontline/geo/geodesic"
)

// Disk is an air-defense unit at Center = {lon, lat} with range RadiusKm.
type Disk struct {
	Center   [2]float64
	RadiusKm float64
}

// Patrol is a patrol route (geodesic edges) or, if len(Route) == 1, a post,
// watching the line points within ObserveKm of it.
type Patrol struct {
	Route     [][2]float64
	ObserveKm float64
}

// ZoneStats are the areas (km²) of one sector's zone: the whole zone, the
// part covered by at least one air-defense disk and the part covered by at
// least two.
type ZoneStats struct {
	AreaKm2, ADCoveredKm2, ADLayeredKm2 float64
}

// SectorOf returns the index k of the sector [bounds[k], bounds[k+1]) that
// holds alongKm; the last sector includes its end. Positions before the
// first bound go to sector 0 and after the last to the last sector. It
// returns -1 if bounds has fewer than two entries.
func SectorOf(bounds []float64, alongKm float64) int {
	n := len(bounds) - 1
	if n < 1 {
		return -1
	}
	k := sort.Search(len(bounds), func(i int) bool { return bounds[i] > alongKm }) - 1
	return min(max(k, 0), n-1)
}

// workers is the number of goroutines used by Zones and PatrolCovered.
func workers() int { return max(1, runtime.GOMAXPROCS(0)) }

// parallel runs f(w, i) for i in [0, n) on workers goroutines; w is the
// worker's index, so f can use per-worker scratch space.
func parallel(n, nw int, f func(w, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range nw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(w, i)
			}
		}()
	}
	wg.Wait()
}

// Zones integrates the band over a lon/lat grid covering the band's
// bounding box and returns the stats of each sector [bounds[k],
// bounds[k+1]) (len(bounds)-1 entries).
//
// The band is the set of points within geodesic distance depthKm of the
// line, on side "both", "left" or "right", not beyond a flat end. Grid
// cells are about cellKm on a side (cellKm north-south, cellKm east-west at
// the middle latitude of the box); each cell weighs its exact ellipsoidal
// area (geodesic.QuadArea) and is classified by one point drawn at random
// (reproducibly) within it: in which sector's zone it is, and by how many
// disks of ad it is covered (geodesic distance to the point <= RadiusKm).
//
// bounds are expected to run from 0 to LengthKm; zone points before
// bounds[0] or past the last bound count in the first or last sector (see
// SectorOf). Rows are processed in parallel; sums are made in row order, so
// the result is deterministic.
func (l *Line) Zones(bounds []float64, depthKm float64, side string, ad []Disk, cellKm float64) []ZoneStats {
	l.init()
	if side != "both" && side != "left" && side != "right" {
		panic(fmt.Sprintf("bruteforce: side %q, want both, left or right", side))
	}
	if len(bounds) < 2 || !(cellKm > 0) || !(depthKm >= 0) {
		panic("bruteforce: Zones needs >= 2 bounds, cellKm > 0 and depthKm >= 0")
	}
	nSec := len(bounds) - 1

	// Bounding box of the band. A band point X is within depthKm of a line
	// point, which is within halfSmax of a vertex v: d(X, v) < D. Then X's
	// latitude is within D/kmPerDegLatMin of v's, and its longitude within
	// D/c where c bounds a degree of longitude on any path of length < D
	// from v (see lowerBoundKm).
	D := depthKm + l.halfSmax + 1e-6
	dLat := D / kmPerDegLatMin
	latMin := math.Max(-90, l.bbox.minLat-dLat)
	latMax := math.Min(90, l.bbox.maxLat+dLat)
	reach := math.Max(math.Abs(l.bbox.minLat), math.Abs(l.bbox.maxLat)) + dLat
	if reach >= 89 {
		panic("bruteforce: Zones does not support bands near a pole")
	}
	dLon := D / (kmPerDegLonEqMin * math.Cos(reach*deg))
	lonMin, lonMax := l.bbox.minLon-dLon, l.bbox.maxLon+dLon
	if lonMin < -180 || lonMax > 180 {
		panic("bruteforce: Zones does not support bands across the antimeridian")
	}

	// Grid: about cellKm per cell, fitted exactly to the box.
	nRows := int(math.Ceil((latMax - latMin) / (cellKm / 111.2)))
	midLat := (latMin + latMax) / 2
	nCols := int(math.Ceil((lonMax - lonMin) / (cellKm / (111.32 * math.Cos(midLat*deg)))))
	nRows, nCols = max(nRows, 1), max(nCols, 1)
	cellLat := (latMax - latMin) / float64(nRows)
	cellLon := (lonMax - lonMin) / float64(nCols)

	limit := depthKm + 1e-9 // search slightly past depth; test <= depth below
	nw := workers()
	searchers := make([]*searcher, nw)
	for w := range searchers {
		searchers[w] = newSearcher(l)
	}
	rows := make([][]ZoneStats, nRows)
	parallel(nRows, nw, func(w, r int) {
		s := searchers[w]
		stats := make([]ZoneStats, nSec)
		lat0 := latMin + float64(r)*cellLat
		lat1 := latMin + float64(r+1)*cellLat
		if r == nRows-1 {
			lat1 = latMax
		}
		// Every cell of the row has the same area.
		area := math.Abs(geodesic.QuadArea(lonMin, lat0, lonMin+cellLon, lat1)) / 1e6
		// Candidates for the whole row: a point of the row is within the
		// row's height (at most 112 km a degree) of its middle latitude.
		cands := l.rowCands((lat0+lat1)/2, limit+(lat1-lat0)*112, s.rowCands[:0])
		s.rowCands = cands
		for c := range nCols {
			// Each cell is judged at a point placed at random within it
			// (reproducibly), not at its centre: edges that run along the
			// grid, as a line along a meridian does, would otherwise be
			// off by half a cell all along their length.
			u, v := jitter(r, c)
			p := [2]float64{lonMin + (float64(c)+u)*cellLon, lat0 + v*(lat1-lat0)}
			h, ok := s.nearest(p, limit, cands)
			if !ok || h.dist > depthKm {
				continue
			}
			left, beyond := l.classify(h)
			if beyond || (side == "left" && !left) || (side == "right" && left) {
				continue
			}
			k := SectorOf(bounds, h.along)
			stats[k].AreaKm2 += area
			switch n := coverCount(p, ad, 2); {
			case n >= 2:
				stats[k].ADLayeredKm2 += area
				fallthrough
			case n == 1:
				stats[k].ADCoveredKm2 += area
			}
		}
		rows[r] = stats
	})
	out := make([]ZoneStats, nSec)
	for _, stats := range rows {
		for k, st := range stats {
			out[k].AreaKm2 += st.AreaKm2
			out[k].ADCoveredKm2 += st.ADCoveredKm2
			out[k].ADLayeredKm2 += st.ADLayeredKm2
		}
	}
	return out
}

// rowCands appends to buf the chunks that may hold a point closer than
// limit to some point at latitude lat, by the latitude-only bound (valid
// for any distance): d >= kmPerDegLatMin·Δφ.
func (l *Line) rowCands(lat, limit float64, buf []int32) []int32 {
	for ci := range l.chunks {
		ch := &l.chunks[ci]
		if lowerBoundKm(0, lat, ch.box, 0)-ch.halfSmax < limit { // c = 0: latitude only
			buf = append(buf, int32(ci))
		}
	}
	return buf
}

// coverCount counts the disks whose centre is within RadiusKm (geodesic) of
// p, stopping at upTo.
func coverCount(p [2]float64, ad []Disk, upTo int) int {
	n := 0
	for _, d := range ad {
		lim := d.RadiusKm + 1e-9
		if lowerBoundKm(p[0], p[1], pointBox(d.Center), lonScale(p[1], lim)) >= lim {
			continue // distance >= lim > RadiusKm
		}
		if km, _, _ := inverse(p, d.Center); km <= d.RadiusKm {
			n++
			if n >= upTo {
				break
			}
		}
	}
	return n
}

// jitter returns two reproducible pseudo-random fractions in [0, 1) for a
// grid cell (a SplitMix64 hash of its row and column).
func jitter(r, c int) (float64, float64) {
	x := uint64(r)<<32 ^ uint64(c)
	next := func() float64 {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		return float64(z>>11) / (1 << 53)
	}
	return next(), next()
}
