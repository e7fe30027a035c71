package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline"
	"frontline/overlay"
)

// ogcFeature is one item of an OGC collection. load returns its GeoJSON
// Feature and bounds; line versions read their geometry only then, so a
// page of them costs only its own.
type ogcFeature struct {
	id   string
	load func() (any, orb.Bound, error)
}

// ogcCollection is one collection the OGC API serves.
type ogcCollection struct {
	id, title, description string
	deps                   int  // the stored data its features depend on
	timed                  bool // takes datetime; has a temporal extent
	units                  bool // unit positions (a read key under ProtectUnits)
	// geometry lists the geometry types of the features, for the schema
	// of the unit collections (ogc_schema.go).
	geometry []string
	// settings are the coverage settings (of frontline.Settings) the
	// collection takes as query parameters, here as on /v1.
	settings []string
	// features lists the items for the settings p, selected by datetime
	// when timed.
	features func(ctx context.Context, when timeFilter, p frontline.Params) ([]ogcFeature, error)
	// spatial is the collection's spatial extent, if it has any data.
	spatial func(e *ogcExtents) (orb.Bound, bool, error)
}

// ogcCollections are the collections, in the order they are listed.
func (s *server) ogcCollections() []*ogcCollection {
	const byTime = " With datetime, the line version valid at that instant (or the newest one valid during that interval) is used."
	// The collections drawn on sectors take every setting; the units
	// only the scenario whose units they are.
	return []*ogcCollection{
		{id: "frontline", title: "Front line versions",
			description: "Every version of the line of contact, id = version number. With datetime, the version valid at that instant, or the versions valid during that interval.",
			deps:        frontline.DependsOnLines, timed: true, features: s.ogcLines, spatial: (*ogcExtents).lines},
		{id: "sectors", title: "Sectors",
			description: "The current line cut into sectors by the default settings (GET /v1/settings; built in: " + km(frontline.DefaultSectorKm) + " sectors): each sector's piece of the line." + byTime,
			deps:        frontline.DependsOnLines | frontline.DependsOnAnchors, timed: true, settings: coverageParams,
			features: s.ogcSectors(false), spatial: (*ogcExtents).lines},
		{id: "zones", title: "Sector zones",
			description: "The zone of each sector: the band within the default depth of the line (GET /v1/settings; built in: " + km(frontline.DefaultDepthKm) + ", both sides), split between the sectors." + byTime,
			deps:        frontline.DependsOnLines | frontline.DependsOnAnchors, timed: true, settings: coverageParams,
			features: s.ogcSectors(true), spatial: (*ogcExtents).zones},
		{id: "coverage", title: "Sector coverage",
			description: "Each sector's piece of the line with its coverage figures and statuses (troops, air defense, patrol) as flat properties, for the default settings." + byTime,
			deps:        frontline.DependsOnAll, timed: true, settings: coverageParams, features: s.ogcCoverage, spatial: (*ogcExtents).lines},
		{id: "units", title: "Units",
			description: "Every unit (troops, air defense, patrols) with its properties. Points and patrol routes (LineStrings) together: for formats with one geometry type per layer (Shapefile, GeoPackage) take unit-points and patrol-routes.",
			deps:        frontline.DependsOnUnits, units: true, geometry: []string{"Point", "LineString"},
			settings: []string{scenarioParam}, features: s.ogcUnits(anyUnit), spatial: unitExtent(anyUnit)},
		// The units again, one collection per geometry type: a Shapefile
		// (or a GeoPackage table) holds one, and GDAL types a layer by the
		// geometries of its first page.
		{id: "unit-points", title: "Unit points",
			description: "The units whose geometry is a Point: troops, air defense and observation posts (patrols at one place), with their properties. Every feature is a Point.",
			deps:        frontline.DependsOnUnits, units: true, geometry: []string{"Point"},
			settings: []string{scenarioParam}, features: s.ogcUnits(unitPoint), spatial: unitExtent(unitPoint)},
		{id: "patrol-routes", title: "Patrol routes",
			description: "The patrols whose geometry is a route (a LineString), with their properties. Every feature is a LineString.",
			deps:        frontline.DependsOnUnits, units: true, geometry: []string{"LineString"},
			settings: []string{scenarioParam}, features: s.ogcUnits(patrolRoute), spatial: unitExtent(patrolRoute)},
	}
}

// Which units a units collection holds.
func anyUnit(*frontline.Unit) bool       { return true }
func unitPoint(u *frontline.Unit) bool   { return !u.IsRoute() }
func patrolRoute(u *frontline.Unit) bool { return u.IsRoute() }

