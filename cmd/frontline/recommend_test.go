package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestRecommendAirDefense asks where to place new units, checks the
// answer against the coverage of the scenario it saves, and the refusals.
func TestRecommendAirDefense(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db)
	units := get(t, s.url+"/v1/units").body
	type answer struct {
		Sites struct {
			Features []struct {
				ID         string         `json:"id"`
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		} `json:"sites"`
		Report   json.RawMessage `json:"report"`
		Scenario *string         `json:"scenario"`
	}
	covered := func(report []byte) float64 {
		var rep struct {
			Summary struct {
				AirDefenseCoveredFraction float64 `json:"air_defense_covered_fraction"`
			} `json:"summary"`
		}
		if err := json.Unmarshal(report, &rep); err != nil {
			t.Fatal(err)
		}
		return rep.Summary.AirDefenseCoveredFraction
	}
	live := covered(get(t, s.url+"/v1/coverage").body)

	r := get(t, s.url+"/v1/recommend/air-defense?system=nasams&count=3")
	want(t, r, 200)
	var a answer
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Sites.Features) != 3 || a.Scenario != nil {
		t.Fatalf("%d sites, scenario %v; want 3 and none", len(a.Sites.Features), a.Scenario)
	}
	last := 0.0
	for _, f := range a.Sites.Features {
		if f.Properties["kind"] != "air_defense" || f.Properties["range_km"] != 30.0 || f.Properties["gain_km2"].(float64) <= 0 {
			t.Errorf("site %s: %v", f.ID, f.Properties)
		}
		if cf := f.Properties["covered_fraction"].(float64); cf < last {
			t.Errorf("covered fraction went down at %s: %v after %v", f.ID, cf, last)
		}
		last = f.Properties["covered_fraction"].(float64)
	}
	if got := covered(a.Report); !(got > live) {
		t.Errorf("covered fraction with the sites %v, live %v: want more", got, live)
	}

	// A target: reached or not, the answer says so, by the exact report.
	r = get(t, s.url+"/v1/recommend/air-defense?system=patriot&target=0.9")
	want(t, r, 200)
	var tg struct {
		TargetReached *bool `json:"target_reached"`
		Report        struct {
			Sectors []struct {
				AirDefense struct {
					CoveredFraction float64 `json:"covered_fraction"`
				} `json:"air_defense"`
			} `json:"sectors"`
		} `json:"report"`
	}
	if err := json.Unmarshal(r.body, &tg); err != nil {
		t.Fatal(err)
	}
	reached := true
	for _, sec := range tg.Report.Sectors {
		reached = reached && sec.AirDefense.CoveredFraction >= 0.9
	}
	if tg.TargetReached == nil || *tg.TargetReached != reached {
		t.Errorf("target_reached %v, the report says %v", tg.TargetReached, reached)
	}

	// Saved, the scenario's coverage read afresh is the report.
	writeKey := makeKey(t, db, "write")
	want(t, get(t, s.url+"/v1/recommend/air-defense?system=nasams&count=2&sector_km=40&save_as=ad-plan"), 401)
	r = get(t, s.url+"/v1/recommend/air-defense?system=nasams&count=2&sector_km=40&save_as=ad-plan", "Authorization", "Bearer "+writeKey)
	want(t, r, 200)
	var saved answer
	if err := json.Unmarshal(r.body, &saved); err != nil {
		t.Fatal(err)
	}
	if saved.Scenario == nil || *saved.Scenario != "ad-plan" {
		t.Fatalf("saved as %v", saved.Scenario)
	}
	afresh := get(t, s.url+"/v1/coverage?scenario=ad-plan")
	want(t, afresh, 200)
	var x, y map[string]any
	_ = json.Unmarshal(saved.Report, &x)
	_ = json.Unmarshal(afresh.body, &y)
	xs, _ := json.Marshal(x["sectors"])
	ys, _ := json.Marshal(y["sectors"])
	if !bytes.Equal(xs, ys) || len(x["sectors"].([]any)) != 47 {
		t.Errorf("the recommendation's report and the saved scenario's coverage differ (%d and %d sectors)",
			len(x["sectors"].([]any)), len(y["sectors"].([]any)))
	}
	if !bytes.Equal(get(t, s.url+"/v1/units").body, units) {
		t.Error("a recommendation changed the stored units")
	}

	for _, tc := range []struct {
		query  string
		status int
		code   string
	}{
		{"?system=flak&count=1", 422, "unknown_system"},
		{"?system=nasams", 400, "bad_parameter"},
		{"?system=nasams&count=1&target=0.5", 400, "bad_parameter"},
		{"?system=nasams&count=5000", 400, "bad_parameter"},
		{"?range_km=-3&count=1", 400, "bad_parameter"},
		{"?system=nasams&count=1&place_side=up", 400, "bad_parameter"},
		{"?system=nasams&count=1&scenario=nope", 404, "not_found"},
		{"?system=nasams&count=1&save_as=Bad%20Id", 400, "bad_parameter"},
	} {
		r := get(t, s.url+"/v1/recommend/air-defense"+tc.query, "Authorization", "Bearer "+writeKey)
		if r.status != tc.status || !bytes.Contains(r.body, []byte(`"code":"`+tc.code+`"`)) {
			t.Errorf("%s: %d %s, want %d %s", tc.query, r.status, r.body, tc.status, tc.code)
		}
	}
}

