package frontline

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"
)

func TestSafeCSVText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"S001", "S001"},
		{"ok", "ok"},
		{"=1+2", "'=1+2"},
		{"+1+2", "'+1+2"},
		{"-1+2", "'-1+2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1+2", "'\t=1+2"},
		{"\r=1+2", "'\r=1+2"},
		{"-3.5", "'-3.5"}, // text that looks like a number is still text
		{"'=1+2", "'=1+2"},
		{" =1+2", " =1+2"},
		{"a=1+2", "a=1+2"},
		{"\n=1+2", "\n=1+2"},
		{"=", "'="},
	} {
		if got := safeCSVText(tc.in); got != tc.want {
			t.Errorf("safeCSVText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// writeCSV passes numbers it formatted as they are and makes every text
// cell safe, list items one by one.
func TestWriteCSV(t *testing.T) {
	got := writeCSV([]string{"a", "b", "c", "d", "e", "f", "g"}, [][]csvCell{
		{numberCell(-3.5), numberCell(-0.25), intCell(-7), textCell("-3.5"), listCell([]string{"x", "=1+2", "-1", "@a"}), numberCell(math.Inf(1)), textCell("+\tSUM(1)")},
		{numberCell(0), numberCell(1e21), intCell(12), textCell(""), listCell(nil), numberCell(math.NaN()), textCell("\r\n=1")},
	})
	recs, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	if err != nil {
		t.Fatalf("%v: %q", err, got)
	}
	want := [][]string{
		{"a", "b", "c", "d", "e", "f", "g"},
		{"-3.5", "-0.25", "-7", "'-3.5", "x;'=1+2;'-1;'@a", "'+Inf", "'+\tSUM(1)"},
		{"0", "1000000000000000000000", "12", "", "", "NaN", "'\n=1"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d: %q", len(recs), len(want), recs)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d:\n got %q\nwant %q", i, recs[i], want[i])
		}
	}
}

// The whole report and one sector have the same columns; ids from the data
// (unit ids, anchor names) come out safe and numbers as numbers. Without
// the line's geometry and anchors, the columns of the ends are empty.
func TestReportCSV(t *testing.T) {
	rep := &Report{Line: LineRef{Version: 3}, Sectors: []SectorReport{
		{ID: "start..=A", Index: 0, StartKm: 0, EndKm: 12.5, LengthKm: 12.5, Status: StatusOK},
		{ID: "=A..@B", Index: 1, StartKm: 12.5, EndKm: 20, LengthKm: 7.5, ZoneAreaKm2: 450.25, Status: StatusGap,
			Troops:     TroopsReport{Strength: 100, PerKm: 13.333333, RequiredPerKm: 48, Ratio: 0.277778, Status: StatusGap},
			AirDefense: AirDefenseReport{CoveredFraction: 0.5, Units: []string{"\tx", "+y", "z"}, Status: StatusThin},
			Patrol:     PatrolReport{CoveredFraction: 1, VisitsPerDay: 2, Units: []string{"=cmd|' /C calc'!A0"}, Status: StatusOK}},
	}}
	header := "id,index,start_km,end_km,length_km,zone_area_km2,troops_strength,troops_per_km,troops_required_per_km,troops_ratio,troops_status," +
		"air_defense_covered_fraction,air_defense_layered_fraction,air_defense_units,air_defense_status," +
		"patrol_covered_fraction,patrol_visits_per_day,patrol_units,patrol_status,status,line_version," +
		"start_lon,start_lat,end_lon,end_lat,from_anchor,to_anchor\n"
	row1 := "start..=A,0,0,12.5,12.5,0,0,0,0,0,,0,0,,,0,0,,,ok,3"
	row2 := "'=A..@B,1,12.5,20,7.5,450.25,100,13.333333,48,0.277778,gap,0.5,0,'\tx;'+y;z,thin,1,2,'=cmd|' /C calc'!A0,ok,gap,3"
	check := func(row1End, row2End string) {
		t.Helper()
		r1, r2 := row1+row1End+"\n", row2+row2End+"\n"
		if got := string(rep.CSV()); got != header+r1+r2 {
			t.Errorf("CSV:\n%s\nwant:\n%s", got, header+r1+r2)
		}
		if got := string(rep.SectorCSV(&rep.Sectors[1])); got != header+r2 {
			t.Errorf("SectorCSV:\n%s\nwant:\n%s", got, header+r2)
		}
	}
	check(",,,,,,", ",,,,,,")

	// On the equator a geodesic is the equator: km along it are the
	// equatorial radius's radians, 6378.137 km a radian.
	rep.line = &LineVersion{Version: 3, Coords: [][]Position{{{-0.1, 0}, {0.1, 0}}}}
	check(",-0.1,0,0.012289,0,,", ",0.012289,0,0.079663,0,,")
	rep.Params.Anchors = true
	check(",-0.1,0,0.012289,0,start,'=A", ",0.012289,0,0.079663,0,'=A,'@B")
}

// Anchor names are read off the sector ids, even when they hold "..":
// a sector starts where the one before ended.
func TestAnchorEnds(t *testing.T) {
	for _, c := range []struct {
		ids  []string
		want string
	}{
		{[]string{"start..A", "A..B", "B..end"}, "start>A A>B B>end"},
		{[]string{"start..a..b", "a..b..c", "c..end"}, "start>a..b a..b>c c>end"},
		{[]string{"start..x", "x..y..end"}, "start>x x>y..end"},
		{[]string{"p..q..end"}, "p..q>end"},
		// Two anchors at one point leave a sector out: the next one
		// starts at the other.
		{[]string{"start..A", "B..end"}, "start>A B>end"},
		{[]string{"A..B"}, "A>B"},
		{[]string{"S001"}, ">"},
	} {
		var got []string
		for _, e := range anchorEnds(c.ids) {
			got = append(got, e[0]+">"+e[1])
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%v: %s, want %s", c.ids, strings.Join(got, " "), c.want)
		}
	}
}
