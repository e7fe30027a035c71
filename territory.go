package frontline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"frontline/geo"
)

// Territory is the reference a line of contact is told from (SPEC 10): a
// GeoJSON FeatureCollection whose features have properties.role
// "boundary" (the territory's outer boundary and sea coast: where an
// area's edge runs along them it is not contact) or "border" (the land
// border with the other side, oriented with the other side on its right,
// which a derived line may run on along). Boundary features are
// LineStrings, MultiLineStrings, Polygons or MultiPolygons (their rings);
// border features LineStrings or MultiLineStrings.
type Territory struct {
	Raw  []byte // the FeatureCollection as given
	Hash string // SHA-256 of Raw
	// Source and License are the first feature's properties of those
	// names, for attribution.
	Source, License string
	BoundaryKm      float64
	BorderKm        float64

	geo   *geo.Territory
	rings []orb.Ring // closed boundary rings: the territory, for "is the area in it"
}

// ParseTerritory reads a reference territory.
func ParseTerritory(data []byte) (*Territory, error) {
	o, err := decodeObject(data, Nowhere)
	if err != nil {
		return nil, err
	}
	if o.Type != "FeatureCollection" {
		return nil, invalid(CodeNotFeatureCollection, Nowhere, "a territory is a FeatureCollection of boundary and border features, got %q", o.Type)
	}
	t := &Territory{Raw: data}
	sum := sha256.Sum256(data)
	t.Hash = hex.EncodeToString(sum[:])
	var boundary, border [][]orb.Point
	for i, raw := range o.Features {
		at := Location{Feature: i, Part: -1, Vertex: -1}
		f, err := decodeObject(raw, at)
		if err != nil {
			return nil, err
		}
		if f.Type != "Feature" {
			return nil, invalid(CodeNotFeature, at, "features[%d] is a %q, not a Feature", i, f.Type)
		}
		props, err := decodeProperties(f.Properties, at)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			t.Source, _ = props["source"].(string)
			t.License, _ = props["license"].(string)
		}
		role, _ := props["role"].(string)
		if role != "boundary" && role != "border" {
			at.Field = "properties.role"
			return nil, invalid(CodeBadRole, at, "a territory feature's role must be boundary or border, got %q", truncate(fmt.Sprint(props["role"]), 40))
		}
		if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
			return nil, invalid(CodeNoGeometry, at, "feature has no geometry")
		}
		g, err := decodeMember(f.Geometry, at)
		if err != nil {
			return nil, err
		}
		var parts [][]Position
		switch g.Type {
		case "LineString", "MultiLineString":
			if parts, err = decodeLineGeometry(g, at); err != nil {
				return nil, err
			}
		case "Polygon", "MultiPolygon":
			if role == "border" {
				return nil, invalid(CodeWrongGeometry, at, "a border is a LineString or MultiLineString, got %s", g.Type)
			}
			area, err := areaFromObject(g, at)
			if err != nil {
				return nil, err
			}
			for _, poly := range area.Polygons {
				parts = append(parts, poly...)
			}
		default:
			return nil, invalid(CodeWrongGeometry, at, "a territory feature is a line or a polygon, got %s", g.Type)
		}
		l, err := validLine(parts, at)
		if err != nil {
			return nil, err
		}
		if role == "border" {
			t.BorderKm += l.LengthKm()
		} else {
			t.BoundaryKm += l.LengthKm()
		}
		for _, part := range l.Parts() {
			if role == "border" {
				border = append(border, part)
				continue
			}
			boundary = append(boundary, part)
			if len(part) >= 4 && part[0] == part[len(part)-1] {
				t.rings = append(t.rings, orb.Ring(part))
			}
		}
	}
	if len(boundary) == 0 {
		return nil, invalid(CodeEmpty, Nowhere, "a territory needs at least one boundary feature")
	}
	if t.geo, err = geo.NewTerritory(boundary, border); err != nil {
		return nil, invalid(CodeWrongGeometry, Nowhere, "territory: %v", err)
	}
	return t, nil
}

// HasBorder reports whether the territory has a land border to append.
func (t *Territory) HasBorder() bool { return t.geo.HasBorder() }

// contains reports whether some of the area lies in the territory's
// closed boundary rings (true when it has none to tell by).
func (t *Territory) contains(area orb.MultiPolygon) bool {
	if len(t.rings) == 0 {
		return true
	}
	for _, poly := range area {
		for _, p := range poly[0] {
			for _, r := range t.rings {
				if planar.RingContains(r, p) {
					return true
				}
			}
		}
	}
	return false
}
