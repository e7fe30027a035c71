package frontline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"frontline/geo"
)

// AirDefenseRequest asks where to place new air-defense units (SPEC 9).
type AirDefenseRequest struct {
	System    string  // a known system gives the range
	RangeKm   float64 // overrides the system's range
	Count     int     // place this many, or
	Target    float64 // until every sector's covered fraction is at least this
	Max       int     // with Target, at most this many (default 200)
	SpacingKm float64 // candidate sites at most this far apart (default 5)
	Side      string  // candidates on this side (default left: the own side)
	SaveAs    string  // store the result as a scenario of this id
}

// Recommendation is the answer of a placement: the sites as unit
// Features, the coverage with them added, and the scenario saved.
type Recommendation struct {
	Sites    []*Unit `json:"-"`
	Report   *Report `json:"report"`
	Scenario *string `json:"scenario"`
	// TargetReached says, for a placement to a target, whether every
	// sector of the report reaches it. It may not: candidates stand on
	// one side, and a band on both sides can reach farther than a range.
	TargetReached *bool `json:"target_reached,omitempty"`
}

// checkAirDefenseRequest refuses a request out of range, naming the
// parameter, and fills in the defaults.
func (r *AirDefenseRequest) check() error {
	if r.RangeKm == 0 {
		rng, ok := DefaultRangesKm[strings.ToLower(r.System)]
		if !ok {
			return invalid(CodeUnknownSystem, FieldAt("system"), "system %q has no default range (known: %s); give range_km", truncate(r.System, 40), knownSystems())
		}
		r.RangeKm = rng
	}
	switch {
	case !(r.RangeKm > 0) || r.RangeKm > 1000:
		return BadParameter("range_km", "range_km must be above 0 and at most 1000, got %g", r.RangeKm)
	case (r.Count == 0) == (r.Target == 0):
		return BadParameter("count", "give count (1 to %d) or target (a fraction above 0, at most 1), one of them", geo.MaxPlacementCount)
	case r.Count < 0 || r.Count > geo.MaxPlacementCount:
		return BadParameter("count", "count must be from 1 to %d, got %d", geo.MaxPlacementCount, r.Count)
	case r.Target < 0 || r.Target > 1 || math.IsNaN(r.Target):
		return BadParameter("target", "target must be a fraction above 0, at most 1, got %g", r.Target)
	case r.Max < 0 || r.Max > geo.MaxPlacementCount:
		return BadParameter("max", "max must be from 1 to %d, got %d", geo.MaxPlacementCount, r.Max)
	case r.SpacingKm < 0 || r.SpacingKm > 100 || math.IsNaN(r.SpacingKm):
		return BadParameter("spacing_km", "spacing_km must be above 0, at most 100, got %g", r.SpacingKm)
	case r.SaveAs != "":
		if err := CheckScenarioID(r.SaveAs); err != nil {
			return BadParameter("save_as", "save_as: %s", strings.TrimPrefix(err.Error(), "id: "))
		}
	}
	if r.Side == "" {
		r.Side = "left"
	}
	if r.Side != "left" && r.Side != "right" {
		return BadParameter("place_side", "place_side must be left or right, got %q", truncate(r.Side, 40))
	}
	return nil
}

