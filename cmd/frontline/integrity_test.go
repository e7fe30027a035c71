package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// lineFeature writes a LineString Feature through the given positions,
// dated validFrom unless it is empty.
func lineFeature(validFrom string, coords ...[2]float64) string {
	props := "{}"
	if validFrom != "" {
		props = fmt.Sprintf(`{"valid_from": %q}`, validFrom)
	}
	c, _ := json.Marshal(coords)
	return fmt.Sprintf(`{"type": "Feature", "properties": %s, "geometry": {"type": "LineString", "coordinates": %s}}`, props, c)
}

// eastward is a line of n vertices from (lon0, 48) eastward, 0.1 degree
// (about 7.4 km) apart, with a slight wave so it is no great circle.
func eastward(lon0 float64, n int) [][2]float64 {
	out := make([][2]float64, n)
	for i := range out {
		out[i] = [2]float64{lon0 + 0.1*float64(i), 48 + 0.01*float64(i%2)}
	}
	return out
}

// stored is what a refused request must leave as it was: the versions,
// the units and the audit log.
func stored(t *testing.T, s *instance) string {
	t.Helper()
	var b strings.Builder
	for _, path := range []string{"/v1/frontline/versions", "/v1/units", "/v1/audit?limit=1000"} {
		r := s.do(t, "GET", s.url+path, "", nil)
		want(t, r, 200)
		b.Write(r.body)
	}
	return b.String()
}

type integrityCase struct {
	name   string
	method string
	path   string
	ctype  string
	body   string
	header []string
	status int
	code   string // the error code, for refusals
	// message, if set, is a text the error message must contain.
	message string
	details map[string]any
}

