package frontline

import (
	"fmt"
	"math"
	"time"

	"frontline/geo"
)

// Statuses of a coverage figure and of a sector.
const (
	StatusOK   = "ok"
	StatusThin = "thin"
	StatusGap  = "gap"
)

// Default settings of a coverage computation.
const (
	DefaultSectorKm      = 25.0
	DefaultDepthKm       = 30.0
	DefaultRequiredPerKm = 48.0 // about 100,000 troops over about 2,100 km
	DefaultTroopsOK      = 1.0
	DefaultAirDefenseOK  = 0.9
	DefaultPatrolOK      = 0.9
)

// Params are the settings of one coverage computation. Every coverage read
// takes them, so an analyst can ask "what if" without changing anything
// stored.
type Params struct {
	SectorKm      float64 `json:"sector_km,omitempty"`
	Sectors       int     `json:"sectors,omitempty"`
	Anchors       bool    `json:"anchors,omitempty"` // sectors between the stored anchors
	DepthKm       float64 `json:"depth_km"`
	Side          string  `json:"side"`
	RequiredPerKm float64 `json:"required_per_km"`
	TroopsOK      float64 `json:"troops_ok"`
	AirDefenseOK  float64 `json:"air_defense_ok"`
	PatrolOK      float64 `json:"patrol_ok"`

	Version int       `json:"version,omitempty"` // a line version; 0: as of At
	At      time.Time `json:"at,omitzero"`       // zero: the current line
}

// DefaultParams returns the default settings.
func DefaultParams() Params {
	return Params{SectorKm: DefaultSectorKm, DepthKm: DefaultDepthKm, Side: "both",
		RequiredPerKm: DefaultRequiredPerKm, TroopsOK: DefaultTroopsOK,
		AirDefenseOK: DefaultAirDefenseOK, PatrolOK: DefaultPatrolOK}
}

// Validate refuses settings out of range, naming the parameter.
func (p *Params) Validate() error {
	bad := func(field, format string, args ...any) error {
		return invalid("bad_parameter", Location{Feature: -1, Part: -1, Vertex: -1, Field: field}, format, args...)
	}
	set := 0
	if p.SectorKm != 0 {
		set++
	}
	if p.Sectors != 0 {
		set++
	}
	if p.Anchors {
		set++
	}
	switch {
	case set > 1:
		return bad("sector_km", "give only one of sector_km, sectors and anchors")
	case set == 0:
		p.SectorKm = DefaultSectorKm
	}
	switch {
	case p.SectorKm < 0 || math.IsNaN(p.SectorKm) || math.IsInf(p.SectorKm, 0):
		return bad("sector_km", "sector_km must be a positive number, got %g", p.SectorKm)
	case p.SectorKm != 0 && p.SectorKm < 0.1:
		return bad("sector_km", "sector_km must be at least 0.1, got %g", p.SectorKm)
	case p.Sectors < 0 || p.Sectors > geo.MaxSectors:
		return bad("sectors", "sectors must be between 1 and %d, got %d", geo.MaxSectors, p.Sectors)
	case !(p.DepthKm > 0) || p.DepthKm > geo.MaxDepthKm:
		return bad("depth_km", "depth_km must be above 0 and at most %g, got %g", geo.MaxDepthKm, p.DepthKm)
	case !(p.RequiredPerKm > 0) || math.IsInf(p.RequiredPerKm, 0):
		return bad("required_per_km", "required_per_km must be a positive number, got %g", p.RequiredPerKm)
	case p.Version < 0:
		return bad("version", "version must be a positive integer, got %d", p.Version)
	}
	for _, t := range []struct {
		name string
		v    float64
	}{{"troops_ok", p.TroopsOK}, {"air_defense_ok", p.AirDefenseOK}, {"patrol_ok", p.PatrolOK}} {
		if !(t.v > 0) || t.v > 100 {
			return bad(t.name, "%s must be above 0, got %g", t.name, t.v)
		}
	}
	if _, err := geo.ParseSide(p.Side); err != nil {
		return bad("side", "side must be both, left or right, got %q", p.Side)
	}
	return nil
}