// RecommendAirDefense places new air-defense units for the computation p
// selects (its line version, sectors, zones and scenario): greedy
// maximal covering (geo.Zones.RecommendAirDefense). The report is the
// coverage with the sites added, computed exactly; with SaveAs the sites
// are stored as a scenario on the same base whose coverage, read afresh,
// is that report.
func (s *Service) RecommendAirDefense(ctx context.Context, p Params, r AirDefenseRequest) (*Recommendation, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	c, units, release, err := s.placementInputs(ctx, p)
	if err != nil {
		return nil, err
	}
	side, _ := geo.ParseSide(r.Side)
	sites, err := c.Zones.RecommendAirDefense(GeoUnits(units).AirDefense, geo.PlacementOptions{RangeKm: r.RangeKm,
		Count: r.Count, Target: r.Target, Max: r.Max, SpacingKm: r.SpacingKm, Side: side})
	release()
	switch {
	case errors.Is(err, geo.ErrNoCandidates):
		return nil, invalid(CodeBadParameter, FieldAt("place_side"), "%s", strings.TrimPrefix(err.Error(), "geo: "))
	case errors.Is(err, geo.ErrInvalidPlacement):
		return nil, BadParameter("count", "%s", strings.TrimPrefix(err.Error(), geo.ErrInvalidPlacement.Error()+": "))
	case err != nil:
		return nil, err
	}
	placedSites := make([]placed, len(sites))
	for i, site := range sites {
		placedSites[i] = placed{pos: site.Pos, props: map[string]any{"kind": KindAirDefense, "system": strings.ToLower(r.System),
			"range_km": r.RangeKm, "gain_km2": math.Round(site.GainKm2*1000) / 1000, "covered_fraction": round6(site.CoveredFraction)}}
	}
	var reached func(*Report) bool
	if r.Target > 0 {
		reached = func(rep *Report) bool {
			for _, sec := range rep.Sectors {
				if sec.AirDefense.CoveredFraction < r.Target {
					return false
				}
			}
			return true
		}
	}
	return s.recommended(ctx, p, c, units, "rec-ad-%03d", placedSites, r.SaveAs, "air-defense sites", reached)
}