// run sends the request and checks its status and error; a refusal must
// leave everything stored as it was.
func (tc integrityCase) run(t *testing.T, s *instance) response {
	t.Helper()
	before := stored(t, s)
	r := s.do(t, tc.method, s.url+tc.path, tc.ctype, []byte(tc.body), tc.header...)
	if r.status != tc.status {
		t.Fatalf("status %d, want %d: %.400s", r.status, tc.status, r.body)
	}
	if tc.status < 400 {
		return r
	}
	var e struct {
		Error struct {
			Code    string         `json:"code"`
			Message string         `json:"message"`
			Details map[string]any `json:"details"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, r.body)
	}
	if e.Error.Code != tc.code {
		t.Errorf("code %q, want %q (%s)", e.Error.Code, tc.code, e.Error.Message)
	}
	if !strings.Contains(e.Error.Message, tc.message) {
		t.Errorf("message %q does not say %q", e.Error.Message, tc.message)
	}
	if tc.details != nil && !reflect.DeepEqual(e.Error.Details, tc.details) {
		t.Errorf("details %v, want %v", e.Error.Details, tc.details)
	}
	if after := stored(t, s); after != before {
		t.Errorf("a refused request changed what is stored:\nbefore %.600s\nafter  %.600s", before, after)
	}
	return r
}

func currentVersion(t *testing.T, s *instance, query string) int {
	t.Helper()
	r := get(t, s.url+"/v1/frontline"+query)
	want(t, r, 200)
	return int(r.json(t)["properties"].(map[string]any)["version"].(float64))
}

func versionList(t *testing.T, s *instance) []int {
	t.Helper()
	r := get(t, s.url+"/v1/frontline/versions")
	want(t, r, 200)
	var out struct {
		Versions []struct {
			Version int `json:"version"`
		} `json:"versions"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	var v []int
	for _, x := range out.Versions {
		v = append(v, x.Version)
	}
	return v
}

// TestLineVersionRules checks the rules that keep the current line
// trustworthy (SPEC 3), each through the HTTP API, in order: every step
// builds on the versions the steps before it stored.
func TestLineVersionRules(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db, "--empty")
	writeKey := makeKey(t, db, "write")
	line := eastward(32, 30) // about 215 km

	steps := []integrityCase{
		{name: "first version", method: "POST", path: "/v1/frontline", ctype: "application/geo+json",
			body: lineFeature("2024-01-01", line...), status: 201},
		{name: "a planned line dated in the future is stored", method: "POST", path: "/v1/frontline", ctype: "application/geo+json",
			body: lineFeature("2999-01-01", eastward(32.01, 30)...), status: 201},
		{name: "a stray two-point line is refused", method: "POST", path: "/v1/frontline", ctype: "application/geo+json",
			body: lineFeature("", [2]float64{32, 48}, [2]float64{32.2, 48.1}), status: 409, code: "length_change",
			message: "the line is 18.600 km long, 91.5 % shorter than version 1 (218.782 km, valid from 2024-01-01T00:00:00Z) that it follows", details: map[string]any{"feature": 0.0}},
		{name: "a line twice as long is refused", method: "POST", path: "/v1/frontline/bulk", ctype: "application/geo+json",
			body:   `{"type": "FeatureCollection", "features": [` + lineFeature("2024-02-01", line...) + "," + lineFeature("2024-03-01", eastward(32, 70)...) + "]}",
			status: 409, code: "length_change", message: "than feature 0 of this import", details: map[string]any{"feature": 1.0}},
		{name: "a line dated before every other is compared with the one it precedes", method: "POST", path: "/v1/frontline", ctype: "application/geo+json",
			body: lineFeature("2020-01-01", eastward(32, 5)...), status: 409, code: "length_change", message: "than version 1"},
		{name: "max_length_change widens the check", method: "POST", path: "/v1/frontline?max_length_change=0.99", ctype: "application/geo+json",
			body: lineFeature("2024-01-02", eastward(32, 5)...), status: 201},
		{name: "force stores what the check refuses", method: "POST", path: "/v1/frontline?force=true", ctype: "application/geo+json",
			body: lineFeature("2024-01-03", eastward(32, 80)...), status: 201},
		{name: "a bad max_length_change", method: "POST", path: "/v1/frontline?max_length_change=-1", ctype: "application/geo+json",
			body: lineFeature("2024-01-04", line...), status: 400, code: "bad_parameter", details: map[string]any{"field": "max_length_change"}},
		{name: "a bad force", method: "POST", path: "/v1/frontline?force=yes", ctype: "application/geo+json",
			body: lineFeature("2024-01-04", line...), status: 400, code: "bad_parameter", details: map[string]any{"field": "force"}},
		{name: "two different lines with one valid_from in one import", method: "POST", path: "/v1/frontline/bulk", ctype: "application/x-ndjson",
			body:   lineFeature("2024-05-01", line...) + "\n" + lineFeature("2024-05-02", line...) + "\n" + lineFeature("2024-05-01", eastward(32.02, 30)...) + "\n",
			status: 422, code: "ambiguous_valid_from", message: "features 0 and 2 are different lines with the same valid_from 2024-05-01T00:00:00Z",
			details: map[string]any{"feature": 2.0, "field": "properties.valid_from"}},
		{name: "the same line twice with one valid_from is one version", method: "POST", path: "/v1/frontline/bulk", ctype: "application/x-ndjson",
			body: lineFeature("2024-05-01", line...) + "\n" + lineFeature("2024-05-01", line...) + "\n", status: 201},
		{name: "a line that crosses itself", method: "POST", path: "/v1/frontline", ctype: "application/geo+json",
			body:   lineFeature("2024-07-01", [2]float64{32, 48}, [2]float64{33, 48}, [2]float64{33, 48.5}, [2]float64{32.5, 47.5}),
			status: 422, code: "self_intersection",
			message: "part 0, vertex 2: the edge from vertex 2 to 3 of part 0 meets the edge from vertex 0 to 1 of part 0 and crosses it at 32.750000, 48.000000",
			details: map[string]any{"part": 0.0, "vertex": 2.0}},
		{name: "a part that crosses another, in a bulk import", method: "POST", path: "/v1/frontline/bulk", ctype: "application/geo+json",
			body: `{"type": "FeatureCollection", "features": [` + lineFeature("2024-07-01", line...) + `,
				{"type": "Feature", "properties": {"valid_from": "2024-07-02"}, "geometry": {"type": "MultiLineString",
				 "coordinates": [[[32, 48], [34, 48]], [[34.5, 47], [34.5, 47.5]], [[33, 47.5], [33, 48], [33, 48.5]]]}}]}`,
			status: 422, code: "self_intersection",
			message: "feature 1, part 2, vertex 0: the edge from vertex 0 to 1 of part 2 meets the edge from vertex 0 to 1 of part 0 and crosses it at 33.000000, 48.000000",
			details: map[string]any{"feature": 1.0, "part": 2.0, "vertex": 0.0}},
		{name: "parts that touch end to end are fine", method: "POST", path: "/v1/frontline/bulk", ctype: "application/x-ndjson",
			body: `{"type": "Feature", "properties": {"valid_from": "2023-06-01"}, "geometry": {"type": "MultiLineString",
				 "coordinates": [[[32, 48], [33, 48.1], [34, 48]], [[34, 48], [35, 48.2], [35.1, 48.1]]]}}` + "\n",
			status: 201},
		{name: "a JSON body sent as text/plain", method: "POST", path: "/v1/frontline", ctype: "text/plain",
			body: lineFeature("2024-06-01", line...), status: 415, code: "unsupported_media_type", message: "application/geo+json"},
		{name: "a JSON body sent as a form", method: "POST", path: "/v1/frontline/bulk", ctype: "application/x-www-form-urlencoded",
			body: lineFeature("2024-06-01", line...), status: 415, code: "unsupported_media_type", message: "application/x-ndjson"},
		{name: "settings sent as text/plain", method: "PUT", path: "/v1/settings", ctype: "text/plain",
			body: `{"sector_km": 10}`, status: 415, code: "unsupported_media_type"},
		{name: "units sent as text/plain", method: "POST", path: "/v1/units/bulk", ctype: "text/plain",
			body: "id,kind,lon,lat\nx,troops,33,48\n", status: 415, code: "unsupported_media_type", message: "text/csv"},
		{name: "withdrawing needs an admin key", method: "DELETE", path: "/v1/frontline/1",
			header: []string{"Authorization", "Bearer " + writeKey}, status: 403, code: "forbidden"},
		{name: "withdrawing a version that is not there", method: "DELETE", path: "/v1/frontline/99", status: 404, code: "not_found",
			message: "line version 99 not found"},
		{name: "withdrawing version 0", method: "DELETE", path: "/v1/frontline/0", status: 400, code: "bad_parameter"},
	}
	for _, tc := range steps {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, s) })
	}

	// Versions 1 (2024-01-01), 2 (2999: planned), 3 (2024-01-02, short),
	// 4 (2024-01-03, long), 5 (2024-05-01), 6 (2023-06-01, two parts).
	// The current line is the newest valid now, never the planned one,
	// which stays readable.
	if got := versionList(t, s); !reflect.DeepEqual(got, []int{1, 2, 3, 4, 5, 6}) {
		t.Fatalf("versions %v, want [1 2 3 4 5 6]", got)
	}
	if v := currentVersion(t, s, ""); v != 5 {
		t.Errorf("current version %d, want 5 (the planned version 2 is not current)", v)
	}
	if v := currentVersion(t, s, "?version=2"); v != 2 {
		t.Errorf("?version=2 gave version %d", v)
	}
	if v := currentVersion(t, s, "?at=2999-06-01"); v != 2 {
		t.Errorf("?at=2999-06-01 gave version %d, want 2", v)
	}
	cov := get(t, s.url+"/v1/coverage")
	want(t, cov, 200)
	if v := cov.json(t)["line"].(map[string]any)["version"].(float64); v != 5 {
		t.Errorf("coverage uses version %v, want 5", v)
	}

	// Withdraw the current version: the line before it is current again,
	// the number is gone from every read, and its content can come back.
	want(t, s.do(t, "DELETE", s.url+"/v1/frontline/5", "", nil), 204)
	if v := currentVersion(t, s, ""); v != 4 {
		t.Errorf("after withdrawing 5, current version %d, want 4", v)
	}
	if got := versionList(t, s); !reflect.DeepEqual(got, []int{1, 2, 3, 4, 6}) {
		t.Errorf("versions after withdrawing 5: %v", got)
	}
	want(t, get(t, s.url+"/v1/frontline?version=5"), 404)
	want(t, get(t, s.url+"/v1/coverage?version=5"), 404)
	want(t, get(t, s.url+"/ogc/collections/frontline/items/5"), 404)
	want(t, s.do(t, "DELETE", s.url+"/v1/frontline/5", "", nil), 404)
	// (It follows the long version 4 now, hence force.)
	r := s.do(t, "POST", s.url+"/v1/frontline?force=true", "application/geo+json", []byte(lineFeature("2024-05-01", line...)))
	want(t, r, 201)
	if v := int(r.json(t)["versions"].([]any)[0].(map[string]any)["version"].(float64)); v != 7 {
		t.Errorf("re-imported content got version %d, want 7 (numbers are never reused)", v)
	}
	audit := s.do(t, "GET", s.url+"/v1/audit?limit=3", "", nil)
	if !bytes.Contains(audit.body, []byte(`"action":"line.withdraw"`)) || !bytes.Contains(audit.body, []byte(`"target":"versions 5"`)) {
		t.Errorf("the audit log does not record the withdrawal: %s", audit.body)
	}

	// Only planned versions left: nothing is current, and the answer says
	// how to read the planned line.
	for _, v := range []string{"1", "3", "4", "6", "7"} {
		want(t, s.do(t, "DELETE", s.url+"/v1/frontline/"+v, "", nil), 204)
	}
	r = get(t, s.url+"/v1/frontline")
	want(t, r, 404)
	if !bytes.Contains(r.body, []byte("no line is valid yet: the first version is valid from 2999-01-01T00:00:00Z")) {
		t.Errorf("no current line: %s", r.body)
	}
}

