package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// The OGC collections the service serves, and the conformance classes it
// claims.
var (
	ogcCollectionIDs = []string{"frontline", "sectors", "zones", "coverage", "units", "unit-points", "patrol-routes"}
	ogcTimed         = map[string]bool{"frontline": true, "sectors": true, "zones": true, "coverage": true}
	ogcConformance   = []string{
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	}
)

const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// link returns the href of the first link with rel (and type, if given).
func link(t testing.TB, doc map[string]any, rel, typ string) string {
	t.Helper()
	links, _ := doc["links"].([]any)
	for _, l := range links {
		m := l.(map[string]any)
		if m["rel"] == rel && (typ == "" || m["type"] == typ) {
			return m["href"].(string)
		}
	}
	return ""
}

// ogcGet reads an OGC document and checks its content type.
func ogcGet(t testing.TB, u, ctype string) map[string]any {
	t.Helper()
	r := get(t, u)
	want(t, r, 200)
	if got := r.header.Get("Content-Type"); got != ctype {
		t.Errorf("%s: content type %q, want %q", u, got, ctype)
	}
	return r.json(t)
}

// walk follows the next links from the first page of items and returns
// every feature, checking each page's counts and links.
func walk(t testing.TB, first string) (features []map[string]any, matched int) {
	t.Helper()
	matched = -1
	seenPages := map[string]bool{}
	for u := first; u != ""; {
		if seenPages[u] {
			t.Fatalf("next links loop back to %s", u)
		}
		seenPages[u] = true
		page := ogcGet(t, u, "application/geo+json")
		if page["type"] != "FeatureCollection" {
			t.Fatalf("%s: type %v", u, page["type"])
		}
		if _, err := time.Parse(time.RFC3339, fmt.Sprint(page["timeStamp"])); err != nil {
			t.Errorf("%s: timeStamp %v is not RFC 3339", u, page["timeStamp"])
		}
		fs := page["features"].([]any)
		if int(page["numberReturned"].(float64)) != len(fs) {
			t.Errorf("%s: numberReturned %v, %d features", u, page["numberReturned"], len(fs))
		}
		n := int(page["numberMatched"].(float64))
		if matched >= 0 && n != matched {
			t.Errorf("%s: numberMatched changed from %d to %d", u, matched, n)
		}
		matched = n
		if link(t, page, "self", "application/geo+json") == "" || link(t, page, "collection", "") == "" {
			t.Errorf("%s: no self or collection link: %v", u, page["links"])
		}
		for _, f := range fs {
			features = append(features, f.(map[string]any))
		}
		u = link(t, page, "next", "")
		if u != "" && len(fs) == 0 {
			t.Fatalf("%s: an empty page with a next link", u)
		}
	}
	return features, matched
}

// featureID is a feature's id as text (line versions have numbers).
func featureID(f map[string]any) string {
	if n, ok := f["id"].(float64); ok {
		return fmt.Sprint(int(n))
	}
	return fmt.Sprint(f["id"])
}

// bounds of a GeoJSON geometry, from its coordinates: minLon, minLat,
// maxLon, maxLat.
func bounds(t testing.TB, f map[string]any) [4]float64 {
	t.Helper()
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	var visit func(v any)
	visit = func(v any) {
		a := v.([]any)
		if len(a) > 0 {
			if _, ok := a[0].(float64); ok {
				x, y := a[0].(float64), a[1].(float64)
				b = [4]float64{math.Min(b[0], x), math.Min(b[1], y), math.Max(b[2], x), math.Max(b[3], y)}
				return
			}
		}
		for _, c := range a {
			visit(c)
		}
	}
	visit(f["geometry"].(map[string]any)["coordinates"])
	return b
}

func meets(a, b [4]float64) bool { return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3] }

