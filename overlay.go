package frontline

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"

	"frontline/geo"
	"frontline/geo/geodesic"
)

// Status colours (simplestyle-spec), so that a client without a style of
// its own still shows green, amber and red.
var statusColor = map[string]string{StatusOK: "#2e7d32", StatusThin: "#f9a825", StatusGap: "#c62828"}

// Overlays the service draws for map clients.
var Overlays = []string{"sectors", "zones", "air-defense", "gaps"}

// Shape says how to draw a FeatureCollection for a client.
type Shape struct {
	BBox      orb.Bound // keep features whose bounds meet it; empty: all
	HasBBox   bool
	Tolerance float64 // simplification, in metres (0: none)
	Precision int     // decimals of coordinates (0: as computed)
}

// FeatureCollection is a GeoJSON FeatureCollection with the line version
// it was drawn from.
type FeatureCollection = geojson.FeatureCollection

// Sectors draws the sectors of the selected line version: their pieces of
// the line, or their zones when zones is true.
func (s *Service) Sectors(ctx context.Context, p Params, zones bool, sh Shape) (*FeatureCollection, error) {
	c, err := s.Zones(ctx, p)
	if err != nil {
		return nil, err
	}
	fc := geojson.NewFeatureCollection()
	var polys []orb.MultiPolygon
	if zones {
		if polys, err = s.polygons(ctx, c); err != nil {
			return nil, err
		}
	}
	for i, sec := range c.Sectors {
		var g orb.Geometry = pieces(c.Zones.Line().Cut(sec.StartKm, sec.EndKm))
		if zones {
			g = polys[i]
		}
		f := geojson.NewFeature(g)
		f.ID = sec.ID
		f.Properties = sectorProps(c, i)
		fc.Append(f)
	}
	return shapeCollection(fc, sh), nil
}

func sectorProps(c *Computation, i int) geojson.Properties {
	sec := c.Sectors[i]
	return geojson.Properties{
		"id": sec.ID, "index": sec.Index, "start_km": round6(sec.StartKm), "end_km": round6(sec.EndKm),
		"length_km": round6(sec.LengthKm()), "zone_area_km2": round6(c.Zones.AreaKm2()[i]),
		"line_version": c.Line.Version,
	}
}

func pieces(mls orb.MultiLineString) orb.Geometry {
	if len(mls) == 1 {
		return mls[0]
	}
	return mls
}

