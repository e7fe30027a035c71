package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"frontline"
)

// The options of SPEC 9 that need no recommendation engine, through the
// real binary on the default data: postures, force totals and
// requirements.
func TestPosturesForceRequirements(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db)

	t.Run("postures", func(t *testing.T) {
		r := get(t, s.url+"/v1/postures")
		want(t, r, 200)
		var doc struct {
			Postures []struct {
				Name          string  `json:"name"`
				RequiredPerKm float64 `json:"required_per_km"`
				Source        string  `json:"source"`
			} `json:"postures"`
		}
		if err := json.Unmarshal(r.body, &doc); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range doc.Postures {
			got = append(got, fmt.Sprintf("%s %g", p.Name, p.RequiredPerKm))
			if p.Source == "" {
				t.Errorf("posture %s has no source", p.Name)
			}
		}
		if w := []string{"monitoring 1.5", "separation 15", "reassurance 48", "interposition 80", "defense 300"}; !reflect.DeepEqual(got, w) {
			t.Errorf("postures %v, want %v", got, w)
		}
		if r.header.Get("ETag") == "" {
			t.Error("no ETag")
		}
	})

	// The required density a coverage read reports, in its params and in
	// every sector.
	requiredPerKm := func(t *testing.T, query string) float64 {
		t.Helper()
		r := get(t, s.url+"/v1/coverage"+query)
		want(t, r, 200)
		rep := r.json(t)
		p := rep["params"].(map[string]any)["required_per_km"].(float64)
		for _, sec := range rep["sectors"].([]any) {
			if got := sec.(map[string]any)["troops"].(map[string]any)["required_per_km"].(float64); got != p {
				t.Fatalf("a sector requires %g per km, the params %g", got, p)
			}
		}
		return p
	}
	for _, tc := range []struct {
		query string
		want  float64
	}{
		{"", 48},
		{"?posture=interposition", 80},
		{"?posture=monitoring&sector_km=50", 1.5},
		{"?posture=interposition&required_per_km=50", 50},
		{"?required_per_km=50&posture=defense", 50},
	} {
		t.Run("coverage"+tc.query, func(t *testing.T) {
			if got := requiredPerKm(t, tc.query); got != tc.want {
				t.Errorf("required_per_km %g, want %g", got, tc.want)
			}
		})
	}

	refusals := []integrityCase{
		{name: "an unknown posture", method: "GET", path: "/v1/coverage?posture=peacekeeping", status: 400, code: "bad_parameter",
			message: "monitoring, separation, reassurance, interposition, defense", details: map[string]any{"field": "posture"}},
		{name: "an unknown posture with required_per_km", method: "GET", path: "/v1/coverage?posture=x&required_per_km=50", status: 400,
			code: "bad_parameter", details: map[string]any{"field": "posture"}},
		{name: "an unknown posture on one sector", method: "GET", path: "/v1/coverage/S001?posture=x", status: 400, code: "bad_parameter"},
		{name: "an unknown posture on requirements", method: "GET", path: "/v1/requirements?posture=x", status: 400, code: "bad_parameter"},
		{name: "an unknown posture on an overlay", method: "GET", path: "/v1/overlays/sectors?posture=x", status: 400, code: "bad_parameter"},
		{name: "an unknown posture on a tile", method: "GET", path: "/v1/tiles/sectors/7/77/44.mvt?posture=x", status: 400, code: "bad_parameter"},
		{name: "a posture given twice", method: "GET", path: "/v1/coverage?posture=defense&posture=monitoring", status: 400, code: "bad_parameter"},
		{name: "rotation below 1", method: "GET", path: "/v1/coverage?rotation=0.5", status: 400, code: "bad_parameter",
			message: "rotation must be at least 1", details: map[string]any{"field": "rotation"}},
		{name: "rotation 0", method: "GET", path: "/v1/requirements?rotation=0", status: 400, code: "bad_parameter",
			details: map[string]any{"field": "rotation"}},
		{name: "requirements in another format", method: "GET", path: "/v1/requirements?format=xml", status: 400, code: "bad_parameter",
			details: map[string]any{"field": "format"}},
		{name: "requirements with an unknown parameter", method: "GET", path: "/v1/requirements?systme=patriot", status: 400, code: "bad_parameter"},
		{name: "postures take no parameters", method: "GET", path: "/v1/postures?name=defense", status: 400, code: "bad_parameter"},
		{name: "requirements of a version that is not there", method: "GET", path: "/v1/requirements?version=99", status: 404, code: "not_found"},
		{name: "a posture in the stored defaults", method: "PUT", path: "/v1/settings", ctype: "application/json",
			body: `{"posture": "peacekeeping"}`, status: 400, code: "bad_parameter", details: map[string]any{"field": "posture"}},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, s) })
	}

	type requirements struct {
		Params  map[string]any `json:"params"`
		Sectors []struct {
			ID       string  `json:"id"`
			LengthKm float64 `json:"length_km"`
			Troops   struct {
				Needed, Present, Shortfall int
			} `json:"troops"`
		} `json:"sectors"`
		Totals struct {
			Needed                int `json:"needed"`
			Present               int `json:"present"`
			Shortfall             int `json:"shortfall"`
			ShortfallWithRotation int `json:"shortfall_with_rotation"`
		} `json:"totals"`
	}
	readRequirements := func(t *testing.T, query string) requirements {
		t.Helper()
		r := get(t, s.url+"/v1/requirements"+query)
		want(t, r, 200)
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		var req requirements
		if err := json.Unmarshal(r.body, &req); err != nil {
			t.Fatal(err)
		}
		return req
	}
	// ceilTimes is ceil(perKm x km) in whole numbers: km has at most six
	// decimals, perKm here at most one.
	ceilTimes := func(perKm, km float64) int {
		tenths, mm := int64(math.Round(perKm*10)), int64(math.Round(km*1e6))
		return int((tenths*mm + 1e7 - 1) / 1e7)
	}

	for _, tc := range []struct {
		query    string
		perKm    float64
		rotation float64
	}{
		{"", 48, 3},
		{"?posture=interposition&rotation=2.5", 80, 2.5},
		{"?posture=monitoring&sector_km=0.3", 1.5, 3},
		{"?posture=defense&sectors=anchors", 300, 3},
	} {
		t.Run("requirements"+tc.query, func(t *testing.T) {
			req := readRequirements(t, tc.query)
			cov := get(t, s.url+"/v1/coverage"+tc.query).json(t)
			sectors := cov["sectors"].([]any)
			if len(req.Sectors) != len(sectors) || len(sectors) == 0 {
				t.Fatalf("%d sectors, coverage has %d", len(req.Sectors), len(sectors))
			}
			if req.Params["required_per_km"] != tc.perKm || req.Params["rotation"] != tc.rotation {
				t.Errorf("params %v, want required_per_km %g, rotation %g", req.Params, tc.perKm, tc.rotation)
			}
			var needed, present, shortfall int
			for i, sec := range req.Sectors {
				c := sectors[i].(map[string]any)
				if sec.ID != c["id"] || sec.LengthKm != c["length_km"] {
					t.Errorf("sector %d is %s of %g km, coverage's %v of %v", i, sec.ID, sec.LengthKm, c["id"], c["length_km"])
				}
				strength := int(c["troops"].(map[string]any)["strength"].(float64))
				w := ceilTimes(tc.perKm, sec.LengthKm)
				if sec.Troops.Needed != w || sec.Troops.Present != strength || sec.Troops.Shortfall != max(0, w-strength) {
					t.Errorf("%s of %g km with %d troops: %+v; want %d needed, shortfall %d", sec.ID, sec.LengthKm, strength, sec.Troops, w, max(0, w-strength))
				}
				needed += sec.Troops.Needed
				present += sec.Troops.Present
				shortfall += sec.Troops.Shortfall
			}
			if needed != req.Totals.Needed || present != req.Totals.Present || shortfall != req.Totals.Shortfall {
				t.Errorf("totals %+v; the sectors sum to %d needed, %d present, %d short", req.Totals, needed, present, shortfall)
			}
			if w := int(math.Ceil(float64(shortfall) * tc.rotation)); req.Totals.ShortfallWithRotation != w {
				t.Errorf("shortfall with rotation %d, want %d", req.Totals.ShortfallWithRotation, w)
			}
			sum := cov["summary"].(map[string]any)
			force := sum["force"].(map[string]any)
			if present != int(sum["strength"].(float64)) || present != int(force["troops"].(float64)) {
				t.Errorf("present %d; the summary's strength %v, force %v", present, sum["strength"], force["troops"])
			}
			if w := int(math.Ceil(float64(present) * tc.rotation)); int(force["troops_with_rotation"].(float64)) != w {
				t.Errorf("troops with rotation %v, want %d", force["troops_with_rotation"], w)
			}
		})
	}

	t.Run("one sector by hand", func(t *testing.T) {
		// S001 is 25 km long, as every sector but the last: 48 x 25.
		req := readRequirements(t, "")
		if sec := req.Sectors[0]; sec.ID != "S001" || sec.LengthKm != 25 || sec.Troops.Needed != 1200 {
			t.Errorf("S001: %+v, want 25 km needing 1200", sec)
		}
		req = readRequirements(t, "?posture=monitoring&sector_km=0.3")
		if sec := req.Sectors[0]; sec.LengthKm != 0.3 || sec.Troops.Needed != 1 {
			t.Errorf("S001 of monitoring: %+v, want 0.3 km needing 1", sec)
		}
	})

	t.Run("requirements as CSV", func(t *testing.T) {
		req := readRequirements(t, "?rotation=2.5")
		r := get(t, s.url+"/v1/requirements?rotation=2.5&format=csv")
		want(t, r, 200)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("Content-Type %q", ct)
		}
		recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if w := "id,length_km,troops_needed,troops_present,troops_shortfall,troops_shortfall_with_rotation,line_version"; strings.Join(recs[0], ",") != w {
			t.Errorf("header %q", recs[0])
		}
		if len(recs) != len(req.Sectors)+2 {
			t.Fatalf("%d records, want a header, %d sectors and the totals", len(recs), len(req.Sectors))
		}
		for i, sec := range req.Sectors {
			w := []string{sec.ID, strconv.FormatFloat(sec.LengthKm, 'f', -1, 64), strconv.Itoa(sec.Troops.Needed),
				strconv.Itoa(sec.Troops.Present), strconv.Itoa(sec.Troops.Shortfall), "", "1"}
			if !reflect.DeepEqual(recs[i+1], w) {
				t.Errorf("row %d %q, want %q", i+1, recs[i+1], w)
			}
		}
		last := recs[len(recs)-1]
		w := []string{"total", last[1], strconv.Itoa(req.Totals.Needed), strconv.Itoa(req.Totals.Present), strconv.Itoa(req.Totals.Shortfall),
			strconv.Itoa(req.Totals.ShortfallWithRotation), "1"}
		if !reflect.DeepEqual(last, w) {
			t.Errorf("totals row %q, want %q", last, w)
		}
	})

	t.Run("force totals", func(t *testing.T) {
		forceOf := func() map[string]any {
			t.Helper()
			return get(t, s.url+"/v1/coverage").json(t)["summary"].(map[string]any)["force"].(map[string]any)
		}
		// Counted afresh from the units.
		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(get(t, s.url+"/v1/units").body, &fc); err != nil {
			t.Fatal(err)
		}
		troops, patrols, ad := 0.0, 0.0, map[string]any{}
		for _, f := range fc.Features {
			p := f.Properties
			switch p["kind"] {
			case "troops":
				troops += p["strength"].(float64)
			case "patrol":
				patrols++
			case "air_defense":
				if p["status"] != "inactive" {
					n, _ := ad[p["system"].(string)].(float64)
					ad[p["system"].(string)] = n + 1
				}
			}
		}
		force := forceOf()
		if w := map[string]any{"troops": troops, "troops_with_rotation": 3 * troops, "air_defense": ad, "patrols": patrols}; !reflect.DeepEqual(force, w) {
			t.Errorf("force %v, want %v", force, w)
		}
		if len(ad) < 5 || patrols == 0 || troops == 0 {
			t.Errorf("the demo data should have troops, patrols and several air-defense systems: %v", force)
		}
		// A unit with only a range counts as custom; an inactive one not.
		for _, u := range []string{
			`{"type":"Feature","id":"X-1","geometry":{"type":"Point","coordinates":[37.6,48.6]},"properties":{"kind":"air_defense","range_km":12}}`,
			`{"type":"Feature","id":"X-2","geometry":{"type":"Point","coordinates":[37.7,48.6]},"properties":{"kind":"air_defense","system":"Patriot","status":"inactive"}}`,
			`{"type":"Feature","id":"X-3","geometry":{"type":"Point","coordinates":[37.7,48.7]},"properties":{"kind":"air_defense","system":"Patriot"}}`,
		} {
			want(t, s.do(t, "POST", s.url+"/v1/units", "application/geo+json", []byte(u)), 201)
		}
		got := forceOf()["air_defense"].(map[string]any)
		if got["custom"] != 1.0 || got["patriot"] != ad["patriot"].(float64)+1 {
			t.Errorf("air defense after adding a range-only, an inactive and an active Patriot: %v (before %v)", got, ad)
		}
	})

	t.Run("posture and rotation as stored defaults and command-line flags", func(t *testing.T) {
		want(t, s.do(t, "PUT", s.url+"/v1/settings", "application/json", []byte(`{"posture": "separation", "rotation": 4}`)), 200)
		set := get(t, s.url+"/v1/settings").json(t)
		if set["required_per_km"] != 15.0 || set["rotation"] != 4.0 {
			t.Errorf("stored defaults %v, want required_per_km 15 and rotation 4", set)
		}
		req := readRequirements(t, "")
		if req.Params["required_per_km"] != 15.0 || req.Totals.ShortfallWithRotation != 4*req.Totals.Shortfall {
			t.Errorf("requirements over the stored defaults: %v, %+v", req.Params, req.Totals)
		}
		s.stop()
		var out, errs bytes.Buffer
		if err := run(context.Background(), []string{"coverage", "--db", db, "--posture", "interposition", "--rotation", "2"}, &out, &errs); err != nil {
			t.Fatalf("coverage: %v (%s)", err, errs.String())
		}
		var rep struct {
			Params  map[string]any `json:"params"`
			Summary struct {
				Force struct {
					Troops             int `json:"troops"`
					TroopsWithRotation int `json:"troops_with_rotation"`
				} `json:"force"`
			} `json:"summary"`
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Params["required_per_km"] != 80.0 || rep.Params["rotation"] != 2.0 || rep.Summary.Force.TroopsWithRotation != 2*rep.Summary.Force.Troops {
			t.Errorf("coverage --posture interposition --rotation 2: params %v, force %+v", rep.Params, rep.Summary.Force)
		}
		if err := run(context.Background(), []string{"coverage", "--db", db, "--posture", "nope"}, &out, &errs); err == nil || !strings.Contains(err.Error(), "interposition") {
			t.Errorf("coverage --posture nope: %v", err)
		}
	})
}

// The README's table of postures is the domain's, figures and sources.
func TestReadmeListsPostures(t *testing.T) {
	readme := string(readFile(t, "../../README.md"))
	for _, p := range frontline.Postures {
		row := fmt.Sprintf("| `%s` | %g | %s |", p.Name, p.RequiredPerKm, p.Source)
		if !strings.Contains(readme, row) {
			t.Errorf("the README has no row %q", row)
		}
	}
}
