package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"frontline/internal/pgtest"
)

// wiggle writes a GeoJSON LineString of n vertices about stepKm apart,
// heading north-east across Ukraine with small turns.
func wiggle(n int, stepKm float64, validFrom string, shift float64) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"type":"Feature","properties":{"valid_from":%q},"geometry":{"type":"LineString","coordinates":[`, validFrom)
	lon, lat := 30.0, 46.6
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%.6f,%.6f]", lon, lat+shift)
		az := (60 + 30*math.Sin(float64(i)*0.05)) * math.Pi / 180
		lat += stepKm * math.Cos(az) / 111.2
		lon += stepKm * math.Sin(az) / (111.3 * math.Cos(lat*math.Pi/180))
	}
	b.WriteString("]}}")
	return b.Bytes()
}

// BenchmarkImportLargeLine posts one 100,000-vertex line.
func BenchmarkImportLargeLine(b *testing.B) {
	s := serve(b, filepath.Join(b.TempDir(), "f.db"), "--empty")
	bodies := make([][]byte, b.N)
	for i := range bodies {
		bodies[i] = wiggle(100000, 0.02, fmt.Sprintf("2026-01-%02dT00:00:00Z", i%28+1), float64(i)*1e-4)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		want(b, s.do(b, "POST", s.url+"/v1/frontline", "application/geo+json", bodies[i]), 201)
	}
}

// BenchmarkBulkYear posts 365 dated versions of a 3,000-vertex line at once,
// on SQLite and on PostgreSQL.
func BenchmarkBulkYear(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchBulkYear(b, filepath.Join(b.TempDir(), "f.db")) })
	b.Run("postgres", func(b *testing.B) { benchBulkYear(b, pgtest.Start(b)) })
}

func benchBulkYear(b *testing.B, db string) {
	s := serve(b, db, "--empty")
	bodies := make([][]byte, b.N)
	for i := range bodies {
		var nd bytes.Buffer
		for d := 0; d < 365; d++ {
			day := time.Date(2000+i, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)
			nd.Write(wiggle(3000, 0.7, day.Format(time.RFC3339), float64(d)*1e-3+float64(i)))
			nd.WriteByte('\n')
		}
		bodies[i] = nd.Bytes()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := s.do(b, "POST", s.url+"/v1/frontline/bulk", "application/x-ndjson", bodies[i])
		want(b, r, 201)
	}
}

// BenchmarkWhatIf asks for coverage with settings never computed before.
func BenchmarkWhatIf(b *testing.B) {
	s := serve(b, filepath.Join(b.TempDir(), "f.db"))
	want(b, get(b, s.url+"/v1/coverage"), 200)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		want(b, get(b, fmt.Sprintf("%s/v1/coverage?sector_km=%g&depth_km=%g", s.url, 10+float64(i)*0.1, 20+float64(i%20))), 200)
	}
}

// BenchmarkWhatIfSettings reads coverage with a required density and
// thresholds never asked before: no geometry is recomputed.
func BenchmarkWhatIfSettings(b *testing.B) {
	s := serve(b, filepath.Join(b.TempDir(), "f.db"))
	want(b, get(b, s.url+"/v1/coverage"), 200)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		want(b, get(b, fmt.Sprintf("%s/v1/coverage?required_per_km=%g&troops_ok=%g", s.url, 20+float64(i)*0.01, 0.5+float64(i%50)*0.01)), 200)
	}
}

// BenchmarkWhatIfScenario reads coverage under a scenario changed just
// before: the units are new, the zones are not.
func BenchmarkWhatIfScenario(b *testing.B) {
	s := serve(b, filepath.Join(b.TempDir(), "f.db"))
	want(b, get(b, s.url+"/v1/coverage"), 200)
	bodies := make([][]byte, b.N)
	for i := range bodies {
		bodies[i] = []byte(fmt.Sprintf(`{"units":[{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[%g,48.5]},
			"properties":{"kind":"air_defense","system":"nasams"}}]}`, 37+float64(i)*0.001))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		want(b, s.do(b, "PUT", s.url+"/v1/scenarios/opt", "application/json", bodies[i]), map[bool]int{true: 201, false: 200}[i == 0])
		b.StartTimer()
		want(b, get(b, s.url+"/v1/coverage?scenario=opt"), 200)
	}
}

// BenchmarkCompare compares the stored units with a scenario changed just
// before, with settings never asked before.
func BenchmarkCompare(b *testing.B) {
	s := serve(b, filepath.Join(b.TempDir(), "f.db"))
	want(b, get(b, s.url+"/v1/coverage"), 200)
	want(b, s.do(b, "PUT", s.url+"/v1/scenarios/opt", "application/json", []byte(`{"remove":["T-001","AD-01"]}`)), 201)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		want(b, get(b, fmt.Sprintf("%s/v1/compare?a=live&b=opt&required_per_km=%g", s.url, 30+float64(i)*0.01)), 200)
	}
}

// BenchmarkChanges compares two real days derived from DeepStateMap's
// areas (area overlay, shifts, both coverages), with settings never asked
// before, so nothing but the lines and the areas is cached.
func BenchmarkChanges(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(deepstateDir, "*.occupied.geojson"))
	if len(files) < 2 {
		b.Skipf("no DeepStateMap days in %s", deepstateDir)
	}
	s := serve(b, filepath.Join(b.TempDir(), "f.db"))
	for i, f := range files[:2] {
		body, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		want(b, s.do(b, "POST", fmt.Sprintf("%s/v1/areas?force=true&valid_from=2030-01-0%d", s.url, i+1), "application/geo+json", body), 201)
	}
	want(b, get(b, s.url+"/v1/changes?from=2030-01-01&to=2030-01-02"), 200)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		want(b, get(b, fmt.Sprintf("%s/v1/changes?from=2030-01-01&to=2030-01-02&depth_km=%g", s.url, 20+float64(i)*0.01)), 200)
	}
}

// BenchmarkHistory asks for the coverage history over a year of daily
// versions, each a different line (a real day's area moved a little each
// day), with the demo units: the first request computes every version.
func BenchmarkHistory(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(deepstateDir, "*.occupied.geojson"))
	if len(files) == 0 {
		b.Skipf("no DeepStateMap days in %s", deepstateDir)
	}
	body, err := os.ReadFile(files[0])
	if err != nil {
		b.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates [][][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		b.Fatal(err)
	}
	var ndjson bytes.Buffer
	day := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 365; i++ {
		polys := fc.Features[0].Geometry.Coordinates
		moved := make([][][][2]float64, len(polys))
		for p, poly := range polys {
			moved[p] = make([][][2]float64, len(poly))
			for r, ring := range poly {
				moved[p][r] = make([][2]float64, len(ring))
				for k, q := range ring {
					moved[p][r][k] = [2]float64{q[0] + float64(i)*2e-5, q[1]}
				}
			}
		}
		f, _ := json.Marshal(map[string]any{"type": "Feature", "properties": map[string]any{"valid_from": day.AddDate(0, 0, i).Format("2006-01-02")},
			"geometry": map[string]any{"type": "MultiPolygon", "coordinates": moved}})
		ndjson.Write(append(f, '\n'))
	}
	s := serve(b, filepath.Join(b.TempDir(), "f.db"))
	start := time.Now()
	want(b, s.do(b, "POST", s.url+"/v1/areas/bulk?force=true", "application/x-ndjson", ndjson.Bytes()), 201)
	b.Logf("imported 365 areas and derived their lines in %.1f s", time.Since(start).Seconds())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		want(b, get(b, fmt.Sprintf("%s/v1/coverage/history?from=2030-01-01&depth_km=%g", s.url, 30+float64(i)*0.01)), 200)
		first := time.Since(start)
		start = time.Now()
		want(b, get(b, fmt.Sprintf("%s/v1/coverage/history?from=2030-01-01&depth_km=%g", s.url, 30+float64(i)*0.01)), 200)
		b.ReportMetric(first.Seconds(), "s/first")
		b.ReportMetric(time.Since(start).Seconds()*1000, "ms/cached")
	}
}

// BenchmarkColdStart starts a server on a PostgreSQL database that holds
// 365 line versions and 1,000 units, until it answers /readyz, and reads
// the coverage once (cached) and again, on both stores.
func BenchmarkColdStart(b *testing.B) {
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			db := filepath.Join(b.TempDir(), "f.db")
			if store == "postgres" {
				db = pgtest.Start(b)
			}
			s := serve(b, db, "--empty")
			var nd bytes.Buffer
			for d := 0; d < 365; d++ {
				day := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)
				nd.Write(wiggle(3000, 0.7, day.Format(time.RFC3339), float64(d)*1e-3))
				nd.WriteByte('\n')
			}
			want(b, s.do(b, "POST", s.url+"/v1/frontline/bulk", "application/x-ndjson", nd.Bytes()), 201)
			var units bytes.Buffer
			units.WriteString("id,kind,lon,lat,strength\n")
			for i := 0; i < 1000; i++ {
				fmt.Fprintf(&units, "u-%04d,troops,%.5f,%.5f,%d\n", i, 30+float64(i)*0.008, 48+float64(i%7)*0.05, 100+i)
			}
			want(b, s.do(b, "POST", s.url+"/v1/units/bulk?mode=replace", "text/csv", units.Bytes()), 200)
			s.stop()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				p := serve(b, db, "--empty")
				want(b, get(b, p.url+"/readyz"), 200)
				b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/ready")
				want(b, get(b, p.url+"/v1/coverage"), 200)
				cached := time.Now()
				for k := 0; k < 100; k++ {
					want(b, get(b, p.url+"/v1/coverage"), 200)
				}
				b.ReportMetric(float64(time.Since(cached).Microseconds())/100, "µs/cached-read")
				b.StopTimer()
				p.stop()
				b.StartTimer()
			}
		})
	}
}
