package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontline/geo/geodesic"
)

// deepstateDir holds three real days of DeepStateMap's occupied area and
// the lines of contact derived from them independently.
const deepstateDir = "../../../shared/data/deepstate"

func deepstateDays(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(deepstateDir, "*.occupied.geojson"))
	if len(files) == 0 {
		t.Skipf("no DeepStateMap days in %s: the real-data checks are skipped", deepstateDir)
	}
	var days []string
	for _, f := range files {
		days = append(days, filepath.Base(f)[:10])
	}
	return days
}

func readDay(t *testing.T, day, kind string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(deepstateDir, day+"."+kind+".geojson"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// givenLength is the length of the line of contact derived independently.
func givenLength(t *testing.T, day string) float64 {
	var fc struct {
		Features []struct {
			Properties struct {
				LengthKm float64 `json:"length_km"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(readDay(t, day, "contact"), &fc); err != nil {
		t.Fatal(err)
	}
	return fc.Features[0].Properties.LengthKm
}

// TestAreas imports DeepStateMap's occupied areas through the API: each
// becomes an area version and a derived line version every read works on,
// idempotently; changes between two days agree with the areas; a posted
// outline of an area is warned about; bad areas are refused with nothing
// stored.
func TestAreas(t *testing.T) {
	days := deepstateDays(t)
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db)
	post := func(path string, body []byte) response {
		return s.do(t, "POST", s.url+path, "application/geo+json", body)
	}
	var lineVersions []int
	for _, day := range days {
		r := post("/v1/areas?border=none&force=true&source=DeepStateMap&valid_from="+day, readDay(t, day, "occupied"))
		want(t, r, 201)
		var res struct {
			Imported int `json:"imported"`
			Areas    []struct {
				Version   int     `json:"version"`
				ValidFrom string  `json:"valid_from"`
				Source    string  `json:"source"`
				AreaKm2   float64 `json:"area_km2"`
			} `json:"areas"`
			Lines []struct {
				Version  int     `json:"version"`
				LengthKm float64 `json:"length_km"`
			} `json:"lines"`
		}
		if err := json.Unmarshal(r.body, &res); err != nil {
			t.Fatal(err)
		}
		if res.Imported != 1 || len(res.Areas) != 1 || len(res.Lines) != 1 || res.Areas[0].ValidFrom != day+"T00:00:00Z" || res.Areas[0].Source != "DeepStateMap" {
			t.Fatalf("%s: %s", day, r.body)
		}
		given := givenLength(t, day)
		if got := res.Lines[0].LengthKm; math.Abs(got/given-1) > 0.03 {
			t.Errorf("%s: derived line %.1f km, the independent one %.1f km", day, got, given)
		}
		lineVersions = append(lineVersions, res.Lines[0].Version)
		// Every read works on the derived line; it says where it came from.
		line := get(t, fmt.Sprintf("%s/v1/frontline?version=%d", s.url, res.Lines[0].Version)).json(t)
		props := line["properties"].(map[string]any)
		if props["derived_from"] != float64(res.Areas[0].Version) || props["source"] != "DeepStateMap" {
			t.Errorf("%s: the derived line's properties %v", day, props)
		}
		want(t, get(t, fmt.Sprintf("%s/v1/coverage?version=%d", s.url, res.Lines[0].Version)), 200)
		// The same area again stores nothing.
		again := post("/v1/areas?border=none&force=true&source=DeepStateMap&valid_from="+day, readDay(t, day, "occupied"))
		want(t, again, 200)
		if !bytes.Contains(again.body, []byte(`"imported":0,"unchanged":1`)) {
			t.Errorf("%s again: %.200s", day, again.body)
		}
	}
	areas := get(t, s.url+"/v1/areas").json(t)["areas"].([]any)
	if len(areas) != len(days) {
		t.Fatalf("%d areas listed, want %d", len(areas), len(days))
	}
	one := get(t, s.url+"/v1/areas/1")
	want(t, one, 200)
	if f := one.json(t); f["type"] != "Feature" || f["geometry"].(map[string]any)["type"] != "MultiPolygon" {
		t.Errorf("GET /v1/areas/1: %.200s", one.body)
	}
	want(t, get(t, s.url+"/v1/areas/99"), 404)

	// Changes between the first two days: gained less lost is the change
	// of the area; the sectors' zones hold nearly all of it.
	ch := get(t, fmt.Sprintf("%s/v1/changes?from=%d&to=%d", s.url, lineVersions[0], lineVersions[1]))
	want(t, ch, 200)
	var changes struct {
		Totals struct {
			GainedKm2   *float64 `json:"gained_km2"`
			LostKm2     *float64 `json:"lost_km2"`
			ShiftMeanKm float64  `json:"shift_mean_km"`
		} `json:"totals"`
		Sectors []struct {
			ID        string   `json:"id"`
			GainedKm2 *float64 `json:"gained_km2"`
			LostKm2   *float64 `json:"lost_km2"`
		} `json:"sectors"`
	}
	if err := json.Unmarshal(ch.body, &changes); err != nil {
		t.Fatal(err)
	}
	a0, a1 := areas[0].(map[string]any)["area_km2"].(float64), areas[1].(map[string]any)["area_km2"].(float64)
	g, l := *changes.Totals.GainedKm2, *changes.Totals.LostKm2
	if math.Abs((g-l)-(a1-a0)) > 0.001*a1 || g <= 0 {
		t.Errorf("gained %.1f km², lost %.1f km²; the areas differ by %.1f km²", g, l, a1-a0)
	}
	sum := 0.0
	for _, sc := range changes.Sectors {
		sum += *sc.GainedKm2
	}
	if sum > g*1.001 || sum < 0.9*g {
		t.Errorf("the sectors hold %.1f km² of the %.1f km² gained", sum, g)
	}
	ov := get(t, fmt.Sprintf("%s/v1/overlays/changes?from=%s&to=%s", s.url, days[0], days[1]))
	want(t, ov, 200)
	if !bytes.Contains(ov.body, []byte(`"change":"gained"`)) || !bytes.Contains(ov.body, []byte(`"fill":"#b71c1c"`)) {
		t.Errorf("changes overlay: %.300s", ov.body)
	}
	want(t, get(t, s.url+"/v1/changes?from=1"), 400)
	want(t, get(t, s.url+"/v1/changes?from=1&to=99"), 404)

	// The default appends the land border: the line runs on to the tripoint.
	r := post("/v1/areas?force=true&valid_from=2030-01-01", readDay(t, days[0], "occupied"))
	want(t, r, 201)
	var appended struct {
		Lines []struct {
			LengthKm float64 `json:"length_km"`
		} `json:"lines"`
	}
	json.Unmarshal(r.body, &appended)
	if got := appended.Lines[0].LengthKm; got < givenLength(t, days[0])+700 {
		t.Errorf("with the border appended: %.1f km", got)
	}

	// A polygon's rings posted as a line are stored, with a warning.
	var area struct {
		Features []struct {
			Geometry struct {
				Coordinates [][][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	json.Unmarshal(readDay(t, days[0], "occupied"), &area)
	var rings [][][2]float64
	for _, poly := range area.Features[0].Geometry.Coordinates {
		rings = append(rings, poly...)
	}
	body, _ := json.Marshal(map[string]any{"type": "MultiLineString", "coordinates": rings})
	w := s.do(t, "POST", s.url+"/v1/frontline?force=true", "application/geo+json", body)
	want(t, w, 201)
	if !bytes.Contains(w.body, []byte(`runs along the reference territory's border or coast`)) || !bytes.Contains(w.body, []byte(`/v1/areas`)) {
		t.Errorf("no warning for an area's outline posted as a line: %.400s", w.body)
	}

	// Refused, each with its code and nothing stored.
	before := get(t, s.url+"/v1/areas").body
	versions := get(t, s.url+"/v1/frontline/versions").body
	square := func(lon, lat float64) string {
		return fmt.Sprintf(`[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]`, lon, lat, lon+1, lat, lon+1, lat+1, lon, lat+1, lon, lat)
	}
	for _, tc := range []struct {
		name, path, body, code string
		status                 int
	}{
		{"a line", "/v1/areas", `{"type":"LineString","coordinates":[[35,48],[36,48]]}`, "wrong_geometry", 422},
		{"an open ring", "/v1/areas", `{"type":"Polygon","coordinates":[[[35,48],[36,48],[36,49],[35,49]]]}`, "open_ring", 422},
		{"a ring of three", "/v1/areas", `{"type":"Polygon","coordinates":[[[35,48],[36,48],[35,48]]]}`, "too_few_vertices", 422},
		{"an open ring of five", "/v1/areas", `{"type":"Polygon","coordinates":[[[35,48],[36,48],[36,49],[35.5,49.5],[35,49]]]}`, "open_ring", 422},
		{"outside the territory", "/v1/areas?valid_from=2030-02-01", `{"type":"Polygon","coordinates":[` + square(-4, 40) + `]}`, "outside_territory", 422},
		{"a bow tie", "/v1/areas", `{"type":"Polygon","coordinates":[[[35,48],[36,49],[36,48],[35,49],[35,48]]]}`, "self_intersection", 422},
		{"latitude out of range", "/v1/areas", `{"type":"Polygon","coordinates":[[[35,48],[36,95],[36,48],[35,48]]]}`, "bad_coordinates", 422},
		{"a day without a date in bulk", "/v1/areas/bulk", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[` + square(35, 48) + `]}}]}`, "missing_valid_from", 422},
		{"a bad border", "/v1/areas?border=sideways", `{"type":"Polygon","coordinates":[` + square(35, 48) + `]}`, "bad_parameter", 400},
		{"a day with no area", "/v1/areas", `{"type":"MultiPolygon","coordinates":[]}`, "empty", 400},
		{"not JSON", "/v1/areas", `{"type":`, "not_json", 400},
	} {
		r := post(tc.path, []byte(tc.body))
		if r.status != tc.status || !bytes.Contains(r.body, []byte(`"code":"`+tc.code+`"`)) {
			t.Errorf("%s: %d %.300s, want %d %s", tc.name, r.status, r.body, tc.status, tc.code)
		}
	}
	big := make([]byte, 0, 70<<20)
	big = append(big, `{"type":"Polygon","coordinates":[[`...)
	for len(big) < 68<<20 {
		big = append(big, "[35.123456789,48.123456789],"...)
	}
	big = append(big, `[35,48]]]}`...)
	if r := post("/v1/areas", big); r.status != 413 {
		t.Errorf("a 68 MB area: %d %.200s, want 413", r.status, r.body)
	}
	if !bytes.Equal(get(t, s.url+"/v1/areas").body, before) || !bytes.Equal(get(t, s.url+"/v1/frontline/versions").body, versions) {
		t.Error("a refused import stored something")
	}

	// The reference territory: readable, replaceable by an admin only.
	terr := get(t, s.url+"/v1/territory")
	want(t, terr, 200)
	if !bytes.Contains(terr.body, []byte(`"role":"border"`)) || !strings.Contains(string(terr.body), "OpenStreetMap") {
		t.Errorf("territory: %.200s", terr.body)
	}
	writer := makeKey(t, db, "write")
	if r := do(t, "PUT", s.url+"/v1/territory", "application/geo+json", terr.body, "Authorization", "Bearer "+writer); r.status != 403 {
		t.Errorf("PUT /v1/territory with a write key: %d", r.status)
	}
	mine := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"role":"boundary","source":"test"},"geometry":{"type":"Polygon","coordinates":[` + square(30, 44) + `]}}]}`
	want(t, s.do(t, "PUT", s.url+"/v1/territory", "application/geo+json", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"role":"sea"},"geometry":null}]}`)), 422)
	want(t, s.do(t, "PUT", s.url+"/v1/territory", "application/geo+json", []byte(mine)), 200)
	if got := get(t, s.url+"/v1/territory").body; string(got) != mine {
		t.Errorf("the stored territory is not the one put: %.200s", got)
	}
	want(t, s.do(t, "DELETE", s.url+"/v1/territory", "", nil), 200)
	if got := get(t, s.url+"/v1/territory").body; !bytes.Equal(got, terr.body) {
		t.Error("DELETE /v1/territory did not bring back the built-in one")
	}
	audit := s.do(t, "GET", s.url+"/v1/audit?limit=50", "", nil)
	for _, a := range []string{`"action":"area.import"`, `"action":"territory.put"`, `"action":"territory.delete"`} {
		if !bytes.Contains(audit.body, []byte(a)) {
			t.Errorf("audit lacks %s", a)
		}
	}
}

// frontline import-areas imports a folder of dated files, dated by their
// names, all or nothing, and names the file it refuses.
func TestImportAreasCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"import-areas", "--db", db, "../../examples/areas"}, &out, &errs); err != nil {
		t.Fatalf("import-areas: %v\n%s", err, errs.String())
	}
	if !strings.Contains(out.String(), "imported 2 new areas, 0 unchanged, from 2 files") || !strings.Contains(errs.String(), "deriving lines: 2/2") {
		t.Errorf("output %q, progress %q", out.String(), errs.String())
	}
	// A DeepStateMap-style name dates a file without valid_from.
	dir := t.TempDir()
	undated := `{"type":"Polygon","coordinates":[[[34.46583,51.25108],[34.3,51.2],[34.2334,51.25968],[34.46583,51.25108]]]}`
	os.WriteFile(filepath.Join(dir, "deepstatemap_data_20260301.geojson"), []byte(undated), 0o644)
	os.WriteFile(filepath.Join(dir, "deepstatemap_data_20260302.geojson"), []byte(`{"type":"LineString","coordinates":[[35,48],[36,48]]}`), 0o644)
	out.Reset()
	errs.Reset()
	err := run(context.Background(), []string{"import-areas", "--db", db, "--force", dir}, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "deepstatemap_data_20260302.geojson") || !strings.Contains(err.Error(), "areas are polygons") {
		t.Fatalf("a folder with a line in it: %v", err)
	}
	os.Remove(filepath.Join(dir, "deepstatemap_data_20260302.geojson"))
	if err := run(context.Background(), []string{"import-areas", "--db", db, "--force", dir}, &out, &errs); err != nil {
		t.Fatalf("import-areas: %v\n%s", err, errs.String())
	}
	svc, closeStore, err := openService(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	areas, err := svc.Areas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != 3 || areas[2].ValidFrom.Format("2006-01-02") != "2026-03-01" {
		t.Errorf("areas after the refused and the good import: %d, last dated %v", len(areas), areas[len(areas)-1].ValidFrom)
	}
}

// The history over the real days: one entry per version in time order,
// each the coverage of that version, and a range cuts it.
func TestCoverageHistory(t *testing.T) {
	days := deepstateDays(t)
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for _, day := range days {
		want(t, s.do(t, "POST", s.url+"/v1/areas?force=true&valid_from="+day, "application/geo+json", readDay(t, day, "occupied")), 201)
	}
	var h struct {
		Versions []struct {
			Line struct {
				Version   int    `json:"version"`
				ValidFrom string `json:"valid_from"`
			} `json:"line"`
			Summary json.RawMessage `json:"summary"`
			Sectors []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"sectors"`
		} `json:"versions"`
	}
	r := get(t, s.url+"/v1/coverage/history?sector_km=50")
	want(t, r, 200)
	if err := json.Unmarshal(r.body, &h); err != nil {
		t.Fatal(err)
	}
	// The default line (2025-12-15) and the three days, in time order.
	if len(h.Versions) != len(days)+1 {
		t.Fatalf("%d versions, want %d", len(h.Versions), len(days)+1)
	}
	for i, v := range h.Versions {
		if i > 0 && v.Line.ValidFrom < h.Versions[i-1].Line.ValidFrom {
			t.Errorf("entry %d (%s) before entry %d (%s)", i, v.Line.ValidFrom, i-1, h.Versions[i-1].Line.ValidFrom)
		}
		cov := get(t, fmt.Sprintf("%s/v1/coverage?sector_km=50&version=%d", s.url, v.Line.Version)).json(t)
		summary, _ := json.Marshal(cov["summary"])
		var a, b any
		json.Unmarshal(summary, &a)
		json.Unmarshal(v.Summary, &b)
		if fmt.Sprint(a) != fmt.Sprint(b) || len(v.Sectors) != len(cov["sectors"].([]any)) {
			t.Errorf("version %d: the history's summary is not the coverage's", v.Line.Version)
		}
	}
	r = get(t, s.url+"/v1/coverage/history?from="+days[1]+"&to="+days[2])
	want(t, r, 200)
	json.Unmarshal(r.body, &h)
	// The second day, the default line of 2025-12-15 and the third day.
	if len(h.Versions) != 3 || !strings.HasPrefix(h.Versions[0].Line.ValidFrom, days[1]) || !strings.HasPrefix(h.Versions[2].Line.ValidFrom, days[2]) {
		t.Errorf("from %s to %s: %d versions", days[1], days[2], len(h.Versions))
	}
	want(t, get(t, s.url+"/v1/coverage/history?from=2026-01-01&to=2025-01-01"), 400)
	want(t, get(t, s.url+"/v1/coverage/history?from=nonsense"), 400)
	want(t, get(t, s.url+"/v1/coverage/history?version=1"), 400)
}

