package kmlexport

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func TestColor(t *testing.T) {
	for _, tc := range []struct {
		in      string
		opacity float64
		want    string
	}{
		{"#c62828", 0.35, "592828c6"},
		{"#c62828", 1, "ff2828c6"},
		{"#2e7d32", 0.3, "4d327d2e"},
		{"#f9a825", 0.8, "cc25a8f9"},
		{"#1565c0", 0.08, "14c06515"},
		{"#757575", 0.03, "08757575"},
		{"#b71c1c", 0.45, "731c1cb7"},
		{"#FFFFFF", 0, "00ffffff"},
		{"123456", 0.5, "80563412"},
		{"#abc", 1, "ffccbbaa"},
		{"#000000", 2, "ff000000"},
		{"#000000", -1, "00000000"},
	} {
		got, err := Color(tc.in, tc.opacity)
		if err != nil || got != tc.want {
			t.Errorf("Color(%q, %g) = %q, %v; want %q", tc.in, tc.opacity, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "#12345", "#gggggg", "red", "#1234567"} {
		if got, err := Color(bad, 1); err == nil {
			t.Errorf("Color(%q) = %q, want an error", bad, got)
		}
	}
}

// The parts of a KML document the tests read.
type kmlDoc struct {
	Document struct {
		Name    string      `xml:"name"`
		Styles  []kmlStyle  `xml:"Style"`
		Folders []kmlFolder `xml:"Folder"`
	} `xml:"Document"`
}

type kmlStyle struct {
	ID        string `xml:"id,attr"`
	LineColor string `xml:"LineStyle>color"`
	Width     string `xml:"LineStyle>width"`
	PolyColor string `xml:"PolyStyle>color"`
	Fill      string `xml:"PolyStyle>fill"`
}

type kmlFolder struct {
	Name       string         `xml:"name"`
	Placemarks []kmlPlacemark `xml:"Placemark"`
}

type kmlPlacemark struct {
	Name        string    `xml:"name"`
	Description string    `xml:"description"`
	StyleURL    string    `xml:"styleUrl"`
	Data        []kmlData `xml:"ExtendedData>Data"`
	Geometry    kmlGeom   `xml:",any"`
}

type kmlData struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value"`
}

type kmlGeom struct {
	XMLName xml.Name
	Inner   []byte `xml:",innerxml"`
}

func parse(t *testing.T, b []byte) kmlDoc {
	t.Helper()
	var d kmlDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("the KML does not parse: %v\n%s", err, b)
	}
	return d
}

// coords reads every <coordinates> of a geometry element's inner XML.
func coords(t *testing.T, inner []byte) [][]orb.Point {
	t.Helper()
	var out [][]orb.Point
	dec := xml.NewDecoder(bytes.NewReader(inner))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "coordinates" {
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				t.Fatal(err)
			}
			var pts []orb.Point
			for _, tuple := range strings.Fields(s) {
				parts := strings.Split(tuple, ",")
				x, err1 := strconv.ParseFloat(parts[0], 64)
				y, err2 := strconv.ParseFloat(parts[1], 64)
				if err1 != nil || err2 != nil {
					t.Fatalf("bad tuple %q", tuple)
				}
				pts = append(pts, orb.Point{x, y})
			}
			out = append(out, pts)
		}
	}
}

func sample() *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	line := geojson.NewFeature(orb.LineString{{37.1234567, 48.7654321}, {37.2, 48.8}})
	line.ID = "S001"
	line.Properties = geojson.Properties{"id": "S001", "status": "gap", "troops_ratio": 0.25,
		"air_defense_covered_fraction": 0.5, "patrol_covered_fraction": 0.000001, "length_km": 25.123456,
		"stroke": "#c62828", "stroke-width": 4, "stroke-opacity": 1, "line_version": 3}
	fc.Append(line)
	ring := orb.Ring{{30, 48}, {30.000001, 48}, {30.000001, 48.000001}, {30, 48}}
	zone := geojson.NewFeature(orb.MultiPolygon{{ring}, {{{31, 49}, {31.5, 49}, {31.5, 49.5}, {31, 49}}}})
	zone.ID = "S002"
	zone.Properties = geojson.Properties{"id": "S002", "status": "ok", "stroke": "#2e7d32", "stroke-width": 1,
		"stroke-opacity": 0.8, "fill": "#2e7d32", "fill-opacity": 0.3, "note": "<b>&</b>", "nothing": nil}
	fc.Append(zone)
	ad := geojson.NewFeature(orb.Polygon{ring})
	ad.ID = "AD-1"
	ad.Properties = geojson.Properties{"name": "Battery one", "system": "nasams", "range_km": 30.0,
		"stroke": "#1565c0", "stroke-width": 2, "fill": "#1565c0", "fill-opacity": 0.08}
	fc.Append(ad)
	gap := geojson.NewFeature(orb.MultiLineString{{{35, 47}, {35.1, 47.1}}, {{35.2, 47.2}, {35.3, 47.3}}})
	gap.Properties = geojson.Properties{"gap": "patrol", "sector": "S009", "stroke": "#c62828", "stroke-width": 4,
		"stroke-opacity": 1}
	fc.Append(gap)
	post := geojson.NewFeature(orb.Point{36.000001, 46.999999})
	post.ID = 7
	post.Properties = geojson.Properties{"kind": "troops", "strength": 1280}
	fc.Append(post)
	return fc
}