// TestRecommendPatrols asks for the fewest posts that bring every sector
// to a target, from nothing (an empty-base scenario), and saves them.
func TestRecommendPatrols(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db)
	writeKey := makeKey(t, db, "write")
	want(t, s.do(t, "PUT", s.url+"/v1/scenarios/none", "application/json", []byte(`{"base":"empty"}`)), 201)
	r := get(t, s.url+"/v1/recommend/patrols?target=0.5&observe_km=5&scenario=none&save_as=posts", "Authorization", "Bearer "+writeKey)
	want(t, r, 200)
	var a struct {
		Sites struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		} `json:"sites"`
		Report struct {
			Summary struct {
				LengthKm float64 `json:"length_km"`
			} `json:"summary"`
			Sectors []struct {
				Patrol struct {
					CoveredFraction float64 `json:"covered_fraction"`
				} `json:"patrol"`
			} `json:"sectors"`
		} `json:"report"`
		TargetReached bool    `json:"target_reached"`
		Scenario      *string `json:"scenario"`
	}
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatal(err)
	}
	n := len(a.Sites.Features)
	// Each post watches at most 10 km of line: half the line needs at
	// least length/20 posts.
	if lower := int(a.Report.Summary.LengthKm / 20); n < lower || n > 2*lower || !a.TargetReached {
		t.Errorf("%d posts (target reached %v) for %.0f km at half cover; want from %d to %d", n, a.TargetReached, a.Report.Summary.LengthKm, lower, 2*lower)
	}
	for i, sec := range a.Report.Sectors {
		if sec.Patrol.CoveredFraction < 0.5 {
			t.Errorf("sector %d watched %v, below the target", i, sec.Patrol.CoveredFraction)
		}
	}
	if a.Scenario == nil || *a.Scenario != "posts" {
		t.Fatalf("saved as %v", a.Scenario)
	}
	afresh := get(t, s.url+"/v1/coverage?scenario=posts")
	want(t, afresh, 200)
	var y struct {
		Sectors json.RawMessage `json:"sectors"`
	}
	var x struct {
		Report struct {
			Sectors json.RawMessage `json:"sectors"`
		} `json:"report"`
	}
	_ = json.Unmarshal(afresh.body, &y)
	_ = json.Unmarshal(r.body, &x)
	if !bytes.Equal(x.Report.Sectors, y.Sectors) {
		t.Error("the recommendation's report and the saved scenario's coverage differ")
	}
	for _, tc := range []struct {
		query  string
		status int
	}{{"?observe_km=5", 400}, {"?target=2", 400}, {"?target=0.5&observe_km=-1", 400}, {"?target=0.5&save_as=x", 401}} {
		want(t, get(t, s.url+"/v1/recommend/patrols"+tc.query), tc.status)
	}
}