func TestOGCLandingConformanceCollections(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	landing := ogcGet(t, s.url+"/ogc", "application/json")
	if landing["title"] == nil || landing["description"] == nil {
		t.Errorf("landing page without title or description: %v", landing)
	}
	for _, rel := range []struct{ rel, typ string }{
		{"self", "application/json"}, {"service-desc", "application/vnd.oai.openapi+json;version=3.0"},
		{"conformance", "application/json"}, {"data", "application/json"},
	} {
		if link(t, landing, rel.rel, rel.typ) == "" {
			t.Errorf("landing page has no %s link of type %s: %v", rel.rel, rel.typ, landing["links"])
		}
	}

	api := ogcGet(t, link(t, landing, "service-desc", ""), "application/vnd.oai.openapi+json;version=3.0")
	if v, _ := api["openapi"].(string); !strings.HasPrefix(v, "3.0") {
		t.Errorf("service-desc is OpenAPI %q, want 3.0", v)
	}
	paths := api["paths"].(map[string]any)
	for _, p := range []string{"/", "/conformance", "/api", "/collections", "/collections/{collectionId}",
		"/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}"} {
		if paths[p] == nil {
			t.Errorf("service-desc has no path %s", p)
		}
	}
	limit := api["components"].(map[string]any)["parameters"].(map[string]any)["limit"].(map[string]any)["schema"].(map[string]any)
	if limit["maximum"] != 10000.0 || limit["default"] != 10.0 {
		t.Errorf("limit schema %v, want default 10 and maximum 10000", limit)
	}

	conf := ogcGet(t, link(t, landing, "conformance", ""), "application/json")
	got := map[string]bool{}
	for _, c := range conf["conformsTo"].([]any) {
		got[c.(string)] = true
	}
	for _, c := range ogcConformance {
		if !got[c] {
			t.Errorf("conformance lacks %s", c)
		}
	}

	list := ogcGet(t, link(t, landing, "data", ""), "application/json")
	if link(t, list, "self", "") == "" {
		t.Error("collections without a self link")
	}
	var ids []string
	for _, c := range list["collections"].([]any) {
		col := c.(map[string]any)
		id := col["id"].(string)
		ids = append(ids, id)
		t.Run(id, func(t *testing.T) {
			if col["itemType"] != "feature" {
				t.Errorf("itemType %v", col["itemType"])
			}
			if crs, _ := col["crs"].([]any); len(crs) == 0 || crs[0] != crs84 {
				t.Errorf("crs %v", col["crs"])
			}
			ext := col["extent"].(map[string]any)
			bbox := ext["spatial"].(map[string]any)["bbox"].([]any)[0].([]any)
			if len(bbox) != 4 || !(bbox[0].(float64) < bbox[2].(float64)) || !(bbox[1].(float64) < bbox[3].(float64)) {
				t.Errorf("spatial extent %v", bbox)
			}
			if _, ok := ext["temporal"]; ok != ogcTimed[id] {
				t.Errorf("temporal extent %v (time-dependent: %v)", ext["temporal"], ogcTimed[id])
			}
			if link(t, col, "items", "application/geo+json") == "" {
				t.Errorf("no items link of type application/geo+json: %v", col["links"])
			}
			one := ogcGet(t, link(t, col, "self", ""), "application/json")
			a, _ := json.Marshal(one)
			b, _ := json.Marshal(col)
			if string(a) != string(b) {
				t.Errorf("/collections/%s differs from its entry in /collections:\n%s\n%s", id, a, b)
			}
		})
	}
	if strings.Join(ids, ",") != strings.Join(ogcCollectionIDs, ",") {
		t.Errorf("collections %v, want %v", ids, ogcCollectionIDs)
	}
	want(t, get(t, s.url+"/ogc?f=json"), 200)
	want(t, get(t, s.url+"/ogc/collections?f=json"), 200)
}

