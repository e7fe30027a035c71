package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The KML exports (SPEC 12) read by GDAL, an independent KML reader:
// every overlay's placemarks are the GeoJSON overlay's features, named,
// with their properties as fields, their coordinates to the micro-degree
// and their status colours; the KMZ holds every overlay.

var kmlOverlays = []string{"sectors", "zones", "air-defense", "gaps"}

// kmlDriver is the GDAL driver the KML is read with: LIBKML (which reads
// ExtendedData as fields, empty folders as layers and KMZ) when GDAL has
// it, else the plain KML driver. The arguments make ogrinfo and ogr2ogr
// use it.
func kmlDriver(t *testing.T) (string, []string) {
	t.Helper()
	formats := gdal(t, "ogrinfo", "--formats")
	if strings.Contains(formats, "LIBKML") {
		return "LIBKML", []string{"--config", "GDAL_SKIP", "KML"}
	}
	t.Logf("GDAL has no LIBKML driver: reading with the KML driver, without ExtendedData fields, empty layers or KMZ")
	return "KML", []string{"--config", "GDAL_SKIP", "LIBKML"}
}

// geoJSONFeature is a feature as GeoJSON, from the server or from GDAL.
type geoJSONFeature struct {
	ID         any            `json:"id"`
	Properties map[string]any `json:"properties"`
	Geometry   struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

type geoJSONCollection struct {
	Features []geoJSONFeature `json:"features"`
}

func parseCollection(t *testing.T, b []byte) geoJSONCollection {
	t.Helper()
	var fc geoJSONCollection
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("not a FeatureCollection: %v: %.200s", err, b)
	}
	return fc
}

// flatCoords is every position of a geometry's coordinates, in order.
func flatCoords(t *testing.T, raw json.RawMessage) [][2]float64 {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var out [][2]float64
	var walk func(v any)
	walk = func(v any) {
		a, ok := v.([]any)
		if !ok {
			return
		}
		if len(a) >= 2 {
			if x, ok := a[0].(float64); ok {
				out = append(out, [2]float64{x, a[1].(float64)})
				return
			}
		}
		for _, e := range a {
			walk(e)
		}
	}
	walk(v)
	return out
}

