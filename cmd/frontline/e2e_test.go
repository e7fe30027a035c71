package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// sharedData is where CI and developers have the real lines of contact.
const sharedData = "../../../shared/data/deepstate"

// patience is how long a test waits for something that takes a moment
// (a server to start or stop, a request to be answered) before it fails
// saying what it waited for, rather than hanging until go test's timeout.
// It is generous: a loaded 2-core machine must not reach it.
const patience = time.Minute

// within returns the next value from c, or fails the test naming what it
// waited for if none comes within patience.
func within[T any](t testing.TB, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(patience):
		t.Fatalf("%s: nothing within %v", what, patience)
		var zero T
		return zero
	}
}

// instance is a running `frontline serve` on a free port, with an admin
// key for its writes.
type instance struct {
	url  string
	key  string
	stop func()
	logs func() string
}

// do sends a request with the instance's admin key.
func (s *instance) do(t testing.TB, method, url, ctype string, body []byte, header ...string) response {
	t.Helper()
	return do(t, method, url, ctype, body, append([]string{"Authorization", "Bearer " + s.key}, header...)...)
}

// makeKey creates an API key with the command line and returns it.
func makeKey(t testing.TB, db, role string) string {
	t.Helper()
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"keys", "create", "--db", db, "--role", role, "--name", "test"}, &out, &errs); err != nil {
		t.Fatalf("keys create: %v (%s)", err, errs.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return lines[len(lines)-1]
}

// serve runs the real command, as a user would, and waits for its address.
func serve(t testing.TB, db string, extra ...string) *instance {
	t.Helper()
	key := makeKey(t, db, "admin")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)
	var buf bytes.Buffer
	stderr := &lockedWriter{w: &buf}
	go func() {
		done <- run(ctx, args, pw, stderr)
		pw.Close()
	}()
	type read struct {
		line string
		err  error
	}
	first := make(chan read, 1)
	go func() {
		line, err := bufio.NewReader(pr).ReadString('\n')
		first <- read{line, err}
		io.Copy(io.Discard, pr)
	}()
	var line string
	select {
	case r := <-first:
		if r.err != nil {
			cancel()
			t.Fatalf("server did not start: %v", within(t, done, "server exit"))
		}
		line = r.line
	case <-time.After(patience):
		cancel()
		t.Fatalf("server printed no address within %v", patience)
	}
	i := strings.Index(line, "http://")
	url := strings.Fields(line[i:])[0]
	inst := &instance{url: url, key: key, logs: func() string {
		stderr.mu.Lock()
		defer stderr.mu.Unlock()
		return buf.String()
	}}
	inst.stop = func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("server stopped with %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("server did not stop in 30 s")
		}
	}
	t.Cleanup(func() {
		if ctx.Err() == nil {
			inst.stop()
		}
	})
	return inst
}

// lockedWriter lets the server's goroutine log while the test reads.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("response is not a JSON object: %v: %.200s", err, r.body)
	}
	return v
}

func do(t testing.TB, method, url, ctype string, body []byte, header ...string) response {
	t.Helper()
	req, err := newRequest(method, url, ctype, bytes.NewReader(body), header...)
	if err != nil {
		t.Fatal(err)
	}
	return roundTrip(t, req)
}

// newRequest makes a request with a content type (if not empty) and
// header name, value pairs.
func newRequest(method, url, ctype string, body io.Reader, header ...string) (*http.Request, error) {
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req, nil
}

// roundTrip sends a request as it is (no transparent gzip) and reads the
// whole response.
func roundTrip(t testing.TB, req *http.Request) response {
	t.Helper()
	r, err := send(req)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// result is a response, or the failure to get one, from a request sent on
// a goroutine of its own.
type result struct {
	response
	err error
}

// send is roundTrip for goroutines other than the test's: it returns the
// failure, for the test to report (t.Fatal works only on the test's own
// goroutine).
func send(req *http.Request) (response, error) {
	// ExpectContinueTimeout matters only to requests that carry "Expect:
	// 100-continue": their body waits for the handler to start reading it.
	tr := &http.Transport{DisableCompression: true, ExpectContinueTimeout: patience}
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Transport: tr, Timeout: patience}).Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: reading the response: %w", req.Method, req.URL, err)
	}
	return response{res.StatusCode, res.Header, b}, nil
}

