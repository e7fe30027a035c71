package frontline

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
)

// CSV writes the report as one row per sector, unit ids joined with ';'.
func (rep *Report) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"id", "index", "start_km", "end_km", "length_km", "zone_area_km2",
		"troops_strength", "troops_per_km", "troops_required_per_km", "troops_ratio", "troops_status",
		"air_defense_covered_fraction", "air_defense_layered_fraction", "air_defense_units", "air_defense_status",
		"patrol_covered_fraction", "patrol_visits_per_day", "patrol_units", "patrol_status", "status", "line_version"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, r := range rep.Sectors {
		_ = w.Write([]string{r.ID, strconv.Itoa(r.Index), f(r.StartKm), f(r.EndKm), f(r.LengthKm), f(r.ZoneAreaKm2),
			strconv.Itoa(r.Troops.Strength), f(r.Troops.PerKm), f(r.Troops.RequiredPerKm), f(r.Troops.Ratio), r.Troops.Status,
			f(r.AirDefense.CoveredFraction), f(r.AirDefense.LayeredFraction), strings.Join(r.AirDefense.Units, ";"), r.AirDefense.Status,
			f(r.Patrol.CoveredFraction), f(r.Patrol.VisitsPerDay), strings.Join(r.Patrol.Units, ";"), r.Patrol.Status,
			r.Status, strconv.Itoa(rep.Line.Version)})
	}
	w.Flush()
	return b.Bytes()
}
