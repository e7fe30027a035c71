package frontline

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
)

// reportCSVHeader names the columns of every coverage CSV, the whole
// report's and one sector's alike.
var reportCSVHeader = []string{"id", "index", "start_km", "end_km", "length_km", "zone_area_km2",
	"troops_strength", "troops_per_km", "troops_required_per_km", "troops_ratio", "troops_status",
	"air_defense_covered_fraction", "air_defense_layered_fraction", "air_defense_units", "air_defense_status",
	"patrol_covered_fraction", "patrol_visits_per_day", "patrol_units", "patrol_status", "status", "line_version"}

// CSV writes the report as one row per sector, unit ids joined with ';'.
func (rep *Report) CSV() []byte {
	rows := make([][]csvCell, len(rep.Sectors))
	for i := range rep.Sectors {
		rows[i] = rep.csvRow(&rep.Sectors[i])
	}
	return writeCSV(reportCSVHeader, rows)
}

// SectorCSV writes one sector of the report as CSV: the header and its
// row, the columns of CSV.
func (rep *Report) SectorCSV(r *SectorReport) []byte {
	return writeCSV(reportCSVHeader, [][]csvCell{rep.csvRow(r)})
}

func (rep *Report) csvRow(r *SectorReport) []csvCell {
	return []csvCell{textCell(r.ID), intCell(r.Index), numberCell(r.StartKm), numberCell(r.EndKm), numberCell(r.LengthKm), numberCell(r.ZoneAreaKm2),
		intCell(r.Troops.Strength), numberCell(r.Troops.PerKm), numberCell(r.Troops.RequiredPerKm), numberCell(r.Troops.Ratio), textCell(r.Troops.Status),
		numberCell(r.AirDefense.CoveredFraction), numberCell(r.AirDefense.LayeredFraction), listCell(r.AirDefense.Units), textCell(r.AirDefense.Status),
		numberCell(r.Patrol.CoveredFraction), numberCell(r.Patrol.VisitsPerDay), listCell(r.Patrol.Units), textCell(r.Patrol.Status),
		textCell(r.Status), intCell(rep.Line.Version)}
}

// csvCell is one cell of a CSV export: a number formatted here, or text
// that comes from the data (ids, anchor names, statuses).
type csvCell struct {
	value  string
	number bool
}

// numberCell formats a number; a spreadsheet must read it as a number,
// so it is written as it is, sign and all. NaN and infinities are not
// numbers to a spreadsheet and go out as text.
func numberCell(x float64) csvCell {
	return csvCell{strconv.FormatFloat(x, 'f', -1, 64), !math.IsNaN(x) && !math.IsInf(x, 0)}
}

func intCell(n int) csvCell { return csvCell{strconv.Itoa(n), true} }

func textCell(s string) csvCell { return csvCell{value: s} }

// listCell joins ids with ';', each made safe on its own: spreadsheets in
// many locales split CSV cells at ';', which would make each id a cell.
func listCell(ids []string) csvCell {
	safe := make([]string, len(ids))
	for i, id := range ids {
		safe[i] = safeCSVText(id)
	}
	return textCell(strings.Join(safe, ";"))
}

// safeCSVText defuses CSV injection (OWASP): a spreadsheet runs a cell
// that starts with =, +, - or @ as a formula, and one that starts with a
// tab or CR may be trimmed to one that does. A leading single quote makes
// the cell text, shown without the quote.
func safeCSVText(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// writeCSV writes every CSV export: the header, then the rows, each text
// cell through safeCSVText and each number as it is.
func writeCSV(header []string, rows [][]csvCell) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	rec := make([]string, len(header))
	for i, h := range header {
		rec[i] = safeCSVText(h)
	}
	_ = w.Write(rec)
	for _, row := range rows {
		rec = rec[:0]
		for _, c := range row {
			if !c.number {
				c.value = safeCSVText(c.value)
			}
			rec = append(rec, c.value)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}