// placementInputs are what a placement starts from: the zones p selects,
// the units of its scenario, and a computation slot to release once the
// placement is done.
func (s *Service) placementInputs(ctx context.Context, p Params) (*Computation, []*Unit, func(), error) {
	c, err := s.Zones(ctx, p)
	if err != nil {
		return nil, nil, nil, err
	}
	units, _, err := s.UnitsFor(ctx, p.Scenario)
	if err != nil {
		return nil, nil, nil, err
	}
	release, err := s.slot(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	return c, units, release, nil
}

// placed is a recommended site: where, and the unit's properties.
type placed struct {
	pos   orb.Point
	props map[string]any
}

// recommended turns sites into units (ids from idFormat, free among the
// units), computes the coverage with them added exactly, says whether a
// target is reached, and with saveAs stores them as a scenario whose
// coverage read afresh is that report.
func (s *Service) recommended(ctx context.Context, p Params, c *Computation, units []*Unit, idFormat string, sites []placed,
	saveAs, what string, reached func(*Report) bool) (*Recommendation, error) {
	out := &Recommendation{}
	taken := map[string]bool{}
	for _, u := range units {
		taken[u.ID] = true
	}
	n := 0
	for _, site := range sites {
		id := ""
		for id == "" || taken[id] {
			n++
			id = fmt.Sprintf(idFormat, n)
		}
		site.props["recommended"] = true
		f, _ := json.Marshal(map[string]any{"type": "Feature", "id": id,
			"geometry":   map[string]any{"type": "Point", "coordinates": []float64{round6(site.pos[0]), round6(site.pos[1])}},
			"properties": site.props})
		u, err := ParseUnit(f, -1)
		if err != nil {
			return nil, fmt.Errorf("frontline: recommended site: %w", err)
		}
		out.Sites = append(out.Sites, u)
	}
	sc, err := s.withSites(ctx, p, out.Sites, saveAs, what)
	if err != nil {
		return nil, err
	}
	var stored []*Unit
	if sc.Base == BaseLive {
		if stored, _, err = s.loadUnits(ctx); err != nil {
			return nil, err
		}
	}
	all := sc.ApplyUnits(stored)
	out.Report = NewReport(c.Line, p, all, c.Zones.Coverage(GeoUnits(all)))
	if reached != nil {
		ok := reached(out.Report)
		out.TargetReached = &ok
	}
	if saveAs != "" {
		if _, err := s.PutScenario(ctx, sc, nil); err != nil {
			return nil, err
		}
		out.Scenario = &sc.ID
	}
	return out, nil
}

// withSites is the scenario of p (or the stored units) with the sites
// added, and p's settings as its own, so that reading its coverage
// afresh gives the same report.
func (s *Service) withSites(ctx context.Context, p Params, sites []*Unit, id, what string) (*Scenario, error) {
	sc := &Scenario{ID: id, Base: BaseLive, Remove: []string{}, Name: "recommended " + what,
		Description: fmt.Sprintf("%d recommended %s", len(sites), what)}
	if p.Scenario != "" {
		base, err := s.Scenario(ctx, p.Scenario)
		if err != nil {
			return nil, err
		}
		sc.Base, sc.Remove = base.Base, append([]string{}, base.Remove...)
		sc.Units = append(sc.Units, base.Units...)
		sc.Description += " on scenario " + base.ID
	}
	sc.Units = append(sc.Units, sites...)
	sc.Settings = p.Settings()
	return sc, nil
}

// PatrolRequest asks for the fewest observation posts that bring every
// sector's watched fraction to Target (SPEC 9).
type PatrolRequest struct {
	ObserveKm float64 // how far each post sees (default 5)
	Target    float64 // the fraction every sector must reach
	Max       int     // at most this many posts (default 200)
	SaveAs    string  // store the result as a scenario of this id
}

// RecommendPatrols places observation posts on the line for the
// computation p selects (geo.Zones.RecommendPatrolPosts), with the
// coverage with them added and, with SaveAs, the scenario they were
// stored as.
func (s *Service) RecommendPatrols(ctx context.Context, p Params, r PatrolRequest) (*Recommendation, error) {
	if r.ObserveKm == 0 {
		r.ObserveKm = DefaultObserveKm
	}
	switch {
	case !(r.ObserveKm > 0) || r.ObserveKm > 1000:
		return nil, BadParameter("observe_km", "observe_km must be above 0 and at most 1000, got %g", r.ObserveKm)
	case !(r.Target > 0) || r.Target > 1:
		return nil, BadParameter("target", "target must be a fraction above 0, at most 1, got %g", r.Target)
	case r.Max < 0 || r.Max > geo.MaxPlacementCount:
		return nil, BadParameter("max", "max must be from 1 to %d, got %d", geo.MaxPlacementCount, r.Max)
	case r.SaveAs != "":
		if err := CheckScenarioID(r.SaveAs); err != nil {
			return nil, BadParameter("save_as", "save_as: %s", strings.TrimPrefix(err.Error(), "id: "))
		}
	}
	c, units, release, err := s.placementInputs(ctx, p)
	if err != nil {
		return nil, err
	}
	posts, err := c.Zones.RecommendPatrolPosts(GeoUnits(units).Patrols, r.ObserveKm, r.Target, r.Max)
	release()
	if err != nil {
		return nil, err
	}
	sites := make([]placed, len(posts))
	for i, post := range posts {
		sites[i] = placed{pos: post.Pos, props: map[string]any{"kind": KindPatrol, "observe_km": r.ObserveKm,
			"gain_km": math.Round(post.GainKm*1000) / 1000, "covered_fraction": round6(post.CoveredFraction)}}
	}
	return s.recommended(ctx, p, c, units, "rec-post-%03d", sites, r.SaveAs, "observation posts", func(rep *Report) bool {
		for _, sec := range rep.Sectors {
			if sec.Patrol.CoveredFraction < r.Target {
				return false
			}
		}
		return true
	})
}

// Requirements are the troops each sector needs and lacks under p, and
// the air-defense units (of system) and observation posts (seeing
// observeKm) the recommendations place to bring every sector to the
// thresholds of ok.
func (s *Service) Requirements(ctx context.Context, p Params, system string, observeKm float64) (*Requirements, error) {
	rep, _, err := s.Coverage(ctx, p)
	if err != nil {
		return nil, err
	}
	req := NewRequirements(rep)
	ad := AirDefenseRequest{System: system, Target: p.AirDefenseOK}
	if ad.Target > 1 {
		ad.Target = 1
	}
	rec, err := s.RecommendAirDefense(ctx, p, ad)
	if err != nil {
		return nil, err
	}
	req.AirDefense = &PlacementRequirement{System: strings.ToLower(system), RangeKm: DefaultRangesKm[strings.ToLower(system)],
		Target: ad.Target, Needed: len(rec.Sites), Reached: *rec.TargetReached}
	pt := PatrolRequest{ObserveKm: observeKm, Target: min(p.PatrolOK, 1)}
	if rec, err = s.RecommendPatrols(ctx, p, pt); err != nil {
		return nil, err
	}
	if pt.ObserveKm == 0 {
		pt.ObserveKm = DefaultObserveKm
	}
	req.Patrols = &PlacementRequirement{ObserveKm: pt.ObserveKm, Target: pt.Target, Needed: len(rec.Sites), Reached: *rec.TargetReached}
	return req, nil
}
