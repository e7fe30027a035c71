package main

import (
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"frontline"
)

// lineLengthKm is the current line's length, as /v1/frontline gives it.
func lineLengthKm(t *testing.T, s *instance) float64 {
	t.Helper()
	r := get(t, s.url+"/v1/frontline")
	want(t, r, 200)
	return r.json(t)["properties"].(map[string]any)["length_km"].(float64)
}

// sectorIDs checks that features are the sectors S001..SNNN of a line cut
// into n, in order and each once.
func sectorIDs(t *testing.T, what string, features []map[string]any, n int) {
	t.Helper()
	if len(features) != n {
		t.Errorf("%s: %d features, want %d", what, len(features), n)
	}
	for i, f := range features {
		if id, w := featureID(f), fmt.Sprintf("S%03d", i+1); id != w {
			t.Fatalf("%s: feature %d is %s, want %s", what, i, id, w)
		}
	}
}

// The collections drawn on sectors take the /v1 settings: sector_km cuts
// the line into more sectors, the links carry it from page to page, and
// the items, each feature and the collection's document follow it.
func TestOGCSettings(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	length := lineLengthKm(t, s)
	byDefault := int(math.Ceil(length / frontline.DefaultSectorKm))
	by10 := int(math.Ceil(length / 10))
	if by10 <= byDefault {
		t.Fatalf("%g km: %d sectors of 10 km, %d by default", length, by10, byDefault)
	}
	if n := ogcGet(t, s.url+"/ogc/collections/sectors/items?limit=1", "application/geo+json")["numberMatched"]; n != float64(byDefault) {
		t.Errorf("by default: numberMatched %v, want %d", n, byDefault)
	}

	for _, id := range []string{"sectors", "zones", "coverage"} {
		t.Run(id, func(t *testing.T) {
			// 50 a page: four pages, each reached by a next link.
			first := s.url + "/ogc/collections/" + id + "/items?limit=50&sector_km=10"
			features, matched := walk(t, first)
			if matched != by10 {
				t.Errorf("sector_km=10: numberMatched %d, want ceil(%g / 10) = %d", matched, length, by10)
			}
			sectorIDs(t, id+" sector_km=10", features, by10)
			page := ogcGet(t, first, "application/geo+json")
			for _, rel := range []string{"self", "next", "collection"} {
				if l := link(t, page, rel, ""); !strings.Contains(l, "sector_km=10") {
					t.Errorf("%s link %q does not carry sector_km", rel, l)
				}
			}
			if prev := link(t, ogcGet(t, link(t, page, "next", ""), "application/geo+json"), "prev", ""); !strings.Contains(prev, "sector_km=10") {
				t.Errorf("prev link %q does not carry sector_km", prev)
			}

			// One feature, beyond the default sectors: only with the setting.
			last := fmt.Sprintf("/ogc/collections/%s/items/S%03d", id, by10)
			one := ogcGet(t, s.url+last+"?sector_km=10", "application/geo+json")
			if l := link(t, one, "self", ""); !strings.HasSuffix(l, last+"?sector_km=10") {
				t.Errorf("feature's self link %q", l)
			}
			want(t, get(t, s.url+last), 404)

			// The collection's document leads to the items with the setting.
			col := ogcGet(t, s.url+"/ogc/collections/"+id+"?sector_km=10", "application/json")
			items := link(t, col, "items", "application/geo+json")
			if !strings.HasSuffix(items, "/ogc/collections/"+id+"/items?sector_km=10") {
				t.Errorf("items link %q", items)
			}
			if d := fmt.Sprint(col["description"]); !strings.Contains(d, "Settings given: sector_km=10 ") {
				t.Errorf("description %q does not say the settings", d)
			}
			if n := ogcGet(t, items, "application/geo+json")["numberMatched"]; n != float64(by10) {
				t.Errorf("%s: numberMatched %v, want %d", items, n, by10)
			}
		})
	}

	// The same as /v1 for the same settings, including the stored
	// defaults' place: the number of sectors.
	v1 := len(get(t, s.url+"/v1/sectors?sectors=7").json(t)["features"].([]any))
	if n := ogcGet(t, s.url+"/ogc/collections/sectors/items?sectors=7", "application/geo+json")["numberMatched"]; n != float64(v1) || v1 != 7 {
		t.Errorf("sectors=7: numberMatched %v, /v1 has %d", n, v1)
	}
	// Spelt differently, the same computation; the links keep the
	// spelling given.
	a := ogcGet(t, s.url+"/ogc/collections/coverage/items?limit=1&posture=interposition", "application/geo+json")
	b := ogcGet(t, s.url+"/ogc/collections/coverage/items?limit=1&required_per_km=80", "application/geo+json")
	pa := a["features"].([]any)[0].(map[string]any)["properties"]
	pb := b["features"].([]any)[0].(map[string]any)["properties"]
	if fmt.Sprint(pa) != fmt.Sprint(pb) {
		t.Errorf("posture=interposition and required_per_km=80 differ:\n%v\n%v", pa, pb)
	}
	if !strings.Contains(link(t, a, "next", ""), "posture=interposition") || !strings.Contains(link(t, b, "next", ""), "required_per_km=80") {
		t.Errorf("next links %q, %q", link(t, a, "next", ""), link(t, b, "next", ""))
	}

	// A deeper zone: the zones' extent grows with it and holds them all.
	extent := func(u string) [4]float64 {
		bbox := ogcGet(t, u, "application/json")["extent"].(map[string]any)["spatial"].(map[string]any)["bbox"].([]any)[0].([]any)
		return [4]float64{bbox[0].(float64), bbox[1].(float64), bbox[2].(float64), bbox[3].(float64)}
	}
	shallow, deep := extent(s.url+"/ogc/collections/zones"), extent(s.url+"/ogc/collections/zones?depth_km=150")
	if !(deep[0] < shallow[0] && deep[1] < shallow[1] && deep[2] > shallow[2] && deep[3] > shallow[3]) {
		t.Errorf("extent with depth_km=150 %v does not hold the default one %v", deep, shallow)
	}
	zones, _ := walk(t, s.url+"/ogc/collections/zones/items?limit=10000&depth_km=150")
	for _, f := range zones {
		if b := bounds(t, f); b[0] < deep[0] || b[1] < deep[1] || b[2] > deep[2] || b[3] > deep[3] {
			t.Errorf("zone %s (bounds %v) is outside the extent %v", featureID(f), b, deep)
		}
	}

	// The line version: version (or at) as on /v1, or datetime, not both.
	want(t, get(t, s.url+"/ogc/collections/sectors/items?version=1"), 200)
	want(t, get(t, s.url+"/ogc/collections/sectors/items?version=99"), 404)
	want(t, get(t, s.url+"/ogc/collections/sectors/items?datetime=2026-01-01T00:00:00Z"), 200)
}

