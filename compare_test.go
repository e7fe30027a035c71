package frontline

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	sector := func(id string, strength int, ratio, ad, layered, patrol float64, status string) SectorReport {
		return SectorReport{ID: id, Troops: TroopsReport{Strength: strength, Ratio: ratio}, Status: status,
			AirDefense: AirDefenseReport{CoveredFraction: ad, LayeredFraction: layered}, Patrol: PatrolReport{CoveredFraction: patrol}}
	}
	a := &Report{Sectors: []SectorReport{sector("S001", 1000, 0.5, 0.2, 0, 1, StatusGap), sector("S002", 500, 1, 1, 0.5, 1, StatusOK),
		sector("S003", 10, 0.1, 0, 0, 0, StatusGap)}}
	b := &Report{Sectors: []SectorReport{sector("S001", 2400, 1.2, 0.95, 0.25, 1, StatusOK), sector("S002", 500, 1, 1, 0.5, 1, StatusOK),
		sector("S004", 7, 0, 0, 0, 0, StatusGap)}}
	a.Summary.Strength, b.Summary.Strength = 1510, 2907
	cmp := Compare("live", a, "plus", b)
	got, _ := json.Marshal(cmp.Sectors)
	var sectors []map[string]any
	_ = json.Unmarshal(got, &sectors)
	if len(sectors) != 4 {
		t.Fatalf("%d sectors, want S001, S002, S003 (a only), S004 (b only)", len(sectors))
	}
	d := sectors[0]["delta"].(map[string]any)
	if d["troops_strength"] != 1400.0 || d["air_defense_layered_fraction"] != 0.25 || d["patrol_covered_fraction"] != 0.0 ||
		sectors[0]["status_change"] != "gap->ok" {
		t.Errorf("S001: %v", sectors[0])
	}
	if diff := d["troops_ratio"].(float64) - 0.7; diff > 1e-12 || diff < -1e-12 {
		t.Errorf("S001 ratio delta %v, want 0.7", d["troops_ratio"])
	}
	if sectors[1]["status_change"] != nil {
		t.Errorf("S002 kept its status, change %v", sectors[1]["status_change"])
	}
	if sectors[2]["id"] != "S003" || sectors[2]["b"] != nil || sectors[2]["delta"] != nil {
		t.Errorf("S003 (a only): %v", sectors[2])
	}
	if sectors[3]["id"] != "S004" || sectors[3]["a"] != nil || sectors[3]["delta"] != nil {
		t.Errorf("S004 (b only): %v", sectors[3])
	}
	if cmp.A.Scenario != "live" || cmp.B.Summary.Strength != 2907 {
		t.Errorf("sides: %+v %+v", cmp.A, cmp.B)
	}
	lines := strings.Split(strings.TrimSpace(string(cmp.CSV())), "\n")
	if len(lines) != 5 || lines[0] != strings.Join(compareCSVHeader, ",") {
		t.Fatalf("CSV: %q", lines)
	}
	if want := "S001,gap,ok,gap->ok,1000,2400,1400,"; !strings.HasPrefix(lines[1], want) {
		t.Errorf("CSV S001: %s, want it to start %s", lines[1], want)
	}
	if want := "S003,gap,,,10,,,"; !strings.HasPrefix(lines[3], want) {
		t.Errorf("CSV S003: %s, want it to start %s", lines[3], want)
	}
}
