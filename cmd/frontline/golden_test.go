package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden responses in testdata/golden")

// goldenReads are reads whose answers on the embedded default data are
// kept in testdata/golden: any change to what a client gets, byte for
// byte, shows up as a diff there (go test -run TestGoldenResponses
// -update rewrites them after an intended change).
var goldenReads = []string{
	"/healthz",
	"/readyz",
	"/openapi.json",
	"/v1/frontline",
	"/v1/frontline?version=1&bbox=36,47,39,50",
	"/v1/frontline/versions",
	"/v1/sectors",
	"/v1/sectors?geometry=zone&zoom=8",
	"/v1/sectors?sector_km=10&depth_km=50&side=left&precision=4",
	"/v1/anchors",
	"/v1/units",
	"/v1/units?kind=air_defense&bbox=36,47,39,50",
	"/v1/units/T-001",
	"/v1/settings",
	"/v1/coverage",
	"/v1/coverage?format=csv",
	"/v1/coverage?sectors=anchors",
	"/v1/coverage?sectors=7&required_per_km=60&troops_ok=0.8",
	"/v1/coverage/S012",
	"/v1/coverage/S012?format=csv",
	"/v1/overlays/sectors",
	"/v1/overlays/zones?zoom=8",
	"/v1/overlays/air-defense",
	"/v1/overlays/gaps?simplify=200",
	"/v1/tiles/sectors.json",
	"/v1/tiles/frontline/7/77/44.mvt",
	"/v1/tiles/sectors/7/77/44.mvt",
	"/v1/tiles/zones/8/154/88.mvt",
	"/v1/tiles/air-defense/7/77/44.mvt",
	"/v1/tiles/gaps/7/77/44.mvt",
	"/v1/tiles/units/7/77/44.mvt",
	"/ogc",
	"/ogc/api",
	"/ogc/conformance",
	"/ogc/collections",
	"/ogc/collections/sectors",
	"/ogc/collections/frontline/items",
	"/ogc/collections/sectors/items?limit=5&offset=10",
	"/ogc/collections/zones/items?limit=2",
	"/ogc/collections/coverage/items?limit=3",
	"/ogc/collections/units/items?limit=10&bbox=36,47,39,50",
	"/ogc/collections/units/items/AD-01",
	// Refusals: the error contract.
	"/v1/coverage?sector_km=-1",
	"/v1/coverage?depth_km=1&depth_km=2",
	"/v1/coverage?nope=1",
	"/v1/units/nope",
	"/v1/overlays/nope",
	"/v1/frontline?version=99",
	"/v1/tiles/sectors/99/0/0.mvt",
	"/ogc/collections/nope/items",
	"/nope",
}

// Parts of answers that differ from run to run: the time of the import,
// the time of an OGC answer, the request id (and the server's address).
var (
	importedAt = regexp.MustCompile(`("(?:imported_at|timeStamp)":\s*)"[^"]*"`)
	requestID  = regexp.MustCompile(`(?m)^X-Request-Id: .*$`)
)

// TestGoldenResponses compares the answers of goldenReads with the
// recorded ones: status, content type, ETag presence and the body (bodies
// over 64 KiB and binary ones by size and SHA-256).
func TestGoldenResponses(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	host := strings.TrimPrefix(s.url, "http://")
	for i, path := range goldenReads {
		r := get(t, s.url+path)
		var b strings.Builder
		fmt.Fprintf(&b, "GET %s\n%d %s\n", path, r.status, r.header.Get("Content-Type"))
		body := bytes.ReplaceAll(r.body, []byte(host), []byte("HOST"))
		body = importedAt.ReplaceAll(body, []byte(`$1"TIME"`))
		switch {
		case bytes.Contains(body, []byte("imported_at")) && !isText(r.header.Get("Content-Type")):
			// A tile of the line carries its import time: compare it
			// decoded, that time aside.
			for _, l := range decodeMVT(t, body) {
				fmt.Fprintf(&b, "layer %s v%d extent %d\n", l.name, l.version, l.extent)
				for _, f := range l.features {
					f.props["imported_at"] = "TIME"
					fmt.Fprintf(&b, "%d %d %v %v\n", f.id, f.typ, f.props, f.paths)
				}
			}
		case len(body) > 64<<10 || !isText(r.header.Get("Content-Type")):
			sum := sha256.Sum256(body)
			fmt.Fprintf(&b, "%d bytes, sha256 %s\n", len(body), hex.EncodeToString(sum[:]))
		default:
			b.Write(body)
		}
		got := requestID.ReplaceAllString(b.String(), "")
		file := filepath.Join("testdata", "golden", fmt.Sprintf("%02d.txt", i))
		if *update {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run with -update to record)", err)
		}
		if got != string(want) {
			t.Errorf("GET %s differs from %s:\n got %.600s\nwant %.600s", path, file, got, want)
		}
	}
}

func isText(ctype string) bool {
	return strings.Contains(ctype, "json") || strings.HasPrefix(ctype, "text/")
}