// Every collection walked a page of 7 at a time: each item once, as many
// as numberMatched says and as the /v1 reads serve, inside the extent,
// and each readable on its own.
func TestOGCItemsPaging(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	v1Count := map[string]int{
		"frontline": len(get(t, s.url+"/v1/frontline/versions").json(t)["versions"].([]any)),
		"sectors":   len(get(t, s.url+"/v1/sectors").json(t)["features"].([]any)),
		"zones":     len(get(t, s.url+"/v1/sectors?geometry=zone").json(t)["features"].([]any)),
		"coverage":  len(get(t, s.url+"/v1/coverage").json(t)["sectors"].([]any)),
		"units":     len(get(t, s.url+"/v1/units").json(t)["features"].([]any)),
	}
	for _, f := range get(t, s.url+"/v1/units").json(t)["features"].([]any) {
		switch f.(map[string]any)["geometry"].(map[string]any)["type"] {
		case "Point":
			v1Count["unit-points"]++
		case "LineString":
			v1Count["patrol-routes"]++
		}
	}
	for _, id := range ogcCollectionIDs {
		t.Run(id, func(t *testing.T) {
			col := ogcGet(t, s.url+"/ogc/collections/"+id, "application/json")
			extent := col["extent"].(map[string]any)["spatial"].(map[string]any)["bbox"].([]any)[0].([]any)
			var ext [4]float64
			for i := range ext {
				ext[i] = extent[i].(float64)
			}
			features, matched := walk(t, s.url+"/ogc/collections/"+id+"/items?limit=7")
			if matched != len(features) {
				t.Errorf("numberMatched %d, walked %d features", matched, len(features))
			}
			if matched != v1Count[id] {
				t.Errorf("numberMatched %d, /v1 serves %d", matched, v1Count[id])
			}
			seen := map[string]int{}
			for _, f := range features {
				fid := featureID(f)
				seen[fid]++
				if seen[fid] == 2 {
					t.Errorf("feature %s served twice", fid)
				}
				b := bounds(t, f)
				if b[0] < ext[0] || b[1] < ext[1] || b[2] > ext[2] || b[3] > ext[3] {
					t.Errorf("feature %s (bounds %v) is outside the collection's extent %v", fid, b, ext)
				}
			}
			// The default page is 10, and the whole collection fits in one.
			def := ogcGet(t, s.url+"/ogc/collections/"+id+"/items", "application/geo+json")
			if n := len(def["features"].([]any)); n != min(10, matched) {
				t.Errorf("default page has %d features", n)
			}
			all := ogcGet(t, s.url+"/ogc/collections/"+id+"/items?limit=10000&f=json", "application/geo+json")
			if n := len(all["features"].([]any)); n != matched || link(t, all, "next", "") != "" {
				t.Errorf("limit=10000: %d features of %d, next %q", n, matched, link(t, all, "next", ""))
			}
			// Whole figures keep a decimal point, in pages and alone, so a
			// client typing fields from a first page makes them reals.
			if id != "units" && id != "unit-points" && id != "patrol-routes" && id != "frontline" {
				for _, u := range []string{"/items?limit=1", "/items/" + featureID(features[0])} {
					r := get(t, s.url+"/ogc/collections/"+id+u)
					if !strings.Contains(string(r.body), `"start_km":0.0`) {
						t.Errorf("%s: no whole km figure written as a real: %.400s", u, r.body)
					}
				}
			}
			// A page past the end is empty, with a way back.
			past := ogcGet(t, fmt.Sprintf("%s/ogc/collections/%s/items?offset=%d", s.url, id, matched+5), "application/geo+json")
			if len(past["features"].([]any)) != 0 || link(t, past, "prev", "") == "" {
				t.Errorf("past the end: %d features, links %v", len(past["features"].([]any)), past["links"])
			}
			// Items one by one, the same as in the pages.
			for _, f := range []map[string]any{features[0], features[len(features)-1]} {
				one := ogcGet(t, s.url+"/ogc/collections/"+id+"/items/"+url.PathEscape(featureID(f)), "application/geo+json")
				if link(t, one, "self", "") == "" || link(t, one, "collection", "") == "" {
					t.Errorf("item %s without self or collection link", featureID(f))
				}
				delete(one, "links")
				a, _ := json.Marshal(one)
				b, _ := json.Marshal(f)
				if string(a) != string(b) {
					t.Errorf("item %s differs from the page's:\n%.300s\n%.300s", featureID(f), a, b)
				}
			}
		})
	}
}

// bbox keeps exactly the features whose bounds meet the box, the same as
// a brute-force filter over every feature.
func TestOGCBBox(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	sectors, _ := walk(t, s.url+"/ogc/collections/sectors/items?limit=10000")
	// A box around the middle sector's piece of line.
	box := bounds(t, sectors[len(sectors)/2])
	boxText := fmt.Sprintf("%g,%g,%g,%g", box[0], box[1], box[2], box[3])
	for _, id := range ogcCollectionIDs {
		t.Run(id, func(t *testing.T) {
			all, _ := walk(t, s.url+"/ogc/collections/"+id+"/items?limit=10000")
			var expect []string
			for _, f := range all {
				if meets(bounds(t, f), box) {
					expect = append(expect, featureID(f))
				}
			}
			got, matched := walk(t, s.url+"/ogc/collections/"+id+"/items?limit=3&bbox="+boxText)
			var ids []string
			for _, f := range got {
				ids = append(ids, featureID(f))
			}
			if strings.Join(ids, ",") != strings.Join(expect, ",") || matched != len(expect) {
				t.Errorf("bbox=%s: got %v (numberMatched %d), want %v", boxText, ids, matched, expect)
			}
			if len(expect) == 0 || (len(expect) == len(all) && id != "frontline") {
				t.Errorf("bbox=%s keeps %d of %d features: not a useful test", boxText, len(expect), len(all))
			}
			far := ogcGet(t, s.url+"/ogc/collections/"+id+"/items?bbox=-10,-10,-9,-9", "application/geo+json")
			if far["numberMatched"].(float64) != 0 {
				t.Errorf("a box far from the line matches %v features", far["numberMatched"])
			}
		})
	}
}