// unitCollectionIDs are the collections of units, whose documents and
// items show where units are: under ProtectUnits they need a read key
// (routes: unitsWhen).
func (o *ogcAPI) unitCollectionIDs() []string {
	var ids []string
	for _, col := range o.collections {
		if col.units {
			ids = append(ids, col.id)
		}
	}
	return ids
}

// scenarioParam is the setting that names a scenario: all the units
// collection takes.
const scenarioParam = "scenario"

// page returns the features a query selects, loaded, and how many match
// in all.
func (col *ogcCollection) page(ctx context.Context, q itemsQuery, p frontline.Params) (page []any, matched int, err error) {
	features, err := col.features(ctx, q.when, p)
	if err != nil {
		return nil, 0, err
	}
	// values[i] is features[i] loaded, when the bbox needed it.
	values := make([]any, len(features))
	if q.shape.HasBBox {
		kept := features[:0]
		values = values[:0]
		for _, f := range features {
			v, b, err := f.load()
			if err != nil {
				return nil, 0, err
			}
			if b.Intersects(q.shape.BBox) {
				kept, values = append(kept, f), append(values, v)
			}
		}
		features = kept
	}
	start, end := min(q.offset, len(features)), min(q.offset+q.limit, len(features))
	page = make([]any, 0, end-start)
	for i := start; i < end; i++ {
		v := values[i]
		if v == nil {
			if v, _, err = features[i].load(); err != nil {
				return nil, 0, err
			}
		}
		page = append(page, v)
	}
	return page, len(features), nil
}

// feature returns one feature by id: a line version, a sector of the
// line version p picks (the current one by default), a unit.
func (col *ogcCollection) feature(ctx context.Context, id string, p frontline.Params) (any, error) {
	features, err := col.features(ctx, timeFilter{}, p)
	if err != nil {
		return nil, err
	}
	for _, f := range features {
		if f.id == id {
			v, _, err := f.load()
			return v, err
		}
	}
	return nil, fmt.Errorf("%w: no feature %q in collection %q", frontline.ErrNotFound, id, col.id)
}

func km(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) + " km" }

// ogcLines lists the line versions, by version number.
func (s *server) ogcLines(ctx context.Context, when timeFilter, _ frontline.Params) ([]ogcFeature, error) {
	vs := s.svc.Versions()
	if when.set {
		vs = validVersions(vs, when)
		sort.Slice(vs, func(i, j int) bool { return vs[i].Version < vs[j].Version })
	}
	out := make([]ogcFeature, len(vs))
	for i, v := range vs {
		out[i] = ogcFeature{id: strconv.Itoa(v.Version), load: func() (any, orb.Bound, error) {
			lv, _, err := s.svc.Line(ctx, frontline.Params{Version: v.Version})
			if err != nil {
				return nil, orb.Bound{}, err
			}
			f := lineFeature(lv, overlay.Options{})
			realNumbers(f["properties"].(map[string]any))
			return f, lv.BBox, nil
		}}
	}
	return out, nil
}

// ogcParams are the settings p on the line version a datetime selects:
// the newest valid at some moment of it. ok is false when no version is.
// Without a datetime, p's own version or at (or the current line)
// stands; a query never gives both (parseItemsQuery).
func (s *server) ogcParams(when timeFilter, p frontline.Params) (_ frontline.Params, ok bool) {
	if !when.set {
		return p, true
	}
	vs := validVersions(s.svc.Versions(), when)
	if len(vs) == 0 {
		return p, false
	}
	p.Version, p.At = vs[len(vs)-1].Version, time.Time{}
	return p, true
}

// ogcOptions are how sector geometries are drawn: as computed, to six
// decimals (about 0.1 m), like the /v1 reads by default.
var ogcOptions = overlay.Options{Precision: 6}

func (s *server) ogcSectors(zones bool) func(context.Context, timeFilter, frontline.Params) ([]ogcFeature, error) {
	return func(ctx context.Context, when timeFilter, p frontline.Params) ([]ogcFeature, error) {
		p, ok := s.ogcParams(when, p)
		if !ok {
			return nil, nil
		}
		fc, err := s.drawSectors(ctx, p, zones, ogcOptions)
		if err != nil {
			return nil, err
		}
		return ogcFeatures(fc), nil
	}
}

