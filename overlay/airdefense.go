package overlay

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline"
	"frontline/geo/geodesic"
)

// Range ring styles: blue for an active unit, grey for an inactive one.
const (
	activeColor   = "#1565c0"
	inactiveColor = "#757575"
)

// AirDefense draws the range ring of every air-defense unit, with the
// unit's properties, its range and whether it is active.
func AirDefense(units []*frontline.Unit) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, u := range units {
		if u.Kind != frontline.KindAirDefense {
			continue
		}
		f := geojson.NewFeature(RangeRing(u.Coords[0].Point(), u.RangeKm))
		f.ID = u.ID
		props := geojson.Properties{}
		for k, v := range u.Properties {
			props[k] = v
		}
		props["id"], props["range_km"] = u.ID, u.RangeKm
		props["status"] = "active"
		props["stroke"], props["stroke-width"], props["fill"] = activeColor, 2, activeColor
		props["fill-opacity"] = 0.08
		if !u.Active {
			props["status"] = "inactive"
			props["stroke"], props["fill"], props["fill-opacity"] = inactiveColor, inactiveColor, 0.03
		}
		f.Properties = props
		fc.Append(f)
	}
	return fc
}

// RangeRing is the geodesic circle of radius km around c, as a polygon
// with a point every 2°, counter-clockwise (RFC 7946).
func RangeRing(c orb.Point, km float64) orb.Polygon {
	const n = 180
	ring := make(orb.Ring, n+1)
	for i := 0; i < n; i++ {
		// Counter-clockwise: azimuths run clockwise, so go backwards.
		lat, lon, _ := geodesic.Direct(c[1], c[0], -360*float64(i)/n, km*1000)
		ring[i] = orb.Point{lon, lat}
	}
	ring[n] = ring[0]
	return orb.Polygon{ring}
}
