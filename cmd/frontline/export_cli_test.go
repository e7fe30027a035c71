package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// frontline export writes what the API serves: a KMZ equal to
// /v1/export.kmz's content, its doc.kml, and CoT events.
func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	s := serve(t, db)
	served := get(t, s.url+"/v1/export.kmz?sector_km=50")
	want(t, served, 200)
	s.stop()

	run1 := func(args ...string) (string, error) {
		var out, errs bytes.Buffer
		err := run(context.Background(), append([]string{"export", "--db", db}, args...), &out, &errs)
		return out.String(), err
	}
	kmz := filepath.Join(dir, "out.kmz")
	if _, err := run1("--format", "kmz", "--sector-km", "50", "-o", kmz); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(kmz)
	if err != nil {
		t.Fatal(err)
	}
	docOf := func(b []byte) string {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("not a zip: %v", err)
		}
		for _, f := range zr.File {
			if f.Name == "doc.kml" {
				rc, _ := f.Open()
				var buf bytes.Buffer
				buf.ReadFrom(rc)
				rc.Close()
				return buf.String()
			}
		}
		t.Fatal("no doc.kml")
		return ""
	}
	doc := docOf(b)
	if doc != docOf(served.body) {
		t.Error("the exported KMZ's document differs from /v1/export.kmz's")
	}
	kml, err := run1("--format", "kml", "--sector-km", "50")
	if err != nil {
		t.Fatal(err)
	}
	if kml != doc || !strings.Contains(kml, "<Placemark") {
		t.Errorf("--format kml is not the KMZ's doc.kml (%d bytes, %d)", len(kml), len(doc))
	}
	cot, err := run1("--format", "cot", "--stale", "30m")
	if err != nil {
		t.Fatal(err)
	}
	var events struct {
		Events []struct {
			UID   string `xml:"uid,attr"`
			Start string `xml:"start,attr"`
			Stale string `xml:"stale,attr"`
		} `xml:"event"`
	}
	if err := xml.Unmarshal([]byte(cot), &events); err != nil || len(events.Events) == 0 {
		t.Fatalf("--format cot: %v, %d events: %.200s", err, len(events.Events), cot)
	}
	if _, err := run1("--format", "shp"); err == nil || !strings.Contains(err.Error(), "kml, kmz or cot") {
		t.Errorf("--format shp: %v", err)
	}
	if _, err := run1("--format", "kml", "--stale", "5m"); err == nil {
		t.Error("--stale with kml was accepted")
	}
}