// placemarkName is the name a placemark must have: the feature's name,
// else its id, else its sector.
func placemarkName(f geoJSONFeature) string {
	for _, v := range []any{f.Properties["name"], f.ID, f.Properties["id"], f.Properties["sector"]} {
		switch v := v.(type) {
		case string:
			if v != "" {
				return v
			}
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}

// simplestyle are the style properties, which are styles in KML, not
// fields; ogrFields are the fields LIBKML has of its own, which a
// property of the same name does not get.
var (
	simplestyle = []string{"stroke", "stroke-width", "stroke-opacity", "fill", "fill-opacity"}
	ogrFields   = []string{"name", "description", "timestamp", "begin", "end", "altitudemode", "tessellate",
		"extrude", "visibility", "draworder", "icon", "snippet"}
)

// ogrRead copies a KML's layer to GeoJSON with GDAL and reads it.
func ogrRead(t *testing.T, driverArgs []string, file, layer string) geoJSONCollection {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.geojson")
	gdal(t, "ogr2ogr", append(slices.Clone(driverArgs), "-f", "GeoJSON", out, file, layer)...)
	return parseCollection(t, readFile(t, out))
}

// compareFeatures checks GDAL's reading of a KML layer against the
// GeoJSON overlay it was made from.
func compareFeatures(t *testing.T, driver string, served, read geoJSONCollection) {
	t.Helper()
	if len(read.Features) != len(served.Features) {
		t.Fatalf("GDAL reads %d placemarks, the GeoJSON overlay has %d features", len(read.Features), len(served.Features))
	}
	for i, f := range served.Features {
		g := read.Features[i]
		name := placemarkName(f)
		if name == "" || g.Properties["Name"] != name {
			t.Errorf("feature %d: GDAL reads the name %v, want %q", i, g.Properties["Name"], name)
		}
		want, got := flatCoords(t, f.Geometry.Coordinates), flatCoords(t, g.Geometry.Coordinates)
		if len(got) != len(want) {
			t.Errorf("feature %s: %d positions read, %d served", name, len(got), len(want))
			continue
		}
		for k := range want {
			if math.Abs(got[k][0]-want[k][0]) > 1e-6 || math.Abs(got[k][1]-want[k][1]) > 1e-6 {
				t.Errorf("feature %s, position %d: read %v, served %v", name, k, got[k], want[k])
				break
			}
		}
		if driver != "LIBKML" {
			continue
		}
		// The properties are fields (as text), the style ones excepted.
		for k, v := range f.Properties {
			if v == nil || slices.Contains(simplestyle, k) || slices.Contains(ogrFields, strings.ToLower(k)) {
				continue
			}
			s, ok := g.Properties[k].(string)
			if !ok {
				t.Errorf("feature %s: no field %s (fields %v)", name, k, g.Properties)
				continue
			}
			switch v := v.(type) {
			case string:
				if s != v {
					t.Errorf("feature %s: %s = %q, served %q", name, k, s, v)
				}
			case float64:
				if x, err := strconv.ParseFloat(s, 64); err != nil || x != v {
					t.Errorf("feature %s: %s = %q, served %v", name, k, s, v)
				}
			case bool:
				if s != strconv.FormatBool(v) {
					t.Errorf("feature %s: %s = %q, served %v", name, k, s, v)
				}
			}
		}
	}
}

// The parts of a KML document the tests read themselves.
type kmlDocument struct {
	Document struct {
		Styles []struct {
			ID        string `xml:"id,attr"`
			LineColor string `xml:"LineStyle>color"`
			Width     string `xml:"LineStyle>width"`
			PolyColor string `xml:"PolyStyle>color"`
			Fill      string `xml:"PolyStyle>fill"`
		} `xml:"Style"`
		Folders []struct {
			Name       string `xml:"name"`
			Placemarks []struct {
				Name     string `xml:"name"`
				StyleURL string `xml:"styleUrl"`
				Data     []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value"`
				} `xml:"ExtendedData>Data"`
			} `xml:"Placemark"`
		} `xml:"Folder"`
	} `xml:"Document"`
}

func parseKML(t *testing.T, b []byte) kmlDocument {
	t.Helper()
	var d kmlDocument
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("not KML: %v: %.200s", err, b)
	}
	return d
}

// kmlColor is a simplestyle colour and opacity as KML's aabbggrr,
// worked out here apart from the package that writes it.
func kmlColor(t *testing.T, hex string, opacity float64) string {
	t.Helper()
	if len(hex) != 7 || hex[0] != '#' {
		t.Fatalf("colour %q", hex)
	}
	h := strings.ToLower(hex[1:])
	return fmt.Sprintf("%02x%s%s%s", int(math.Round(opacity*255)), h[4:6], h[2:4], h[0:2])
}

