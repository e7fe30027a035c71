package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontline/internal/pgtest"
)

// eventually polls check every 20 ms until it holds, and returns how long
// that took, failing the test after limit.
func eventually(t *testing.T, limit time.Duration, what string, check func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		if check() {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestReplicas runs two servers on one PostgreSQL database: a write
// through one is read through the other within a second, 100 times in a
// row, with no stale read after it; a revoked key fails on both within
// 5 s.
func TestReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and two servers")
	}
	dsn := pgtest.Start(t)
	admin := makeKey(t, dsn, "admin")
	a, b := start(t, dsn), start(t, dsn)
	auth := []string{"Authorization", "Bearer " + admin}
	strength := func(url string) int {
		r := get(t, url+"/v1/units/r-1", auth...)
		if r.status != 200 {
			return -1
		}
		var f struct {
			Properties struct {
				Strength int `json:"strength"`
			} `json:"properties"`
		}
		json.Unmarshal(r.body, &f)
		return f.Properties.Strength
	}
	var lags []time.Duration
	for i := 1; i <= 100; i++ {
		body := fmt.Sprintf(`{"type":"Feature","id":"r-1","geometry":{"type":"Point","coordinates":[36,48]},"properties":{"kind":"troops","strength":%d}}`, i)
		want(t, do(t, "PUT", a.url+"/v1/units/r-1", "application/geo+json", []byte(body), auth...), map[bool]int{true: 201, false: 200}[i == 1])
		lags = append(lags, eventually(t, time.Second, fmt.Sprintf("write %d through A read through B", i), func() bool { return strength(b.url) == i }))
		// No stale read once it is seen.
		for k := 0; k < 3; k++ {
			if got := strength(b.url); got != i {
				t.Fatalf("write %d: B read %d after it had read %d", i, got, i)
			}
		}
	}
	sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
	t.Logf("a write through A read through B after: median %v, 95th %v, worst %v", lags[50], lags[95], lags[99])

	// The same import sent to both at once is stored once.
	for round := 0; round < 5; round++ {
		before := len(versions(t, a.url))
		body := bulkBody(100+round, 20)
		res := make(chan result, 2)
		for _, s := range []*process{a, b} {
			req, err := newRequest("POST", s.url+"/v1/frontline/bulk?force=true", "application/x-ndjson", bytes.NewReader(body), auth...)
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				r, err := send(req)
				res <- result{r, err}
			}()
		}
		created := 0
		for k := 0; k < 2; k++ {
			r := within(t, res, "a concurrent import's answer")
			if r.err != nil || r.status/100 != 2 {
				t.Fatalf("round %d: a concurrent import: %v %d %.200s", round, r.err, r.status, r.body)
			}
			if r.status == 201 {
				created++
			}
		}
		if got := len(versions(t, b.url)) - before; got != 20 || created != 1 {
			t.Fatalf("round %d: the same 20 versions sent to both replicas at once made %d versions (%d answers said created)", round, got, created)
		}
	}

	// A key revoked through A stops working on both.
	reader := makeKey(t, dsn, "read")
	readAuth := []string{"Authorization", "Bearer " + reader}
	for _, s := range []*process{a, b} {
		want(t, get(t, s.url+"/v1/units", readAuth...), 200)
	}
	var keys struct {
		Keys []struct {
			ID   string `json:"id"`
			Role string `json:"role"`
		} `json:"keys"`
	}
	json.Unmarshal(get(t, a.url+"/v1/keys", auth...).body, &keys)
	id := ""
	for _, k := range keys.Keys {
		if k.Role == "read" {
			id = k.ID
		}
	}
	want(t, do(t, "DELETE", a.url+"/v1/keys/"+id, "", nil, auth...), 204)
	for name, s := range map[string]*process{"A": a, "B": b} {
		lag := eventually(t, 5*time.Second, "the revoked key refused by "+name, func() bool {
			return get(t, s.url+"/v1/units", readAuth...).status == http.StatusUnauthorized
		})
		t.Logf("revoked key refused by %s after %v", name, lag)
	}
}

// Kill one replica with SIGKILL at random moments during bulk imports
// while another serves: every acknowledged import is there, each
// interrupted one whole or not at all, and the killed replica serves again
// once restarted.
func TestReplicaKilledMidImport(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server 20 times")
	}
	const rounds, perImport = 20, 20
	dsn := pgtest.Start(t)
	key := makeKey(t, dsn, "write")
	other := start(t, dsn)
	var acked []versionInfo
	pending := 0
	rng := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < rounds; round++ {
		restarted := time.Now()
		p := start(t, dsn)
		want(t, get(t, p.url+"/healthz"), 200)
		if round > 0 {
			t.Logf("round %d: the killed replica served again %v after it was restarted", round, time.Since(restarted).Round(time.Millisecond))
		}
		for _, s := range []*process{p, other} {
			got := versions(t, s.url)
			switch {
			case len(got) == len(acked):
			case len(got) == len(acked)+pending:
				acked = got
			default:
				t.Fatalf("round %d: %d versions; acknowledged %d, interrupted import had %d", round, len(got), len(acked), pending)
			}
			for i, v := range acked {
				if got[i] != v {
					t.Fatalf("round %d: version %d is %+v, was acknowledged as %+v", round, i+1, got[i], v)
				}
			}
		}
		pending = 0
		req, err := newRequest("POST", p.url+"/v1/frontline/bulk", "application/x-ndjson", bytes.NewReader(bulkBody(round, perImport)), "Authorization", "Bearer "+key)
		if err != nil {
			t.Fatal(err)
		}
		res := make(chan result, 1)
		go func() {
			r, err := send(req)
			res <- result{r, err}
		}()
		time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
		p.signal(t, syscall.SIGKILL)
		p.wait(t)
		pending = perImport
		if r := within(t, res, fmt.Sprintf("round %d: the import's answer or failure", round)); r.err == nil && r.status == 201 {
			var out struct {
				Versions []versionInfo `json:"versions"`
			}
			if err := json.Unmarshal(r.body, &out); err != nil {
				t.Fatal(err)
			}
			acked = append(acked, out.Versions...)
			pending = 0
		}
	}
	t.Logf("%d rounds, %d versions stored", rounds, len(acked))
}

