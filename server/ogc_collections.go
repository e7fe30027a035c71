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
			description: "Every unit (troops, air defense, patrols) with its properties.",
			deps:        frontline.DependsOnUnits, units: true, settings: []string{scenarioParam}, features: s.ogcUnits, spatial: (*ogcExtents).units},
	}
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
// by default).
func (s *server) ogcUnits(ctx context.Context, _ timeFilter, p frontline.Params) ([]ogcFeature, error) {
	units, _, err := s.svc.UnitsFor(ctx, p.Scenario)
	if err != nil {
		return nil, err
	}
	out := make([]ogcFeature, len(units))
	for i, u := range units {
		out[i] = ogcFeature{id: u.ID, load: func() (any, orb.Bound, error) { return u, unitBound(u), nil }}
	}
	return out, nil
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

func (e *ogcExtents) units() (orb.Bound, bool, error) {
	if e.hideUnits {
		return orb.Bound{}, false, nil
	}
	units, _, err := e.svc.UnitsFor(e.ctx, e.p.Scenario)
	if err != nil || len(units) == 0 {
		return orb.Bound{}, false, err
	}
	b := unitBound(units[0])
	for _, u := range units[1:] {
		b = b.Union(unitBound(u))
	}
	return b, true, nil
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