// Sectoring returns the engine's sectorisation for the settings.
func (p *Params) Sectoring(anchors []geo.Anchor) geo.Sectoring {
	switch {
	case p.Anchors:
		return geo.Sectoring{Anchors: anchors}
	case p.Sectors > 0:
		return geo.Sectoring{Count: p.Sectors}
	}
	return geo.Sectoring{SectorKm: p.SectorKm}
}

// ZoneOptions returns the engine's zone settings.
func (p *Params) ZoneOptions() geo.ZoneOptions {
	side, _ := geo.ParseSide(p.Side)
	return geo.ZoneOptions{DepthKm: p.DepthKm, Side: side}
}

// Report is the coverage of every sector, as the API serves it.
type Report struct {
	Line    LineRef        `json:"line"`
	Params  Params         `json:"params"`
	Sectors []SectorReport `json:"sectors"`
	Summary Summary        `json:"summary"`
}

// LineRef names the line version a report is about.
type LineRef struct {
	Version   int       `json:"version"`
	ValidFrom time.Time `json:"valid_from"`
	LengthKm  float64   `json:"length_km"`
}

// SectorReport is one sector's coverage.
type SectorReport struct {
	ID          string           `json:"id"`
	Index       int              `json:"index"`
	StartKm     float64          `json:"start_km"`
	EndKm       float64          `json:"end_km"`
	LengthKm    float64          `json:"length_km"`
	ZoneAreaKm2 float64          `json:"zone_area_km2"`
	Troops      TroopsReport     `json:"troops"`
	AirDefense  AirDefenseReport `json:"air_defense"`
	Patrol      PatrolReport     `json:"patrol"`
	Status      string           `json:"status"`

	// Unwatched are the stretches of the sector's line no patrol sees, as
	// [from, to] km along the line (for the gaps overlay).
	Unwatched [][2]float64 `json:"-"`
}

// TroopsReport is the troop density of a sector.
type TroopsReport struct {
	Strength      int     `json:"strength"`
	PerKm         float64 `json:"per_km"`
	RequiredPerKm float64 `json:"required_per_km"`
	Ratio         float64 `json:"ratio"`
	Status        string  `json:"status"`
}

// AirDefenseReport is the air-defense cover of a sector's zone.
type AirDefenseReport struct {
	CoveredFraction float64  `json:"covered_fraction"`
	LayeredFraction float64  `json:"layered_fraction"`
	Units           []string `json:"units"`
	Status          string   `json:"status"`
}

// PatrolReport is the patrol cover of a sector's line.
type PatrolReport struct {
	CoveredFraction float64  `json:"covered_fraction"`
	VisitsPerDay    float64  `json:"visits_per_day"`
	Units           []string `json:"units"`
	Status          string   `json:"status"`
}

// Summary sums a report up over the whole line.
type Summary struct {
	Sectors                   int            `json:"sectors"`
	Status                    map[string]int `json:"status"` // sectors by status
	LengthKm                  float64        `json:"length_km"`
	ZoneAreaKm2               float64        `json:"zone_area_km2"`
	Strength                  int            `json:"strength"`
	PerKm                     float64        `json:"per_km"`
	TroopsRatio               float64        `json:"troops_ratio"`
	AirDefenseCoveredFraction float64        `json:"air_defense_covered_fraction"`
	AirDefenseLayeredFraction float64        `json:"air_defense_layered_fraction"`
	PatrolCoveredFraction     float64        `json:"patrol_covered_fraction"`
	Worst                     []string       `json:"gap_sectors"` // ids of sectors with status gap
}

// status grades a ratio or fraction against the level at which it is ok.
func status(v, ok float64) string {
	switch {
	case v >= ok:
		return StatusOK
	case v >= ok/2:
		return StatusThin
	}
	return StatusGap
}