// TestRequirementsPlacements checks that the requirements' air-defense
// and patrol parts are what the recommendations place for the thresholds.
func TestRequirementsPlacements(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	count := func(path string) (int, bool) {
		var a struct {
			Sites struct {
				Features []any `json:"features"`
			} `json:"sites"`
			TargetReached bool `json:"target_reached"`
		}
		r := get(t, s.url+path)
		want(t, r, 200)
		if err := json.Unmarshal(r.body, &a); err != nil {
			t.Fatal(err)
		}
		return len(a.Sites.Features), a.TargetReached
	}
	r := get(t, s.url+"/v1/requirements?system=iris-t-slm&observe_km=4&air_defense_ok=0.95")
	want(t, r, 200)
	var req struct {
		AirDefense struct {
			System  string  `json:"system"`
			Target  float64 `json:"target"`
			Needed  int     `json:"needed"`
			Reached bool    `json:"reached"`
		} `json:"air_defense"`
		Patrols struct {
			ObserveKm float64 `json:"observe_km"`
			Target    float64 `json:"target"`
			Needed    int     `json:"needed"`
			Reached   bool    `json:"reached"`
		} `json:"patrols"`
	}
	if err := json.Unmarshal(r.body, &req); err != nil {
		t.Fatal(err)
	}
	ad, adReached := count("/v1/recommend/air-defense?system=iris-t-slm&target=0.95&air_defense_ok=0.95")
	posts, postsReached := count("/v1/recommend/patrols?observe_km=4&target=0.9")
	if req.AirDefense.System != "iris-t-slm" || req.AirDefense.Target != 0.95 || req.AirDefense.Needed != ad || req.AirDefense.Reached != adReached {
		t.Errorf("air defense %+v; the recommendation places %d (reached %v)", req.AirDefense, ad, adReached)
	}
	if req.Patrols.ObserveKm != 4 || req.Patrols.Target != 0.9 || req.Patrols.Needed != posts || req.Patrols.Reached != postsReached || posts == 0 {
		t.Errorf("patrols %+v; the recommendation places %d (reached %v)", req.Patrols, posts, postsReached)
	}
	want(t, get(t, s.url+"/v1/requirements?system=flak"), 422)
	want(t, get(t, s.url+"/v1/requirements?observe_km=x"), 400)
}

// TestPlanCommand prints what the default line needs, as a table and as
// CSV, with the same figures as the API's requirements.
func TestPlanCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db)
	api := get(t, s.url+"/v1/requirements?sector_km=200&format=csv").body
	s.stop()
	var out, errs bytes.Buffer
	if err := run(t.Context(), []string{"plan", "--db", db, "--sector-km", "200", "--format", "csv"}, &out, &errs); err != nil {
		t.Fatalf("plan: %v (%s)", err, errs.String())
	}
	if !bytes.Equal(out.Bytes(), api) {
		t.Errorf("plan --format csv differs from GET /v1/requirements?format=csv:\n%s\n%s", out.Bytes(), api)
	}
	if !bytes.Contains(errs.Bytes(), []byte("placing air defense and observation posts")) || !bytes.Contains(errs.Bytes(), []byte("done in")) {
		t.Errorf("no progress on stderr: %q", errs.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"plan", "--db", db, "--sector-km", "200"}, &out, &errs); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"S010", "total", "troops short:", "more nasams units (30 km)", "observation posts (5 km sight)"} {
		if !bytes.Contains(out.Bytes(), []byte(w)) {
			t.Errorf("plan's table lacks %q:\n%s", w, out.String())
		}
	}
	if err := run(t.Context(), []string{"plan", "--db", db, "--format", "xml"}, &out, &errs); err == nil {
		t.Error("plan --format xml was accepted")
	}
}

// TestRecommendationImportedForReal imports the recommended sites as
// units, for real, and finds the coverage the recommendation reported.
func TestRecommendationImportedForReal(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for _, path := range []string{
		"/v1/recommend/air-defense?system=iris-t-slm&count=4&sector_km=30",
		"/v1/recommend/patrols?target=0.95&observe_km=3&sector_km=30",
	} {
		r := get(t, s.url+path)
		want(t, r, 200)
		var a struct {
			Sites  json.RawMessage `json:"sites"`
			Report struct {
				Sectors json.RawMessage `json:"sectors"`
			} `json:"report"`
		}
		if err := json.Unmarshal(r.body, &a); err != nil {
			t.Fatal(err)
		}
		want(t, s.do(t, "POST", s.url+"/v1/units/bulk", "application/geo+json", a.Sites), 200)
		var cov struct {
			Sectors json.RawMessage `json:"sectors"`
		}
		if err := json.Unmarshal(get(t, s.url+"/v1/coverage?sector_km=30").body, &cov); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(cov.Sectors, a.Report.Sectors) {
			t.Errorf("%s: the coverage with the sites imported differs from the recommendation's report", path)
		}
	}
}