// TestUnitIfMatch checks optimistic concurrency on one unit: reads carry
// an ETag, and a write with a stale one is refused with 412.
func TestUnitIfMatch(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"), "--empty")
	unit := func(strength int) string {
		return fmt.Sprintf(`{"type": "Feature", "id": "bde-1", "geometry": {"type": "Point", "coordinates": [33, 48]},
			"properties": {"kind": "troops", "strength": %d}}`, strength)
	}
	created := s.do(t, "POST", s.url+"/v1/units", "application/geo+json", []byte(unit(100)))
	want(t, created, 201)
	read := get(t, s.url+"/v1/units/bde-1")
	want(t, read, 200)
	etag := read.header.Get("ETag")
	if etag == "" || created.header.Get("ETag") != etag {
		t.Fatalf("ETag of the read %q, of the create %q: want one, the same", etag, created.header.Get("ETag"))
	}

	put := integrityCase{name: "fresh", method: "PUT", path: "/v1/units/bde-1", ctype: "application/geo+json",
		body: unit(200), header: []string{"If-Match", etag}, status: 200}
	r := put.run(t, s)
	fresh := r.header.Get("ETag")
	if fresh == "" || fresh == etag {
		t.Fatalf("ETag after the write %q, before %q: want a new one", fresh, etag)
	}
	if got := get(t, s.url+"/v1/units/bde-1").header.Get("ETag"); got != fresh {
		t.Errorf("read after the write has ETag %q, the write answered %q", got, fresh)
	}

	for _, tc := range []integrityCase{
		{name: "stale ETag", method: "PUT", path: "/v1/units/bde-1", ctype: "application/geo+json", body: unit(300),
			header: []string{"If-Match", etag}, status: 412, code: "precondition_failed", message: "the unit has changed since"},
		{name: "weak ETag never matches", method: "PUT", path: "/v1/units/bde-1", ctype: "application/geo+json", body: unit(300),
			header: []string{"If-Match", "W/" + fresh}, status: 412, code: "precondition_failed"},
		{name: "* on a unit that does not exist", method: "PUT", path: "/v1/units/bde-2", ctype: "application/geo+json",
			body: strings.Replace(unit(300), "bde-1", "bde-2", 1), header: []string{"If-Match", "*"}, status: 412,
			code: "precondition_failed", message: "the unit does not exist"},
		{name: "stale delete", method: "DELETE", path: "/v1/units/bde-1", header: []string{"If-Match", etag}, status: 412, code: "precondition_failed"},
		{name: "form body", method: "PUT", path: "/v1/units/bde-1", ctype: "application/x-www-form-urlencoded", body: unit(300),
			status: 415, code: "unsupported_media_type"},
		{name: "one of a list matches", method: "PUT", path: "/v1/units/bde-1", ctype: "application/geo+json", body: unit(400),
			header: []string{"If-Match", etag + ", " + fresh}, status: 200},
		{name: "without If-Match the write goes ahead", method: "PUT", path: "/v1/units/bde-1", ctype: "application/geo+json", body: unit(500), status: 200},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, s) })
	}
	last := get(t, s.url+"/v1/units/bde-1")
	t.Run("matching delete", func(t *testing.T) {
		(integrityCase{method: "DELETE", path: "/v1/units/bde-1", header: []string{"If-Match", last.header.Get("ETag")}, status: 204}).run(t, s)
	})
	want(t, get(t, s.url+"/v1/units/bde-1"), 404)
}

