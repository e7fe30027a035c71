package frontline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"

	"frontline/geo"
	"frontline/geo/geodesic"
)

// Codes of area input.
const (
	// CodeNotOneArea: a FeatureCollection given as one area has more or
	// fewer than one feature.
	CodeNotOneArea Code = "not_one_area"
	// CodeOpenRing: a ring's last position is not its first.
	CodeOpenRing Code = "open_ring"
)

// Errors about an area name the feature, the polygon (Location.Part: its
// index in the MultiPolygon, 0 for a Polygon) and the vertex (its index in
// the ring); the message names the ring (0 is the exterior, then the holes).

// ParseArea reads one area: a GeoJSON Polygon or MultiPolygon geometry, a
// Feature with one, or a FeatureCollection of exactly one such Feature. A
// Feature's properties valid_from (RFC 3339 time or date) and source are
// read as for lines; the others are kept.
func ParseArea(data []byte) (*AreaInput, error) {
	o, err := decodeObject(data, Nowhere)
	if err != nil {
		return nil, err
	}
	if o.Type == "FeatureCollection" {
		if len(o.Features) != 1 {
			return nil, invalid(CodeNotOneArea, Nowhere, "a FeatureCollection of one area must have exactly 1 feature, has %d (use the bulk import for many)", len(o.Features))
		}
		return parseAreaFeature(o.Features[0], 0)
	}
	return areaFromObject(o, Nowhere)
}

// ParseAreas reads many dated area versions: a GeoJSON FeatureCollection,
// or newline-delimited GeoJSON Features (one per line; blank lines are
// skipped). Every feature must carry valid_from. Errors name the feature
// (for newline-delimited input, its index among the features).
func ParseAreas(data []byte) ([]*AreaInput, error) {
	features, err := splitFeatures(data)
	if err != nil {
		return nil, err
	}
	if len(features) == 0 {
		return nil, invalid(CodeEmpty, Nowhere, "no features to import")
	}
	out := make([]*AreaInput, len(features))
	for i, f := range features {
		in, err := parseAreaFeature(f, i)
		if err != nil {
			return nil, err
		}
		if in.ValidFrom.IsZero() {
			return nil, invalid(CodeMissingValidFrom, Location{Feature: i, Part: -1, Vertex: -1, Field: "properties.valid_from"},
				"every feature of a bulk import needs valid_from")
		}
		out[i] = in
	}
	return out, nil
}

func parseAreaFeature(data []byte, index int) (*AreaInput, error) {
	at := Location{Feature: index, Part: -1, Vertex: -1}
	o, err := decodeObject(data, at)
	if err != nil {
		return nil, err
	}
	return areaFromObject(o, at)
}

func areaFromObject(o *rawObject, at Location) (*AreaInput, error) {
	in := &AreaInput{Properties: map[string]any{}}
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
		if in.Source, in.ValidFrom, err = readDatedProperties(props, at); err != nil {
			return nil, err
		}
	}
	polys, err := decodeAreaGeometry(g, at)
	if err != nil {
		return nil, err
	}
	for i, poly := range polys {
		pat := at
		pat.Part = i
		for r, ring := range poly {
			if err := checkRing(ring, pat, r); err != nil {
				return nil, err
			}
		}
	}
	in.Polygons = polys
	in.AreaKm2 = areaKm2(polys)
	return in, nil
}

// readDatedProperties reads the properties source and valid_from (an RFC
// 3339 time or a date) of a line or an area: the same rules and errors as
// LineInput.readProperties.
func readDatedProperties(props map[string]any, at Location) (source string, validFrom time.Time, err error) {
	if s, ok, err := stringProp(props, "source", at); err != nil {
		return "", time.Time{}, err
	} else if ok {
		source = s
	}
	s, ok, err := stringProp(props, "valid_from", at)
	if err != nil || !ok {
		return source, time.Time{}, err
	}
	t, err := ParseTime(s)
	if err != nil {
		at.Field = "properties.valid_from"
		return source, time.Time{}, invalid(CodeBadTime, at, "valid_from %q is not an RFC 3339 time or date", truncate(s, 40))
	}
	return source, t, nil
}