func get(t testing.TB, url string, header ...string) response {
	t.Helper()
	return do(t, http.MethodGet, url, "", nil, header...)
}

func want(t testing.TB, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %.300s", r.status, status, r.body)
	}
}

// realLineFiles returns the DeepStateMap lines, or skips.
func realLineFiles(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(sharedData, "*.contact.geojson"))
	if len(files) == 0 {
		t.Skipf("no real lines: %s/*.contact.geojson not found (the shared data folder sits beside the repository)", sharedData)
	}
	sort.Strings(files)
	return files
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A fresh start serves the embedded default line and demo units.
func TestServeDefaults(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	want(t, get(t, s.url+"/healthz"), 200)
	want(t, get(t, s.url+"/readyz"), 200)
	r := get(t, s.url+"/v1/frontline")
	want(t, r, 200)
	if ct := r.header.Get("Content-Type"); ct != "application/geo+json" {
		t.Errorf("content type %q", ct)
	}
	props := r.json(t)["properties"].(map[string]any)
	// About 2,100 km is planned; the trace from public sources is 1,840 km
	// (data/SOURCES.md).
	if l := props["length_km"].(float64); l < 1800 || l > 2205 {
		t.Errorf("default line is %.1f km, want 1,800 to 2,205", l)
	}
	rep := get(t, s.url+"/v1/coverage")
	want(t, rep, 200)
	seen := map[string]bool{}
	for _, sec := range rep.json(t)["sectors"].([]any) {
		seen[sec.(map[string]any)["status"].(string)] = true
	}
	for _, st := range []string{"ok", "thin", "gap"} {
		if !seen[st] {
			t.Errorf("no sector has status %s in the demo data", st)
		}
	}
	// Sectors between the embedded anchors, named after them.
	sec := get(t, s.url+"/v1/coverage?sectors=anchors").json(t)["sectors"].([]any)
	first, last := sec[0].(map[string]any)["id"].(string), sec[len(sec)-1].(map[string]any)["id"].(string)
	if len(sec) < 10 || first != "start..Kherson" || last != "Chernihiv..end" {
		t.Errorf("anchor sectors: %d, from %s to %s", len(sec), first, last)
	}
}

// Import the real lines one by one, read them back by version and time,
// re-import idempotently, restart and find everything still there.
func TestLinesImportVersionsRestart(t *testing.T) {
	files := realLineFiles(t)
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db, "--empty")
	r := get(t, s.url+"/readyz")
	want(t, r, 503)
	for i, f := range files {
		r := s.do(t, "POST", s.url+"/v1/frontline", "application/geo+json", readFile(t, f))
		want(t, r, 201)
		v := r.json(t)["versions"].([]any)[0].(map[string]any)
		if int(v["version"].(float64)) != i+1 {
			t.Errorf("%s: version %v, want %d", f, v["version"], i+1)
		}
	}
	// Idempotent.
	r = s.do(t, "POST", s.url+"/v1/frontline", "application/geo+json", readFile(t, files[0]))
	want(t, r, 200)
	if r.json(t)["unchanged"].(float64) != 1 {
		t.Errorf("re-import: %s", r.body)
	}
	vs := get(t, s.url+"/v1/frontline/versions").json(t)["versions"].([]any)
	if len(vs) != len(files) {
		t.Fatalf("%d versions, want %d", len(vs), len(files))
	}
	cur := get(t, s.url+"/v1/frontline").json(t)["properties"].(map[string]any)
	if cur["version"].(float64) != float64(len(files)) {
		t.Errorf("current is version %v, want the newest", cur["version"])
	}
	old := get(t, s.url+"/v1/frontline?at=2025-01-01").json(t)["properties"].(map[string]any)
	if !strings.HasPrefix(old["valid_from"].(string), "2024-07-08") {
		t.Errorf("at=2025-01-01 gave the line valid from %v", old["valid_from"])
	}
	want(t, get(t, s.url+"/v1/frontline?at=2020-01-01"), 404)
	covOld := get(t, s.url+"/v1/coverage?version=1")
	want(t, covOld, 200)
	if covOld.json(t)["line"].(map[string]any)["version"].(float64) != 1 {
		t.Error("coverage?version=1 is not about version 1")
	}
	s.stop()

	s = serve(t, db)
	vs = get(t, s.url+"/v1/frontline/versions").json(t)["versions"].([]any)
	if len(vs) != len(files) {
		t.Fatalf("after restart: %d versions, want %d", len(vs), len(files))
	}
	units := get(t, s.url+"/v1/units").json(t)["features"].([]any)
	if len(units) != 0 {
		t.Errorf("an --empty database got %d units on restart", len(units))
	}
}