// TestDemoData checks that the embedded demo data is marked, that one
// request removes it all, and that a restart does not bring it back.
func TestDemoData(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db)
	versions := get(t, s.url+"/v1/frontline/versions")
	if !bytes.Contains(versions.body, []byte(`"demo":true`)) {
		t.Errorf("the default line is not marked as demo data: %s", versions.body)
	}
	units := get(t, s.url+"/v1/units").json(t)["features"].([]any)
	for _, u := range units {
		if u.(map[string]any)["properties"].(map[string]any)["demo"] != true {
			t.Fatalf("unit %v is not marked as demo data", u.(map[string]any)["id"])
		}
	}
	// A real unit stays.
	want(t, s.do(t, "POST", s.url+"/v1/units", "application/geo+json", []byte(`{"type": "Feature", "id": "real-1",
		"geometry": {"type": "Point", "coordinates": [37.6, 48.6]}, "properties": {"kind": "troops", "strength": 800}}`)), 201)

	writeKey := makeKey(t, db, "write")
	(integrityCase{method: "DELETE", path: "/v1/demo", header: []string{"Authorization", "Bearer " + writeKey}, status: 403, code: "forbidden"}).run(t, s)
	r := s.do(t, "DELETE", s.url+"/v1/demo", "", nil)
	want(t, r, 200)
	var removed struct {
		Versions []int    `json:"versions"`
		Units    []string `json:"units"`
	}
	if err := json.Unmarshal(r.body, &removed); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(removed.Versions, []int{1}) || len(removed.Units) != len(units) {
		t.Errorf("removed versions %v and %d units; want [1] and %d", removed.Versions, len(removed.Units), len(units))
	}
	left := get(t, s.url+"/v1/units").json(t)["features"].([]any)
	if len(left) != 1 || left[0].(map[string]any)["id"] != "real-1" {
		t.Errorf("units left: %v; want real-1 only", left)
	}
	want(t, get(t, s.url+"/v1/frontline"), 404)
	// Nothing more to remove: an empty answer, no write.
	r = s.do(t, "DELETE", s.url+"/v1/demo", "", nil)
	want(t, r, 200)
	if string(bytes.TrimSpace(r.body)) != `{"versions":[],"units":[]}` {
		t.Errorf("second removal answered %s", r.body)
	}

	s.stop()
	s = serve(t, db)
	if got := versionList(t, s); len(got) != 0 {
		t.Errorf("after a restart the demo line is back: versions %v", got)
	}
}