// decodeAreaGeometry reads a Polygon or MultiPolygon geometry into
// polygons of rings of positions, each position checked on its own.
func decodeAreaGeometry(o *rawObject, at Location) ([][][]Position, error) {
	switch o.Type {
	case "Polygon", "MultiPolygon":
	case "LineString", "MultiLineString":
		return nil, invalid(CodeWrongGeometry, at, "geometry must be a Polygon or MultiPolygon, got %s: areas are polygons, and a line of contact goes to /v1/frontline", o.Type)
	default:
		return nil, invalid(CodeWrongGeometry, at, "geometry must be a Polygon or MultiPolygon, got %s: areas are polygons", o.Type)
	}
	if len(o.Coordinates) == 0 || string(o.Coordinates) == "null" {
		return nil, invalid(CodeNotGeoJSON, at, "%s has no coordinates", o.Type)
	}
	if o.Type == "Polygon" {
		at.Part = 0
		poly, err := decodePolygon(o.Coordinates, at)
		if err != nil {
			return nil, err
		}
		return [][][]Position{poly}, nil
	}
	// Well-formed coordinates decode in one pass; anything else takes the
	// slow path below, which finds the position at fault. (A null decodes
	// into a float64 as 0 without complaint, so it takes the slow path.)
	if !bytes.Contains(o.Coordinates, []byte("null")) {
		var fast [][][][]float64
		if err := json.Unmarshal(o.Coordinates, &fast); err == nil {
			if len(fast) == 0 {
				return nil, invalid(CodeEmpty, at, "MultiPolygon has no polygons")
			}
			out := make([][][]Position, len(fast))
			for i, poly := range fast {
				pat := at
				pat.Part = i
				var err error
				if out[i], err = polygonFrom(poly, pat); err != nil {
					return nil, err
				}
			}
			return out, nil
		}
	}
	var polys []json.RawMessage
	if err := json.Unmarshal(o.Coordinates, &polys); err != nil {
		return nil, invalid(CodeBadCoordinates, at, "coordinates of a MultiPolygon must be an array of polygons")
	}
	if len(polys) == 0 {
		return nil, invalid(CodeEmpty, at, "MultiPolygon has no polygons")
	}
	out := make([][][]Position, len(polys))
	for i, raw := range polys {
		pat := at
		pat.Part = i
		poly, err := decodePolygon(raw, pat)
		if err != nil {
			return nil, err
		}
		out[i] = poly
	}
	return out, nil
}

// decodePolygon reads the rings of the polygon at.Part.
func decodePolygon(raw json.RawMessage, at Location) ([][]Position, error) {
	if !bytes.Contains(raw, []byte("null")) {
		var fast [][][]float64
		if err := json.Unmarshal(raw, &fast); err == nil {
			return polygonFrom(fast, at)
		}
	}
	var rings []json.RawMessage
	if err := json.Unmarshal(raw, &rings); err != nil {
		return nil, invalid(CodeBadCoordinates, at, "coordinates of a polygon must be an array of rings")
	}
	if len(rings) == 0 {
		return nil, invalid(CodeEmpty, at, "polygon has no rings")
	}
	out := make([][]Position, len(rings))
	for r, raw := range rings {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, invalid(CodeBadCoordinates, at, "ring %d: a ring must be an array of positions", r)
		}
		ring := make([]Position, len(items))
		for j, it := range items {
			vat := at
			vat.Vertex = j
			p, err := decodePositions(it, vat)
			if err != nil {
				return nil, inRing(err, r)
			}
			ring[j] = p
		}
		out[r] = ring
	}
	return out, nil
}