func TestOGCErrors(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for _, c := range []struct {
		name, path string
		status     int
	}{
		{"unknown collection", "/ogc/collections/nope", 404},
		{"unknown collection items", "/ogc/collections/nope/items", 404},
		{"unknown sector", "/ogc/collections/sectors/items/S999", 404},
		{"unknown version", "/ogc/collections/frontline/items/99", 404},
		{"unknown unit", "/ogc/collections/units/items/no-such-unit", 404},
		{"limit 0", "/ogc/collections/sectors/items?limit=0", 400},
		{"limit too big", "/ogc/collections/sectors/items?limit=10001", 400},
		{"limit not a number", "/ogc/collections/sectors/items?limit=ten", 400},
		{"negative offset", "/ogc/collections/sectors/items?offset=-1", 400},
		{"unknown parameter", "/ogc/collections/sectors/items?nope=10", 400},
		{"unknown parameter on a collection", "/ogc/collections/sectors?limit=5", 400},
		{"f=html", "/ogc/collections/sectors/items?f=html", 400},
		{"f=geojson on the landing page", "/ogc?f=geojson", 400},
		{"bbox of 3 numbers", "/ogc/collections/sectors/items?bbox=1,2,3", 400},
		{"bbox upside down", "/ogc/collections/sectors/items?bbox=40,50,30,45", 400},
		{"bad datetime", "/ogc/collections/frontline/items?datetime=yesterday", 400},
		{"datetime interval backwards", "/ogc/collections/frontline/items?datetime=2025-01-01T00:00:00Z/2024-01-01T00:00:00Z", 400},
		{"datetime of three parts", "/ogc/collections/frontline/items?datetime=2025-01-01T00:00:00Z/../..", 400},
		{"datetime on units", "/ogc/collections/units/items?datetime=2025-01-01T00:00:00Z", 400},
		{"parameters on one item", "/ogc/collections/sectors/items/S001?limit=1", 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := get(t, s.url+c.path)
			want(t, r, c.status)
			e, _ := r.json(t)["error"].(map[string]any)
			if e == nil || e["message"] == "" {
				t.Errorf("error body %s", r.body)
			}
		})
	}
	want(t, get(t, s.url+"/ogc/collections/sectors/items?f=geojson&limit=1"), 200)
	want(t, get(t, s.url+"/ogc/collections/frontline/items/1?f=json"), 200)
}

// Reads are cached, but answer the new data at once after a write, and a
// client's copy is confirmed with 304.
func TestOGCCacheFollowsWrites(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	u := s.url + "/ogc/collections/units/items?limit=1"
	r := get(t, u)
	want(t, r, 200)
	want(t, get(t, u, "If-None-Match", r.header.Get("ETag")), 304)
	n := r.json(t)["numberMatched"].(float64)
	unit := `{"type":"Feature","id":"ogc-test","geometry":{"type":"Point","coordinates":[36,48.5]},"properties":{"kind":"troops","strength":100}}`
	want(t, s.do(t, "POST", s.url+"/v1/units", "application/geo+json", []byte(unit)), 201)
	if m := get(t, u).json(t)["numberMatched"].(float64); m != n+1 {
		t.Errorf("after adding a unit, numberMatched %v, want %v", m, n+1)
	}
	one := ogcGet(t, s.url+"/ogc/collections/units/items/ogc-test", "application/geo+json")
	if p := one["properties"].(map[string]any); p["strength"] != 100.0 || p["kind"] != "troops" {
		t.Errorf("unit properties %v", p)
	}
}

// With --protect-units, unit positions need a read key here too; the
// other collections stay open.
func TestOGCProtectedUnits(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db, "--protect-units")
	read := makeKey(t, db, "read")
	want(t, get(t, s.url+"/ogc/collections/sectors/items"), 200)
	want(t, get(t, s.url+"/ogc/collections/units/items"), 401)
	want(t, get(t, s.url+"/ogc/collections/units/items/AD-01"), 401)
	want(t, get(t, s.url+"/ogc/collections/units/items", "Authorization", "Bearer "+read), 200)
}

