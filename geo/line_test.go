package geo

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"frontline/geo/geodesic"
)

// The projection's scale factor, checked against exact geodesic distances:
// a 1 km step in any direction, anywhere within 1,000 km of the centre.
func TestProjectionScale(t *testing.T) {
	c := orb.Point{33, 48.5}
	p := NewProjection(c)
	worst := 0.0
	for az := 0.0; az < 360; az += 30 {
		for _, km := range []float64{0, 100, 400, 1000} {
			q := walk(c, az, km)
			for dir := 0.0; dir < 360; dir += 45 {
				r := walk(q, dir, 1)
				planar := p.Forward(r).Sub(p.Forward(q)).Len()
				mid := walk(q, dir, 0.5)
				exact := geodesic.Distance(q, r)
				worst = math.Max(worst, relErr(planar/p.Scale(mid), exact))
			}
			back := p.Inverse(p.Forward(q))
			if math.Abs(back[0]-q[0]) > 1e-9 || math.Abs(back[1]-q[1]) > 1e-9 {
				t.Errorf("inverse of forward of %v is %v", q, back)
			}
		}
	}
	if worst > 1e-8 {
		t.Errorf("planar length / scale differs from the geodesic by up to %.2e", worst)
	}
}

func TestNewLineErrors(t *testing.T) {
	ok := orb.Point{35, 48}
	for _, tc := range []struct {
		name  string
		parts [][]orb.Point
		want  string
	}{
		{"no parts", nil, "part 0: line has no parts"},
		{"one vertex", [][]orb.Point{{ok}}, "part 0: needs at least 2 distinct vertices, has 1"},
		{"repeated vertex", [][]orb.Point{{ok, ok, ok}}, "part 0: needs at least 2 distinct vertices, has 1"},
		{"second part short", [][]orb.Point{{ok, {36, 48}}, {ok}}, "part 1: needs at least 2 distinct vertices, has 1"},
		{"latitude", [][]orb.Point{{ok, {36, 91}}}, "part 0, vertex 1: latitude 91 outside [-90, 90]"},
		{"longitude", [][]orb.Point{{ok, {36, 48}, {-180.5, 1}}}, "part 0, vertex 2: longitude -180.5 outside [-180, 180]"},
		{"NaN", [][]orb.Point{{{math.NaN(), 1}, ok}}, "part 0, vertex 0: longitude is not a finite number"},
		{"Inf", [][]orb.Point{{ok, {1, math.Inf(1)}}}, "part 0, vertex 1: latitude is not a finite number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewLine(tc.parts)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if !errors.Is(err, ErrInvalidLine) {
				t.Errorf("%v does not wrap ErrInvalidLine", err)
			}
		})
	}
}

func TestLineLengthsAgainstPublished(t *testing.T) {
	for _, rl := range realLines(t) {
		l := mustLine(t, rl.parts...)
		if math.Abs(l.LengthKm()-rl.lengthKm) > 0.001 {
			t.Errorf("%s: length %.4f km, published %.3f", rl.name, l.LengthKm(), rl.lengthKm)
		}
		for i := range rl.partsKm {
			got := l.cum[i][len(l.cum[i])-1] - l.cum[i][0]
			if math.Abs(got-rl.partsKm[i]) > 0.001 {
				t.Errorf("%s part %d: %.4f km, published %.3f", rl.name, i, got, rl.partsKm[i])
			}
		}
	}
}

func TestCutAndPointAt(t *testing.T) {
	start := orb.Point{35, 48}
	a := path(start, [2]float64{0, 10}, [2]float64{90, 10})
	b := path(walk(start, 45, 30), [2]float64{90, 5})
	l := mustLine(t, a, b)
	for _, tc := range []struct {
		name     string
		from, to float64
		pieces   int
		km       float64
	}{
		{"inside the first edge", 2, 7, 1, 5},
		{"across a vertex", 5, 15, 1, 10},
		{"across the gap between parts", 15, 22, 2, 7},
		{"all", 0, 25, 2, 25},
		{"beyond the end", 24, 40, 1, 1},
		{"empty", 7, 7, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := l.Cut(tc.from, tc.to)
			if len(got) != tc.pieces {
				t.Fatalf("%d pieces, want %d", len(got), tc.pieces)
			}
			km := 0.0
			for _, ls := range got {
				pts := make([][2]float64, len(ls))
				for i, p := range ls {
					pts[i] = p
				}
				km += geodesic.Length(pts) / 1000
			}
			if math.Abs(km-tc.km) > 1e-6 {
				t.Errorf("pieces are %.9f km long, want %g", km, tc.km)
			}
		})
	}
	if d := geodesic.Distance(l.PointAt(15), walk(a[1], 90, 5)); d > 1e-6 {
		t.Errorf("PointAt(15) is %g m off", d)
	}
	if d := geodesic.Distance(l.PointAt(20), b[0]); d > 1e-6 {
		t.Errorf("PointAt(20) should be the end of the first part, is %g m off the start of the second", d)
	}
}

