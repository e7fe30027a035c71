package frontline

import (
	"math"
	"sort"
	"strings"
)

// ParseUnit reads one unit Feature. index is the feature's place in the
// input, for error locations (-1 for a single feature).
func ParseUnit(data []byte, index int) (*Unit, error) {
	at := Location{Feature: index, Part: -1, Vertex: -1}
	o, err := decodeObject(data, at)
	if err != nil {
		return nil, err
	}
	return unitFromObject(o, at)
}

func unitFromObject(o *rawObject, at Location) (*Unit, error) {
	if o.Type != "Feature" {
		return nil, invalid(CodeNotFeature, at, "a unit must be a GeoJSON Feature, got %s", o.Type)
	}
	id, err := featureID(o.ID, at)
	if err != nil {
		return nil, err
	}
	props, err := decodeProperties(o.Properties, at)
	if err != nil {
		return nil, err
	}
	u := &Unit{ID: id, Properties: props}
	if err := checkID(u.ID, at); err != nil {
		return nil, err
	}
	kind, _, err := stringProp(props, "kind", at)
	if err != nil {
		return nil, err
	}
	u.Kind = kind
	if len(o.Geometry) == 0 || string(o.Geometry) == "null" {
		return nil, invalid(CodeNoGeometry, at, "unit %q has no geometry", id)
	}
	g, err := decodeMember(o.Geometry, at)
	if err != nil {
		return nil, err
	}
	switch kind {
	case KindTroops, KindAirDefense:
		if g.Type != "Point" {
			return nil, invalid(CodeWrongGeometry, at, "a %s unit must be a Point, got %s", kind, g.Type)
		}
	case KindPatrol:
		if g.Type != "Point" && g.Type != "LineString" {
			return nil, invalid(CodeWrongGeometry, at, "a patrol must be a LineString (route) or a Point (post), got %s", g.Type)
		}
	case "":
		at.Field = "properties.kind"
		return nil, invalid(CodeMissingKind, at, "unit %q has no kind (troops, air_defense or patrol)", id)
	default:
		at.Field = "properties.kind"
		return nil, invalid(CodeUnknownKind, at, "unknown unit kind %q (troops, air_defense or patrol)", kind)
	}
	if g.Coordinates == nil {
		return nil, invalid(CodeNotGeoJSON, at, "%s has no coordinates", g.Type)
	}
	if g.Type == "Point" {
		p, err := decodePositions(g.Coordinates, at)
		if err != nil {
			return nil, err
		}
		u.Coords = []Position{p}
	} else {
		at.Part = 0
		ls, err := decodeLineString(g.Coordinates, at)
		if err != nil {
			return nil, err
		}
		at.Part = -1
		if len(ls) < 1 {
			return nil, invalid(CodeTooFewVertices, at, "a patrol route needs at least one position")
		}
		u.Coords = ls
	}
	switch kind {
	case KindTroops:
		err = u.readTroops(at)
	case KindAirDefense:
		err = u.readAirDefense(at)
	case KindPatrol:
		err = u.readPatrol(at)
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// checkID refuses ids that would not survive a URL path segment.
func checkID(id string, at Location) error {
	at.Field = "id"
	switch {
	case id == "":
		return invalid(CodeMissingID, at, "unit has no id")
	case len(id) > 200:
		return invalid(CodeBadID, at, "id is longer than 200 bytes")
	case strings.ContainsAny(id, "/?#%\x00"):
		return invalid(CodeBadID, at, "id %q contains '/', '?', '#', '%%' or NUL", truncate(id, 40))
	}
	return nil
}

func (u *Unit) readTroops(at Location) error {
	s, ok, err := numberProp(u.Properties, "strength", at)
	if err != nil {
		return err
	}
	at.Field = "properties.strength"
	if !ok {
		return invalid(CodeMissingStrength, at, "troop unit %q has no strength", u.ID)
	}
	if s != math.Trunc(s) || s <= 0 || s > 1e7 {
		return invalid(CodeBadProperty, at, "strength must be a whole number of personnel above 0, got %g", s)
	}
	u.Strength = int(s)
	sector, _, err := stringProp(u.Properties, "sector", at)
	u.Sector = sector
	return err
}

func (u *Unit) readAirDefense(at Location) error {
	system, _, err := stringProp(u.Properties, "system", at)
	if err != nil {
		return err
	}
	u.System = system
	r, ok, err := numberProp(u.Properties, "range_km", at)
	if err != nil {
		return err
	}
	switch {
	case ok && (r <= 0 || r > 1000):
		at.Field = "properties.range_km"
		return invalid(CodeBadProperty, at, "range_km must be above 0 and at most 1000, got %g", r)
	case ok:
		u.RangeKm = r
	default:
		d, known := DefaultRangesKm[strings.ToLower(system)]
		if !known {
			at.Field = "properties.system"
			if system == "" {
				return invalid(CodeMissingRange, at, "air-defense unit %q needs a system or a range_km", u.ID)
			}
			return invalid(CodeUnknownSystem, at, "unknown air-defense system %q without range_km (known: %s)", system, knownSystems())
		}
		u.RangeKm = d
	}
	status, _, err := stringProp(u.Properties, "status", at)
	if err != nil {
		return err
	}
	switch status {
	case "", "active":
		u.Active = true
	case "inactive":
	default:
		at.Field = "properties.status"
		return invalid(CodeBadProperty, at, "status must be active or inactive, got %q", status)
	}
	return nil
}

func knownSystems() string {
	names := make([]string, 0, len(DefaultRangesKm))
	for n := range DefaultRangesKm {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (u *Unit) readPatrol(at Location) error {
	u.ObserveKm, u.VisitsPerDay = DefaultObserveKm, DefaultVisitsPerDay
	if v, ok, err := numberProp(u.Properties, "observe_km", at); err != nil {
		return err
	} else if ok {
		if v <= 0 || v > 500 {
			at.Field = "properties.observe_km"
			return invalid(CodeBadProperty, at, "observe_km must be above 0 and at most 500, got %g", v)
		}
		u.ObserveKm = v
	}
	if v, ok, err := numberProp(u.Properties, "visits_per_day", at); err != nil {
		return err
	} else if ok {
		if v < 0 || v > 1e6 {
			at.Field = "properties.visits_per_day"
			return invalid(CodeBadProperty, at, "visits_per_day must be at least 0, got %g", v)
		}
		u.VisitsPerDay = v
	}
	return nil
}
