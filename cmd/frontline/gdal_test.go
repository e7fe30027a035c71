package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// gdal runs a GDAL command line tool and returns its output, or skips
// the test when GDAL is not installed.
func gdal(t *testing.T, tool string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("%s not on PATH: GDAL is the reference OGC API client here; install it to run this test (Debian/Ubuntu: apt-get install gdal-bin)", tool)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	// The server is local: never through a proxy.
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost")
	// Stop waiting for the output of a killed tool's leftover children.
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	if strings.Contains(string(out), "ERROR") {
		t.Errorf("%s %s reported errors:\n%s", tool, strings.Join(args, " "), out)
	}
	return string(out)
}

var (
	layerLine    = regexp.MustCompile(`(?m)^\d+: (\S+)`)
	layerName    = regexp.MustCompile(`(?m)^Layer name: (\S+)`)
	featureCount = regexp.MustCompile(`(?m)^Feature Count: (\d+)`)
	fieldLine    = regexp.MustCompile(`(?m)^(\w+): (\w+) \(`)
)

// layerCounts reads the layers and feature counts of `ogrinfo -al -so`.
func layerCounts(t *testing.T, out string) map[string]int {
	t.Helper()
	names, counts := layerName.FindAllStringSubmatch(out, -1), featureCount.FindAllStringSubmatch(out, -1)
	if len(names) != len(counts) {
		t.Fatalf("ogrinfo: %d layers, %d feature counts:\n%s", len(names), len(counts), out)
	}
	m := map[string]int{}
	for i, n := range names {
		c, _ := strconv.Atoi(counts[i][1])
		m[n[1]] = c
	}
	return m
}

// GDAL's OAPIF driver, a real client, lists every collection as a layer
// with the count the API gives, and copies collections page by page into
// GeoPackages with their features and figures intact.
func TestGDALReadsOGC(t *testing.T) {
	version := gdal(t, "ogrinfo", "--version")
	t.Logf("using %s", strings.TrimSpace(version))
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	src := "OAPIF:" + s.url + "/ogc"

	matched := map[string]int{}
	for _, id := range ogcCollectionIDs {
		matched[id] = int(get(t, s.url+"/ogc/collections/"+id+"/items?limit=1").json(t)["numberMatched"].(float64))
	}

	var layers []string
	for _, m := range layerLine.FindAllStringSubmatch(gdal(t, "ogrinfo", "-ro", "-so", src), -1) {
		layers = append(layers, m[1])
	}
	if strings.Join(layers, ",") != strings.Join(ogcCollectionIDs, ",") {
		t.Errorf("GDAL lists layers %v, want %v", layers, ogcCollectionIDs)
	}
	counts := layerCounts(t, gdal(t, "ogrinfo", "-ro", "-al", "-so", src))
	for _, id := range ogcCollectionIDs {
		if counts[id] != matched[id] {
			t.Errorf("GDAL counts %d features in %s, the API %d", counts[id], id, matched[id])
		}
	}

	// Copy through every page (GDAL asks 10 at a time) and check what
	// arrived: the count, the figures as reals, the lengths summing to the
	// line's.
	lineKm := get(t, s.url+"/v1/frontline").json(t)["properties"].(map[string]any)["length_km"].(float64)
	for _, id := range []string{"sectors", "zones", "coverage", "units", "frontline"} {
		t.Run(id, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), id+".gpkg")
			gdal(t, "ogr2ogr", "-f", "GPKG", out, src, id)
			info := gdal(t, "ogrinfo", "-ro", "-al", "-so", out)
			if got := layerCounts(t, info)[id]; got != matched[id] {
				t.Errorf("the GeoPackage holds %d features of %s, the API serves %d", got, id, matched[id])
			}
			if id == "units" || id == "frontline" {
				return
			}
			types := map[string]string{}
			for _, m := range fieldLine.FindAllStringSubmatch(info, -1) {
				types[m[1]] = m[2]
			}
			for _, f := range []string{"start_km", "end_km", "length_km"} {
				if types[f] != "Real" {
					t.Errorf("field %s is %s in the GeoPackage, want Real (fields: %v)", f, types[f], types)
				}
			}
			sum := gdal(t, "ogrinfo", "-ro", "-q", out, "-sql", "SELECT SUM(length_km) AS total FROM "+id)
			m := regexp.MustCompile(`total \(Real\) = ([0-9.]+)`).FindStringSubmatch(sum)
			if m == nil {
				t.Fatalf("no sum in:\n%s", sum)
			}
			total, _ := strconv.ParseFloat(m[1], 64)
			if math.Abs(total-lineKm) > 0.01 {
				t.Errorf("the sectors' lengths in the GeoPackage sum to %s km, the line is %s km", m[1], fmt.Sprint(lineKm))
			}
		})
	}
}
