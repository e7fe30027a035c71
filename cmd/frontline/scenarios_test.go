package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
)

func summaryStrength(t *testing.T, r response) (strength float64, params map[string]any) {
	t.Helper()
	var rep struct {
		Params  map[string]any `json:"params"`
		Summary struct {
			Force struct {
				Troops float64 `json:"troops"`
			} `json:"force"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(r.body, &rep); err != nil {
		t.Fatalf("coverage: %v: %.200s", err, r.body)
	}
	return rep.Summary.Force.Troops, rep.Params
}

// TestScenarios stores options and computes with them: the stored units
// never change, every write is seen by the next read, and unknown
// scenarios are refused.
func TestScenarios(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	units := get(t, s.url+"/v1/units").body
	live, _ := summaryStrength(t, get(t, s.url+"/v1/coverage"))
	if live != 95280 {
		t.Fatalf("live troops %v, want the demo's 95,280", live)
	}
	extra := func(strength int) string {
		return fmt.Sprintf(`{"type":"Feature","id":"extra-1","geometry":{"type":"Point","coordinates":[32.6,46.62]},"properties":{"kind":"troops","strength":%d}}`, strength)
	}
	body := func(strength int) []byte {
		return []byte(`{"id":"more-south","name":"More troops in the south","units":[` + extra(strength) +
			`],"remove":["T-001"],"settings":{"required_per_km":60}}`)
	}

	r := s.do(t, "POST", s.url+"/v1/scenarios", "application/json", body(5000))
	want(t, r, 201)
	etag := r.header.Get("ETag")
	if r.json(t)["revision"].(float64) != 1 || etag == "" {
		t.Errorf("created: %s, ETag %q", r.body, etag)
	}
	want(t, s.do(t, "POST", s.url+"/v1/scenarios", "application/json", body(5000)), 409)

	cov := get(t, s.url+"/v1/coverage?scenario=more-south")
	want(t, cov, 200)
	// T-001 (1,280) out, extra-1 (5,000) in; the scenario's settings apply.
	got, params := summaryStrength(t, cov)
	if got != 95280-1280+5000 || params["required_per_km"] != 60.0 || params["scenario"] != "more-south" {
		t.Errorf("under the scenario: troops %v, params %v", got, params)
	}
	// A query setting wins over the scenario's.
	if _, params := summaryStrength(t, get(t, s.url+"/v1/coverage?scenario=more-south&required_per_km=20")); params["required_per_km"] != 20.0 {
		t.Errorf("query over scenario: %v", params)
	}
	if !bytes.Equal(get(t, s.url+"/v1/units").body, units) {
		t.Error("using a scenario changed the stored units")
	}
	// The units it computes with: the stored ones, T-001 out, extra-1 in.
	ids := func(path string) map[string]bool {
		out := map[string]bool{}
		for _, f := range get(t, s.url+path).json(t)["features"].([]any) {
			out[f.(map[string]any)["id"].(string)] = true
		}
		return out
	}
	liveIDs, scenIDs := ids("/v1/units"), ids("/v1/units?scenario=more-south")
	if !scenIDs["extra-1"] || scenIDs["T-001"] || len(scenIDs) != len(liveIDs) || !liveIDs["T-001"] {
		t.Errorf("units under the scenario: %d (extra-1 %t, T-001 %t), live %d", len(scenIDs), scenIDs["extra-1"], scenIDs["T-001"], len(liveIDs))
	}
	if live2, _ := summaryStrength(t, get(t, s.url+"/v1/coverage?scenario=live")); live2 != live {
		t.Errorf("scenario=live: %v, want %v", live2, live)
	}

	// A stale write is refused; a fresh one is seen by the next read.
	want(t, s.do(t, "PUT", s.url+"/v1/scenarios/more-south", "application/json", body(6000), "If-Match", `"stale"`), 412)
	r = s.do(t, "PUT", s.url+"/v1/scenarios/more-south", "application/json", body(6000), "If-Match", etag)
	want(t, r, 200)
	if r.json(t)["revision"].(float64) != 2 {
		t.Errorf("replaced: %s", r.body)
	}
	if got, _ := summaryStrength(t, get(t, s.url+"/v1/coverage?scenario=more-south")); got != 95280-1280+6000 {
		t.Errorf("after the update: troops %v", got)
	}

	// On its own: only its units count, in every unit-dependent read.
	want(t, s.do(t, "PUT", s.url+"/v1/scenarios/alone", "application/json",
		[]byte(`{"base":"empty","units":[`+extra(100)+`]}`)), 201)
	if got, _ := summaryStrength(t, get(t, s.url+"/v1/coverage?scenario=alone")); got != 100 {
		t.Errorf("empty base: troops %v, want 100", got)
	}
	if got := ids("/v1/units?scenario=alone"); len(got) != 1 || !got["extra-1"] {
		t.Errorf("units of the empty-based scenario: %v", got)
	}
	rings := get(t, s.url+"/v1/overlays/air-defense?scenario=alone").json(t)["features"].([]any)
	if len(rings) != 0 {
		t.Errorf("empty base: %d air-defense rings, want none", len(rings))
	}
	req := get(t, s.url+"/v1/requirements?scenario=alone")
	want(t, req, 200)
	if present := req.json(t)["totals"].(map[string]any)["present"].(float64); present != 100 {
		t.Errorf("requirements under the scenario: present %v, want 100", present)
	}
	want(t, get(t, s.url+"/v1/tiles/units/7/77/44.mvt?scenario=alone"), 204)
	want(t, get(t, s.url+"/v1/tiles/units/7/77/44.mvt"), 200)

	list := get(t, s.url+"/v1/scenarios").json(t)["scenarios"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["id"] != "alone" {
		t.Errorf("scenarios listed: %v", list)
	}

	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/v1/coverage?scenario=nope", 404},
		{"/v1/coverage?scenario=Not%20An%20Id", 400},
		{"/v1/scenarios/nope", 404},
		{"/v1/overlays/gaps?scenario=nope", 404},
		{"/v1/units?scenario=nope", 404},
		{"/v1/units?scenario=Not%20An%20Id", 400},
	} {
		want(t, get(t, s.url+tc.path), tc.status)
	}
	want(t, s.do(t, "POST", s.url+"/v1/scenarios", "application/json", []byte(`{"id":"bad","settings":{"depth_km":-1}}`)), 400)
	want(t, s.do(t, "POST", s.url+"/v1/scenarios", "application/json", []byte(`{"id":"live"}`)), 422)

	want(t, s.do(t, "DELETE", s.url+"/v1/scenarios/more-south", "", nil), 204)
	want(t, get(t, s.url+"/v1/coverage?scenario=more-south"), 404)
	want(t, s.do(t, "DELETE", s.url+"/v1/scenarios/more-south", "", nil), 404)
	audit := s.do(t, "GET", s.url+"/v1/audit?limit=20", "", nil)
	for _, w := range []string{`"action":"scenario.put","target":"more-south (revision 2)"`, `"action":"scenario.delete"`} {
		if !bytes.Contains(audit.body, []byte(w)) {
			t.Errorf("audit lacks %s: %.600s", w, audit.body)
		}
	}
}

// TestCompare puts the stored units against a scenario, sector by sector.
func TestCompare(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	// One more brigade in S001's stretch, and the Spanish battlegroup
	// T-001 gone.
	want(t, s.do(t, "PUT", s.url+"/v1/scenarios/plus", "application/json", []byte(`{"units":[
		{"type":"Feature","id":"extra-1","geometry":{"type":"Point","coordinates":[32.6,46.62]},"properties":{"kind":"troops","strength":3000,"sector":"S001"}}],
		"remove":["T-001"]}`)), 201)
	r := get(t, s.url+"/v1/compare?a=live&b=plus&sector_km=25")
	want(t, r, 200)
	var cmp struct {
		A, B struct {
			Scenario string
			Summary  struct{ Strength int }
		}
		Sectors []struct {
			ID    string
			A, B  *struct{ Troops struct{ Strength int } }
			Delta *struct {
				TroopsStrength int `json:"troops_strength"`
			}
		}
	}
	if err := json.Unmarshal(r.body, &cmp); err != nil {
		t.Fatal(err)
	}
	if cmp.A.Scenario != "live" || cmp.B.Scenario != "plus" || cmp.B.Summary.Strength-cmp.A.Summary.Strength != 3000-1280 {
		t.Errorf("summaries: a %+v, b %+v", cmp.A, cmp.B)
	}
	total := 0
	for _, sc := range cmp.Sectors {
		if sc.Delta == nil || sc.B.Troops.Strength-sc.A.Troops.Strength != sc.Delta.TroopsStrength {
			t.Fatalf("sector %s: delta %+v does not match its sides", sc.ID, sc.Delta)
		}
		total += sc.Delta.TroopsStrength
	}
	if total != 3000-1280 || cmp.Sectors[0].Delta.TroopsStrength < 3000-1280 {
		t.Errorf("deltas add to %d (S001: %d); want 1,720 in all, the 3,000 in S001", total, cmp.Sectors[0].Delta.TroopsStrength)
	}
	csv := get(t, s.url+"/v1/compare?a=live&b=plus&format=csv")
	want(t, csv, 200)
	if !bytes.HasPrefix(csv.body, []byte("id,a_status,b_status,status_change,a_troops_strength")) {
		t.Errorf("CSV: %.120s", csv.body)
	}
	for _, tc := range []struct {
		query  string
		status int
	}{
		{"?a=live", 400}, {"?a=live&b=nope", 404}, {"?a=live&b=plus&scenario=plus", 400}, {"?a=live&b=plus&depth_km=-1", 400},
	} {
		want(t, get(t, s.url+"/v1/compare"+tc.query), tc.status)
	}
}
