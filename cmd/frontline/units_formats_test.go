package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// /v1/units in KML reads back through GDAL as the same units; in CSV it
// imports into another database as the same units.
func TestUnitsFormats(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	served := get(t, s.url+"/v1/units")
	want(t, served, 200)

	// KML: one placemark per unit, at its position.
	k := get(t, s.url+"/v1/units?format=kml")
	want(t, k, 200)
	if ct := k.header.Get("Content-Type"); ct != "application/vnd.google-earth.kml+xml" {
		t.Errorf("KML content type %q", ct)
	}
	if _, err := os.Stat("/usr/bin/ogr2ogr"); err == nil {
		_, args := kmlDriver(t)
		file := filepath.Join(t.TempDir(), "units.kml")
		if err := os.WriteFile(file, k.body, 0o644); err != nil {
			t.Fatal(err)
		}
		read := ogrRead(t, args, file, "units")
		want := parseCollection(t, served.body)
		if len(read.Features) != len(want.Features) {
			t.Fatalf("GDAL reads %d units from the KML, /v1/units has %d", len(read.Features), len(want.Features))
		}
		for i := range want.Features {
			a, b := flatCoords(t, want.Features[i].Geometry.Coordinates), flatCoords(t, read.Features[i].Geometry.Coordinates)
			if len(a) != len(b) || abs(a[0][0]-b[0][0]) > 1e-6 || abs(a[0][1]-b[0][1]) > 1e-6 {
				t.Fatalf("unit %d: %v in the KML, %v served", i, b[:1], a[:1])
			}
		}
	} else {
		t.Log("ogr2ogr is not installed: the KML is not read back with GDAL")
	}

	// CSV: imported into a fresh database, the units are the same.
	c := get(t, s.url+"/v1/units?format=csv")
	want(t, c, 200)
	other := serve(t, filepath.Join(t.TempDir(), "g.db"), "--empty")
	want(t, other.do(t, "POST", other.url+"/v1/units/bulk?mode=replace", "text/csv", c.body), 200)
	var a, b any
	json.Unmarshal(served.body, &a)
	json.Unmarshal(get(t, other.url+"/v1/units").body, &b)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("the units after a CSV round trip differ:\n%.400s\n%.400s", ja, jb)
	}
	want(t, get(t, s.url+"/v1/units?format=shp"), 400)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