// A line moved by exactly 3 km has moved 3 km in every sector; lines not
// derived from areas have no gained or lost area.
func TestChangesShift(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	line := func(day string, km float64) []byte {
		var coords [][2]float64
		for i := 0; i <= 60; i++ {
			lon := 34 + float64(i)*0.04
			lat := 48 + 0.2*math.Sin(float64(i)/6)
			coords = append(coords, [2]float64{lon, lat})
		}
		// Each vertex moved km at right angles to the chord of its
		// neighbours, so the moved line is km away to within metres.
		moved := make([][2]float64, len(coords))
		for i, p := range coords {
			q := coords[max(i-1, 0)]
			r := coords[min(i+1, len(coords)-1)]
			_, azi, _, _ := geodesic.Inverse(q[1], q[0], r[1], r[0])
			lat, lon, _ := geodesic.Direct(p[1], p[0], azi-90, km*1000)
			moved[i] = [2]float64{lon, lat}
		}
		b, _ := json.Marshal(map[string]any{"type": "Feature", "properties": map[string]any{"valid_from": day},
			"geometry": map[string]any{"type": "LineString", "coordinates": moved}})
		return b
	}
	want(t, s.do(t, "POST", s.url+"/v1/frontline?force=true", "application/geo+json", line("2031-01-01", 0)), 201)
	want(t, s.do(t, "POST", s.url+"/v1/frontline?force=true", "application/geo+json", line("2031-01-02", 3)), 201)
	r := get(t, s.url+"/v1/changes?from=2031-01-01&to=2031-01-02&sector_km=25")
	want(t, r, 200)
	var ch struct {
		Totals struct {
			GainedKm2   *float64 `json:"gained_km2"`
			ShiftMeanKm float64  `json:"shift_mean_km"`
		} `json:"totals"`
		Sectors []struct {
			ID          string   `json:"id"`
			ShiftMeanKm *float64 `json:"shift_mean_km"`
			ShiftMaxKm  *float64 `json:"shift_max_km"`
		} `json:"sectors"`
	}
	if err := json.Unmarshal(r.body, &ch); err != nil {
		t.Fatal(err)
	}
	if len(ch.Sectors) < 6 || ch.Totals.GainedKm2 != nil || math.Abs(ch.Totals.ShiftMeanKm-3) > 0.02 {
		t.Fatalf("changes: %.400s", r.body)
	}
	for _, sc := range ch.Sectors {
		if sc.ShiftMeanKm == nil || math.Abs(*sc.ShiftMeanKm-3) > 0.03 || math.Abs(*sc.ShiftMaxKm-3) > 0.05 {
			t.Errorf("%s: shift mean %v, max %v; want 3 km", sc.ID, sc.ShiftMeanKm, sc.ShiftMaxKm)
		}
	}
}
