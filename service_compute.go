package frontline

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"frontline/geo"
)

// Computation is the zones of one line version for one set of settings.
type Computation struct {
	Line    *LineVersion
	Params  Params
	Zones   *geo.Zones
	Sectors []geo.Sector
	key     zoneKey
}

type zoneKey struct {
	version int
	sectors string
	depth   float64
	side    string
	anchors uint64
}

// Zones computes (or returns the cached) sectors and zones for p.
func (s *Service) Zones(ctx context.Context, p Params) (*Computation, error) {
	// Settings parsed by ParseParams are valid already; others are
	// checked here, before any computation.
	if !p.valid {
		if err := p.Validate(); err != nil {
			return nil, err
		}
	}
	lv, line, err := s.Line(ctx, p)
	if err != nil {
		return nil, err
	}
	var anchors []geo.Anchor
	key := zoneKey{version: lv.Version, depth: p.DepthKm, side: p.Side}
	switch {
	case p.Anchors:
		// The anchors and their revision together, so zones are never
		// cached under a revision they were not built from.
		if anchors, key.anchors, err = s.loadAnchors(ctx); err != nil {
			return nil, err
		}
		if len(anchors) == 0 {
			return nil, invalid(CodeNoAnchors, FieldAt("sectors"), "sectors=anchors, but no anchors are stored")
		}
		key.sectors = "anchors"
	case p.Sectors > 0:
		key.sectors = fmt.Sprintf("n%d", p.Sectors)
	default:
		key.sectors = fmt.Sprintf("km%g", p.SectorKm)
	}
	hit := true
	z, err := s.zones.Get(key, func() (*geo.Zones, error) {
		hit = false
		release, err := s.slot(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		defer s.opt.Hooks.computed("zones", time.Now())
		sectors, err := line.Sectors(p.Sectoring(anchors))
		if err != nil {
			field := "sectors"
			if p.SectorKm > 0 {
				field = "sector_km"
			}
			return nil, BadParameter(field, "%s",
				strings.TrimPrefix(err.Error(), geo.ErrInvalidSectoring.Error()+": "))
		}
		return geo.NewZones(line, sectors, p.ZoneOptions())
	})
	s.opt.Hooks.cache("zones", hit)
	if err != nil {
		return nil, err
	}
	return &Computation{Line: lv, Params: p, Zones: z, Sectors: z.Sectors(), key: key}, nil
}

// slot waits for a turn to compute: computations are CPU-bound, and
// running more than the cores at once only makes each one slower. Only
// leaf computations take a slot (none holds one while waiting for
// another), so slots cannot deadlock.
//
// The wait does not end with the request that started it: a computation
// is shared by every request for the same result, so one client going
// away must not fail the others; it gives up after slotWait instead.
func (s *Service) slot(_ context.Context) (release func(), err error) {
	t := time.NewTimer(slotWait)
	defer t.Stop()
	select {
	case s.compute <- struct{}{}:
		return func() { <-s.compute }, nil
	case <-t.C:
		return nil, fmt.Errorf("%w: no computation slot free for %s; try again", ErrBusy, slotWait)
	}
}

// slotWait bounds the wait for a computation slot.
const slotWait = 60 * time.Second

// ZonePolygons returns the zones of a computation as one MultiPolygon per
// sector, in lon/lat, drawn in a computation slot the first time. They are
// shared: do not modify them.
func (s *Service) ZonePolygons(ctx context.Context, c *Computation) ([]orb.MultiPolygon, error) {
	release, err := s.slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return c.Zones.Polygons(), nil
}

type reportKey struct {
	zones  zoneKey
	params string
	units  string // the units' revision: UnitsFor's key
}

// measureKey names the geometry of a report: the zones and the units.
// The settings that only grade it (required density, thresholds,
// rotation) are not in it, so changing them measures nothing again.
type measureKey struct {
	zones zoneKey
	units string
}

// Coverage computes (or returns the cached) coverage report for p.
func (s *Service) Coverage(ctx context.Context, p Params) (*Report, *Computation, error) {
	c, err := s.Zones(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	units, rev, err := s.UnitsFor(ctx, p.Scenario)
	if err != nil {
		return nil, nil, err
	}
	hit := true
	rep, err := s.reports.Get(reportKey{zones: c.key, params: p.Key(), units: rev}, func() (*Report, error) {
		hit = false
		cov, err := s.measure(ctx, c, measureKey{zones: c.key, units: rev}, units)
		if err != nil {
			return nil, err
		}
		return NewReport(c.Line, p, units, cov), nil
	})
	s.opt.Hooks.cache("reports", hit)
	if err != nil {
		return nil, nil, err
	}
	return rep, c, nil
}

// measure computes (or returns the cached) cover of the zones by units.
func (s *Service) measure(ctx context.Context, c *Computation, key measureKey, units []*Unit) ([]geo.SectorCoverage, error) {
	return s.measures.Get(key, func() ([]geo.SectorCoverage, error) {
		release, err := s.slot(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		defer s.opt.Hooks.computed("coverage", time.Now())
		return c.Zones.Coverage(GeoUnits(units)), nil
	})
}