func (s *server) ogcCoverage(ctx context.Context, when timeFilter, p frontline.Params) ([]ogcFeature, error) {
	p, ok := s.ogcParams(when, p)
	if !ok {
		return nil, nil
	}
	fc, err := s.drawOverlay(ctx, "sectors", p, ogcOptions)
	if err != nil {
		return nil, err
	}
	return ogcFeatures(fc), nil
}

// ogcUnits lists the units p's scenario computes with (the stored ones
// by default) that keep selects.
func (s *server) ogcUnits(keep func(*frontline.Unit) bool) func(context.Context, timeFilter, frontline.Params) ([]ogcFeature, error) {
	return func(ctx context.Context, _ timeFilter, p frontline.Params) ([]ogcFeature, error) {
		units, _, err := s.svc.UnitsFor(ctx, p.Scenario)
		if err != nil {
			return nil, err
		}
		out := make([]ogcFeature, 0, len(units))
		for _, u := range units {
			if keep(u) {
				out = append(out, ogcFeature{id: u.ID, load: func() (any, orb.Bound, error) { return u, unitBound(u), nil }})
			}
		}
		return out, nil
	}
}

func ogcFeatures(fc *geojson.FeatureCollection) []ogcFeature {
	out := make([]ogcFeature, len(fc.Features))
	for i, f := range fc.Features {
		realNumbers(f.Properties)
		out[i] = ogcFeature{id: fmt.Sprint(f.ID), load: func() (any, orb.Bound, error) { return f, f.Geometry.Bound(), nil }}
	}
	return out
}

// realNumbers writes whole computed figures as 25.0 rather than 25, so
// that a client typing fields from the first page (GDAL does) makes them
// Real, not Integer, and does not cut 12.5 to 12 later on. Only float64
// values change: user properties are json.Number and stay as given.
func realNumbers(props map[string]any) {
	for k, v := range props {
		f, ok := v.(float64)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		b, _ := json.Marshal(f)
		if !bytes.ContainsAny(b, ".eE") {
			b = append(b, ".0"...)
		}
		props[k] = json.Number(b)
	}
}

// ogcExtents works out the collections' extents for one response, each
// at most once.
type ogcExtents struct {
	ctx context.Context
	svc *frontline.Service
	// p are the settings the collections are read with: the zones' depth,
	// the scenario whose units they are.
	p frontline.Params
	// hideUnits leaves the units' extent out: under ProtectUnits it
	// would give away where they are (one unit's exact position).
	hideUnits bool

	lineDone, hasLine bool
	line              orb.Bound
}

// lines bounds every line version, so it holds every sector of any of
// them.
func (e *ogcExtents) lines() (orb.Bound, bool, error) {
	if e.lineDone {
		return e.line, e.hasLine, nil
	}
	// From the bounds stored with each version: no geometry is read.
	for _, v := range e.svc.Versions() {
		if e.hasLine {
			e.line = e.line.Union(v.BBox)
		} else {
			e.line, e.hasLine = v.BBox, true
		}
	}
	e.lineDone = true
	return e.line, e.hasLine, nil
}

// zones bounds the lines grown by the zone depth of the settings: every
// zone lies within it.
func (e *ogcExtents) zones() (orb.Bound, bool, error) {
	b, ok, err := e.lines()
	if !ok || err != nil {
		return b, ok, err
	}
	return expandKm(b, e.p.DepthKm), true, nil
}

// unitExtent bounds the units keep selects; there is none when no unit
// is selected.
func unitExtent(keep func(*frontline.Unit) bool) func(e *ogcExtents) (orb.Bound, bool, error) {
	return func(e *ogcExtents) (b orb.Bound, ok bool, err error) {
		if e.hideUnits {
			return orb.Bound{}, false, nil
		}
		units, _, err := e.svc.UnitsFor(e.ctx, e.p.Scenario)
		if err != nil {
			return orb.Bound{}, false, err
		}
		for _, u := range units {
			if !keep(u) {
				continue
			}
			if ok {
				b = b.Union(unitBound(u))
			} else {
				b, ok = unitBound(u), true
			}
		}
		return b, ok, nil
	}
}

// temporal is the range of the line versions' valid_from.
func (e *ogcExtents) temporal() (from, to time.Time, ok bool) {
	for _, v := range e.svc.Versions() {
		if !ok || v.ValidFrom.Before(from) {
			from = v.ValidFrom
		}
		if !ok || v.ValidFrom.After(to) {
			to = v.ValidFrom
		}
		ok = true
	}
	return from, to, ok
}