// A bulk import with one bad feature stores nothing and names the feature.
func TestBulkAllOrNothing(t *testing.T) {
	files := realLineFiles(t)
	s := serve(t, filepath.Join(t.TempDir(), "f.db"), "--empty")
	var feats []string
	for _, f := range files {
		var fc struct {
			Features []json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal(readFile(t, f), &fc); err != nil {
			t.Fatal(err)
		}
		feats = append(feats, string(fc.Features[0]))
	}
	bad := `{"type":"Feature","properties":{"valid_from":"2026-09-01"},"geometry":{"type":"LineString","coordinates":[[30,48],[30,95]]}}`
	body := `{"type":"FeatureCollection","features":[` + feats[0] + "," + bad + "," + feats[1] + `]}`
	r := s.do(t, "POST", s.url+"/v1/frontline/bulk", "application/geo+json", []byte(body))
	want(t, r, 422)
	e := r.json(t)["error"].(map[string]any)
	d := e["details"].(map[string]any)
	if d["feature"].(float64) != 1 || d["part"].(float64) != 0 || d["vertex"].(float64) != 1 {
		t.Errorf("error details %v, want feature 1, part 0, vertex 1", d)
	}
	if vs := get(t, s.url+"/v1/frontline/versions").json(t)["versions"].([]any); len(vs) != 0 {
		t.Errorf("a refused bulk import stored %d versions", len(vs))
	}
	// Newline-delimited, all good.
	r = s.do(t, "POST", s.url+"/v1/frontline/bulk", "application/x-ndjson", []byte(strings.Join(feats, "\n")+"\n"))
	want(t, r, 201)
	if got := r.json(t)["imported"].(float64); int(got) != len(feats) {
		t.Errorf("imported %v, want %d", got, len(feats))
	}
}

// Overlays: valid styled GeoJSON, bbox filtering, ETag revalidation and
// gzip.
func TestOverlays(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for _, name := range []string{"sectors", "zones", "air-defense", "gaps"} {
		t.Run(name, func(t *testing.T) {
			r := get(t, s.url+"/v1/overlays/"+name)
			want(t, r, 200)
			fc := r.json(t)
			if fc["type"] != "FeatureCollection" {
				t.Fatalf("type %v", fc["type"])
			}
			feats := fc["features"].([]any)
			if len(feats) == 0 {
				t.Fatal("no features")
			}
			for _, f := range feats {
				p := f.(map[string]any)["properties"].(map[string]any)
				if _, ok := p["stroke"]; !ok {
					t.Fatalf("feature without simplestyle stroke: %v", p)
				}
			}
			etag := r.header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			want(t, get(t, s.url+"/v1/overlays/"+name, "If-None-Match", etag), 304)
			gz := get(t, s.url+"/v1/overlays/"+name, "Accept-Encoding", "gzip")
			if gz.header.Get("Content-Encoding") != "gzip" {
				t.Fatal("not gzipped")
			}
			zr, err := gzip.NewReader(bytes.NewReader(gz.body))
			if err != nil {
				t.Fatal(err)
			}
			plain, _ := io.ReadAll(zr)
			if !bytes.Equal(plain, r.body) {
				t.Error("gzip body differs from the plain one")
			}
			// A box far from the line holds nothing.
			far := get(t, s.url+"/v1/overlays/"+name+"?bbox=-10,-10,-9,-9").json(t)["features"].([]any)
			if len(far) != 0 {
				t.Errorf("bbox far away: %d features", len(far))
			}
		})
	}
}

func TestUnitsAPI(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	before := get(t, s.url+"/v1/coverage").json(t)
	unit := `{"type":"Feature","geometry":{"type":"Point","coordinates":[37.6,48.6]},"properties":{"kind":"troops","strength":40000,"name":"test"}}`
	r := s.do(t, "POST", s.url+"/v1/units", "application/geo+json", []byte(unit))
	want(t, r, 201)
	id := r.json(t)["id"].(string)
	want(t, get(t, s.url+"/v1/units/"+id), 200)
	after := get(t, s.url+"/v1/coverage").json(t)
	sb := before["summary"].(map[string]any)["strength"].(float64)
	sa := after["summary"].(map[string]any)["strength"].(float64)
	if sa-sb != 40000 {
		t.Errorf("adding 40,000 troops changed the total from %v to %v", sb, sa)
	}
	r = s.do(t, "PUT", s.url+"/v1/units/"+id, "application/geo+json", []byte(strings.Replace(unit, "40000", "10", 1)))
	want(t, r, 200)
	want(t, s.do(t, "DELETE", s.url+"/v1/units/"+id, "", nil), 204)
	want(t, get(t, s.url+"/v1/units/"+id), 404)
	// An escaped id is decoded once: x%2541 names "x%41", never "xA".
	want(t, s.do(t, "PUT", s.url+"/v1/units/xA", "application/geo+json", []byte(strings.Replace(unit, `"geometry"`, `"id":"xA","geometry"`, 1))), 201)
	want(t, get(t, s.url+"/v1/units/x%2541"), 404)
	want(t, get(t, s.url+"/v1/units/xA"), 200)
	// HEAD goes wherever GET does, without the body.
	if h := do(t, "HEAD", s.url+"/v1/units/xA", "", nil); h.status != 200 || len(h.body) != 0 || h.header.Get("ETag") == "" {
		t.Errorf("HEAD: %d, %d bytes, ETag %q", h.status, len(h.body), h.header.Get("ETag"))
	}
	// CSV import, replace mode.
	csv := "id,kind,lon,lat,strength,system,range_km\nA,troops,37.5,48.5,500,,\nB,air_defense,37.6,48.4,,patriot,\n"
	r = s.do(t, "POST", s.url+"/v1/units/bulk?mode=replace", "text/csv", []byte(csv))
	want(t, r, 200)
	if n := len(get(t, s.url+"/v1/units").json(t)["features"].([]any)); n != 2 {
		t.Errorf("after replace: %d units, want 2", n)
	}
}

func TestBadRequests(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for _, tc := range []struct {
		name, method, path, ctype, body string
		status                          int
		code                            string
	}{
		{"not JSON", "POST", "/v1/frontline", "application/json", "{", 400, "not_json"},
		{"polygon", "POST", "/v1/frontline", "application/json", `{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}`, 422, "wrong_geometry"},
		{"one vertex", "POST", "/v1/frontline", "application/json", `{"type":"LineString","coordinates":[[30,48]]}`, 422, "too_few_vertices"},
		{"unknown system", "POST", "/v1/units", "application/json", `{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[30,48]},"properties":{"kind":"air_defense","system":"s-300"}}`, 422, "unknown_system"},
		{"bad side", "GET", "/v1/coverage?side=up", "", "", 400, "bad_parameter"},
		{"misspelt parameter", "GET", "/v1/coverage?sector_kms=10", "", "", 400, "bad_parameter"},
		{"negative depth", "GET", "/v1/coverage?depth_km=-3", "", "", 400, "bad_parameter"},
		{"unknown sector", "GET", "/v1/coverage/S999", "", "", 404, "not_found"},
		{"unknown version", "GET", "/v1/frontline?version=99", "", "", 404, "not_found"},
		{"unknown overlay", "GET", "/v1/overlays/roads", "", "", 404, "not_found"},
		{"bad bbox", "GET", "/v1/overlays/zones?bbox=1,2,3", "", "", 400, "bad_parameter"},
		{"unknown route", "GET", "/v1/nothing", "", "", 404, "not_found"},
		{"valid_from past year 9999 in UTC", "POST", "/v1/frontline", "application/json", `{"type":"Feature","properties":{"valid_from":"9999-12-31T23:59:59-01:00"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`, 422, "bad_time"},
		{"percent in a unit id", "POST", "/v1/units", "application/json", `{"type":"Feature","id":"x%41","geometry":{"type":"Point","coordinates":[30,48]},"properties":{"kind":"troops","strength":1}}`, 422, "bad_id"},
		{"line across the antimeridian", "POST", "/v1/frontline", "application/json", `{"type":"LineString","coordinates":[[179.5,0],[-179.5,0]]}`, 422, "crosses_antimeridian"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.do(t, tc.method, s.url+tc.path, tc.ctype, []byte(tc.body))
			want(t, r, tc.status)
			e, ok := r.json(t)["error"].(map[string]any)
			if !ok || e["code"] != tc.code || e["message"] == "" {
				t.Errorf("error body %s, want code %s", r.body, tc.code)
			}
		})
	}
	if n := len(get(t, s.url+"/v1/frontline/versions").json(t)["versions"].([]any)); n != 1 {
		t.Errorf("refused requests changed the versions: %d", n)
	}
}

