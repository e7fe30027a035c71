package frontline

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"frontline/geo"
)

// reportCSVHeader names the columns of every coverage CSV, the whole
// report's and one sector's alike. The columns after line_version came
// later, at the end so that readers by position keep working: where the
// sector starts and ends on the line (lon, lat at start_km and end_km),
// and for sectors between anchors the anchors at its ends (start and end
// at the line's ends; empty for other sectorings).
var reportCSVHeader = []string{"id", "index", "start_km", "end_km", "length_km", "zone_area_km2",
	"troops_strength", "troops_per_km", "troops_required_per_km", "troops_ratio", "troops_status",
	"air_defense_covered_fraction", "air_defense_layered_fraction", "air_defense_units", "air_defense_status",
	"patrol_covered_fraction", "patrol_visits_per_day", "patrol_units", "patrol_status", "status", "line_version",
	"start_lon", "start_lat", "end_lon", "end_lat", "from_anchor", "to_anchor"}

// CSV writes the report as one row per sector, unit ids joined with ';'.
func (rep *Report) CSV() []byte {
	ends := rep.csvEnds()
	rows := make([][]csvCell, len(rep.Sectors))
	for i := range rep.Sectors {
		rows[i] = rep.csvRow(&rep.Sectors[i], ends)
	}
	return writeCSV(reportCSVHeader, rows)
}

// SectorCSV writes one sector of the report as CSV: the header and its
// row, the columns of CSV.
func (rep *Report) SectorCSV(r *SectorReport) []byte {
	return writeCSV(reportCSVHeader, [][]csvCell{rep.csvRow(r, rep.csvEnds())})
}

func (rep *Report) csvRow(r *SectorReport, ends *sectorEnds) []csvCell {
	row := []csvCell{textCell(r.ID), intCell(r.Index), numberCell(r.StartKm), numberCell(r.EndKm), numberCell(r.LengthKm), numberCell(r.ZoneAreaKm2),
		intCell(r.Troops.Strength), numberCell(r.Troops.PerKm), numberCell(r.Troops.RequiredPerKm), numberCell(r.Troops.Ratio), textCell(r.Troops.Status),
		numberCell(r.AirDefense.CoveredFraction), numberCell(r.AirDefense.LayeredFraction), listCell(r.AirDefense.Units), textCell(r.AirDefense.Status),
		numberCell(r.Patrol.CoveredFraction), numberCell(r.Patrol.VisitsPerDay), listCell(r.Patrol.Units), textCell(r.Patrol.Status),
		textCell(r.Status), intCell(rep.Line.Version)}
	if ends.line != nil {
		a, b := ends.line.PointAt(r.StartKm), ends.line.PointAt(r.EndKm)
		row = append(row, numberCell(round6(a[0])), numberCell(round6(a[1])), numberCell(round6(b[0])), numberCell(round6(b[1])))
	} else {
		row = append(row, csvCell{}, csvCell{}, csvCell{}, csvCell{})
	}
	names := ends.anchors[r.ID]
	return append(row, textCell(names[0]), textCell(names[1]))
}

// sectorEnds are what the CSV says of the sectors' ends: the line they
// are on (nil when the report has no geometry), and the anchors at both
// ends of each sector, by id, when sectors run between anchors.
type sectorEnds struct {
	line    *geo.Line
	anchors map[string][2]string
}

// csvEnds prepares the sectors' ends; the report is shared, so nothing
// is kept in it.
func (rep *Report) csvEnds() *sectorEnds {
	e := &sectorEnds{}
	if rep.line != nil && len(rep.line.Coords) > 0 {
		parts := make([][]orb.Point, len(rep.line.Coords))
		for i, part := range rep.line.Coords {
			parts[i] = make([]orb.Point, len(part))
			for j, p := range part {
				parts[i][j] = p.Point()
			}
		}
		// A stored line was valid when it was imported.
		if l, err := geo.NewLine(parts); err == nil {
			e.line = l
		}
	}
	if rep.Params.Anchors {
		ids := make([]string, len(rep.Sectors))
		for i := range rep.Sectors {
			ids[i] = rep.Sectors[i].ID
		}
		e.anchors = make(map[string][2]string, len(ids))
		for i, names := range anchorEnds(ids) {
			e.anchors[ids[i]] = names
		}
	}
	return e
}

// anchorEnds names the anchors at both ends of sectors between anchors,
// in order, from their ids "A..B" (geo.Line.Sectors). An anchor name may
// hold ".." itself: then the split is taken whose first name is where the
// sector before ended (start for the first sector), or for the last one
// whose second name is end, and otherwise the first.
func anchorEnds(ids []string) [][2]string {
	out := make([][2]string, len(ids))
	prev := "start"
	for i, id := range ids {
		var splits [][2]string
		for j := 0; j+2 <= len(id); j++ {
			if id[j:j+2] == ".." {
				splits = append(splits, [2]string{id[:j], id[j+2:]})
			}
		}
		pick := -1
		for k, s := range splits {
			if s[0] == prev {
				pick = k
				break
			}
		}
		if pick < 0 && i == len(ids)-1 {
			for k, s := range splits {
				if s[1] == "end" {
					pick = k
					break
				}
			}
		}
		if pick < 0 && len(splits) > 0 {
			pick = 0
		}
		if pick >= 0 {
			out[i] = splits[pick]
		}
		prev = out[i][1]
	}
	return out
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

// csvGuard prepares text for a cell that must read back as it was
// (the units CSV): writeCSV puts a quote before a formula character, and
// csvUnguard takes one quote off text that starts with quotes and then a
// formula character; so text that starts that way already gets one quote
// more here.
func csvGuard(s string) string {
	if guarded(s) {
		return "'" + s
	}
	return s
}

// csvUnguard is the text a cell written by writeCSV (after csvGuard)
// holds: without the quote that neutralises a formula.
func csvUnguard(s string) string {
	if guarded(s) {
		return s[1:]
	}
	return s
}

// guarded reports whether s is one or more single quotes and then a
// character that starts a formula.
func guarded(s string) bool {
	t := strings.TrimLeft(s, "'")
	return len(t) < len(s) && t != "" && strings.IndexByte("=+-@\t\r", t[0]) >= 0
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
