package frontline

// Requirements say how many troops each sector of a report needs to reach
// its required density, and how many are missing (SPEC 9): the figures of
// "to reach ok everywhere we need that much more". They are drawn from a
// coverage report, so they follow the same settings, line and units.
//
// The air-defense systems and observation posts needed come from placing
// them (the recommendations), not from a density: Service.Requirements
// adds them.
type Requirements struct {
	Line       LineRef               `json:"line"`
	Params     Params                `json:"params"`
	Sectors    []SectorRequirement   `json:"sectors"`
	Totals     RequirementTotals     `json:"totals"`
	AirDefense *PlacementRequirement `json:"air_defense,omitempty"`
	Patrols    *PlacementRequirement `json:"patrols,omitempty"`
}

// PlacementRequirement is how many new units of one kind the
// recommendation places to bring every sector to the threshold of ok.
type PlacementRequirement struct {
	System    string  `json:"system,omitempty"`     // air defense
	RangeKm   float64 `json:"range_km,omitempty"`   // air defense
	ObserveKm float64 `json:"observe_km,omitempty"` // patrol posts
	Target    float64 `json:"target"`               // the threshold of ok
	Needed    int     `json:"needed"`
	// Reached says whether those units bring every sector to the target
	// (air defense placed on the own side may not reach a band in front).
	Reached bool `json:"reached"`
}

// SectorRequirement is what one sector needs.
type SectorRequirement struct {
	ID       string           `json:"id"`
	LengthKm float64          `json:"length_km"`
	Troops   TroopRequirement `json:"troops"`
}

// TroopRequirement compares the troops a sector needs with those in it.
type TroopRequirement struct {
	// Needed is required_per_km x length_km rounded up, exactly on the
	// figures the report shows (ceilMul): a sector is never short of a
	// fraction of a soldier, nor asked for one more than the figures say.
	Needed  int `json:"needed"`
	Present int `json:"present"`
	// Shortfall is Needed - Present, or 0 when the sector has enough:
	// troops beyond a sector's need do not fill another's.
	Shortfall int `json:"shortfall"`
}

// RequirementTotals are the sums over the sectors.
type RequirementTotals struct {
	Needed    int `json:"needed"`
	Present   int `json:"present"`
	Shortfall int `json:"shortfall"`
	// ShortfallWithRotation is Shortfall x the rotation setting, rounded
	// up as Force.TroopsWithRotation is: the force to raise so that the
	// shortfall is on the line at all times.
	ShortfallWithRotation int `json:"shortfall_with_rotation"`
}

// NewRequirements computes the requirements of a report.
func NewRequirements(rep *Report) *Requirements {
	r := &Requirements{Line: rep.Line, Params: rep.Params, Sectors: make([]SectorRequirement, len(rep.Sectors))}
	for i := range rep.Sectors {
		s := &rep.Sectors[i]
		t := TroopRequirement{Needed: ceilMul(rep.Params.RequiredPerKm, s.LengthKm), Present: s.Troops.Strength}
		t.Shortfall = max(0, t.Needed-t.Present)
		r.Sectors[i] = SectorRequirement{ID: s.ID, LengthKm: s.LengthKm, Troops: t}
		r.Totals.Needed += t.Needed
		r.Totals.Present += t.Present
		r.Totals.Shortfall += t.Shortfall
	}
	r.Totals.ShortfallWithRotation = ceilMul(float64(r.Totals.Shortfall), rep.Params.Rotation)
	return r
}

// requirementsCSVHeader names the columns of the requirements CSV.
var requirementsCSVHeader = []string{"id", "length_km", "troops_needed", "troops_present", "troops_shortfall",
	"troops_shortfall_with_rotation", "line_version"}

// totalRowID is the id of the last row of the requirements CSV, the
// totals. No sector has it: sector ids are S001... or anchor pairs A..B.
const totalRowID = "total"

// CSV writes the requirements as one row per sector and a last row of
// totals (id "total", the length of the sectors together), which alone
// has the shortfall with rotation: rounded up once over the whole
// shortfall, it is no sum of the sectors'.
func (r *Requirements) CSV() []byte {
	rows := make([][]csvCell, 0, len(r.Sectors)+1)
	var length float64
	for _, s := range r.Sectors {
		rows = append(rows, []csvCell{textCell(s.ID), numberCell(s.LengthKm), intCell(s.Troops.Needed), intCell(s.Troops.Present),
			intCell(s.Troops.Shortfall), textCell(""), intCell(r.Line.Version)})
		length += s.LengthKm
	}
	rows = append(rows, []csvCell{textCell(totalRowID), numberCell(round6(length)), intCell(r.Totals.Needed), intCell(r.Totals.Present),
		intCell(r.Totals.Shortfall), intCell(r.Totals.ShortfallWithRotation), intCell(r.Line.Version)})
	return writeCSV(requirementsCSVHeader, rows)
}
