package geodesic

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deepstateDir holds real front-line data shared by the project (read-only,
// never copied here); see its README.md for provenance.
const deepstateDir = "../../../shared/data/deepstate"

type geoJSONFeatures struct {
	Features []struct {
		Properties struct {
			LengthKm      float64   `json:"length_km"`
			PartLengthsKm []float64 `json:"part_lengths_km"`
		} `json:"properties"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func readFeatures(t *testing.T, path string) *geoJSONFeatures {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc geoJSONFeatures
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) == 0 {
		t.Fatalf("%s: no features", path)
	}
	return &fc
}

func lonLat(pts [][]float64) [][2]float64 {
	out := make([][2]float64, len(pts))
	for i, p := range pts {
		out[i] = [2]float64{p[0], p[1]}
	}
	return out
}

func deepstateFiles(t *testing.T, suffix string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(deepstateDir, "*"+suffix))
	if len(files) == 0 {
		t.Skipf("no %s files in %s: the shared DeepStateMap data is not available here", suffix, deepstateDir)
	}
	return files
}

// The contact lines' length_km and part_lengths_km were computed with
// GeographicLib (rounded to metres); Length must agree to 1 m per part.
func TestDeepStateContactLengths(t *testing.T) {
	for _, path := range deepstateFiles(t, ".contact.geojson") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f := readFeatures(t, path).Features[0]
			if f.Geometry.Type != "MultiLineString" {
				t.Fatalf("geometry %s, want MultiLineString", f.Geometry.Type)
			}
			var parts [][][]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &parts); err != nil {
				t.Fatal(err)
			}
			want := f.Properties.PartLengthsKm
			if len(parts) != len(want) {
				t.Fatalf("%d parts, but %d part lengths", len(parts), len(want))
			}
			var total float64
			for i, part := range parts {
				km := Length(lonLat(part)) / 1000
				total += km
				if math.Abs(km-want[i]) > 0.001 {
					t.Errorf("part %d: %.4f km, file says %.3f km", i, km, want[i])
				}
			}
			if math.Abs(total-f.Properties.LengthKm) > 0.001 {
				t.Errorf("total %.4f km, file says %.3f km", total, f.Properties.LengthKm)
			}
			t.Logf("%d parts, %.4f km (file: %.3f km)", len(parts), total, f.Properties.LengthKm)
		})
	}
}

// The occupied areas' rings against GeographicLib's areas for them, which
// are recorded (as numbers only) in the golden file.
func TestDeepStateOccupiedAreas(t *testing.T) {
	files := deepstateFiles(t, ".occupied.geojson")
	golden := map[string][]float64{}
	for _, d := range loadGolden(t).DeepState {
		golden[d.File] = d.RingAreas
	}
	for _, path := range files {
		name := filepath.Base(path)
		want, ok := golden[name]
		if !ok {
			continue // a newer file than the golden data
		}
		t.Run(strings.TrimSuffix(name, ".geojson"), func(t *testing.T) {
			var rings [][2]float64
			var got []float64
			var maxRel float64
			for _, f := range readFeatures(t, path).Features {
				var polys [][][][]float64
				if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
					t.Fatal(err)
				}
				for _, poly := range polys {
					for _, ring := range poly {
						rings = lonLat(ring)
						got = append(got, Area(rings))
					}
				}
			}
			if len(got) != len(want) {
				t.Fatalf("%d rings, golden file has %d", len(got), len(want))
			}
			for i := range got {
				diff := math.Abs(got[i] - want[i])
				if diff > 1e-6*want[i] && diff > 0.01 {
					t.Errorf("ring %d: %.3f m², GeographicLib %.3f m²", i, got[i], want[i])
				}
				if want[i] > 1e6 {
					maxRel = math.Max(maxRel, diff/want[i])
				}
			}
			t.Logf("%d rings, outer ring %.6g km², max relative error %.2g (rings over 1 km²)",
				len(got), got[0]/1e6, maxRel)
		})
	}
}
