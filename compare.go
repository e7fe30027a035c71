package frontline

// Comparison is two options side by side, sector by sector (SPEC 9): a
// planner's "option A against option B".
type Comparison struct {
	A       ComparedOption     `json:"a"`
	B       ComparedOption     `json:"b"`
	Sectors []SectorComparison `json:"sectors"`
}

// ComparedOption is one side of a comparison.
type ComparedOption struct {
	Scenario string  `json:"scenario"` // a scenario id, or LiveScenario
	Summary  Summary `json:"summary"`
}

// SectorComparison is one sector under both options. A sector that only
// one side has (their scenarios cut the line differently) has the other
// side and the delta null.
type SectorComparison struct {
	ID    string        `json:"id"`
	A     *SectorReport `json:"a"`
	B     *SectorReport `json:"b"`
	Delta *SectorDelta  `json:"delta"`
	// StatusChange is "from->to" when the sector's status differs, null
	// when it does not.
	StatusChange *string `json:"status_change"`
}

// SectorDelta is b less a.
type SectorDelta struct {
	TroopsStrength            int     `json:"troops_strength"`
	TroopsRatio               float64 `json:"troops_ratio"`
	AirDefenseCoveredFraction float64 `json:"air_defense_covered_fraction"`
	AirDefenseLayeredFraction float64 `json:"air_defense_layered_fraction"`
	PatrolCoveredFraction     float64 `json:"patrol_covered_fraction"`
}

// Compare puts two reports side by side, sectors matched by id in a's
// order, then b's sectors that a lacks.
func Compare(aName string, a *Report, bName string, b *Report) *Comparison {
	cmp := &Comparison{A: ComparedOption{aName, a.Summary}, B: ComparedOption{bName, b.Summary}}
	inB := make(map[string]*SectorReport, len(b.Sectors))
	for i := range b.Sectors {
		inB[b.Sectors[i].ID] = &b.Sectors[i]
	}
	seen := make(map[string]bool, len(a.Sectors))
	for i := range a.Sectors {
		sa := &a.Sectors[i]
		seen[sa.ID] = true
		cmp.Sectors = append(cmp.Sectors, compareSector(sa.ID, sa, inB[sa.ID]))
	}
	for i := range b.Sectors {
		if sb := &b.Sectors[i]; !seen[sb.ID] {
			cmp.Sectors = append(cmp.Sectors, compareSector(sb.ID, nil, sb))
		}
	}
	if cmp.Sectors == nil {
		cmp.Sectors = []SectorComparison{}
	}
	return cmp
}

func compareSector(id string, a, b *SectorReport) SectorComparison {
	sc := SectorComparison{ID: id, A: a, B: b}
	if a == nil || b == nil {
		return sc
	}
	sc.Delta = &SectorDelta{
		TroopsStrength:            b.Troops.Strength - a.Troops.Strength,
		TroopsRatio:               b.Troops.Ratio - a.Troops.Ratio,
		AirDefenseCoveredFraction: b.AirDefense.CoveredFraction - a.AirDefense.CoveredFraction,
		AirDefenseLayeredFraction: b.AirDefense.LayeredFraction - a.AirDefense.LayeredFraction,
		PatrolCoveredFraction:     b.Patrol.CoveredFraction - a.Patrol.CoveredFraction,
	}
	if a.Status != b.Status {
		change := a.Status + "->" + b.Status
		sc.StatusChange = &change
	}
	return sc
}

// compareCSVHeader names the columns of a comparison's CSV.
var compareCSVHeader = []string{"id", "a_status", "b_status", "status_change",
	"a_troops_strength", "b_troops_strength", "delta_troops_strength",
	"a_troops_ratio", "b_troops_ratio", "delta_troops_ratio",
	"a_air_defense_covered_fraction", "b_air_defense_covered_fraction", "delta_air_defense_covered_fraction",
	"a_air_defense_layered_fraction", "b_air_defense_layered_fraction", "delta_air_defense_layered_fraction",
	"a_patrol_covered_fraction", "b_patrol_covered_fraction", "delta_patrol_covered_fraction"}

// CSV writes the comparison as one row per sector; a side a sector lacks
// leaves its cells (and the deltas) empty.
func (cmp *Comparison) CSV() []byte {
	rows := make([][]csvCell, len(cmp.Sectors))
	for i, s := range cmp.Sectors {
		side := func(r *SectorReport) [6]csvCell {
			if r == nil {
				return [6]csvCell{}
			}
			return [6]csvCell{textCell(r.Status), intCell(r.Troops.Strength), numberCell(r.Troops.Ratio),
				numberCell(r.AirDefense.CoveredFraction), numberCell(r.AirDefense.LayeredFraction), numberCell(r.Patrol.CoveredFraction)}
		}
		a, b := side(s.A), side(s.B)
		var d [5]csvCell
		if s.Delta != nil {
			d = [5]csvCell{intCell(s.Delta.TroopsStrength), numberCell(s.Delta.TroopsRatio), numberCell(s.Delta.AirDefenseCoveredFraction),
				numberCell(s.Delta.AirDefenseLayeredFraction), numberCell(s.Delta.PatrolCoveredFraction)}
		}
		change := textCell("")
		if s.StatusChange != nil {
			change = textCell(*s.StatusChange)
		}
		row := []csvCell{textCell(s.ID), a[0], b[0], change}
		for k := 0; k < 5; k++ {
			row = append(row, a[k+1], b[k+1], d[k])
		}
		rows[i] = row
	}
	return writeCSV(compareCSVHeader, rows)
}