// PostgreSQL stopped under load: cached reads go on, writes and uncached
// reads get 503 with a clear error; once it is back, everything works on
// both replicas within 10 s, and a write through one reaches the other.
func TestDatabaseRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("stops PostgreSQL")
	}
	cluster := pgtest.StartCluster(t)
	key := makeKey(t, cluster.DSN, "write")
	auth := []string{"Authorization", "Bearer " + key}
	a, b := start(t, cluster.DSN), start(t, cluster.DSN)
	line := bulkBody(0, 1)
	want(t, do(t, "POST", a.url+"/v1/frontline", "application/geo+json", bytes.TrimSpace(line), auth...), 201)
	for _, s := range []*process{a, b} {
		eventually(t, time.Second, "the line on both replicas", func() bool { return get(t, s.url+"/v1/coverage").status == 200 })
	}
	// A read load on both replicas through the restart, and an import in
	// flight when the database stops.
	stopLoad := make(chan struct{})
	loadDone := make(chan [2]int, 1)
	go func() {
		ok, failed := 0, 0
		for {
			select {
			case <-stopLoad:
				loadDone <- [2]int{ok, failed}
				return
			default:
			}
			for _, s := range []*process{a, b} {
				if r := get(t, s.url+"/v1/coverage"); r.status == 200 {
					ok++
				} else {
					failed++
				}
			}
		}
	}()
	before := len(versions(t, b.url))
	req, err := newRequest("POST", a.url+"/v1/frontline/bulk?force=true", "application/x-ndjson", bytes.NewReader(bulkBody(1, 20)), auth...)
	if err != nil {
		t.Fatal(err)
	}
	res := make(chan result, 1)
	go func() {
		r, err := send(req)
		res <- result{r, err}
	}()
	time.Sleep(30 * time.Millisecond)
	cluster.Stop(t)
	imported := within(t, res, "the import's answer with the database stopping")
	for name, s := range map[string]*process{"A": a, "B": b} {
		if r := get(t, s.url+"/v1/coverage"); r.status != 200 {
			t.Errorf("%s: a cached read with the database down: %d %.200s", name, r.status, r.body)
		}
		r := get(t, s.url+"/v1/coverage?depth_km=21")
		if r.status != 200 && (r.status != 503 || !bytes.Contains(r.body, []byte(`"code":"unavailable"`))) {
			t.Errorf("%s: an uncached read with the database down: %d %.300s", name, r.status, r.body)
		}
		w := do(t, "PUT", s.url+"/v1/units/u-1", "application/geo+json",
			[]byte(`{"type":"Feature","geometry":{"type":"Point","coordinates":[36,48]},"properties":{"kind":"troops","strength":5}}`), auth...)
		if w.status != 503 || !bytes.Contains(w.body, []byte(`"code":"unavailable"`)) || w.header.Get("Retry-After") == "" {
			t.Errorf("%s: a write with the database down: %d %.300s", name, w.status, w.body)
		}
		if r := get(t, s.url+"/readyz"); r.status != 503 {
			t.Errorf("%s: /readyz with the database down: %d", name, r.status)
		}
	}
	cluster.Start(t)
	back := time.Now()
	for name, s := range map[string]*process{"A": a, "B": b} {
		lag := eventually(t, 10*time.Second, name+" writes again", func() bool {
			return do(t, "PUT", s.url+"/v1/units/u-"+name, "application/geo+json",
				[]byte(`{"type":"Feature","geometry":{"type":"Point","coordinates":[36,48]},"properties":{"kind":"troops","strength":5}}`), auth...).status/100 == 2
		})
		t.Logf("%s wrote again %v after the database was back", name, lag)
	}
	eventually(t, time.Second, "A's write seen by B", func() bool { return get(t, b.url+"/v1/units/u-A").status == 200 })
	t.Logf("both replicas work %v after the database came back", time.Since(back).Round(time.Millisecond))
	close(stopLoad)
	load := <-loadDone
	if load[1] != 0 {
		t.Errorf("the cached read failed %d times of %d through the restart", load[1], load[0]+load[1])
	}
	t.Logf("cached reads through the restart: %d, all answered", load[0])
	// The import in flight: whole if acknowledged, else whole or absent.
	after := len(versions(t, b.url)) - before
	switch {
	case imported.err == nil && imported.status == 201 && after != 20:
		t.Errorf("an acknowledged import of 20 versions left %d", after)
	case after != 0 && after != 20:
		t.Errorf("an interrupted import of 20 versions left %d: half-written", after)
	}
	t.Logf("the import in flight: status %d (err %v), %d of 20 versions stored", imported.status, imported.err, after)
}

// A password in --db never reaches the logs.
func TestRedactDB(t *testing.T) {
	for in, want := range map[string]string{
		"frontline.db": "frontline.db",
		"postgres://app:s3cret@db.example:5432/frontline?sslmode=require": "postgres://app:xxxxx@db.example:5432/frontline?sslmode=require",
		"postgresql://app@db/frontline":                                   "postgresql://app@db/frontline",
	} {
		if got := redactDB(in); got != want || strings.Contains(got, "s3cret") {
			t.Errorf("redactDB(%q) = %q, want %q", in, got, want)
		}
	}
}
