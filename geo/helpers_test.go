package geo

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/paulmach/orb"

	"frontline/geo/geodesic"
)

// sharedData is where CI and developers have the real lines of contact.
const sharedData = "../../shared/data/deepstate"

type realLine struct {
	name     string
	parts    [][]orb.Point
	lengthKm float64   // published, computed with GeographicLib
	partsKm  []float64 // published per part
}

// realLines reads the DeepStateMap lines of contact, or skips the test.
func realLines(t testing.TB) []realLine {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(sharedData, "*.contact.geojson"))
	if len(files) == 0 {
		t.Skipf("no real lines: %s/*.contact.geojson not found (the shared data folder sits beside the repository)", sharedData)
	}
	sort.Strings(files)
	var out []realLine
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Features []struct {
				Geometry struct {
					Coordinates [][][]float64 `json:"coordinates"`
				} `json:"geometry"`
				Properties struct {
					LengthKm      float64   `json:"length_km"`
					PartLengthsKm []float64 `json:"part_lengths_km"`
				} `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		ft := fc.Features[0]
		rl := realLine{name: filepath.Base(f), lengthKm: ft.Properties.LengthKm, partsKm: ft.Properties.PartLengthsKm}
		for _, part := range ft.Geometry.Coordinates {
			ls := make([]orb.Point, len(part))
			for i, p := range part {
				ls[i] = orb.Point{p[0], p[1]}
			}
			rl.parts = append(rl.parts, ls)
		}
		out = append(out, rl)
	}
	return out
}

func toBF(parts [][]orb.Point) [][][2]float64 {
	out := make([][][2]float64, len(parts))
	for i, p := range parts {
		out[i] = make([][2]float64, len(p))
		for j, q := range p {
			out[i][j] = q
		}
	}
	return out
}

// walk returns the point km from p along azimuth az.
func walk(p orb.Point, az, km float64) orb.Point {
	lat, lon, _ := geodesic.Direct(p[1], p[0], az, km*1000)
	return orb.Point{lon, lat}
}

// path builds a line from a start, following (azimuth, km) legs.
func path(start orb.Point, legs ...[2]float64) []orb.Point {
	pts := []orb.Point{start}
	for _, l := range legs {
		pts = append(pts, walk(pts[len(pts)-1], l[0], l[1]))
	}
	return pts
}

// synthLine is a wiggly line of about km kilometres across Ukraine's
// latitudes, with a vertex every 2 to 3 km, as real lines have.
func synthLine(km float64) []orb.Point {
	pts := []orb.Point{{30.0, 46.6}}
	az, done := 60.0, 0.0
	for i := 0; done < km; i++ {
		step := 2 + math.Mod(float64(i)*0.37, 1)
		turn := 25 * math.Sin(float64(i)*0.21) * math.Sin(float64(i)*0.037)
		a := az + turn
		// Keep heading north-east then east, like the real front.
		if done > km*0.6 {
			a = 80 + turn
		}
		pts = append(pts, walk(pts[len(pts)-1], a, step))
		done += step
	}
	return pts
}

func mustLine(t testing.TB, parts ...[]orb.Point) *Line {
	t.Helper()
	l, err := NewLine(parts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func mustZones(t testing.TB, l *Line, s Sectoring, o ZoneOptions) *Zones {
	t.Helper()
	sec, err := l.Sectors(s)
	if err != nil {
		t.Fatal(err)
	}
	z, err := NewZones(l, sec, o)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func bounds(sectors []Sector) []float64 {
	b := []float64{0}
	for _, s := range sectors {
		b = append(b, s.EndKm)
	}
	return b
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

func relErr(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// ringPoints returns a ring's positions as the geodesic package takes them.
func ringPoints(r orb.Ring) [][2]float64 {
	pts := make([][2]float64, len(r))
	for i, p := range r {
		pts[i] = p
	}
	return pts
}

// polygonArea is the geodesic area of a served zone, in km², computed on
// the lon/lat polygon by the geodesic package (not by the engine's plane).
func polygonArea(mp orb.MultiPolygon) float64 {
	a := 0.0
	for _, poly := range mp {
		for i, r := range poly {
			if i == 0 {
				a += geodesic.Area(ringPoints(r))
			} else {
				a -= geodesic.Area(ringPoints(r))
			}
		}
	}
	return a / 1e6
}