// polygonFrom checks the positions of a polygon decoded in one pass.
func polygonFrom(rings [][][]float64, at Location) ([][]Position, error) {
	if len(rings) == 0 {
		return nil, invalid(CodeEmpty, at, "polygon has no rings")
	}
	out := make([][]Position, len(rings))
	for r, ring := range rings {
		out[r] = make([]Position, len(ring))
		for j, p := range ring {
			vat := at
			vat.Vertex = j
			if err := positionError(p, vat); err != nil {
				return nil, inRing(err, r)
			}
			out[r][j] = p
		}
	}
	return out, nil
}

// inRing names ring r in the message of an error about one of its
// positions.
func inRing(err error, r int) error {
	var ie *InputError
	if errors.As(err, &ie) {
		ie.Message = fmt.Sprintf("ring %d: %s", r, ie.Message)
	}
	return err
}

// checkRing checks ring r of polygon at.Part, whose positions are each
// valid: closed, with at least 4 positions and 3 distinct ones, no edge
// across the antimeridian, and not crossing itself.
func checkRing(ring []Position, at Location, r int) error {
	n := len(ring)
	if n < 4 {
		return invalid(CodeTooFewVertices, at, "ring %d has %d positions; a ring needs at least 4 (3 corners, then the first again to close it)", r, n)
	}
	first, last := ring[0].Point(), ring[n-1].Point()
	if first != last {
		at.Vertex = n - 1
		return invalid(CodeOpenRing, at, "ring %d is not closed: its last position (%g, %g) must repeat its first (%g, %g)", r, last[0], last[1], first[0], first[1])
	}
	pts := make([]orb.Point, n)
	distinct := make(map[orb.Point]struct{}, 3)
	for j, p := range ring {
		pts[j] = p.Point()
		if len(distinct) < 3 {
			distinct[pts[j]] = struct{}{}
		}
		// The same rule as for lines: an edge is drawn the short way in
		// lon/lat, never across the antimeridian.
		if j > 0 && math.Abs(pts[j][0]-pts[j-1][0]) > 180 {
			at.Vertex = j
			return invalid(CodeCrossesAntimeridian, at, "ring %d: the edge to this vertex crosses the antimeridian (180° longitude), which areas may not", r)
		}
	}
	if len(distinct) < 3 {
		return invalid(CodeTooFewVertices, at, "ring %d needs at least 3 distinct positions, has %d", r, len(distinct))
	}
	// A closed part does not cross itself at its closing vertex (see
	// geo.FirstCrossing), so the ring is given as it is.
	if c, ok := geo.FirstCrossing([][]orb.Point{pts}); ok {
		at.Vertex = c.EdgeB
		how := fmt.Sprintf("crosses it at %.6f, %.6f", c.At[0], c.At[1])
		if c.Overlap {
			how = fmt.Sprintf("runs along it from %.6f, %.6f", c.At[0], c.At[1])
		}
		return invalid(CodeSelfIntersection, at, "ring %d crosses itself: the edge from vertex %d to %d meets the edge from vertex %d to %d and %s",
			r, c.EdgeB, c.EdgeB+1, c.EdgeA, c.EdgeA+1, how)
	}
	return nil
}

// areaKm2 is the geodesic area (WGS84) of the polygons: of each, the area
// of its exterior ring minus those of its holes (geodesic.Area is positive
// whatever a ring's winding), at least 0. That holes lie inside their
// exterior is not checked.
func areaKm2(polys [][][]Position) float64 {
	total := 0.0
	for _, poly := range polys {
		a := 0.0
		for r, ring := range poly {
			pts := make([][2]float64, len(ring))
			for j, p := range ring {
				pts[j] = [2]float64{p[0], p[1]}
			}
			if r == 0 {
				a += geodesic.Area(pts)
			} else {
				a -= geodesic.Area(pts)
			}
		}
		total += max(a, 0)
	}
	return total / 1e6
}
