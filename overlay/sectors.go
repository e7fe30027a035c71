package overlay

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline"
)

// statusColor are the simplestyle colours of the statuses.
var statusColor = map[string]string{
	frontline.StatusOK:   "#2e7d32",
	frontline.StatusThin: "#f9a825",
	frontline.StatusGap:  "#c62828",
}

// Sectors draws the sectors of a computation, with their extent and zone
// area: each sector's piece of the line, or its zone where zones (the
// service's ZonePolygons of c) is given.
func Sectors(c *frontline.Computation, zones []orb.MultiPolygon) *geojson.FeatureCollection {
	return sectorFeatures(c, zones, func(i int) geojson.Properties {
		sec := c.Sectors[i]
		return geojson.Properties{
			"id": sec.ID, "index": sec.Index, "start_km": round6(sec.StartKm), "end_km": round6(sec.EndKm),
			"length_km": round6(sec.LengthKm()), "zone_area_km2": round6(c.Zones.AreaKm2()[i]),
			"line_version": c.Line.Version,
		}
	})
}

// Coverage draws the sectors with their coverage figures and statuses,
// stroked (and zones filled) in the colour of the status: the sectors
// overlay, or the zones overlay where zones (the service's ZonePolygons
// of c) is given.
func Coverage(rep *frontline.Report, c *frontline.Computation, zones []orb.MultiPolygon) *geojson.FeatureCollection {
	return sectorFeatures(c, zones, func(i int) geojson.Properties {
		r := rep.Sectors[i]
		props := coverageProps(r)
		props["line_version"] = c.Line.Version
		color := statusColor[r.Status]
		if zones == nil {
			props["stroke"], props["stroke-width"], props["stroke-opacity"] = color, 4, 1
		} else {
			props["stroke"], props["stroke-width"], props["stroke-opacity"] = color, 1, 0.8
			props["fill"], props["fill-opacity"] = color, 0.3
		}
		return props
	})
}

// sectorFeatures draws one feature per sector, id the sector's: its piece
// of the line, or its zone where zones is given; props gives the
// properties of the i-th.
func sectorFeatures(c *frontline.Computation, zones []orb.MultiPolygon, props func(i int) geojson.Properties) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for i, sec := range c.Sectors {
		var g orb.Geometry
		if zones != nil {
			g = zones[i]
		} else {
			g = pieces(c.Zones.Line().Cut(sec.StartKm, sec.EndKm))
		}
		f := geojson.NewFeature(g)
		f.ID = sec.ID
		f.Properties = props(i)
		fc.Append(f)
	}
	return fc
}

// coverageProps are a sector's coverage figures as flat properties.
func coverageProps(r frontline.SectorReport) geojson.Properties {
	return geojson.Properties{
		"id": r.ID, "index": r.Index, "start_km": r.StartKm, "end_km": r.EndKm, "length_km": r.LengthKm,
		"zone_area_km2": r.ZoneAreaKm2, "status": r.Status,
		"troops_strength": r.Troops.Strength, "troops_per_km": r.Troops.PerKm, "troops_ratio": r.Troops.Ratio,
		"troops_status":                r.Troops.Status,
		"air_defense_covered_fraction": r.AirDefense.CoveredFraction,
		"air_defense_layered_fraction": r.AirDefense.LayeredFraction,
		"air_defense_status":           r.AirDefense.Status,
		"patrol_covered_fraction":      r.Patrol.CoveredFraction,
		"patrol_visits_per_day":        r.Patrol.VisitsPerDay,
		"patrol_status":                r.Patrol.Status,
	}
}

// pieces is a line's pieces as one geometry: a LineString when there is
// one.
func pieces(mls orb.MultiLineString) orb.Geometry {
	if len(mls) == 1 {
		return mls[0]
	}
	return mls
}

// round6 keeps six decimals, as the reports do: a millimetre in km, a
// square metre in km².
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