// The refusals: unknown parameters as before, settings out of range
// naming the field, unknown scenarios.
func TestOGCSettingsRefused(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for _, c := range []struct {
		name, path  string
		status      int
		code, field string
	}{
		{"negative depth", "/ogc/collections/zones/items?depth_km=-3", 400, "bad_parameter", "depth_km"},
		{"depth not a number", "/ogc/collections/coverage/items?depth_km=deep", 400, "bad_parameter", "depth_km"},
		{"bad side on a feature", "/ogc/collections/sectors/items/S001?side=up", 400, "bad_parameter", "side"},
		{"sector_km too small", "/ogc/collections/sectors/items?sector_km=0.01", 400, "bad_parameter", "sector_km"},
		{"sector_km and sectors", "/ogc/collections/sectors/items?sector_km=10&sectors=5", 400, "bad_parameter", "sector_km"},
		{"setting twice", "/ogc/collections/sectors/items?sector_km=10&sector_km=20", 400, "bad_parameter", "sector_km"},
		{"unknown posture", "/ogc/collections/coverage/items?posture=siege", 400, "bad_parameter", "posture"},
		{"bad setting on a collection", "/ogc/collections/zones?depth_km=0", 400, "bad_parameter", "depth_km"},
		{"datetime and version", "/ogc/collections/sectors/items?datetime=2026-01-01T00:00:00Z&version=1", 400, "bad_parameter", "datetime"},
		{"datetime and at", "/ogc/collections/coverage/items?datetime=2026-01-01T00:00:00Z&at=2026-01-01", 400, "bad_parameter", "datetime"},
		{"misspelt setting", "/ogc/collections/sectors/items?sector_kms=10", 400, "bad_parameter", "sector_kms"},
		{"a setting on the line versions", "/ogc/collections/frontline/items?sector_km=10", 400, "bad_parameter", "sector_km"},
		{"a setting on the units", "/ogc/collections/units/items?depth_km=10", 400, "bad_parameter", "depth_km"},
		{"a setting on the collections list", "/ogc/collections?sector_km=10", 400, "bad_parameter", "sector_km"},
		{"scenario not an id", "/ogc/collections/units/items?scenario=Not%20An%20Id", 400, "bad_parameter", "scenario"},
		{"unknown scenario", "/ogc/collections/coverage/items?scenario=nope", 404, "not_found", ""},
		{"unknown scenario on a feature", "/ogc/collections/sectors/items/S001?scenario=nope", 404, "not_found", ""},
		{"unknown scenario on a collection", "/ogc/collections/zones?scenario=nope", 404, "not_found", ""},
		{"unknown scenario on the units", "/ogc/collections/units/items?scenario=nope", 404, "not_found", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := get(t, s.url+c.path)
			want(t, r, c.status)
			e, _ := r.json(t)["error"].(map[string]any)
			if e == nil || e["code"] != c.code || e["message"] == "" {
				t.Fatalf("error body %s, want code %s", r.body, c.code)
			}
			if c.field != "" {
				if d, _ := e["details"].(map[string]any); d == nil || d["field"] != c.field {
					t.Errorf("details %v, want field %s", e["details"], c.field)
				}
			}
		})
	}
}

