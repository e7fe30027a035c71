package frontline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/paulmach/orb"

	"frontline/geo"
)

// LineInput is a line of contact as imported, before it has a version.
type LineInput struct {
	Parts      [][]Position
	ValidFrom  time.Time // zero: the import time
	Source     string
	Properties map[string]any
	Line       *geo.Line // the validated line

	hash string // ContentHash, once computed
}

// LineVersion is one stored version of the line.
type LineVersion struct {
	Version    int       `json:"version"`
	ValidFrom  time.Time `json:"valid_from"`
	Source     string    `json:"source"`
	ImportedAt time.Time `json:"imported_at"`
	LengthKm   float64   `json:"length_km"`
	Vertices   int       `json:"vertices"`
	Parts      int       `json:"parts"`
	Hash       string    `json:"hash"`
	// Demo marks the embedded demonstration line (properties.demo true),
	// which one command removes once real data is there.
	Demo bool `json:"demo,omitempty"`
	// BBox bounds the line's positions (stored at import, so that
	// listings need no geometry).
	BBox orb.Bound `json:"-"`

	Coords     [][]Position   `json:"-"`
	Properties map[string]any `json:"-"`
}

// FeatureProperties are the properties a line version is served with:
// those it was imported with, overlaid by the version's own fields.
func (lv *LineVersion) FeatureProperties() map[string]any {
	props := make(map[string]any, len(lv.Properties)+8)
	for k, v := range lv.Properties {
		props[k] = v
	}
	props["version"] = lv.Version
	props["valid_from"] = lv.ValidFrom
	props["source"] = lv.Source
	props["imported_at"] = lv.ImportedAt
	props["length_km"] = lv.LengthKm
	props["vertices"] = lv.Vertices
	props["parts"] = lv.Parts
	props["hash"] = lv.Hash
	if lv.Demo {
		props["demo"] = true
	}
	return props
}

// Bound returns the bounds of the line's positions.
func (in *LineInput) Bound() orb.Bound {
	b := orb.Bound{Min: in.Parts[0][0].Point(), Max: in.Parts[0][0].Point()}
	for _, part := range in.Parts {
		for _, p := range part {
			b = b.Extend(p.Point())
		}
	}
	return b
}

// IsDemo reports whether the line is marked as demonstration data
// (properties.demo is true).
func (in *LineInput) IsDemo() bool { return in.Properties["demo"] == true }

// Vertices counts the positions of the line as given.
func (in *LineInput) Vertices() int {
	n := 0
	for _, p := range in.Parts {
		n += len(p)
	}
	return n
}

// ContentHash is Hash of the line's parts, computed once.
func (in *LineInput) ContentHash() string {
	if in.hash == "" {
		in.hash = Hash(in.Parts)
	}
	return in.hash
}

// Hash is the content hash of a line's geometry: the SHA-256 of its
// positions as JSON, so the same line imported twice hashes the same
// whatever its formatting or properties.
func Hash(parts [][]Position) string {
	b, _ := json.Marshal(parts)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