// A small collection written and read back: a placemark per feature, in
// order, named, styled by a shared style that exists, its properties as
// data, its coordinates to the micro-degree.
func TestEncodeRoundTrip(t *testing.T) {
	fc := sample()
	empty := geojson.NewFeatureCollection()
	var b bytes.Buffer
	if err := Encode(&b, "test doc", Layer{"things", fc}, Layer{"nothing", empty}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte(xml.Header)) || !bytes.Contains(b.Bytes(), []byte(`xmlns="http://www.opengis.net/kml/2.2"`)) {
		t.Errorf("not a KML 2.2 document: %.200s", b.Bytes())
	}
	d := parse(t, b.Bytes())
	if d.Document.Name != "test doc" || len(d.Document.Folders) != 2 ||
		d.Document.Folders[0].Name != "things" || d.Document.Folders[1].Name != "nothing" {
		t.Fatalf("document %q with folders %+v", d.Document.Name, d.Document.Folders)
	}
	if n := len(d.Document.Folders[1].Placemarks); n != 0 {
		t.Errorf("the empty layer has %d placemarks", n)
	}
	pms := d.Document.Folders[0].Placemarks
	if len(pms) != len(fc.Features) {
		t.Fatalf("%d placemarks for %d features", len(pms), len(fc.Features))
	}
	styles := map[string]kmlStyle{}
	for _, s := range d.Document.Styles {
		styles[s.ID] = s
	}
	// Two features share the red line style.
	if len(styles) != 4 || len(d.Document.Styles) != 4 {
		t.Errorf("%d styles, want 4 distinct ones: %+v", len(d.Document.Styles), d.Document.Styles)
	}
	wantNames := []string{"S001", "S002", "Battery one", "S009", "7"}
	wantGeom := []string{"LineString", "MultiGeometry", "Polygon", "MultiGeometry", "Point"}
	for i, pm := range pms {
		f := fc.Features[i]
		if pm.Name != wantNames[i] {
			t.Errorf("placemark %d named %q, want %q", i, pm.Name, wantNames[i])
		}
		_, ok := styles[strings.TrimPrefix(pm.StyleURL, "#")]
		if !strings.HasPrefix(pm.StyleURL, "#") || !ok {
			t.Errorf("placemark %d: styleUrl %q resolves to no style", i, pm.StyleURL)
		}
		if pm.Geometry.XMLName.Local != wantGeom[i] {
			t.Errorf("placemark %d: geometry %s, want %s", i, pm.Geometry.XMLName.Local, wantGeom[i])
		}
		// The coordinates, to 1e-6 degrees, part by part.
		var want [][]orb.Point
		switch g := f.Geometry.(type) {
		case orb.Point:
			want = [][]orb.Point{{g}}
		case orb.LineString:
			want = [][]orb.Point{g}
		case orb.MultiLineString:
			for _, ls := range g {
				want = append(want, ls)
			}
		case orb.Polygon:
			for _, r := range g {
				want = append(want, r)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				for _, r := range p {
					want = append(want, r)
				}
			}
		}
		got := coords(t, pm.Geometry.Inner)
		if len(got) != len(want) {
			t.Fatalf("placemark %d: %d coordinate lists, want %d", i, len(got), len(want))
		}
		for j := range want {
			if len(got[j]) != len(want[j]) {
				t.Fatalf("placemark %d part %d: %d points, want %d", i, j, len(got[j]), len(want[j]))
			}
			for k := range want[j] {
				if math.Abs(got[j][k][0]-want[j][k][0]) > 1e-9 || math.Abs(got[j][k][1]-want[j][k][1]) > 1e-9 {
					t.Errorf("placemark %d part %d point %d: %v, want %v", i, j, k, got[j][k], want[j][k])
				}
			}
		}
		// The data are the properties but the style and the nulls.
		data := map[string]string{}
		for _, d := range pm.Data {
			data[d.Name] = d.Value
		}
		for k, v := range f.Properties {
			_, has := data[k]
			switch {
			case strings.HasPrefix(k, "stroke") || strings.HasPrefix(k, "fill"):
				if has {
					t.Errorf("placemark %d: style property %s written as data", i, k)
				}
			case v == nil:
				if has {
					t.Errorf("placemark %d: null %s written", i, k)
				}
			case data[k] != text(v):
				t.Errorf("placemark %d: data %s = %q, want %q", i, k, data[k], text(v))
			}
			if !has {
				continue
			}
			if !strings.Contains(pm.Description, "<th align=\"left\">"+strings.ReplaceAll(k, "_", " ")+"</th>") {
				t.Errorf("placemark %d: description lacks %s: %s", i, k, pm.Description)
			}
		}
	}

	// The styles: colours converted, widths kept, fill only where given.
	red := styles[strings.TrimPrefix(pms[0].StyleURL, "#")]
	if red.LineColor != "ff2828c6" || red.Width != "4" || red.Fill != "0" || red.PolyColor != "" {
		t.Errorf("gap line style %+v", red)
	}
	if pms[3].StyleURL != pms[0].StyleURL {
		t.Errorf("the same stroke has two styles: %s and %s", pms[0].StyleURL, pms[3].StyleURL)
	}
	green := styles[strings.TrimPrefix(pms[1].StyleURL, "#")]
	if green.LineColor != "cc327d2e" || green.Width != "1" || green.PolyColor != "4d327d2e" || green.Fill != "1" {
		t.Errorf("zone style %+v", green)
	}
	plain := styles[strings.TrimPrefix(pms[4].StyleURL, "#")]
	if plain.LineColor != "ff555555" || plain.Width != "2" || plain.Fill != "0" {
		t.Errorf("default style %+v", plain)
	}
	// Markup in a property is text in the balloon, not markup.
	if !strings.Contains(pms[1].Description, "&lt;b&gt;&amp;&lt;/b&gt;") {
		t.Errorf("description %q", pms[1].Description)
	}
	// Figures in full, no exponents.
	if !strings.Contains(pms[0].Description, "<td>0.000001</td>") {
		t.Errorf("description %q", pms[0].Description)
	}
}