func worst(ss ...string) string {
	w := StatusOK
	for _, s := range ss {
		if s == StatusGap {
			return StatusGap
		}
		if s == StatusThin {
			w = StatusThin
		}
	}
	return w
}

// round6 keeps six decimals: a millimetre in km, a square metre in km²,
// and makes reports byte-identical whatever the order of float sums.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func fraction(part, whole float64) float64 {
	if whole <= 0 {
		return 0
	}
	return round6(math.Min(1, math.Max(0, part/whole)))
}

// NewReport grades the engine's figures into a report.
func NewReport(lv *LineVersion, p Params, cov []geo.SectorCoverage) *Report {
	r := &Report{
		Line:    LineRef{Version: lv.Version, ValidFrom: lv.ValidFrom, LengthKm: round6(lv.LengthKm)},
		Params:  p,
		Sectors: make([]SectorReport, len(cov)),
		Summary: Summary{Sectors: len(cov), Status: map[string]int{StatusOK: 0, StatusThin: 0, StatusGap: 0}, Worst: []string{}},
	}
	var area, adCov, adLay, patrolKm float64
	for i, c := range cov {
		length := c.LengthKm()
		perKm := float64(c.Strength) / length
		s := SectorReport{
			ID: c.ID, Index: c.Index, StartKm: round6(c.StartKm), EndKm: round6(c.EndKm),
			LengthKm: round6(length), ZoneAreaKm2: round6(c.ZoneAreaKm2),
			Troops: TroopsReport{Strength: c.Strength, PerKm: round6(perKm), RequiredPerKm: p.RequiredPerKm,
				Ratio: round6(perKm / p.RequiredPerKm)},
			AirDefense: AirDefenseReport{CoveredFraction: fraction(c.ADCoveredKm2, c.ZoneAreaKm2),
				LayeredFraction: fraction(c.ADLayeredKm2, c.ZoneAreaKm2), Units: nonNil(c.ADUnits)},
			Patrol: PatrolReport{CoveredFraction: fraction(c.PatrolKm, length),
				VisitsPerDay: round6(c.PatrolVisits), Units: nonNil(c.PatrolUnits)},
			Unwatched: c.Unwatched,
		}
		s.Troops.Status = status(s.Troops.Ratio, p.TroopsOK)
		s.AirDefense.Status = status(s.AirDefense.CoveredFraction, p.AirDefenseOK)
		s.Patrol.Status = status(s.Patrol.CoveredFraction, p.PatrolOK)
		s.Status = worst(s.Troops.Status, s.AirDefense.Status, s.Patrol.Status)
		r.Sectors[i] = s
		r.Summary.Status[s.Status]++
		if s.Status == StatusGap {
			r.Summary.Worst = append(r.Summary.Worst, s.ID)
		}
		r.Summary.Strength += c.Strength
		area += c.ZoneAreaKm2
		adCov += c.ADCoveredKm2
		adLay += c.ADLayeredKm2
		patrolKm += c.PatrolKm
	}
	r.Summary.LengthKm = round6(lv.LengthKm)
	r.Summary.ZoneAreaKm2 = round6(area)
	if lv.LengthKm > 0 {
		r.Summary.PerKm = round6(float64(r.Summary.Strength) / lv.LengthKm)
		r.Summary.TroopsRatio = round6(float64(r.Summary.Strength) / lv.LengthKm / p.RequiredPerKm)
	}
	r.Summary.AirDefenseCoveredFraction = fraction(adCov, area)
	r.Summary.AirDefenseLayeredFraction = fraction(adLay, area)
	r.Summary.PatrolCoveredFraction = fraction(patrolKm, lv.LengthKm)
	return r
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Sector returns the report of the sector with the given id.
func (r *Report) Sector(id string) (*SectorReport, error) {
	for i := range r.Sectors {
		if r.Sectors[i].ID == id {
			return &r.Sectors[i], nil
		}
	}
	return nil, fmt.Errorf("%w: no sector %q in this sectorisation", ErrNotFound, id)
}