// Overlay draws one of the styled overlays for map clients.
func (s *Service) Overlay(ctx context.Context, name string, p Params, sh Shape) (*FeatureCollection, error) {
	rep, c, err := s.Coverage(ctx, p)
	if err != nil {
		return nil, err
	}
	fc := geojson.NewFeatureCollection()
	switch name {
	case "sectors", "zones":
		var polys []orb.MultiPolygon
		if name == "zones" {
			if polys, err = s.polygons(ctx, c); err != nil {
				return nil, err
			}
		}
		for i, sec := range c.Sectors {
			r := rep.Sectors[i]
			props := coverageProps(r)
			props["line_version"] = c.Line.Version
			color := statusColor[r.Status]
			var g orb.Geometry
			if name == "sectors" {
				g = pieces(c.Zones.Line().Cut(sec.StartKm, sec.EndKm))
				props["stroke"], props["stroke-width"], props["stroke-opacity"] = color, 4, 1
			} else {
				g = polys[i]
				props["stroke"], props["stroke-width"], props["stroke-opacity"] = color, 1, 0.8
				props["fill"], props["fill-opacity"] = color, 0.3
			}
			f := geojson.NewFeature(g)
			f.ID = sec.ID
			f.Properties = props
			fc.Append(f)
		}
	case "air-defense":
		units, err := s.Units(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			if u.Kind != KindAirDefense {
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
			props["stroke"], props["stroke-width"], props["fill"] = "#1565c0", 2, "#1565c0"
			props["fill-opacity"] = 0.08
			if !u.Active {
				props["status"] = "inactive"
				props["stroke"], props["fill"], props["fill-opacity"] = "#757575", "#757575", 0.03
			}
			f.Properties = props
			fc.Append(f)
		}
	case "gaps":
		units, err := s.Units(ctx)
		if err != nil {
			return nil, err
		}
		ad := GeoUnits(units).AirDefense
		cov := make([]geo.SectorCoverage, len(rep.Sectors))
		for i, r := range rep.Sectors {
			cov[i].Unwatched = r.Unwatched
		}
		for i, mls := range c.Zones.PatrolGaps(cov) {
			if len(mls) == 0 {
				continue
			}
			f := geojson.NewFeature(pieces(mls))
			f.ID = "patrol-" + c.Sectors[i].ID
			f.Properties = geojson.Properties{"gap": "patrol", "sector": c.Sectors[i].ID,
				"unwatched_km": round6(c.Sectors[i].LengthKm() * (1 - rep.Sectors[i].Patrol.CoveredFraction)),
				"stroke":       statusColor[StatusGap], "stroke-width": 5, "stroke-opacity": 1}
			fc.Append(f)
		}
		polys, err := s.airDefenseGaps(ctx, c, ad)
		if err != nil {
			return nil, err
		}
		for i, mp := range polys {
			if len(mp) == 0 {
				continue
			}
			f := geojson.NewFeature(mp)
			f.ID = "air-defense-" + c.Sectors[i].ID
			f.Properties = geojson.Properties{"gap": "air_defense", "sector": c.Sectors[i].ID,
				"uncovered_fraction": round6(1 - rep.Sectors[i].AirDefense.CoveredFraction),
				"stroke":             statusColor[StatusGap], "stroke-width": 1, "fill": statusColor[StatusGap], "fill-opacity": 0.35}
			fc.Append(f)
		}
	default:
		return nil, fmt.Errorf("%w: no overlay %q (there are sectors, zones, air-defense and gaps)", ErrNotFound, name)
	}
	return shapeCollection(fc, sh), nil
}

func coverageProps(r SectorReport) geojson.Properties {
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

// RangeRing is the geodesic circle of radius km around c, as a polygon
// with a point every 2°.
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

// shapeCollection filters by bbox, simplifies and rounds, in place.
func shapeCollection(fc *FeatureCollection, sh Shape) *FeatureCollection {
	if sh.HasBBox {
		kept := fc.Features[:0]
		for _, f := range fc.Features {
			if f.Geometry.Bound().Intersects(sh.BBox) {
				kept = append(kept, f)
			}
		}
		fc.Features = kept
	}
	for _, f := range fc.Features {
		if sh.Tolerance > 0 {
			// Degrees of latitude; the simplification is for display.
			f.Geometry = simplify.DouglasPeucker(sh.Tolerance / 111320).Simplify(orb.Clone(f.Geometry))
		}
		if sh.Precision > 0 {
			f.Geometry = roundGeometry(f.Geometry, math.Pow(10, float64(sh.Precision)))
		}
	}
	return fc
}

func roundGeometry(g orb.Geometry, f float64) orb.Geometry {
	r := func(p orb.Point) orb.Point {
		return orb.Point{math.Round(p[0]*f) / f, math.Round(p[1]*f) / f}
	}
	switch g := g.(type) {
	case orb.Point:
		return r(g)
	case orb.LineString:
		out := make(orb.LineString, len(g))
		for i, p := range g {
			out[i] = r(p)
		}
		return out
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(g))
		for i, ls := range g {
			out[i] = roundGeometry(ls, f).(orb.LineString)
		}
		return out
	case orb.Ring:
		out := make(orb.Ring, len(g))
		for i, p := range g {
			out[i] = r(p)
		}
		return out
	case orb.Polygon:
		out := make(orb.Polygon, len(g))
		for i, ring := range g {
			out[i] = roundGeometry(ring, f).(orb.Ring)
		}
		return out
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = roundGeometry(p, f).(orb.Polygon)
		}
		return out
	}
	return g
}

type gapKey struct {
	zones zoneKey
	ad    string
}

// airDefenseGaps returns the zones less the air-defense ranges, cached by
// the zones and the active air-defense units alone, so that troop and
// patrol updates do not redo the polygon overlay.
func (s *Service) airDefenseGaps(ctx context.Context, c *Computation, ad []geo.AirDefense) ([]orb.MultiPolygon, error) {
	h := sha256.New()
	for _, u := range ad {
		fmt.Fprintf(h, "%s|%v|%v|%v\n", u.ID, u.Pos[0], u.Pos[1], u.RangeKm)
	}
	key := gapKey{zones: c.key, ad: string(h.Sum(nil))}
	return s.gaps.Get(key, func() ([]orb.MultiPolygon, error) {
		release, err := s.slot(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		defer s.opt.Hooks.computed("air_defense_gaps", time.Now())
		return c.Zones.AirDefenseGaps(ad)
	})
}
