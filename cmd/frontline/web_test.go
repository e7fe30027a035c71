package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"frontline"
)

// webDir holds the page's sources, its npm packages and its browser test.
const webDir = "../../web"

var assetRef = regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`)

// The page is served from the binary alone: index.html revalidated on
// every load, its fingerprinted assets cached for a year, both gzipped and
// answering If-None-Match.
func TestWebPage(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	page := get(t, s.url+"/")
	want(t, page, 200)
	if ct := page.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("GET / content type %q", ct)
	}
	if cc := page.header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("GET / Cache-Control %q, want no-cache", cc)
	}
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("GET / Content-Security-Policy %q", csp)
	}
	if !bytes.Contains(page.body, []byte(`id="map"`)) || !bytes.Contains(page.body, []byte(`id="sector-table"`)) {
		t.Errorf("GET / is not the map page: %.300s", page.body)
	}
	checkCaching(t, s.url+"/", page)

	refs := assetRef.FindAllStringSubmatch(string(page.body), -1)
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	seen := map[string]bool{}
	for _, m := range refs {
		path := m[1]
		ext := filepath.Ext(path)
		seen[ext] = true
		t.Run(strings.TrimPrefix(path, "/assets/"), func(t *testing.T) {
			r := get(t, s.url+path)
			want(t, r, 200)
			if ct := r.header.Get("Content-Type"); ct != types[ext] {
				t.Errorf("content type %q, want %q", ct, types[ext])
			}
			if cc := r.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q, want a year, immutable", cc)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no X-Content-Type-Options: nosniff")
			}
			if len(r.body) < 1000 {
				t.Errorf("only %d bytes", len(r.body))
			}
			checkCaching(t, s.url+path, r)
		})
	}
	if !seen[".js"] || !seen[".css"] {
		t.Errorf("GET / references no script or no stylesheet under /assets/: %v", refs)
	}

	for _, path := range []string{"/assets/app-NOSUCH00.js", "/assets/", "/assets/../server.go", "/assets/sub/app.js", "/index.html"} {
		if r := get(t, s.url+path); r.status != 404 {
			t.Errorf("GET %s: status %d, want 404", path, r.status)
		}
	}
}

// checkCaching asks again with the ETag (304) and for gzip (the same bytes
// compressed).
func checkCaching(t *testing.T, url string, plain response) {
	t.Helper()
	etag := plain.header.Get("ETag")
	if etag == "" {
		t.Fatalf("GET %s has no ETag", url)
	}
	if r := get(t, url, "If-None-Match", etag); r.status != 304 {
		t.Errorf("GET %s with If-None-Match: status %d, want 304", url, r.status)
	}
	z := get(t, url, "Accept-Encoding", "gzip")
	want(t, z, 200)
	if z.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET %s accepting gzip: Content-Encoding %q", url, z.header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(z.body))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, plain.body) {
		t.Errorf("GET %s: the gzip body is not the plain one", url)
	}
}

// The page offers the air-defense systems the service knows a range of.
func TestWebSystems(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(webDir, "src", "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`const SYSTEMS = \[([^\]]*)\];`).FindSubmatch(src)
	if m == nil {
		t.Fatal("web/src/app.js has no SYSTEMS list")
	}
	var page []string
	for _, q := range regexp.MustCompile(`'([^']+)'`).FindAllSubmatch(m[1], -1) {
		page = append(page, string(q[1]))
	}
	var known []string
	for name := range frontline.DefaultRangesKm {
		known = append(known, name)
	}
	sort.Strings(known)
	if strings.Join(page, ",") != strings.Join(known, ",") {
		t.Errorf("the page offers %v, the service knows %v", page, known)
	}
}

// TestWebBrowser drives the page in headless Chromium (web/test/e2e.mjs).
// It needs node, Debian's chromium and the page's npm packages
// (cd web && npm ci); without them it skips. The screenshots go to the
// test's artifact directory: keep them with
// go test -run TestWebBrowser -artifacts -outputdir DIR ./cmd/frontline.
func TestWebBrowser(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("browser test skipped: node is not installed (apt-get install nodejs npm)")
	}
	chromium := "/usr/bin/chromium"
	if env := os.Getenv("CHROMIUM"); env != "" {
		chromium = env
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("browser test skipped: %s is missing (apt-get install chromium)", chromium)
	}
	if _, err := os.Stat(filepath.Join(webDir, "node_modules", "playwright-core")); err != nil {
		t.Skipf("browser test skipped: %s/node_modules/playwright-core is missing (cd web && npm ci)", webDir)
	}
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	shot := filepath.Join(t.ArtifactDir(), "page.png")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("test", "e2e.mjs"), s.url, shot)
	cmd.Dir = webDir
	// The test makes the scenarios it compares through the API.
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium, "FRONTLINE_KEY="+s.key)
	// Chromium outlives a killed node and holds the output pipe open:
	// without WaitDelay, CombinedOutput would wait for it past the timeout.
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("node test/e2e.mjs %s %s:\n%s", s.url, shot, out)
	if err != nil {
		t.Fatalf("browser test failed: %v", err)
	}
	if _, err := os.Stat(shot); err != nil {
		t.Errorf("no screenshot: %v", err)
	}
}
