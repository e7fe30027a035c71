package cot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"frontline"
	"frontline/overlay"
)

// The CoT types of the drawings.
const (
	TypePolygon = "u-d-f"   // drawing, freeform: a polygon (closed) or a line
	TypeCircle  = "u-d-c-c" // drawing, circle
)

// routeColor is a patrol route's colour: the patrols' colour of the map
// page.
const routeColor = "#6a1b9a"

// UID prefixes name every event so that a client updates the same item
// when the data change rather than adding one: an event of a sector is
// <prefix>-sector-<sector id> whatever the line version (a new line
// moves the sector's polygon), a range ring <prefix>-ring-<unit id>, a
// unit <prefix>-unit-<unit id>, a patrol's route <prefix>-route-<unit
// id>. The prefix is "frontline", or "frontline-<scenario>" under a
// scenario, so that two options shown on one client do not overwrite
// each other.
func Prefix(scenario string) string {
	if scenario == "" || scenario == frontline.LiveScenario {
		return "frontline"
	}
	return "frontline-" + scenario
}

// Events are the events of a coverage: the sectors' zones (Sectors), the
// air-defense rings (Rings), the patrols' routes (Routes) and the units
// (Units), in that order, so that a client draws the units on top.
// zones are the service's ZonePolygons of c, units those the report was
// computed with.
func Events(prefix string, rep *frontline.Report, c *frontline.Computation, zones []orb.MultiPolygon, units []*frontline.Unit) ([]Event, error) {
	events, err := Sectors(prefix, rep, c, zones)
	if err != nil {
		return nil, err
	}
	rings, err := Rings(prefix, units)
	if err != nil {
		return nil, err
	}
	events = append(events, rings...)
	events = append(events, Routes(prefix, units)...)
	return append(events, Units(prefix, units)...), nil
}

// Sectors draws each sector's zone as a polygon (u-d-f) in the colours of
// the zones overlay (its status colour, stroke and fill at the overlay's
// opacities and width), named "<id> <status>", with the coverage figures
// in its remarks. Its point is the polygon's centroid. The outer ring
// only: a TAK drawing has no holes. A zone in several parts (a
// MultiPolygon) is one event per part, the uid suffixed -1, -2, ... in
// the order of the parts, and "1/2", "2/2" ... after the name; a zone of
// one part has no suffix, and an empty zone no event.
func Sectors(prefix string, rep *frontline.Report, c *frontline.Computation, zones []orb.MultiPolygon) ([]Event, error) {
	fc := overlay.Coverage(rep, c, zones)
	var events []Event
	for i, f := range fc.Features {
		r := rep.Sectors[i]
		stroke, fill, weight, err := style(f.Properties)
		if err != nil {
			return nil, fmt.Errorf("sector %s: %w", r.ID, err)
		}
		var rings []orb.Ring
		switch g := f.Geometry.(type) {
		case orb.MultiPolygon:
			for _, p := range g {
				if len(p) > 0 && len(p[0]) > 0 {
					rings = append(rings, p[0])
				}
			}
		case orb.Polygon:
			if len(g) > 0 && len(g[0]) > 0 {
				rings = append(rings, g[0])
			}
		}
		remarks := sectorRemarks(r, c.Line.Version)
		for k, ring := range rings {
			uid, name := prefix+"-sector-"+r.ID, r.ID+" "+r.Status
			if len(rings) > 1 {
				uid += "-" + strconv.Itoa(k+1)
				name += fmt.Sprintf(" %d/%d", k+1, len(rings))
			}
			centre, _ := planar.CentroidArea(orb.Polygon{ring})
			if !valid(centre) {
				centre = ring[0]
			}
			events = append(events, Event{
				Version: Version, UID: uid, Type: TypePolygon, How: How,
				Point: point(centre, Unknown),
				Detail: Detail{
					Links:       links(ring, true),
					StrokeColor: stroke, StrokeWeight: weight, FillColor: fill,
					Contact: &Contact{Callsign: name}, Remarks: remarks,
					LabelsOn: &Value{Value: "true"},
				},
			})
		}
	}
	return events, nil
}

