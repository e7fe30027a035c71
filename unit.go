package frontline

import (
	"encoding/json"
	"sort"

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

// sortUnits orders units by id, as the store lists them.
func sortUnits(units []*Unit) {
	sort.Slice(units, func(i, j int) bool { return units[i].ID < units[j].ID })
}
