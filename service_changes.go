package frontline

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"

	"github.com/paulmach/orb"

	"frontline/geo"
)

// Changes is how the line moved between two versions (SPEC 10), per
// sector of the from line's sectorisation.
type Changes struct {
	From    *LineVersion    `json:"from"`
	To      *LineVersion    `json:"to"`
	Params  Params          `json:"params"`
	Totals  ChangeTotals    `json:"totals"`
	Sectors []SectorChange  `json:"sectors"`
	Changed *AreaChangeInfo `json:"-"`
}

// ChangeTotals sum the changes over the whole line. Gained and lost are
// null unless both versions were derived from areas.
type ChangeTotals struct {
	GainedKm2   *float64 `json:"gained_km2"`
	LostKm2     *float64 `json:"lost_km2"`
	ShiftMeanKm float64  `json:"shift_mean_km"`
	ShiftMaxKm  float64  `json:"shift_max_km"`
}

// SectorChange is one sector's change. The shift is the distance from the
// to line's points (every 500 m) whose nearest point on the from line lies
// in the sector; gained and lost are the changed area within the sector's
// zone.
type SectorChange struct {
	ID           string       `json:"id"`
	GainedKm2    *float64     `json:"gained_km2"`
	LostKm2      *float64     `json:"lost_km2"`
	ShiftMeanKm  *float64     `json:"shift_mean_km"`
	ShiftMaxKm   *float64     `json:"shift_max_km"`
	Delta        *SectorDelta `json:"delta"`
	StatusChange *string      `json:"status_change"`
}

// AreaChangeInfo is the geometry that changed hands, for the overlay.
type AreaChangeInfo struct {
	Gained, Lost orb.MultiPolygon
}

// shiftStepKm is the spacing of the to line's points measured for shifts.
const shiftStepKm = 0.5

// parseVersionOrTime reads from= or to=: a line version number or a time
// as at= takes it.
func parseVersionOrTime(q url.Values, name, value string) error {
	if value == "" {
		return BadParameter(name, "%s must name a line version (a number) or a time (RFC 3339 or a date)", name)
	}
	if _, err := strconv.Atoi(value); err == nil {
		q.Set("version", value)
		return nil
	}
	if _, err := ParseTime(value); err != nil {
		return BadParameter(name, "%s must be a line version (a number) or an RFC 3339 time or date, got %q", name, truncate(value, 40))
	}
	q.Set("at", value)
	return nil
}

// Changes compares two line versions named by from and to (numbers or
// times) under the settings of q.
func (s *Service) Changes(ctx context.Context, q url.Values, from, to string) (*Changes, error) {
	for _, name := range []string{"version", "at"} {
		if q.Has(name) {
			return nil, BadParameter(name, "changes name their versions as from and to, not %s", name)
		}
	}
	var reps [2]*Report
	var comps [2]*Computation
	for i, v := range [2]string{from, to} {
		side := url.Values{}
		for k, vals := range q {
			side[k] = vals
		}
		if err := parseVersionOrTime(side, [2]string{"from", "to"}[i], v); err != nil {
			return nil, err
		}
		p, err := s.ParseParams(ctx, side)
		if err != nil {
			return nil, err
		}
		if reps[i], comps[i], err = s.Coverage(ctx, p); err != nil {
			return nil, err
		}
	}
	ch := &Changes{From: comps[0].Line, To: comps[1].Line, Params: reps[0].Params}
	sectors := comps[0].Sectors
	shifts := comps[0].Zones.Line().ShiftFrom(comps[1].Zones.Line(), sectors, shiftStepKm)
	cmp := Compare("from", reps[0], "to", reps[1])
	byID := make(map[string]SectorComparison, len(cmp.Sectors))
	for _, sc := range cmp.Sectors {
		byID[sc.ID] = sc
	}
	var gained, lost []float64
	var err error
	if ch.Changed, err = s.areaChange(ctx, ch.From, ch.To); err != nil {
		return nil, err
	}
	if ch.Changed != nil {
		polys, err := s.ZonePolygons(ctx, comps[0])
		if err != nil {
			return nil, err
		}
		g, l := round3(geo.AreaKm2(ch.Changed.Gained)), round3(geo.AreaKm2(ch.Changed.Lost))
		ch.Totals.GainedKm2, ch.Totals.LostKm2 = &g, &l
		gained, lost = make([]float64, len(sectors)), make([]float64, len(sectors))
		for k := range sectors {
			if gained[k], err = geo.IntersectionKm2(ch.Changed.Gained, polys[k]); err != nil {
				return nil, fmt.Errorf("frontline: the area gained in sector %d: %w", k, err)
			}
			if lost[k], err = geo.IntersectionKm2(ch.Changed.Lost, polys[k]); err != nil {
				return nil, fmt.Errorf("frontline: the area lost in sector %d: %w", k, err)
			}
		}
	}
	n, sum := 0, 0.0
	for k, sec := range sectors {
		sc := SectorChange{ID: sec.ID}
		if sh := shifts[k]; sh.Samples > 0 {
			mean, maxKm := round3(sh.MeanKm), round3(sh.MaxKm)
			sc.ShiftMeanKm, sc.ShiftMaxKm = &mean, &maxKm
			n += sh.Samples
			sum += sh.MeanKm * float64(sh.Samples)
			ch.Totals.ShiftMaxKm = math.Max(ch.Totals.ShiftMaxKm, maxKm)
		}
		if gained != nil {
			g, l := round3(gained[k]), round3(lost[k])
			sc.GainedKm2, sc.LostKm2 = &g, &l
		}
		if c, ok := byID[sec.ID]; ok {
			sc.Delta, sc.StatusChange = c.Delta, c.StatusChange
		}
		ch.Sectors = append(ch.Sectors, sc)
	}
	if n > 0 {
		ch.Totals.ShiftMeanKm = round3(sum / float64(n))
	}
	return ch, nil
}

// areaChange is the area that changed hands between two line versions
// derived from areas; nil when either was not.
func (s *Service) areaChange(ctx context.Context, from, to *LineVersion) (*AreaChangeInfo, error) {
	fa, ta := derivedFrom(from), derivedFrom(to)
	if fa == 0 || ta == 0 {
		return nil, nil
	}
	a, err := s.Area(ctx, fa)
	if err != nil {
		return nil, err
	}
	b, err := s.Area(ctx, ta)
	if err != nil {
		return nil, err
	}
	d, err := geo.DiffAreas(a.MultiPolygon(), b.MultiPolygon())
	if err != nil {
		return nil, fmt.Errorf("frontline: overlaying areas %d and %d: %w", fa, ta, err)
	}
	return &AreaChangeInfo{Gained: d.Gained, Lost: d.Lost}, nil
}

// derivedFrom is the area version a line was derived from, or 0.
func derivedFrom(lv *LineVersion) int {
	switch v := lv.Properties["derived_from"].(type) {
	case json.Number:
		n, _ := v.Int64()
		return int(n)
	case float64:
		return int(v)
	case int:
		return v
	}
	return 0
}
