package frontline

import (
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb"

	"frontline/geo"
)

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
			return nil, invalid(CodeNotOneLine, Nowhere, "a FeatureCollection of one line must have exactly 1 feature, has %d (use the bulk import for many)", len(o.Features))
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
			return nil, invalid(CodeNoGeometry, at, "feature has no geometry")
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
	l, err := validLine(parts, at)
	if err != nil {
		return nil, err
	}
	in.Parts, in.Line = parts, l
	return in, nil
}

// validLine checks a line's parts as every line is checked, derived ones
// too, and prepares it for computation.
func validLine(parts [][]Position, at Location) (*geo.Line, error) {
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
				return nil, invalid(Code(ie.Rule), at, "line %s", ie.Reason)
			}
			return nil, invalid(Code(ie.Rule), at, "%s", ie.Reason)
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
		return nil, invalid(CodeSelfIntersection, at, "the edge from vertex %d to %d of part %d meets the edge from vertex %d to %d of part %d and %s",
			c.EdgeB, c.EdgeB+1, c.PartB, c.EdgeA, c.EdgeA+1, c.PartA, how)
	}
	return l, nil
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
		return invalid(CodeBadTime, at, "valid_from %q is not an RFC 3339 time or date", truncate(s, 40))
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