// sectorRemarks are a sector's coverage figures in words.
func sectorRemarks(r frontline.SectorReport, version int) string {
	return fmt.Sprintf("Sector %s, km %s to %s of line version %d: %s. "+
		"Troops: %d, %s per km, %s of the %s per km required (%s). "+
		"Air defense: %s of the zone covered (%s). Patrols: %s of the line watched (%s).",
		r.ID, num(r.StartKm), num(r.EndKm), version, r.Status,
		r.Troops.Strength, num(round(r.Troops.PerKm, 2)), num(round(r.Troops.Ratio, 2)), num(r.Troops.RequiredPerKm), r.Troops.Status,
		percent(r.AirDefense.CoveredFraction), r.AirDefense.Status,
		percent(r.Patrol.CoveredFraction), r.Patrol.Status)
}

// Rings draws the range ring of every air-defense unit as a circle
// (u-d-c-c) at the unit, its radius the unit's range, in the colours of
// the air-defense overlay (blue when active, grey when not).
func Rings(prefix string, units []*frontline.Unit) ([]Event, error) {
	fc := overlay.AirDefense(units)
	byID := make(map[string]*geojson.Feature, len(fc.Features))
	for _, f := range fc.Features {
		if id, ok := f.ID.(string); ok {
			byID[id] = f
		}
	}
	var events []Event
	for _, u := range units {
		f, ok := byID[u.ID]
		if u.Kind != frontline.KindAirDefense || !ok {
			continue
		}
		stroke, fill, weight, err := style(f.Properties)
		if err != nil {
			return nil, fmt.Errorf("unit %s: %w", u.ID, err)
		}
		r := Number(u.RangeKm * 1000)
		status := "active"
		if !u.Active {
			status = "inactive"
		}
		remarks := fmt.Sprintf("Range of %s: %s km, %s.", describe(u), num(u.RangeKm), status)
		events = append(events, Event{
			Version: Version, UID: prefix + "-ring-" + u.ID, Type: TypeCircle, How: How,
			Point: unitPoint(u.Coords[0]),
			Detail: Detail{
				Shape:       &Shape{Ellipse: Ellipse{Major: r, Minor: r, Angle: 0}},
				StrokeColor: stroke, StrokeWeight: weight, FillColor: fill,
				Contact: &Contact{Callsign: callsign(u) + " range"}, Remarks: remarks,
				LabelsOn: &Value{Value: "false"},
			},
		})
	}
	return events, nil
}

// Units draws every unit as a point with its 2525 type (UnitType of its
// sidc and kind), named by its name (or id), with its figures in the
// remarks. A patrol with a route is drawn at the route's middle vertex
// (Routes draws the route).
func Units(prefix string, units []*frontline.Unit) []Event {
	events := make([]Event, 0, len(units))
	for _, u := range units {
		sidc, _ := u.Properties["sidc"].(string)
		events = append(events, Event{
			Version: Version, UID: prefix + "-unit-" + u.ID, Type: UnitType(sidc, u.Kind), How: How,
			Point: unitPoint(Position(u)),
			Detail: Detail{
				Contact: &Contact{Callsign: callsign(u)}, Remarks: unitRemarks(u, sidc),
			},
		})
	}
	return events
}

// Routes draws the route of every patrol that has one as a line (u-d-f,
// not closed), at the route's middle vertex like the patrol's point.
func Routes(prefix string, units []*frontline.Unit) []Event {
	var events []Event
	stroke, _ := colorValue(routeColor, 1)
	fill, _ := colorValue(routeColor, 0)
	for _, u := range units {
		if !u.IsRoute() {
			continue
		}
		route := make(orb.Ring, len(u.Coords))
		for i, p := range u.Coords {
			route[i] = p.Point()
		}
		events = append(events, Event{
			Version: Version, UID: prefix + "-route-" + u.ID, Type: TypePolygon, How: How,
			Point: unitPoint(Position(u)),
			Detail: Detail{
				Links:       links(route, false),
				StrokeColor: stroke, StrokeWeight: &Value{Value: "2.0"}, FillColor: fill,
				Contact: &Contact{Callsign: callsign(u) + " route"},
				Remarks: fmt.Sprintf("Route of %s: %d points, %s visits a day, seeing %s km either side.",
					describe(u), len(u.Coords), num(u.VisitsPerDay), num(u.ObserveKm)),
				LabelsOn: &Value{Value: "false"},
			},
		})
	}
	return events
}