// checkStyles checks that every placemark's style is its feature's
// simplestyle, and returns how many placemarks are coloured as a gap
// (#c62828).
func checkStyles(t *testing.T, served geoJSONCollection, body []byte) (gaps int) {
	t.Helper()
	d := parseKML(t, body)
	if len(d.Document.Folders) != 1 || len(d.Document.Folders[0].Placemarks) != len(served.Features) {
		t.Fatalf("the KML has %d folders, want one with %d placemarks", len(d.Document.Folders), len(served.Features))
	}
	styles := map[string]int{}
	for i, s := range d.Document.Styles {
		styles["#"+s.ID] = i
	}
	for i, pm := range d.Document.Folders[0].Placemarks {
		p := served.Features[i].Properties
		si, ok := styles[pm.StyleURL]
		if !ok {
			t.Errorf("placemark %s: styleUrl %q names no style", pm.Name, pm.StyleURL)
			continue
		}
		st := d.Document.Styles[si]
		op := func(name string) float64 {
			if v, ok := p[name].(float64); ok {
				return v
			}
			if name == "fill-opacity" {
				return 0.6
			}
			return 1
		}
		stroke, _ := p["stroke"].(string)
		if line := kmlColor(t, stroke, op("stroke-opacity")); st.LineColor != line {
			t.Errorf("placemark %s: line colour %s, want %s (%s at %g)", pm.Name, st.LineColor, line, stroke, op("stroke-opacity"))
		}
		if w := strconv.FormatFloat(p["stroke-width"].(float64), 'f', -1, 64); st.Width != w {
			t.Errorf("placemark %s: width %s, want %s", pm.Name, st.Width, w)
		}
		if fill, ok := p["fill"].(string); ok {
			if c := kmlColor(t, fill, op("fill-opacity")); st.PolyColor != c || st.Fill != "1" {
				t.Errorf("placemark %s: fill %s (%s), want %s", pm.Name, st.PolyColor, st.Fill, c)
			}
		} else if st.Fill != "0" {
			t.Errorf("placemark %s: filled, with no fill", pm.Name)
		}
		if stroke == "#c62828" {
			if !strings.HasSuffix(st.LineColor, "2828c6") {
				t.Errorf("placemark %s: a gap coloured %s", pm.Name, st.LineColor)
			}
			gaps++
		}
	}
	return gaps
}

// TestKMLOverlays reads every overlay as KML with GDAL, for the default
// settings and for other ones under a scenario, and compares it with the
// GeoJSON overlay.
func TestKMLOverlays(t *testing.T) {
	gdal(t, "ogrinfo", "--version")
	driver, driverArgs := kmlDriver(t)
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	want(t, s.do(t, "PUT", s.url+"/v1/scenarios/kml-battery", "application/json", []byte(
		`{"units":[{"type":"Feature","id":"AD-KML","geometry":{"type":"Point","coordinates":[37.612345,48.623456]},`+
			`"properties":{"kind":"air_defense","system":"nasams","name":"Test battery"}}]}`)), 201)

	for _, query := range []string{"", "sector_km=50&scenario=kml-battery"} {
		gapColoured := 0
		for _, name := range kmlOverlays {
			t.Run(name+"?"+query, func(t *testing.T) {
				geo := get(t, s.url+"/v1/overlays/"+name+"?"+query)
				want(t, geo, 200)
				served := parseCollection(t, geo.body)
				if len(served.Features) == 0 {
					t.Fatal("an empty overlay")
				}
				k := get(t, s.url+"/v1/overlays/"+name+"?"+query+"&format=kml")
				want(t, k, 200)
				if ct := k.header.Get("Content-Type"); ct != "application/vnd.google-earth.kml+xml" {
					t.Errorf("Content-Type %q", ct)
				}
				file := filepath.Join(t.TempDir(), name+".kml")
				if err := os.WriteFile(file, k.body, 0o644); err != nil {
					t.Fatal(err)
				}
				info := gdal(t, "ogrinfo", append(slices.Clone(driverArgs), "-ro", "-al", "-so", file)...)
				if !strings.Contains(info, "using driver `"+driver+"'") {
					t.Errorf("not read with %s:\n%.300s", driver, info)
				}
				got := layerCounts(t, info)
				if len(got) != 1 || got[name] != len(served.Features) {
					t.Errorf("GDAL reads layers %v, want %s with %d features", got, name, len(served.Features))
				}
				t.Logf("GDAL (%s) reads layer %s: %d placemarks", driver, name, got[name])
				compareFeatures(t, driver, served, ogrRead(t, driverArgs, file, name))
				gapColoured += checkStyles(t, served, k.body)

				if name == "air-defense" && strings.Contains(query, "kml-battery") {
					if !bytes.Contains(k.body, []byte("<name>Test battery</name>")) {
						t.Error("the scenario's battery is not named in the KML")
					}
				}
				// Its own ETag; revalidation and gzip as for GeoJSON.
				etag := k.header.Get("ETag")
				if etag == "" || etag == geo.header.Get("ETag") {
					t.Errorf("ETag %q (GeoJSON %q)", etag, geo.header.Get("ETag"))
				}
				want(t, get(t, s.url+"/v1/overlays/"+name+"?"+query+"&format=kml", "If-None-Match", etag), 304)
				if gz := get(t, s.url+"/v1/overlays/"+name+"?"+query+"&format=kml", "Accept-Encoding", "gzip"); gz.header.Get("Content-Encoding") != "gzip" {
					t.Error("the KML is not gzipped")
				}
				// format=geojson is the default.
				if g := get(t, s.url+"/v1/overlays/"+name+"?"+query+"&format=geojson"); !bytes.Equal(g.body, geo.body) {
					t.Error("format=geojson differs from the default")
				}
			})
		}
		if gapColoured == 0 {
			t.Errorf("?%s: no placemark coloured as a gap in any overlay", query)
		}
	}

	// Refused: other formats, listing the ones there are.
	for _, path := range []string{"/v1/overlays/zones?format=shp", "/v1/overlays/changes?format=shp&from=1&to=1", "/v1/overlays/gaps?format=KML"} {
		r := get(t, s.url+path)
		want(t, r, 400)
		msg := string(r.body)
		if !strings.Contains(msg, "bad_parameter") || !strings.Contains(msg, "geojson") || !strings.Contains(msg, "kml") {
			t.Errorf("%s: %s", path, r.body)
		}
	}
}