// A scenario applies on OGC as on /v1: its units in the coverage, its
// own settings under the query's, and its units alone in the units
// collection when its base is empty.
func TestOGCScenarios(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	extra := func(id, kind string, lon, lat float64, props string) string {
		return fmt.Sprintf(`{"type":"Feature","id":%q,"geometry":{"type":"Point","coordinates":[%g,%g]},"properties":{"kind":%q%s}}`, id, lon, lat, kind, props)
	}
	put := func(id, body string) {
		t.Helper()
		want(t, s.do(t, "PUT", s.url+"/v1/scenarios/"+id, "application/json", []byte(body)), 201)
	}
	put("more-south", `{"units":[`+extra("extra-1", "troops", 32.6, 46.62, `,"strength":5000`)+`],"remove":["T-001"],"settings":{"required_per_km":60}}`)
	put("alone", `{"base":"empty","units":[`+extra("extra-1", "troops", 32.6, 46.62, `,"strength":100`)+","+
		extra("extra-ad", "air_defense", 36.5, 48.1, `,"system":"hawk"`)+`]}`)
	put("fine", `{"settings":{"sector_km":10}}`)

	// Coverage items under a scenario: the troop figures of
	// /v1/coverage?scenario=, sector by sector, walked 20 at a time.
	troops := func(t *testing.T, query string) (ogc, v1 map[string]string) {
		t.Helper()
		features, _ := walk(t, s.url+"/ogc/collections/coverage/items?limit=20"+query)
		ogc = map[string]string{}
		for _, f := range features {
			p := f["properties"].(map[string]any)
			ogc[featureID(f)] = fmt.Sprint(p["troops_strength"], p["troops_per_km"], p["troops_ratio"], p["troops_status"])
		}
		r := get(t, s.url+"/v1/coverage?"+strings.TrimPrefix(query, "&"))
		want(t, r, 200)
		v1 = map[string]string{}
		for _, sec := range r.json(t)["sectors"].([]any) {
			sec := sec.(map[string]any)
			tr := sec["troops"].(map[string]any)
			v1[sec["id"].(string)] = fmt.Sprint(tr["strength"], tr["per_km"], tr["ratio"], tr["status"])
		}
		return ogc, v1
	}
	live, liveV1 := troops(t, "&scenario=live")
	under, underV1 := troops(t, "&scenario=more-south")
	for what, pair := range map[string][2]map[string]string{"live": {live, liveV1}, "more-south": {under, underV1}} {
		if fmt.Sprint(pair[0]) != fmt.Sprint(pair[1]) {
			t.Errorf("%s: OGC coverage troops differ from /v1/coverage:\n%v\n%v", what, pair[0], pair[1])
		}
	}
	if len(under) != len(live) || fmt.Sprint(under) == fmt.Sprint(live) {
		t.Errorf("the scenario changes no troop figure: %d sectors, %d live", len(under), len(live))
	}
	// required_per_km 60 is the scenario's: the ratio of every sector
	// with troops moves, not only where units changed.
	changed := 0
	for id := range live {
		if under[id] != live[id] {
			changed++
		}
	}
	if changed < 10 {
		t.Errorf("the scenario changes %d sectors' troop figures", changed)
	}
	one := ogcGet(t, s.url+"/ogc/collections/coverage/items/S001?scenario=more-south", "application/geo+json")
	if p := one["properties"].(map[string]any); fmt.Sprint(p["troops_strength"], p["troops_per_km"], p["troops_ratio"], p["troops_status"]) != under["S001"] {
		t.Errorf("S001 alone %v, in the pages %s", p, under["S001"])
	}

	// A scenario's own settings apply; the query's win over them.
	length := lineLengthKm(t, s)
	for _, c := range []struct {
		query string
		n     int
	}{
		{"scenario=fine", int(math.Ceil(length / 10))},
		{"scenario=fine&sector_km=50", int(math.Ceil(length / 50))},
	} {
		features, matched := walk(t, s.url+"/ogc/collections/sectors/items?limit=100&"+c.query)
		if matched != c.n {
			t.Errorf("%s: numberMatched %d, want %d", c.query, matched, c.n)
		}
		sectorIDs(t, c.query, features, c.n)
	}

	// An empty base: its units only, by id.
	units, matched := walk(t, s.url+"/ogc/collections/units/items?limit=1&scenario=alone")
	var ids []string
	for _, u := range units {
		ids = append(ids, featureID(u))
	}
	if strings.Join(ids, ",") != "extra-1,extra-ad" || matched != 2 {
		t.Errorf("units under an empty-base scenario: %v (numberMatched %d)", ids, matched)
	}
	ogcGet(t, s.url+"/ogc/collections/units/items/extra-ad?scenario=alone", "application/geo+json")
	want(t, get(t, s.url+"/ogc/collections/units/items/extra-ad"), 404)
	want(t, get(t, s.url+"/ogc/collections/units/items/T-001?scenario=alone"), 404)
	want(t, get(t, s.url+"/ogc/collections/units/items/T-001?scenario=live"), 200)
	col := ogcGet(t, s.url+"/ogc/collections/units?scenario=alone", "application/json")
	bbox := col["extent"].(map[string]any)["spatial"].(map[string]any)["bbox"].([]any)[0].([]any)
	if fmt.Sprint(bbox) != "[32.6 46.62 36.5 48.1]" {
		t.Errorf("units extent under the scenario %v, want its two units'", bbox)
	}
	if items := link(t, col, "items", ""); !strings.HasSuffix(items, "/items?scenario=alone") {
		t.Errorf("items link %q", items)
	}

	// A scenario changed is seen at once.
	want(t, s.do(t, "PUT", s.url+"/v1/scenarios/alone", "application/json",
		[]byte(`{"base":"empty","units":[`+extra("extra-1", "troops", 32.6, 46.62, `,"strength":100`)+`]}`)), 200)
	if n := ogcGet(t, s.url+"/ogc/collections/units/items?scenario=alone", "application/geo+json")["numberMatched"]; n != 1.0 {
		t.Errorf("after the scenario changed: numberMatched %v, want 1", n)
	}
	// Its settings too, though the sectors depend on no units: the
	// answers are keyed on the settings a request computes with.
	want(t, s.do(t, "PUT", s.url+"/v1/scenarios/fine", "application/json", []byte(`{"settings":{"sector_km":20}}`)), 200)
	if n := ogcGet(t, s.url+"/ogc/collections/sectors/items?limit=100&scenario=fine", "application/geo+json")["numberMatched"]; n != math.Ceil(length/20) {
		t.Errorf("after the scenario's sector_km changed to 20: numberMatched %v, want %g", n, math.Ceil(length/20))
	}
	want(t, s.do(t, "DELETE", s.url+"/v1/scenarios/fine", "", nil), 204)
	want(t, get(t, s.url+"/ogc/collections/sectors/items?scenario=fine"), 404)
}

