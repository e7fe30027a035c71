package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// readCSV reads a CSV response with encoding/csv, as a spreadsheet import
// would split it.
func readCSV(t *testing.T, r response) [][]string {
	t.Helper()
	want(t, r, 200)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q, want text/csv", ct)
	}
	recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v: %.300q", err, r.body)
	}
	return recs
}

// checkNoFormula checks every cell a spreadsheet would read: none starts
// as a formula would unless it is a number through and through.
func checkNoFormula(t *testing.T, recs [][]string) {
	t.Helper()
	for i, rec := range recs {
		for j, cell := range rec {
			if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				continue
			}
			if _, err := strconv.ParseFloat(cell, 64); err != nil || cell[0] != '-' {
				t.Errorf("row %d, column %s: cell %q would be read as a formula", i, recs[0][j], cell)
			}
		}
	}
}

// Unit ids and anchor names that a spreadsheet would run as formulas come
// out of every coverage CSV as text (SPEC 7), while numbers stay numbers.
func TestCSVInjection(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"), "--empty")
	want(t, s.do(t, "POST", s.url+"/v1/frontline", "application/geo+json",
		[]byte(`{"type":"Feature","properties":{"valid_from":"2025-01-01"},"geometry":{"type":"LineString","coordinates":[[37,48],[37.5,48.01],[38,48]]}}`)), 201)
	// One air-defense unit and one observation post per dangerous first
	// character, their names starting with it too; and ids that only look
	// like numbers, which are text all the same.
	starts := []string{"=", "+", "-", "@", "\t", "\r"}
	var ids []string
	for _, c := range starts {
		ids = append(ids, c+"1+2", c+"SUM(1,2)")
	}
	ids = append(ids, "-3.5", "ok-1")
	for i, id := range ids {
		kind, props := "air_defense", `"range_km":40`
		if i%2 == 1 {
			kind, props = "patrol", `"observe_km":30`
		}
		name, _ := json.Marshal(id[:1] + "cmd|' /C calc'!A0")
		idJSON, _ := json.Marshal(id)
		body := fmt.Sprintf(`{"type":"Feature","id":%s,"geometry":{"type":"Point","coordinates":[37.5,48.02]},"properties":{"kind":%q,%s,"name":%s}}`, idJSON, kind, props, name)
		want(t, s.do(t, "POST", s.url+"/v1/units", "application/geo+json", []byte(body)), 201)
	}
	safe := func(id string) string {
		if strings.ContainsRune("=+-@\t\r", rune(id[0])) {
			return "'" + id
		}
		return id
	}
	var ad, patrol []string
	for i, id := range ids {
		if i%2 == 0 {
			ad = append(ad, id)
		} else {
			patrol = append(patrol, id)
		}
	}
	sort.Strings(ad)
	sort.Strings(patrol)
	wantList := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = safe(id)
		}
		return strings.Join(out, ";")
	}

	all := readCSV(t, get(t, s.url+"/v1/coverage?format=csv&sector_km=200"))
	checkNoFormula(t, all)
	if len(all) != 2 {
		t.Fatalf("%d records, want the header and one sector: %q", len(all), all)
	}
	col := map[string]int{}
	for j, h := range all[0] {
		col[h] = j
	}
	row := all[1]
	if got, w := row[col["air_defense_units"]], wantList(ad); got != w {
		t.Errorf("air_defense_units\n got %q\nwant %q", got, w)
	}
	if got, w := row[col["patrol_units"]], wantList(patrol); got != w {
		t.Errorf("patrol_units\n got %q\nwant %q", got, w)
	}
	for _, name := range []string{"id", "troops_status", "air_defense_status", "patrol_status", "status"} {
		if got := row[col[name]]; got == "" || got[0] == '\'' {
			t.Errorf("%s %q: plain text should pass as it is", name, got)
		}
	}
	for _, name := range []string{"index", "start_km", "end_km", "length_km", "zone_area_km2", "troops_strength", "troops_per_km",
		"air_defense_covered_fraction", "patrol_covered_fraction", "line_version"} {
		if _, err := strconv.ParseFloat(row[col[name]], 64); err != nil {
			t.Errorf("%s %q is not a number", name, row[col[name]])
		}
	}
	// The units' names are not in the report at all.
	if bytes.Contains(all2bytes(all), []byte("calc")) {
		t.Error("a unit's name is in the coverage CSV")
	}

	// One sector: the same columns, the header and that sector's row.
	id := row[col["id"]]
	one := readCSV(t, get(t, s.url+"/v1/coverage/"+url.PathEscape(id)+"?format=csv&sector_km=200"))
	if len(one) != 2 || strings.Join(one[0], ",") != strings.Join(all[0], ",") || strings.Join(one[1], ",") != strings.Join(row, ",") {
		t.Errorf("/v1/coverage/%s?format=csv:\n%q\nwant\n%q", id, one, all)
	}
	if r := get(t, s.url+"/v1/coverage/"+url.PathEscape(id)+"?format=json&sector_km=200"); r.status != 200 || r.json(t)["sector"] == nil {
		t.Errorf("format=json: %d %.200s", r.status, r.body)
	}
	r := get(t, s.url+"/v1/coverage/"+url.PathEscape(id)+"?format=xml")
	want(t, r, 400)
	if e := r.json(t)["error"].(map[string]any); e["code"] != "bad_parameter" || e["message"] != `format: format must be json or csv, got "xml"` {
		t.Errorf("format=xml: %v", e)
	}

	// Sectors between anchors are named after them: names are data too.
	want(t, s.do(t, "PUT", s.url+"/v1/anchors", "application/geo+json", []byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"name":"=A"},"geometry":{"type":"Point","coordinates":[37.3,48]}},
		{"type":"Feature","properties":{"name":"@B"},"geometry":{"type":"Point","coordinates":[37.7,48]}}]}`)), 200)
	anchored := readCSV(t, get(t, s.url+"/v1/coverage?format=csv&sectors=anchors"))
	checkNoFormula(t, anchored)
	var got []string
	for _, rec := range anchored[1:] {
		got = append(got, rec[0])
	}
	if w := []string{"start..=A", "'=A..@B", "'@B..end"}; strings.Join(got, "|") != strings.Join(w, "|") {
		t.Errorf("anchor sector ids %q, want %q", got, w)
	}
	sector := readCSV(t, get(t, s.url+"/v1/coverage/"+url.PathEscape("=A..@B")+"?format=csv&sectors=anchors"))
	if len(sector) != 2 || sector[1][0] != "'=A..@B" {
		t.Errorf("one anchor sector: %q", sector)
	}
}

func all2bytes(recs [][]string) []byte {
	var b bytes.Buffer
	for _, rec := range recs {
		b.WriteString(strings.Join(rec, ","))
		b.WriteByte('\n')
	}
	return b.Bytes()
}
