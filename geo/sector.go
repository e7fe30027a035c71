package geo

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// ErrInvalidSectoring is wrapped by errors about sectorisation settings.
var ErrInvalidSectoring = errors.New("geo: invalid sectoring")

// Sector is one consecutive stretch of the line, by distance along it.
type Sector struct {
	ID      string
	Index   int
	StartKm float64
	EndKm   float64
}

// LengthKm is the sector's length along the line.
func (s Sector) LengthKm() float64 { return s.EndKm - s.StartKm }

// Anchor is a named point that sectors run between once projected onto
// the line. Sectors named after anchors keep their identity when the line
// moves.
type Anchor struct {
	Name  string
	Point orb.Point
}

// Sectoring says how to cut the line: by length (SectorKm), into Count
// sectors of equal length, or between Anchors. Exactly one must be set.
type Sectoring struct {
	SectorKm float64
	Count    int
	Anchors  []Anchor
}

// MaxSectors bounds how many sectors one computation may have.
const MaxSectors = 10000

// Sectors cuts the line as s says. Sectors by length or count have ids
// S001, S002, ... by index; anchor sectors are named "A..B" after the
// anchors at their ends, the line's ends being "start" and "end".
func (l *Line) Sectors(s Sectoring) ([]Sector, error) {
	set := 0
	for _, b := range []bool{s.SectorKm != 0, s.Count != 0, len(s.Anchors) > 0} {
		if b {
			set++
		}
	}
	if set != 1 {
		return nil, fmt.Errorf("%w: give exactly one of a sector length, a sector count or anchors", ErrInvalidSectoring)
	}
	switch {
	case s.SectorKm != 0:
		if !(s.SectorKm > 0) || math.IsInf(s.SectorKm, 0) {
			return nil, fmt.Errorf("%w: sector length must be a positive number of km, got %g", ErrInvalidSectoring, s.SectorKm)
		}
		n := int(math.Ceil(l.length/s.SectorKm - 1e-9))
		if n > MaxSectors {
			return nil, fmt.Errorf("%w: %g km sectors would make %d sectors, more than %d", ErrInvalidSectoring, s.SectorKm, n, MaxSectors)
		}
		bounds := make([]float64, 0, n+1)
		for i := 0; i < n; i++ {
			bounds = append(bounds, float64(i)*s.SectorKm)
		}
		return numbered(append(bounds, l.length)), nil
	case s.Count != 0:
		if s.Count < 1 || s.Count > MaxSectors {
			return nil, fmt.Errorf("%w: sector count must be between 1 and %d, got %d", ErrInvalidSectoring, MaxSectors, s.Count)
		}
		bounds := make([]float64, 0, s.Count+1)
		for i := 0; i < s.Count; i++ {
			bounds = append(bounds, l.length*float64(i)/float64(s.Count))
		}
		return numbered(append(bounds, l.length)), nil
	}
	return l.anchored(s.Anchors)
}

func numbered(bounds []float64) []Sector {
	out := make([]Sector, len(bounds)-1)
	for i := range out {
		out[i] = Sector{ID: fmt.Sprintf("S%03d", i+1), Index: i, StartKm: bounds[i], EndKm: bounds[i+1]}
	}
	return out
}

func (l *Line) anchored(anchors []Anchor) ([]Sector, error) {
	type stop struct {
		name string
		km   float64
	}
	stops := make([]stop, 0, len(anchors))
	seen := map[string]bool{}
	for i, a := range anchors {
		if a.Name == "" {
			return nil, fmt.Errorf("%w: anchor %d has no name", ErrInvalidSectoring, i)
		}
		if seen[a.Name] {
			return nil, fmt.Errorf("%w: anchor name %q used twice", ErrInvalidSectoring, a.Name)
		}
		seen[a.Name] = true
		if msg := checkPosition(a.Point); msg != "" {
			return nil, fmt.Errorf("%w: anchor %q: %s", ErrInvalidSectoring, a.Name, msg)
		}
		stops = append(stops, stop{a.Name, l.Nearest(a.Point).AlongKm})
	}
	sort.SliceStable(stops, func(i, j int) bool { return stops[i].km < stops[j].km })
	stops = append([]stop{{"start", 0}}, append(stops, stop{"end", l.length})...)
	var out []Sector
	for i := 0; i+1 < len(stops); i++ {
		a, b := stops[i], stops[i+1]
		if b.km-a.km < 1e-9 {
			continue // two anchors on the same point of the line
		}
		out = append(out, Sector{ID: a.name + ".." + b.name, Index: len(out), StartKm: a.km, EndKm: b.km})
	}
	return out, nil
}

// SectorAt returns the index of the sector holding km along the line:
// sectors are [start, end), the last one closed.
func SectorAt(sectors []Sector, km float64) int {
	i := sort.Search(len(sectors), func(i int) bool { return sectors[i].StartKm > km })
	return max(i-1, 0)
}