// datetime on the real lines, checked against /v1/frontline?at=: a
// version is valid during an interval when ?at= picks it at some instant
// of it, and that can only change at the interval's start or at a
// version's valid_from.
func TestOGCDatetime(t *testing.T) {
	files := realLineFiles(t)
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for _, f := range files {
		want(t, s.do(t, "POST", s.url+"/v1/frontline", "application/geo+json", readFile(t, f)), 201)
	}
	var starts []time.Time
	for _, v := range get(t, s.url+"/v1/frontline/versions").json(t)["versions"].([]any) {
		vf, err := time.Parse(time.RFC3339, v.(map[string]any)["valid_from"].(string))
		if err != nil {
			t.Fatal(err)
		}
		starts = append(starts, vf)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	at := func(t0 time.Time) string {
		r := get(t, s.url+"/v1/frontline?at="+t0.Format(time.RFC3339))
		if r.status == 404 {
			return ""
		}
		want(t, r, 200)
		return fmt.Sprint(r.json(t)["properties"].(map[string]any)["version"])
	}
	// expect is what ?at= says for the interval [from, to]; zero ends
	// are open.
	expect := func(from, to time.Time) []string {
		candidates := []time.Time{}
		if !from.IsZero() {
			candidates = append(candidates, from)
		}
		for _, vf := range starts {
			if (from.IsZero() || vf.After(from)) && (to.IsZero() || !vf.After(to)) {
				candidates = append(candidates, vf)
			}
		}
		set := map[string]bool{}
		for _, c := range candidates {
			if v := at(c); v != "" {
				set[v] = true
			}
		}
		var out []string
		for v := range set {
			out = append(out, v)
		}
		sort.Slice(out, func(i, j int) bool { return len(out[i]) < len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j] })
		return out
	}
	day := 24 * time.Hour
	var zero time.Time
	rfc := func(t time.Time) string {
		if t.IsZero() {
			return ".."
		}
		return t.Format(time.RFC3339)
	}
	first, last := starts[0], starts[len(starts)-1]
	cases := []struct{ from, to time.Time }{
		{first.Add(-day), zero}, {first.Add(-day), first.Add(-day)}, // before any line
		{first, first}, {first.Add(day), first.Add(day)}, {last, last}, {last.Add(day), last.Add(day)},
		{zero, first.Add(day)}, {first.Add(day), last.Add(-day)}, {last.Add(-day), zero}, {zero, zero},
		{starts[1].Add(-time.Second), starts[1]}, {starts[1].Add(-time.Second), starts[1].Add(-time.Second)},
	}
	for _, c := range cases {
		dt := rfc(c.from) + "/" + rfc(c.to)
		if !c.from.IsZero() && c.from.Equal(c.to) {
			dt = rfc(c.from)
		}
		t.Run(dt, func(t *testing.T) {
			features, matched := walk(t, s.url+"/ogc/collections/frontline/items?limit=2&datetime="+url.QueryEscape(dt))
			var got []string
			for _, f := range features {
				got = append(got, featureID(f))
			}
			exp := expect(c.from, c.to)
			if strings.Join(got, ",") != strings.Join(exp, ",") || matched != len(exp) {
				t.Errorf("frontline datetime=%s: versions %v, want %v", dt, got, exp)
			}
			// The line-dependent collections: those of the newest
			// version valid then.
			newest := ""
			if len(exp) > 0 {
				newest = at(c.to)
				if c.to.IsZero() {
					newest = at(last)
				}
			}
			for _, id := range []string{"sectors", "zones", "coverage"} {
				fs, matched := walk(t, s.url+"/ogc/collections/"+id+"/items?limit=10000&datetime="+url.QueryEscape(dt))
				if newest == "" {
					if matched != 0 {
						t.Errorf("%s datetime=%s: %d features where no line is valid", id, dt, matched)
					}
					continue
				}
				v1 := get(t, s.url+"/v1/sectors?version="+newest).json(t)["features"].([]any)
				if matched != len(v1) {
					t.Errorf("%s datetime=%s: %d features, version %s has %d sectors", id, dt, matched, newest, len(v1))
				}
				for _, f := range fs {
					if lv := fmt.Sprint(f["properties"].(map[string]any)["line_version"]); lv != newest {
						t.Fatalf("%s datetime=%s: a feature of line version %s, want %s", id, dt, lv, newest)
					}
				}
			}
		})
	}
	// The temporal extent spans the versions.
	ext := ogcGet(t, s.url+"/ogc/collections/frontline", "application/json")["extent"].(map[string]any)
	iv := ext["temporal"].(map[string]any)["interval"].([]any)[0].([]any)
	if iv[0] != rfc(first) || iv[1] != rfc(last) {
		t.Errorf("temporal extent %v, want [%s, %s]", iv, rfc(first), rfc(last))
	}
}
