package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

const testUnit = `{"type":"Feature","id":"%s","geometry":{"type":"Point","coordinates":[37.6,48.6]},"properties":{"kind":"troops","strength":100}}`

func unitBody(id string) []byte { return []byte(strings.Replace(testUnit, "%s", id, 1)) }

// Every kind of endpoint against no key, a bad key, and each role.
func TestAuthMatrix(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db)
	keys := map[string]string{
		"none":  "",
		"bad":   "fl_0000000000_notarealsecret",
		"read":  makeKey(t, db, "read"),
		"write": makeKey(t, db, "write"),
		"admin": s.key,
	}
	who := []string{"none", "bad", "read", "write", "admin"}
	n := 0
	for _, tc := range []struct {
		method, path string
		body         func() []byte
		want         map[string]int
	}{
		{"GET", "/healthz", nil, map[string]int{"none": 200, "bad": 401, "read": 200, "write": 200, "admin": 200}},
		{"GET", "/v1/coverage", nil, map[string]int{"none": 200, "bad": 401, "read": 200, "write": 200, "admin": 200}},
		{"GET", "/v1/units", nil, map[string]int{"none": 200, "bad": 401, "read": 200, "write": 200, "admin": 200}},
		{"GET", "/v1/overlays/zones", nil, map[string]int{"none": 200, "bad": 401, "read": 200, "write": 200, "admin": 200}},
		{"POST", "/v1/units", func() []byte { n++; return unitBody("m" + string(rune('a'+n))) }, map[string]int{"none": 401, "bad": 401, "read": 403, "write": 201, "admin": 201}},
		{"PUT", "/v1/units/fixed", func() []byte { return unitBody("fixed") }, map[string]int{"none": 401, "bad": 401, "read": 403, "write": 201, "admin": 200}},
		{"DELETE", "/v1/units/absent", nil, map[string]int{"none": 401, "bad": 401, "read": 403, "write": 404, "admin": 404}},
		{"POST", "/v1/frontline?force=true", func() []byte { return []byte(`{"type":"LineString","coordinates":[[30,48],[31,48]]}`) }, map[string]int{"none": 401, "bad": 401, "read": 403, "write": 201, "admin": 200}},
		{"GET", "/v1/keys", nil, map[string]int{"none": 401, "bad": 401, "read": 403, "write": 403, "admin": 200}},
		{"GET", "/v1/audit", nil, map[string]int{"none": 401, "bad": 401, "read": 403, "write": 403, "admin": 200}},
		{"POST", "/v1/keys", func() []byte { return []byte(`{"role":"read","name":"x"}`) }, map[string]int{"none": 401, "bad": 401, "read": 403, "write": 403, "admin": 201}},
		{"DELETE", "/v1/frontline/99", nil, map[string]int{"none": 401, "bad": 401, "read": 403, "write": 403, "admin": 404}},
		{"DELETE", "/v1/demo", nil, map[string]int{"none": 401, "bad": 401, "read": 403, "write": 403, "admin": 200}},
	} {
		for _, w := range who {
			var body []byte
			if tc.body != nil {
				body = tc.body()
			}
			var hdr []string
			if keys[w] != "" {
				hdr = []string{"Authorization", "Bearer " + keys[w]}
			}
			r := do(t, tc.method, s.url+tc.path, "application/json", body, hdr...)
			if r.status != tc.want[w] {
				t.Errorf("%s %s with %s key: %d, want %d (%s)", tc.method, tc.path, w, r.status, tc.want[w], r.body)
			}
			if r.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: 401 without WWW-Authenticate", tc.method, tc.path)
			}
		}
	}
	// The audit log names the writer by key id, never by secret.
	entries := get(t, s.url+"/v1/audit", "Authorization", "Bearer "+s.key).json(t)["entries"].([]any)
	writeID := strings.SplitN(strings.TrimPrefix(keys["write"], "fl_"), "_", 2)[0]
	found := false
	for _, e := range entries {
		m := e.(map[string]any)
		if m["actor"] == writeID && m["action"] == "units.put" {
			found = true
		}
	}
	if !found {
		t.Errorf("no units.put by %s in the audit log: %v", writeID, entries)
	}
	logs := s.logs()
	for w, k := range keys {
		if k != "" && w != "bad" && strings.Contains(logs, strings.SplitN(k, "_", 3)[2]) {
			t.Errorf("the %s key's secret appears in the logs", w)
		}
	}
	// A revoked key stops working.
	var out struct {
		Token string `json:"token"`
		Key   struct {
			ID string `json:"id"`
		} `json:"key"`
	}
	r := s.do(t, "POST", s.url+"/v1/keys", "application/json", []byte(`{"role":"write","name":"temp"}`))
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	want(t, do(t, "POST", s.url+"/v1/units", "application/json", unitBody("t1"), "Authorization", "Bearer "+out.Token), 201)
	want(t, s.do(t, "DELETE", s.url+"/v1/keys/"+out.Key.ID, "", nil), 204)
	want(t, do(t, "POST", s.url+"/v1/units", "application/json", unitBody("t2"), "Authorization", "Bearer "+out.Token), 401)
}

func TestClosedReadsAndProtectedUnits(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db, "--protect-units")
	read := makeKey(t, db, "read")
	want(t, get(t, s.url+"/v1/overlays/zones"), 200)
	want(t, get(t, s.url+"/v1/frontline"), 200)
	want(t, get(t, s.url+"/v1/units"), 401)
	want(t, get(t, s.url+"/v1/overlays/air-defense"), 401)
	want(t, get(t, s.url+"/v1/overlays/gaps"), 401) // zones less the rings show where the rings are
	want(t, get(t, s.url+"/v1/overlays/gaps", "Authorization", "Bearer "+read), 200)
	for _, c := range get(t, s.url+"/ogc/collections").json(t)["collections"].([]any) {
		col := c.(map[string]any)
		if ext, _ := col["extent"].(map[string]any); col["id"] == "units" && ext["spatial"] != nil {
			t.Errorf("the units' extent is shown without a key: %v", ext)
		}
	}
	want(t, get(t, s.url+"/v1/units", "Authorization", "Bearer "+read), 200)
	s.stop()

	s = serve(t, db, "--closed-reads")
	want(t, get(t, s.url+"/v1/coverage"), 401)
	want(t, get(t, s.url+"/v1/coverage", "X-API-Key", read), 200)
	want(t, get(t, s.url+"/healthz"), 200)
}

func TestRateLimit(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"), "--write-rate", "1", "--read-rate", "5")
	codes := map[int]int{}
	var retry string
	for i := 0; i < 6; i++ {
		r := s.do(t, "PUT", s.url+"/v1/units/r", "application/json", unitBody("r"))
		codes[r.status]++
		if r.status == 429 {
			retry = r.header.Get("Retry-After")
		}
	}
	if codes[429] == 0 || retry == "" {
		t.Errorf("6 quick writes at 1/s: %v, Retry-After %q", codes, retry)
	}
	reads := map[int]int{}
	for i := 0; i < 30; i++ {
		reads[get(t, s.url+"/v1/frontline/versions").status]++
	}
	if reads[429] == 0 || reads[200] < 5 {
		t.Errorf("30 quick reads at 5/s: %v", reads)
	}
}