// Position is where a unit is drawn: its point, or the middle vertex of a
// patrol's route (index len/2).
func Position(u *frontline.Unit) frontline.Position {
	if u.IsRoute() {
		return u.Coords[len(u.Coords)/2]
	}
	return u.Coords[0]
}

func unitRemarks(u *frontline.Unit, sidc string) string {
	var b strings.Builder
	b.WriteString(describe(u))
	switch u.Kind {
	case frontline.KindTroops:
		fmt.Fprintf(&b, ": troops, strength %d", u.Strength)
		if u.Sector != "" {
			fmt.Fprintf(&b, ", assigned to sector %s", u.Sector)
		}
	case frontline.KindAirDefense:
		status := "active"
		if !u.Active {
			status = "inactive"
		}
		b.WriteString(": air defense")
		if u.System != "" {
			fmt.Fprintf(&b, ", system %s", u.System)
		}
		fmt.Fprintf(&b, ", range %s km, %s", num(u.RangeKm), status)
	case frontline.KindPatrol:
		fmt.Fprintf(&b, ": patrol, seeing %s km either side, %s visits a day", num(u.ObserveKm), num(u.VisitsPerDay))
		if u.IsRoute() {
			fmt.Fprintf(&b, ", on a route of %d points (shown at its middle point)", len(u.Coords))
		}
	}
	if sidc != "" {
		fmt.Fprintf(&b, ". SIDC %s", sidc)
	}
	b.WriteString(".")
	return b.String()
}

// callsign is a unit's name, or its id.
func callsign(u *frontline.Unit) string {
	if n, ok := u.Properties["name"].(string); ok && strings.TrimSpace(n) != "" {
		return n
	}
	return u.ID
}

// describe names a unit in remarks: its name and id.
func describe(u *frontline.Unit) string {
	if n := callsign(u); n != u.ID {
		return n + " (" + u.ID + ")"
	}
	return u.ID
}

// style reads the simplestyle properties of an overlay feature as TAK
// colours and width, with simplestyle's defaults.
func style(p geojson.Properties) (stroke, fill, weight *Value, err error) {
	color := func(key, def string) string {
		if s, ok := p[key].(string); ok {
			return s
		}
		return def
	}
	if stroke, err = colorValue(color("stroke", "#555555"), number(p["stroke-opacity"], 1)); err != nil {
		return nil, nil, nil, err
	}
	if fill, err = colorValue(color("fill", "#555555"), number(p["fill-opacity"], 0.6)); err != nil {
		return nil, nil, nil, err
	}
	return stroke, fill, &Value{Value: Number(number(p["stroke-width"], 2)).String()}, nil
}

// number is a numeric property, or def.
func number(v any, def float64) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int:
		return float64(n)
	}
	return def
}

// links are a ring's vertices as links, closed when closed is true (the
// first vertex repeated at the end if it is not already).
func links(ring orb.Ring, closed bool) []Link {
	l := make([]Link, 0, len(ring)+1)
	for _, p := range ring {
		l = append(l, Link{Point: latLon(p[1], p[0])})
	}
	if closed && len(ring) > 0 && ring[0] != ring[len(ring)-1] {
		l = append(l, l[0])
	}
	return l
}

func point(p orb.Point, hae float64) Point {
	return Point{Lat: Number(round7(p[1])), Lon: Number(round7(p[0])), Hae: Number(hae), Ce: Unknown, Le: Unknown}
}

// unitPoint is a position, with its height when it has one.
func unitPoint(p frontline.Position) Point {
	hae := Unknown
	if len(p) > 2 {
		hae = p[2]
	}
	return point(p.Point(), hae)
}

func valid(p orb.Point) bool {
	return p[1] >= -90 && p[1] <= 90 && p[0] >= -180 && p[0] <= 180
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func round(v float64, decimals int) float64 {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	r, _ := strconv.ParseFloat(s, 64)
	return r
}

func percent(f float64) string { return num(round(f*100, 1)) + "%" }