// TestKMLExportKMZ downloads every overlay as one KMZ: a zip with
// doc.kml, a folder per overlay with the overlay's features, which GDAL
// opens as layers.
func TestKMLExportKMZ(t *testing.T) {
	gdal(t, "ogrinfo", "--version")
	driver, driverArgs := kmlDriver(t)
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db)
	want(t, s.do(t, "PUT", s.url+"/v1/scenarios/nobody", "application/json", []byte(`{"base":"empty","units":[]}`)), 201)

	for _, query := range []string{"", "sector_km=50", "scenario=nobody", "bbox=-10,-10,-9,-9"} {
		t.Run("?"+query, func(t *testing.T) {
			r := get(t, s.url+"/v1/export.kmz?"+query)
			want(t, r, 200)
			if ct := r.header.Get("Content-Type"); ct != "application/vnd.google-earth.kmz" {
				t.Errorf("Content-Type %q", ct)
			}
			if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "frontline.kmz") {
				t.Errorf("Content-Disposition %q", cd)
			}
			zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
			if err != nil {
				t.Fatalf("not a zip: %v", err)
			}
			if len(zr.File) != 1 || zr.File[0].Name != "doc.kml" {
				t.Fatalf("the KMZ holds %v, want doc.kml", zr.File)
			}
			rc, err := zr.File[0].Open()
			if err != nil {
				t.Fatal(err)
			}
			var doc bytes.Buffer
			if _, err := doc.ReadFrom(rc); err != nil {
				t.Fatal(err)
			}
			rc.Close()
			d := parseKML(t, doc.Bytes())
			counts := map[string]int{}
			var folders []string
			for _, f := range d.Document.Folders {
				folders = append(folders, f.Name)
				counts[f.Name] = len(f.Placemarks)
			}
			if !slices.Equal(folders, kmlOverlays) {
				t.Fatalf("folders %v, want %v", folders, kmlOverlays)
			}
			for _, name := range kmlOverlays {
				served := parseCollection(t, get(t, s.url+"/v1/overlays/"+name+"?"+query).body)
				if counts[name] != len(served.Features) {
					t.Errorf("folder %s: %d placemarks, the overlay %d features", name, counts[name], len(served.Features))
				}
			}
			switch query {
			case "scenario=nobody":
				if counts["sectors"] == 0 || counts["zones"] == 0 || counts["air-defense"] != 0 {
					t.Errorf("a scenario with no units: %v", counts)
				}
			case "bbox=-10,-10,-9,-9":
				for name, n := range counts {
					if n != 0 {
						t.Errorf("a box far from the line: %d in %s", n, name)
					}
				}
			}

			// GDAL opens the KMZ itself with LIBKML, the doc.kml with KML.
			file := filepath.Join(t.TempDir(), "frontline.kmz")
			if driver != "LIBKML" {
				file = filepath.Join(t.TempDir(), "doc.kml")
				if err := os.WriteFile(file, doc.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(file, r.body, 0o644); err != nil {
				t.Fatal(err)
			}
			got := layerCounts(t, gdal(t, "ogrinfo", append(slices.Clone(driverArgs), "-ro", "-al", "-so", file)...))
			t.Logf("GDAL (%s) reads %s: layers %v", driver, filepath.Base(file), got)
			for _, name := range kmlOverlays {
				n, ok := got[name]
				// The KML driver does not list empty folders.
				if (!ok && (driver == "LIBKML" || counts[name] > 0)) || n != counts[name] {
					t.Errorf("GDAL (%s) reads layers %v, want %v", driver, got, counts)
					break
				}
			}

			etag := r.header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			want(t, get(t, s.url+"/v1/export.kmz?"+query, "If-None-Match", etag), 304)
		})
	}
	r := get(t, s.url+"/v1/export.kmz?format=kml")
	want(t, r, 400)
	if !bytes.Contains(r.body, []byte("bad_parameter")) {
		t.Errorf("an unknown parameter: %s", r.body)
	}
	want(t, get(t, s.url+"/v1/export.kmz?scenario=nope"), 404)
	if r := get(t, s.url+"/v1/export.kmz?sector_km=-1"); r.status != 400 || r.header.Get("Content-Disposition") != "" {
		t.Errorf("a bad setting: %d, Content-Disposition %q", r.status, r.header.Get("Content-Disposition"))
	}
	s.stop()

	// It shows where the units are: a read key when they are protected.
	s = serve(t, db, "--protect-units")
	want(t, get(t, s.url+"/v1/export.kmz"), 401)
	want(t, get(t, s.url+"/v1/export.kmz", "Authorization", "Bearer "+makeKey(t, db, "read")), 200)
	want(t, get(t, s.url+"/v1/overlays/sectors?format=kml"), 200)
}

