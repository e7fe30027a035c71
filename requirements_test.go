package frontline

import (
	"reflect"
	"testing"
)

// report makes a report of sectors of the given lengths and strengths.
func requirementsReport(requiredPerKm, rotation float64, sectors ...SectorReport) *Report {
	p := DefaultParams()
	p.RequiredPerKm, p.Rotation = requiredPerKm, rotation
	return &Report{Line: LineRef{Version: 7}, Params: p, Sectors: sectors}
}

func sector(id string, lengthKm float64, strength int) SectorReport {
	return SectorReport{ID: id, LengthKm: lengthKm, Troops: TroopsReport{Strength: strength}}
}

func TestNewRequirements(t *testing.T) {
	type row struct{ needed, present, shortfall int }
	for _, tc := range []struct {
		name    string
		rep     *Report
		sectors []row
		totals  RequirementTotals
	}{
		{"the default density: a surplus fills no other sector",
			requirementsReport(48, 3, sector("S001", 25, 1500), sector("S002", 12.5, 100), sector("S003", 25, 1200)),
			[]row{{1200, 1500, 0}, {600, 100, 500}, {1200, 1200, 0}},
			RequirementTotals{Needed: 3000, Present: 2800, Shortfall: 500, ShortfallWithRotation: 1500}},
		{"monitoring over 300 m needs one monitor",
			requirementsReport(1.5, 3, sector("S001", 0.3, 0)),
			[]row{{1, 0, 1}},
			RequirementTotals{Needed: 1, Present: 0, Shortfall: 1, ShortfallWithRotation: 3}},
		{"100 per km over 70 m needs 7, not 8; rotation 1.1 of 100 is 110, not 111",
			requirementsReport(100, 1.1, sector("S001", 0.07, 0), sector("S002", 10, 907)),
			[]row{{7, 0, 7}, {1000, 907, 93}},
			RequirementTotals{Needed: 1007, Present: 907, Shortfall: 100, ShortfallWithRotation: 110}},
		{"rotation 2.5 rounds the total shortfall up",
			requirementsReport(48, 2.5, sector("S001", 25, 199), sector("S002", 0.020833, 0)),
			[]row{{1200, 199, 1001}, {1, 0, 1}},
			RequirementTotals{Needed: 1201, Present: 199, Shortfall: 1002, ShortfallWithRotation: 2505}},
		{"rotation 2.5 of an odd shortfall",
			requirementsReport(48, 2.5, sector("S001", 25, 199)),
			[]row{{1200, 199, 1001}},
			RequirementTotals{Needed: 1200, Present: 199, Shortfall: 1001, ShortfallWithRotation: 2503}},
		{"enough everywhere",
			requirementsReport(15, 3, sector("S001", 80, 1150), sector("S002", 80, 5000)),
			[]row{{1200, 1150, 50}, {1200, 5000, 0}},
			RequirementTotals{Needed: 2400, Present: 6150, Shortfall: 50, ShortfallWithRotation: 150}},
		{"no sectors", requirementsReport(48, 3), nil, RequirementTotals{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NewRequirements(tc.rep)
			if len(got.Sectors) != len(tc.sectors) {
				t.Fatalf("%d sectors, want %d", len(got.Sectors), len(tc.sectors))
			}
			for i, want := range tc.sectors {
				s := got.Sectors[i]
				if g := (row{s.Troops.Needed, s.Troops.Present, s.Troops.Shortfall}); g != want {
					t.Errorf("%s: needed, present, shortfall %v, want %v", s.ID, g, want)
				}
				if s.ID != tc.rep.Sectors[i].ID || s.LengthKm != tc.rep.Sectors[i].LengthKm {
					t.Errorf("sector %d is %s of %g km, want %s of %g km", i, s.ID, s.LengthKm, tc.rep.Sectors[i].ID, tc.rep.Sectors[i].LengthKm)
				}
				if s.Troops.Shortfall < 0 {
					t.Errorf("%s: a negative shortfall", s.ID)
				}
			}
			if got.Totals != tc.totals {
				t.Errorf("totals %+v, want %+v", got.Totals, tc.totals)
			}
			if got.Line != tc.rep.Line || !reflect.DeepEqual(got.Params, tc.rep.Params) {
				t.Errorf("line %+v and params %+v, want the report's", got.Line, got.Params)
			}
		})
	}
}

// The requirements CSV: a row per sector, then the totals; ids made safe.
func TestRequirementsCSV(t *testing.T) {
	req := NewRequirements(requirementsReport(48, 2.5, sector("=S1", 25, 199), sector("S002", 12.5, 700)))
	want := "id,length_km,troops_needed,troops_present,troops_shortfall,troops_shortfall_with_rotation,line_version\n" +
		"'=S1,25,1200,199,1001,,7\n" +
		"S002,12.5,600,700,0,,7\n" +
		"total,37.5,1800,899,1001,2503,7\n"
	if got := string(req.CSV()); got != want {
		t.Errorf("CSV:\n%s\nwant\n%s", got, want)
	}
}