func TestSectors(t *testing.T) {
	start := orb.Point{35, 48}
	l := mustLine(t, path(start, [2]float64{0, 60}, [2]float64{90, 40}))
	for _, tc := range []struct {
		name string
		s    Sectoring
		ids  []string
		ends []float64
		err  string
	}{
		{"by length", Sectoring{SectorKm: 25}, []string{"S001", "S002", "S003", "S004"}, []float64{25, 50, 75, 100}, ""},
		{"exact multiple", Sectoring{SectorKm: 50}, []string{"S001", "S002"}, []float64{50, 100}, ""},
		{"by count", Sectoring{Count: 3}, []string{"S001", "S002", "S003"}, []float64{100.0 / 3, 200.0 / 3, 100}, ""},
		{"anchors", Sectoring{Anchors: []Anchor{{"East", walk(walk(start, 0, 60), 90, 20)}, {"North", walk(walk(start, 0, 30), 270, 5)}}},
			[]string{"start..North", "North..East", "East..end"}, []float64{30, 80, 100}, ""},
		{"anchor at the start", Sectoring{Anchors: []Anchor{{"A", walk(start, 180, 3)}}}, []string{"A..end"}, []float64{100}, ""},
		{"nothing", Sectoring{}, nil, nil, "geo: invalid sectoring: give exactly one of a sector length, a sector count or anchors"},
		{"two", Sectoring{SectorKm: 5, Count: 2}, nil, nil, "geo: invalid sectoring: give exactly one of a sector length, a sector count or anchors"},
		{"negative", Sectoring{SectorKm: -5}, nil, nil, "geo: invalid sectoring: sector length must be a positive number of km, got -5"},
		{"too many", Sectoring{SectorKm: 0.001}, nil, nil, "geo: invalid sectoring: 0.001 km sectors would make 100000 sectors, more than 10000"},
		{"duplicate anchor", Sectoring{Anchors: []Anchor{{"A", start}, {"A", start}}}, nil, nil, `geo: invalid sectoring: anchor name "A" used twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := l.Sectors(tc.s)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.ids) {
				t.Fatalf("got %d sectors, want %d", len(got), len(tc.ids))
			}
			for i, s := range got {
				if s.ID != tc.ids[i] || s.Index != i || math.Abs(s.EndKm-tc.ends[i]) > 1e-3 {
					t.Errorf("sector %d: %+v, want id %s ending at %g", i, s, tc.ids[i], tc.ends[i])
				}
				if i > 0 && s.StartKm != got[i-1].EndKm {
					t.Errorf("sector %d starts at %g, previous ends at %g", i, s.StartKm, got[i-1].EndKm)
				}
			}
		})
	}
}

func TestNearestSide(t *testing.T) {
	start := orb.Point{35, 48}
	l := mustLine(t, path(start, [2]float64{0, 50}, [2]float64{90, 50}))
	corner := walk(start, 0, 50)
	for _, tc := range []struct {
		name  string
		p     orb.Point
		along float64
		dist  float64
		left  bool
	}{
		{"west of the first leg", walk(walk(start, 0, 20), 270, 7), 20, 7, true},
		{"east of the first leg", walk(walk(start, 0, 20), 90, 7), 20, 7, false},
		{"outer corner", walk(corner, 315, 10), 50, 10, true},
		{"inner corner", walk(corner, 135, 3), 0, 3 * math.Sqrt2 / 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := l.Nearest(tc.p)
			if tc.along > 0 && math.Abs(n.AlongKm-tc.along) > 0.01 {
				t.Errorf("along %.4f, want %g", n.AlongKm, tc.along)
			}
			if math.Abs(n.DistanceKm-tc.dist) > 0.01 {
				t.Errorf("distance %.4f, want %g", n.DistanceKm, tc.dist)
			}
			if n.Left != tc.left {
				t.Errorf("left %v, want %v", n.Left, tc.left)
			}
		})
	}
}