// TestKMLChangesOverlay: the areas that changed hands between two real
// days, as KML, read by GDAL.
func TestKMLChangesOverlay(t *testing.T) {
	days := deepstateDays(t)
	if len(days) < 2 {
		t.Skip("fewer than two DeepStateMap days")
	}
	gdal(t, "ogrinfo", "--version")
	driver, driverArgs := kmlDriver(t)
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for _, day := range days[:2] {
		want(t, s.do(t, "POST", s.url+"/v1/areas?border=none&force=true&valid_from="+day, "application/geo+json", readDay(t, day, "occupied")), 201)
	}
	path := fmt.Sprintf("/v1/overlays/changes?from=%s&to=%s", days[0], days[1])
	geo := get(t, s.url+path)
	want(t, geo, 200)
	served := parseCollection(t, geo.body)
	if len(served.Features) == 0 {
		t.Fatal("no changes")
	}
	k := get(t, s.url+path+"&format=kml")
	want(t, k, 200)
	if ct := k.header.Get("Content-Type"); ct != "application/vnd.google-earth.kml+xml" {
		t.Errorf("Content-Type %q", ct)
	}
	file := filepath.Join(t.TempDir(), "changes.kml")
	if err := os.WriteFile(file, k.body, 0o644); err != nil {
		t.Fatal(err)
	}
	compareFeatures(t, driver, served, ogrRead(t, driverArgs, file, "changes"))
	checkStyles(t, served, k.body)
	want(t, get(t, s.url+path+"&format=kml", "If-None-Match", k.header.Get("ETag")), 304)
}
