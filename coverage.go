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

// Report is the coverage of every sector, as the API serves it.
type Report struct {
	Line    LineRef        `json:"line"`
	Params  Params         `json:"params"`
	Sectors []SectorReport `json:"sectors"`
	Summary Summary        `json:"summary"`

	// line is the line version reported on, with its geometry: the CSV
	// gives where each sector starts and ends.
	line *LineVersion
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
	GapSectors                []string       `json:"gap_sectors"` // ids of sectors with status gap
	Force                     Force          `json:"force"`
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

// NewReport grades the engine's figures for units into a report.
func NewReport(lv *LineVersion, p Params, units []*Unit, cov []geo.SectorCoverage) *Report {
	r := &Report{
		Line:    LineRef{Version: lv.Version, ValidFrom: lv.ValidFrom, LengthKm: round6(lv.LengthKm)},
		Params:  p,
		Sectors: make([]SectorReport, len(cov)),
		Summary: Summary{Sectors: len(cov), Status: map[string]int{StatusOK: 0, StatusThin: 0, StatusGap: 0}, GapSectors: []string{}},
		line:    lv,
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
			r.Summary.GapSectors = append(r.Summary.GapSectors, s.ID)
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
	r.Summary.Force = newForce(units, r.Summary.Strength, p.Rotation)
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
