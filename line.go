package frontline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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

// ParseLine reads one line: a GeoJSON LineString or MultiLineString
// geometry, a Feature with one, or a FeatureCollection of exactly one
// such Feature. A Feature's properties valid_from (RFC 3339 time or date)
// and source are read; the others are kept.
func ParseLine(data []byte) (*LineInput, error) {
	o, err := decodeObject(data, Nowhere)
	if err != nil {
		return nil, err
	}
	if o.Type == "FeatureCollection" {
		if len(o.Features) != 1 {
			return nil, invalid("not_one_line", Nowhere, "a FeatureCollection of one line must have exactly 1 feature, has %d (use the bulk import for many)", len(o.Features))
		}
		return parseLineFeature(o.Features[0], 0)
	}
	return lineFromObject(o, Nowhere)
}

func parseLineFeature(data []byte, index int) (*LineInput, error) {
	at := Location{Feature: index, Part: -1, Vertex: -1}
	o, err := decodeObject(data, at)
	if err != nil {
		return nil, err
	}
	return lineFromObject(o, at)
}

func lineFromObject(o *rawObject, at Location) (*LineInput, error) {
	in := &LineInput{Properties: map[string]any{}}
	g := o
	if o.Type == "Feature" {
		props, err := decodeProperties(o.Properties, at)
		if err != nil {
			return nil, err
		}
		in.Properties = props
		if len(o.Geometry) == 0 || string(o.Geometry) == "null" {
			return nil, invalid("no_geometry", at, "feature has no geometry")
		}
		if g, err = decodeMember(o.Geometry, at); err != nil {
			return nil, err
		}
		if err := in.readProperties(at); err != nil {
			return nil, err
		}
	}
	parts, err := decodeLineGeometry(g, at)
	if err != nil {
		return nil, err
	}
	in.Parts = parts
	pts := make([][]orb.Point, len(parts))
	for i, part := range parts {
		pts[i] = make([]orb.Point, len(part))
		for j, p := range part {
			pts[i][j] = p.Point()
		}
	}
	l, err := geo.NewLine(pts)
	if err != nil {
		var ie *geo.InvalidError
		if errors.As(err, &ie) {
			at.Part, at.Vertex = ie.Part, ie.Vertex
			if ie.Part < 0 {
				return nil, invalid(ie.Rule, at, "line %s", ie.Reason)
			}
			return nil, invalid(ie.Rule, at, "%s", ie.Reason)
		}
		return nil, err
	}
	// A line that crosses itself has no consistent sides: which side a
	// zone is on, and which sector a point belongs to, would flip.
	if c, ok := geo.FirstCrossing(pts); ok {
		at.Part, at.Vertex = c.PartB, c.EdgeB
		how := fmt.Sprintf("crosses it at %.6f, %.6f", c.At[0], c.At[1])
		if c.Overlap {
			how = fmt.Sprintf("runs along it from %.6f, %.6f", c.At[0], c.At[1])
		}
		return nil, invalid("self_intersection", at, "the edge from vertex %d to %d of part %d meets the edge from vertex %d to %d of part %d and %s",
			c.EdgeB, c.EdgeB+1, c.PartB, c.EdgeA, c.EdgeA+1, c.PartA, how)
	}
	in.Line = l
	return in, nil
}

func (in *LineInput) readProperties(at Location) error {
	if s, ok, err := stringProp(in.Properties, "source", at); err != nil {
		return err
	} else if ok {
		in.Source = s
	}
	s, ok, err := stringProp(in.Properties, "valid_from", at)
	if err != nil || !ok {
		return err
	}
	t, err := ParseTime(s)
	if err != nil {
		at.Field = "properties.valid_from"
		return invalid("bad_time", at, "valid_from %q is not an RFC 3339 time or date", truncate(s, 40))
	}
	in.ValidFrom = t
	return nil
}

// ParseTime reads an RFC 3339 time or a plain date (midnight UTC), in
// the years 1 to 9999 once in UTC.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		if t, err = time.Parse("2006-01-02", s); err != nil {
			return time.Time{}, err
		}
	}
	t = t.UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("frontline: %s is outside the years 1 to 9999 (UTC)", s)
	}
	return t, nil
}