// TestDemoRemoveCommand removes the demo data with the command line,
// including demo units stored before they were marked.
func TestDemoRemoveCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db)
	// An unmarked copy of a demo unit, as databases filled before the mark
	// hold them, and a real unit that reuses a demo id with other content.
	old := get(t, s.url+"/v1/units/T-001").json(t)
	delete(old["properties"].(map[string]any), "demo")
	body, _ := json.Marshal(old)
	want(t, s.do(t, "PUT", s.url+"/v1/units/T-001", "application/geo+json", body), 200)
	want(t, s.do(t, "PUT", s.url+"/v1/units/T-002", "application/geo+json", []byte(`{"type": "Feature", "id": "T-002",
		"geometry": {"type": "Point", "coordinates": [35, 47.5]}, "properties": {"kind": "troops", "strength": 10}}`)), 200)
	s.stop()

	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"demo", "remove", "--db", db}, &out, &errs); err != nil {
		t.Fatalf("demo remove: %v (%s)", err, errs.String())
	}
	if !strings.Contains(out.String(), "1 line versions withdrawn (1), 211 units deleted") {
		t.Errorf("demo remove printed %q", out.String())
	}
	s = serve(t, db)
	left := get(t, s.url+"/v1/units").json(t)["features"].([]any)
	if len(left) != 1 || left[0].(map[string]any)["id"] != "T-002" {
		t.Errorf("units left: %v; want T-002 only", left)
	}
	if r := s.do(t, "GET", s.url+"/v1/audit?limit=5", "", nil); !bytes.Contains(r.body, []byte(`"actor":"cli","action":"demo.remove"`)) ||
		!bytes.Contains(r.body, []byte(`"target":"versions 1; units `)) {
		t.Errorf("audit: %s", r.body)
	}
}

// TestUnitsBulkCounts checks what a bulk import of units says it did,
// counted in the same write.
func TestUnitsBulkCounts(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	csv := readFile(t, "../../examples/units.csv")
	for _, tc := range []struct{ query, want string }{
		{"?mode=replace", `{"created":7,"deleted":212,"updated":0}`}, // the demo units go
		{"?mode=replace", `{"created":0,"deleted":0,"updated":7}`},
		{"", `{"created":0,"deleted":0,"updated":7}`},
	} {
		r := s.do(t, "POST", s.url+"/v1/units/bulk"+tc.query, "text/csv", csv)
		want(t, r, 200)
		if got := string(bytes.TrimSpace(r.body)); got != tc.want {
			t.Errorf("bulk%s answered %s, want %s", tc.query, got, tc.want)
		}
	}
}