// The same document, byte for byte, every time: ETags depend on it.
func TestEncodeDeterministic(t *testing.T) {
	var first []byte
	for i := 0; i < 10; i++ {
		var b bytes.Buffer
		if err := Encode(&b, "d", Layer{"a", sample()}); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b.Bytes()
		} else if !bytes.Equal(first, b.Bytes()) {
			t.Fatal("two encodings of the same collection differ")
		}
	}
}

// A KMZ is a zip whose doc.kml holds every layer.
func TestKMZ(t *testing.T) {
	var b bytes.Buffer
	if err := KMZ(&b, "all", Layer{"one", sample()}, Layer{"two", geojson.NewFeatureCollection()}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != "doc.kml" {
		t.Fatalf("files %v", zr.File)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(rc)
	rc.Close()
	d := parse(t, body)
	if len(d.Document.Folders) != 2 || len(d.Document.Folders[0].Placemarks) != 5 {
		t.Errorf("doc.kml: %+v", d.Document.Folders)
	}
	var direct bytes.Buffer
	if err := Encode(&direct, "all", Layer{"one", sample()}, Layer{"two", geojson.NewFeatureCollection()}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, direct.Bytes()) {
		t.Error("doc.kml differs from the KML of the same layers")
	}
}

// Empty geometries are placemarks without geometry; unknown ones fail.
func TestGeometryEdges(t *testing.T) {
	fc := geojson.NewFeatureCollection()
	fc.Append(geojson.NewFeature(orb.MultiPolygon{}))
	fc.Append(geojson.NewFeature(orb.Collection{orb.Point{1, 2}, orb.LineString{{1, 2}, {3, 4}}}))
	fc.Append(&geojson.Feature{Type: "Feature", Properties: geojson.Properties{"name": "no geometry"}})
	var b bytes.Buffer
	if err := Encode(&b, "d", Layer{"a", fc}); err != nil {
		t.Fatal(err)
	}
	pms := parse(t, b.Bytes()).Document.Folders[0].Placemarks
	if len(pms) != 3 || pms[0].Geometry.XMLName.Local != "" || pms[1].Geometry.XMLName.Local != "MultiGeometry" ||
		pms[2].Name != "no geometry" {
		t.Errorf("placemarks %+v", pms)
	}
	if err := Encode(io.Discard, "d", Layer{"a", nil}); err != nil {
		t.Errorf("a nil collection: %v", err)
	}
}
