package frontline

import (
	"encoding/json"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"frontline/geo"
)

// Unit kinds.
const (
	KindTroops     = "troops"
	KindAirDefense = "air_defense"
	KindPatrol     = "patrol"
)

// DefaultRangesKm are planning defaults for air-defense systems, from
// public press figures; a unit's range_km overrides them.
var DefaultRangesKm = map[string]float64{
	"patriot":    160,
	"samp-t":     100,
	"nasams":     30,
	"iris-t-slm": 40,
	"hawk":       45,
	"buk":        35,
	"gepard":     6,
	"stinger":    8,
}

// Defaults of unit properties.
const (
	DefaultObserveKm    = 5.0
	DefaultVisitsPerDay = 1.0
)

// Unit is a unit as a GeoJSON Feature: a stable id, a kind, a position (or
// a route) and properties. Properties other than the ones the computation
// reads (name, sidc, echelon, ...) are kept and returned as given.
type Unit struct {
	ID         string
	Kind       string
	Coords     []Position // one position, or a patrol's route
	Properties map[string]any

	Strength     int     // troops
	Sector       string  // troops: sector id it is assigned to, if any
	System       string  // air defense
	RangeKm      float64 // air defense: effective range
	Active       bool    // air defense
	ObserveKm    float64 // patrol
	VisitsPerDay float64 // patrol
}

// IsRoute reports whether the unit's geometry is a LineString.
func (u *Unit) IsRoute() bool { return u.Kind == KindPatrol && len(u.Coords) > 1 }

// Geometry returns the unit's geometry as a GeoJSON geometry object.
func (u *Unit) Geometry() map[string]any {
	if u.IsRoute() {
		return map[string]any{"type": "LineString", "coordinates": u.Coords}
	}
	return map[string]any{"type": "Point", "coordinates": u.Coords[0]}
}

// Feature returns the unit as a GeoJSON Feature.
func (u *Unit) Feature() map[string]any {
	return map[string]any{"type": "Feature", "id": u.ID, "geometry": u.Geometry(), "properties": u.Properties}
}

// MarshalJSON writes the unit as a GeoJSON Feature.
func (u *Unit) MarshalJSON() ([]byte, error) { return json.Marshal(u.Feature()) }

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
		return nil, invalid("not_feature", at, "a unit must be a GeoJSON Feature, got %s", o.Type)
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
		return nil, invalid("no_geometry", at, "unit %q has no geometry", id)
	}
	g, err := decodeMember(o.Geometry, at)
	if err != nil {
		return nil, err
	}
	switch kind {
	case KindTroops, KindAirDefense:
		if g.Type != "Point" {
			return nil, invalid("wrong_geometry", at, "a %s unit must be a Point, got %s", kind, g.Type)
		}
	case KindPatrol:
		if g.Type != "Point" && g.Type != "LineString" {
			return nil, invalid("wrong_geometry", at, "a patrol must be a LineString (route) or a Point (post), got %s", g.Type)
		}
	case "":
		at.Field = "properties.kind"
		return nil, invalid("missing_kind", at, "unit %q has no kind (troops, air_defense or patrol)", id)
	default:
		at.Field = "properties.kind"
		return nil, invalid("unknown_kind", at, "unknown unit kind %q (troops, air_defense or patrol)", kind)
	}
	if g.Coordinates == nil {
		return nil, invalid("not_geojson", at, "%s has no coordinates", g.Type)
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
			return nil, invalid("too_few_vertices", at, "a patrol route needs at least one position")
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
		return invalid("missing_id", at, "unit has no id")
	case len(id) > 200:
		return invalid("bad_id", at, "id is longer than 200 bytes")
	case strings.ContainsAny(id, "/?#%\x00"):
		return invalid("bad_id", at, "id %q contains '/', '?', '#', '%%' or NUL", truncate(id, 40))
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
		return invalid("missing_strength", at, "troop unit %q has no strength", u.ID)
	}
	if s != math.Trunc(s) || s <= 0 || s > 1e7 {
		return invalid("bad_property", at, "strength must be a whole number of personnel above 0, got %g", s)
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
		return invalid("bad_property", at, "range_km must be above 0 and at most 1000, got %g", r)
	case ok:
		u.RangeKm = r
	default:
		d, known := DefaultRangesKm[strings.ToLower(system)]
		if !known {
			at.Field = "properties.system"
			if system == "" {
				return invalid("missing_range", at, "air-defense unit %q needs a system or a range_km", u.ID)
			}
			return invalid("unknown_system", at, "unknown air-defense system %q without range_km (known: %s)", system, knownSystems())
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
		return invalid("bad_property", at, "status must be active or inactive, got %q", status)
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
			return invalid("bad_property", at, "observe_km must be above 0 and at most 500, got %g", v)
		}
		u.ObserveKm = v
	}
	if v, ok, err := numberProp(u.Properties, "visits_per_day", at); err != nil {
		return err
	} else if ok {
		if v < 0 || v > 1e6 {
			at.Field = "properties.visits_per_day"
			return invalid("bad_property", at, "visits_per_day must be at least 0, got %g", v)
		}
		u.VisitsPerDay = v
	}
	return nil
}

// GeoUnits converts units to the engine's input, leaving out inactive
// air defense.
func GeoUnits(units []*Unit) geo.Units {
	var g geo.Units
	for _, u := range units {
		switch u.Kind {
		case KindTroops:
			g.Troops = append(g.Troops, geo.Troop{ID: u.ID, Pos: u.Coords[0].Point(), Strength: u.Strength, Sector: u.Sector})
		case KindAirDefense:
			if u.Active {
				g.AirDefense = append(g.AirDefense, geo.AirDefense{ID: u.ID, Pos: u.Coords[0].Point(), RangeKm: u.RangeKm})
			}
		case KindPatrol:
			route := make(orb.LineString, len(u.Coords))
			for i, p := range u.Coords {
				route[i] = p.Point()
			}
			g.Patrols = append(g.Patrols, geo.Patrol{ID: u.ID, Route: route, ObserveKm: u.ObserveKm, VisitsPerDay: u.VisitsPerDay})
		}
	}
	return g
}

// IsDemo reports whether the unit is demonstration data (properties.demo
// is true), as the embedded demo units are.
func (u *Unit) IsDemo() bool { return u.Properties["demo"] == true }