// What-if: new settings answer from the same data.
func TestWhatIf(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	a := get(t, s.url+"/v1/coverage?sector_km=10&depth_km=50").json(t)
	b := get(t, s.url+"/v1/coverage").json(t)
	na, nb := len(a["sectors"].([]any)), len(b["sectors"].([]any))
	if na <= nb*2 {
		t.Errorf("10 km sectors: %d, 25 km: %d", na, nb)
	}
	za := a["summary"].(map[string]any)["zone_area_km2"].(float64)
	zb := b["summary"].(map[string]any)["zone_area_km2"].(float64)
	if za < zb*1.4 {
		t.Errorf("a 50 km band (%.0f km²) should be much larger than a 30 km one (%.0f km²)", za, zb)
	}
	csv := get(t, s.url+"/v1/coverage?format=csv")
	want(t, csv, 200)
	if lines := strings.Count(string(csv.body), "\n"); lines != nb+1 {
		t.Errorf("CSV has %d lines, want %d", lines, nb+1)
	}
}

// The command-line tools on a folder of dated files and a units file.
func TestCommandLineTools(t *testing.T) {
	files := realLineFiles(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"import", "--db", db, filepath.Dir(files[0])}, &out, &errs); err == nil {
		t.Fatal("importing a folder with occupied-area polygons should fail")
	} else if !strings.Contains(err.Error(), "occupied") {
		t.Errorf("the error should name the file: %v", err)
	}
	lines := filepath.Join(dir, "lines")
	if err := os.Mkdir(lines, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(lines, filepath.Base(f)), readFile(t, f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out.Reset()
	errs.Reset()
	if err := run(context.Background(), []string{"import", "--db", db, lines}, &out, &errs); err != nil {
		t.Fatalf("import: %v (%s)", err, errs.String())
	}
	if !strings.Contains(out.String(), fmt.Sprintf("imported %d new line versions, 0 unchanged", len(files))) {
		t.Errorf("summary: %q", out.String())
	}
	// Not a terminal: plain progress lines (progress_test.go has the details).
	if !strings.Contains(errs.String(), fmt.Sprintf("reading: %d/%d (100%%)\n", len(files), len(files))) {
		t.Errorf("no final progress line: %q", errs.String())
	}
	units := filepath.Join(dir, "units.csv")
	if err := os.WriteFile(units, []byte("id,kind,lon,lat,strength\nA,troops,37.5,48.5,500\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"units", "--db", db, units}, &out, &errs); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"coverage", "--db", db, "--format", "csv", "--sector-km", "100"}, &out, &errs); err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(rows) < 10 || !strings.HasPrefix(rows[0], "id,index,start_km") {
		t.Errorf("coverage CSV: %d rows, header %q", len(rows), rows[0])
	}
	if err := run(context.Background(), []string{"coverage", "--db", db, "--side", "up"}, &out, &errs); err == nil {
		t.Error("a bad setting should fail")
	}
}

// Stored default settings apply to every read that gives none, survive a
// restart, and only an admin may change them.
func TestDefaultSettings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db)
	write := makeKey(t, db, "write")
	n25 := len(get(t, s.url+"/v1/coverage").json(t)["sectors"].([]any))
	body := []byte(`{"sector_km": 50, "required_per_km": 60, "side": "left"}`)
	want(t, do(t, "PUT", s.url+"/v1/settings", "application/json", body, "Authorization", "Bearer "+write), 403)
	want(t, s.do(t, "PUT", s.url+"/v1/settings", "application/json", []byte(`{"sector_km": -5}`)), 400)
	want(t, s.do(t, "PUT", s.url+"/v1/settings", "application/json", []byte(`{"version": 2}`)), 400)
	want(t, s.do(t, "PUT", s.url+"/v1/settings", "application/json", body), 200)
	check := func() {
		t.Helper()
		rep := get(t, s.url+"/v1/coverage").json(t)
		params := rep["params"].(map[string]any)
		if params["sector_km"] != 50.0 || params["required_per_km"] != 60.0 || params["side"] != "left" || params["depth_km"] != 30.0 {
			t.Errorf("params with stored defaults: %v", params)
		}
		if n := len(rep["sectors"].([]any)); n != (n25+1)/2 {
			t.Errorf("%d sectors of 50 km, want %d", n, (n25+1)/2)
		}
		// A query still overrides them.
		if n := len(get(t, s.url+"/v1/coverage?sector_km=25").json(t)["sectors"].([]any)); n != n25 {
			t.Errorf("sector_km=25 over the stored defaults: %d sectors, want %d", n, n25)
		}
	}
	check()
	s.stop()
	s = serve(t, db)
	check()
	got := get(t, s.url+"/v1/settings")
	if got.json(t)["sector_km"] != 50.0 {
		t.Errorf("GET /v1/settings: %s", got.body)
	}
	// What GET answers can be PUT back as it is.
	want(t, s.do(t, "PUT", s.url+"/v1/settings", "application/json", got.body), 200)
}

// Concurrent creations of one unit id: exactly one wins, the others are
// told it exists.
func TestCreateUnitOnce(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"), "--write-rate", "0")
	body := []byte(`{"type":"Feature","id":"once","geometry":{"type":"Point","coordinates":[37.6,48.6]},"properties":{"kind":"troops","strength":10}}`)
	results := make(chan result, 10)
	for i := 0; i < 10; i++ {
		req, err := newRequest("POST", s.url+"/v1/units", "application/geo+json", bytes.NewReader(body), "Authorization", "Bearer "+s.key)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			r, err := send(req)
			results <- result{r, err}
		}()
	}
	n := map[int]int{}
	for i := 0; i < 10; i++ {
		r := within(t, results, fmt.Sprintf("answer %d of 10", i+1))
		if r.err != nil {
			t.Fatalf("creation %d of 10: %v", i+1, r.err)
		}
		n[r.status]++
	}
	if n[201] != 1 || n[409] != 9 {
		t.Errorf("10 creations of one id: %v, want one 201 and nine 409", n)
	}
}