// /ogc/api documents every setting of the one table, in its order, on
// the requests that take them.
func TestOGCAPIDocumentsSettings(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	api := ogcGet(t, s.url+"/ogc/api", "application/vnd.oai.openapi+json;version=3.0")
	params := api["components"].(map[string]any)["parameters"].(map[string]any)
	for _, st := range frontline.Settings {
		p, _ := params[st.Name].(map[string]any)
		if p == nil || p["in"] != "query" || !strings.Contains(strings.ToLower(fmt.Sprint(p["description"])), strings.ToLower(st.Help)) {
			t.Errorf("setting %s: parameter %v", st.Name, p)
		}
	}
	paths := api["paths"].(map[string]any)
	for _, path := range []string{"/collections/{collectionId}", "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}"} {
		var got []string
		for _, p := range paths[path].(map[string]any)["get"].(map[string]any)["parameters"].([]any) {
			name := strings.TrimPrefix(p.(map[string]any)["$ref"].(string), "#/components/parameters/")
			if params[name] == nil {
				t.Errorf("%s: parameter %s is not defined", path, name)
			}
			for _, st := range frontline.Settings {
				if st.Name == name {
					got = append(got, name)
				}
			}
		}
		if w := strings.Join(frontline.SettingNames(true), ","); strings.Join(got, ",") != w {
			t.Errorf("%s documents the settings %v, want %s", path, got, w)
		}
	}
	// Each parameter it documents is taken.
	for name := range params {
		if name == "collectionId" || name == "featureId" {
			continue
		}
		q := url.Values{name: {"x"}}.Encode()
		if r := get(t, s.url+"/ogc/collections/sectors/items?"+q); strings.Contains(string(r.body), "unknown parameter") {
			t.Errorf("%s is documented but refused as unknown: %s", name, r.body)
		}
	}
}

// GDAL, a client that follows next links, reads a collection with
// settings page by page and keeps them to the last page.
func TestGDALReadsOGCSettings(t *testing.T) {
	gdal(t, "ogrinfo", "--version")
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	by10 := int(math.Ceil(lineLengthKm(t, s) / 10))
	out := gdal(t, "ogrinfo", "-ro", "-al", "-q", "-oo", "PAGE_SIZE=50", "OAPIF:"+s.url+"/ogc/collections/sectors?sector_km=10")
	ids := regexp.MustCompile(`(?m)^  id \(String\) = (\S+)$`).FindAllStringSubmatch(out, -1)
	if len(ids) != by10 {
		t.Fatalf("GDAL read %d sectors with sector_km=10, want %d", len(ids), by10)
	}
	for i, m := range ids {
		if w := fmt.Sprintf("S%03d", i+1); m[1] != w {
			t.Fatalf("GDAL's feature %d is %s, want %s", i, m[1], w)
		}
	}
	if !strings.Contains(out, "Settings given: sector_km=10") {
		t.Errorf("the layer's description does not say the settings:\n%.600s", out)
	}
}
