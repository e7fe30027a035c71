package geo

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// bedge is a directed edge of a zone's boundary, between point ids.
type bedge struct {
	zone     int32
	from, to int32
}

// boundary returns the edges of every zone's boundary: each cell region's
// edges, less the canonical pieces that the cell on the other side also
// keeps for the same zone (those are inside the zone).
func (z *Zones) boundary() []bedge {
	out := make([]bedge, 0, len(z.ring)/4)
	for _, c := range z.cells {
		n := c.r1 - c.r0
		for i := int32(0); i < n; i++ {
			from, to := z.ring[c.r0+i], z.ring[c.r0+(i+1)%n]
			if sub := z.tag[c.r0+i]; sub >= 0 && z.sharedWithin(sub, c.sample, c.zone) {
				continue
			}
			out = append(out, bedge{c.zone, from, to})
		}
	}
	return out
}

// sharedWithin reports whether the other cell along canonical piece sub
// keeps it too and belongs to the same zone.
func (z *Zones) sharedWithin(sub int32, sample, zone int32) bool {
	// Find the Voronoi edge the piece belongs to: pieces are stored in
	// edge order, so search by sub0.
	i := sort.Search(len(z.vedges), func(i int) bool { return z.vedges[i].sub0 > sub }) - 1
	ve := z.vedges[i]
	se := z.subs[sub]
	other, kept := ve.q, se.keptQ
	if ve.q == sample {
		other, kept = ve.p, se.keptP
	}
	return kept && int(other) < len(z.samples) && z.samples[other].sector == zone
}

// rings chains boundary edges into closed rings per zone. Where a zone
// touches itself at a point, the ring turning most to the left is taken,
// which keeps touching rings apart.
func (z *Zones) rings(edges []bedge) [][][][]Vec {
	sort.SliceStable(edges, func(i, j int) bool { return edges[i].zone < edges[j].zone })
	out := make([][][][]Vec, len(z.sectors))
	head := make([]int32, len(z.pts))
	for i := range head {
		head[i] = -1
	}
	next := make([]int32, len(edges))
	used := make([]bool, len(edges))
	for lo := 0; lo < len(edges); {
		hi := lo
		for hi < len(edges) && edges[hi].zone == edges[lo].zone {
			hi++
		}
		for e := hi - 1; e >= lo; e-- {
			next[e] = head[edges[e].from]
			head[edges[e].from] = int32(e)
		}
		var rings [][]Vec
		for e0 := lo; e0 < hi; e0++ {
			if used[e0] {
				continue
			}
			ring := []Vec{z.pts[edges[e0].from]}
			used[e0] = true
			cur, start, ok := e0, edges[e0].from, true
			for edges[cur].to != start {
				nx := z.nextEdge(edges, head, next, used, cur)
				if nx < 0 {
					ok = false
					break
				}
				used[nx] = true
				ring = append(ring, z.pts[edges[nx].from])
				cur = nx
			}
			if ok && len(ring) >= 3 {
				rings = append(rings, ring)
			}
		}
		out[edges[lo].zone] = nestRings(rings)
		for e := lo; e < hi; e++ {
			head[edges[e].from] = -1
		}
		lo = hi
	}
	return out
}

func (z *Zones) nextEdge(edges []bedge, head, next []int32, used []bool, cur int) int {
	in := z.pts[edges[cur].to].Sub(z.pts[edges[cur].from])
	best, bestTurn := -1, math.Inf(-1)
	for e := head[edges[cur].to]; e >= 0; e = next[e] {
		if used[e] {
			continue
		}
		out := z.pts[edges[e].to].Sub(z.pts[edges[e].from])
		turn := math.Atan2(in.Cross(out), in.Dot(out))
		if best < 0 || turn > bestTurn {
			best, bestTurn = int(e), turn
		}
	}
	return best
}

// nestRings groups rings into polygons: each counter-clockwise ring is an
// outer ring, and each clockwise one a hole of the smallest outer ring
// that holds it.
func nestRings(rings [][]Vec) [][][]Vec {
	type outer struct {
		ring  []Vec
		area  float64
		holes [][]Vec
	}
	var outers []*outer
	var holes [][]Vec
	for _, r := range rings {
		if a := ringArea(r); a > 0 {
			outers = append(outers, &outer{ring: r, area: a})
		} else if a < 0 {
			holes = append(holes, r)
		}
	}
	sort.SliceStable(outers, func(i, j int) bool { return outers[i].area < outers[j].area })
	for _, h := range holes {
		probe := h[0].Lerp(h[1], 0.5)
		for _, o := range outers {
			if pointInRing(probe, o.ring) {
				o.holes = append(o.holes, h)
				break
			}
		}
	}
	sort.SliceStable(outers, func(i, j int) bool { return outers[i].area > outers[j].area })
	out := make([][][]Vec, 0, len(outers))
	for _, o := range outers {
		out = append(out, append([][]Vec{o.ring}, o.holes...))
	}
	return out
}

func pointInRing(p Vec, ring []Vec) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a.Y > p.Y) != (b.Y > p.Y) && p.X < (b.X-a.X)*(p.Y-a.Y)/(b.Y-a.Y)+a.X {
			in = !in
		}
	}
	return in
}

// planarPolygons returns each zone as polygons in the plane: a list of
// polygons, each a list of rings (outer first).
func (z *Zones) planarPolygons() [][][][]Vec {
	z.polyOnce.Do(z.makePolygons)
	return z.planar
}

func (z *Zones) makePolygons() {
	z.planar = z.rings(z.boundary())
	proj := z.line.proj
	z.polys = make([]orb.MultiPolygon, len(z.sectors))
	for i, polys := range z.planar {
		mp := make(orb.MultiPolygon, 0, len(polys))
		for _, poly := range polys {
			op := make(orb.Polygon, 0, len(poly))
			for _, r := range poly {
				ring := make(orb.Ring, 0, len(r)+1)
				for _, v := range r {
					ring = append(ring, proj.Inverse(v))
				}
				ring = append(ring, ring[0])
				op = append(op, ring)
			}
			mp = append(mp, op)
		}
		z.polys[i] = mp
	}
}

// Polygons returns each sector's zone as a MultiPolygon in lon/lat, outer
// rings counter-clockwise and holes clockwise (RFC 7946). They are
// computed on first use and shared: do not modify them.
func (z *Zones) Polygons() []orb.MultiPolygon {
	z.planarPolygons()
	return z.polys
}
