package frontline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/paulmach/orb"
)

// AreaInput is an area held by the other side, as published (DeepStateMap,
// ISW): a MultiPolygon (a Polygon is one of one), stored as given, from
// which the line of contact is derived.
type AreaInput struct {
	// Polygons are the MultiPolygon's coordinates: polygons of rings of
	// positions, each ring closed, exterior first.
	Polygons   [][][]Position
	ValidFrom  time.Time // zero: the import time
	Source     string
	Properties map[string]any
	AreaKm2    float64 // geodesic area, holes subtracted

	hash string
}

// ContentHash is the SHA-256 of the area's positions as JSON: the same
// area imported twice hashes the same.
func (in *AreaInput) ContentHash() string {
	if in.hash == "" {
		b, _ := json.Marshal(in.Polygons)
		sum := sha256.Sum256(b)
		in.hash = hex.EncodeToString(sum[:])
	}
	return in.hash
}

// Vertices counts the area's positions, rings' closing repeats included.
func (in *AreaInput) Vertices() int {
	n := 0
	for _, poly := range in.Polygons {
		for _, ring := range poly {
			n += len(ring)
		}
	}
	return n
}

// AreaVersion is one stored area version.
type AreaVersion struct {
	Version    int       `json:"version"`
	ValidFrom  time.Time `json:"valid_from"`
	Source     string    `json:"source"`
	ImportedAt time.Time `json:"imported_at"`
	AreaKm2    float64   `json:"area_km2"`
	Polygons   int       `json:"polygons"`
	Vertices   int       `json:"vertices"`
	Hash       string    `json:"hash"`

	Coords     [][][]Position `json:"-"`
	Properties map[string]any `json:"-"`
}

// MultiPolygon is the area's geometry in two dimensions.
func (av *AreaVersion) MultiPolygon() orb.MultiPolygon {
	return toMultiPolygon(av.Coords)
}

// MultiPolygon is the area's geometry in two dimensions.
func (in *AreaInput) MultiPolygon() orb.MultiPolygon {
	return toMultiPolygon(in.Polygons)
}

func toMultiPolygon(c [][][]Position) orb.MultiPolygon {
	mp := make(orb.MultiPolygon, len(c))
	for i, poly := range c {
		mp[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			r := make(orb.Ring, len(ring))
			for k, p := range ring {
				r[k] = orb.Point{p[0], p[1]}
			}
			mp[i][j] = r
		}
	}
	return mp
}

// AreaResult is the outcome of storing one area.
type AreaResult struct {
	Area    *AreaVersion
	Created bool
}

// DerivedLine pairs an area with the line derived from it, for
// Store.AddAreas.
type DerivedLine struct {
	Area *AreaInput
	// Line is derived from Area; the store sets its properties'
	// "derived_from" to the area's version number before storing it.
	// Nil: nothing could be derived (no line of contact).
	Line *LineInput
}
