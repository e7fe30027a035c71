package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The CoT answer as a client decodes it, with structs of its own (not
// the encoder's), so that the test checks the schema rather than the
// encoder agreeing with itself.
type cotDoc struct {
	XMLName xml.Name   `xml:"events"`
	Events  []cotEvent `xml:"event"`
}

type cotEvent struct {
	Version string `xml:"version,attr"`
	UID     string `xml:"uid,attr"`
	Type    string `xml:"type,attr"`
	Time    string `xml:"time,attr"`
	Start   string `xml:"start,attr"`
	Stale   string `xml:"stale,attr"`
	How     string `xml:"how,attr"`
	Point   struct {
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"point"`
	Detail struct {
		Links []struct {
			Point string `xml:"point,attr"`
		} `xml:"link"`
		Ellipse *struct {
			Major float64 `xml:"major,attr"`
			Minor float64 `xml:"minor,attr"`
			Angle float64 `xml:"angle,attr"`
		} `xml:"shape>ellipse"`
		StrokeColor *struct {
			Value string `xml:"value,attr"`
		} `xml:"strokeColor"`
		FillColor *struct {
			Value string `xml:"value,attr"`
		} `xml:"fillColor"`
		Contact *struct {
			Callsign string `xml:"callsign,attr"`
		} `xml:"contact"`
		Remarks string `xml:"remarks"`
	} `xml:"detail"`

	// Read by check.
	start, stale time.Time
	lat, lon     float64
	links        [][2]float64 // lon, lat
}

var (
	cotTypeRe = regexp.MustCompile(`^[a-z](-[A-Za-z0-9]+)*$`)
	cotTimeRe = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
)

// check validates an event against the CoT 2.0 event schema (required
// attributes and their forms) and reads its times, point and links.
func (e *cotEvent) check() error {
	if e.Version != "2.0" || e.UID == "" || !cotTypeRe.MatchString(e.Type) || e.How == "" {
		return fmt.Errorf("version %q uid %q type %q how %q", e.Version, e.UID, e.Type, e.How)
	}
	var times [3]time.Time
	for i, s := range []string{e.Time, e.Start, e.Stale} {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil || !cotTimeRe.MatchString(s) {
			return fmt.Errorf("time %q is not RFC 3339 UTC with milliseconds", s)
		}
		times[i] = t
	}
	if !times[2].After(times[1]) || times[0].After(times[1]) {
		return fmt.Errorf("time %s start %s stale %s", e.Time, e.Start, e.Stale)
	}
	e.start, e.stale = times[1], times[2]
	got := map[string]float64{}
	for _, a := range e.Point.Attrs {
		v, err := strconv.ParseFloat(a.Value, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("point %s=%q", a.Name.Local, a.Value)
		}
		got[a.Name.Local] = v
	}
	for _, n := range []string{"lat", "lon", "hae", "ce", "le"} {
		if _, ok := got[n]; !ok {
			return fmt.Errorf("point without %s", n)
		}
	}
	e.lat, e.lon = got["lat"], got["lon"]
	if e.lat < -90 || e.lat > 90 || e.lon < -180 || e.lon > 180 {
		return fmt.Errorf("point %v,%v out of range", e.lat, e.lon)
	}
	for _, l := range e.Detail.Links {
		var lat, lon float64
		if n, err := fmt.Sscanf(l.Point, "%g,%g", &lat, &lon); n != 2 || err != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return fmt.Errorf("link point %q", l.Point)
		}
		e.links = append(e.links, [2]float64{lon, lat})
	}
	for _, c := range []*struct {
		Value string `xml:"value,attr"`
	}{e.Detail.StrokeColor, e.Detail.FillColor} {
		if c == nil {
			continue
		}
		if _, err := strconv.ParseInt(c.Value, 10, 32); err != nil {
			return fmt.Errorf("colour %q is not a signed 32-bit integer", c.Value)
		}
	}
	switch {
	case e.Type == "u-d-c-c" && (e.Detail.Ellipse == nil || e.Detail.Ellipse.Major <= 0 || e.Detail.Ellipse.Minor != e.Detail.Ellipse.Major):
		return fmt.Errorf("circle with ellipse %+v", e.Detail.Ellipse)
	case e.Type == "u-d-f" && len(e.links) < 2:
		return fmt.Errorf("drawing of %d links", len(e.links))
	}
	return nil
}

// getCoT reads and checks a CoT answer in either format.
func getCoT(t *testing.T, url string) []*cotEvent {
	t.Helper()
	r := get(t, url)
	want(t, r, 200)
	var events []*cotEvent
	if strings.Contains(url, "format=stream") {
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("stream Content-Type %q", ct)
		}
		sc := bufio.NewScanner(bytes.NewReader(r.body))
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			e := &cotEvent{}
			if err := xml.Unmarshal(sc.Bytes(), e); err != nil {
				t.Fatalf("stream line %d: %v: %.200s", len(events)+1, err, sc.Bytes())
			}
			events = append(events, e)
		}
	} else {
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
			t.Errorf("Content-Type %q", ct)
		}
		var doc cotDoc
		if err := xml.Unmarshal(r.body, &doc); err != nil {
			t.Fatalf("not an <events> document: %v: %.300s", err, r.body)
		}
		for i := range doc.Events {
			events = append(events, &doc.Events[i])
		}
	}
	if len(events) == 0 {
		t.Fatal("no events")
	}
	for _, e := range events {
		if err := e.check(); err != nil {
			t.Fatalf("event %s: %v", e.UID, err)
		}
	}
	return events
}

// byKind sorts events by the kind their uid names (sector, ring, unit,
// route) after the prefix.
func byKind(t *testing.T, events []*cotEvent, prefix string) map[string]map[string]*cotEvent {
	t.Helper()
	m := map[string]map[string]*cotEvent{}
	for _, e := range events {
		rest, ok := strings.CutPrefix(e.UID, prefix+"-")
		if !ok {
			t.Fatalf("uid %q does not start with %s-", e.UID, prefix)
		}
		kind, id, _ := strings.Cut(rest, "-")
		if m[kind] == nil {
			m[kind] = map[string]*cotEvent{}
		}
		if m[kind][id] != nil {
			t.Fatalf("uid %s twice", e.UID)
		}
		m[kind][id] = e
	}
	return m
}

type geoFeature struct {
	ID       any `json:"id"`
	Geometry struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

func features(t *testing.T, url string) []geoFeature {
	t.Helper()
	r := get(t, url)
	want(t, r, 200)
	var fc struct {
		Features []geoFeature `json:"features"`
	}
	if err := json.Unmarshal(r.body, &fc); err != nil {
		t.Fatal(err)
	}
	return fc.Features
}

// outerRings are the outer rings of a Polygon or MultiPolygon.
func outerRings(t *testing.T, f geoFeature) [][][2]float64 {
	t.Helper()
	switch f.Geometry.Type {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
			t.Fatal(err)
		}
		return [][][2]float64{p[0]}
	case "MultiPolygon":
		var mp [][][][2]float64
		if err := json.Unmarshal(f.Geometry.Coordinates, &mp); err != nil {
			t.Fatal(err)
		}
		var rings [][][2]float64
		for _, p := range mp {
			rings = append(rings, p[0])
		}
		return rings
	}
	t.Fatalf("zone %v is a %s", f.ID, f.Geometry.Type)
	return nil
}

// argb is an overlay's colour and opacity as TAK's signed ARGB integer.
func argb(t *testing.T, hex string, opacity float64) string {
	t.Helper()
	rgb, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil || len(hex) != 7 {
		t.Fatalf("colour %q", hex)
	}
	return strconv.Itoa(int(int32(uint32(math.Round(opacity*255))<<24 | uint32(rgb))))
}

func near(a, b [2]float64) bool { return math.Abs(a[0]-b[0]) <= 1e-6 && math.Abs(a[1]-b[1]) <= 1e-6 }

// TestCoT: GET /v1/cot is valid CoT with an event for every zone part,
// range ring and unit of the GeoJSON reads, at their coordinates, in the
// overlays' colours, stale after the asked time.
func TestCoT(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	before := time.Now().Add(-time.Second)
	events := getCoT(t, s.url+"/v1/cot")
	kinds := byKind(t, events, "frontline")
	for _, e := range events {
		if d := e.stale.Sub(e.start); d != 10*time.Minute {
			t.Fatalf("event %s: stale - start = %v, want 10m", e.UID, d)
		}
		if e.start.Before(before) || e.start.After(time.Now().Add(time.Second)) {
			t.Fatalf("event %s starts at %v, not now", e.UID, e.start)
		}
	}

	// Sectors: one event per part of each zone, its links the part's
	// outer ring, in the zone's colours.
	zones := features(t, s.url+"/v1/overlays/zones")
	parts := 0
	for _, z := range zones {
		id := z.ID.(string)
		rings := outerRings(t, z)
		parts += len(rings)
		for k, ring := range rings {
			key := id
			if len(rings) > 1 {
				key = fmt.Sprintf("%s-%d", id, k+1)
			}
			e := kinds["sector"][key]
			if e == nil {
				t.Fatalf("no event frontline-sector-%s", key)
			}
			if e.Type != "u-d-f" || len(e.links) != len(ring) || !near(e.links[0], e.links[len(e.links)-1]) {
				t.Fatalf("sector %s: type %s, %d links for a ring of %d", key, e.Type, len(e.links), len(ring))
			}
			for i := range ring {
				if !near(e.links[i], ring[i]) {
					t.Fatalf("sector %s link %d: %v, zone vertex %v", key, i, e.links[i], ring[i])
				}
			}
			p := z.Properties
			stroke, fill := argb(t, p["stroke"].(string), p["stroke-opacity"].(float64)), argb(t, p["fill"].(string), p["fill-opacity"].(float64))
			if e.Detail.StrokeColor == nil || e.Detail.StrokeColor.Value != stroke || e.Detail.FillColor == nil || e.Detail.FillColor.Value != fill {
				t.Fatalf("sector %s (%v): colours %+v %+v, want %s %s", key, p["status"], e.Detail.StrokeColor, e.Detail.FillColor, stroke, fill)
			}
			if e.Detail.Contact == nil || !strings.HasPrefix(e.Detail.Contact.Callsign, id+" "+p["status"].(string)) ||
				!strings.Contains(e.Detail.Remarks, "Troops") {
				t.Fatalf("sector %s: contact %+v, remarks %q", key, e.Detail.Contact, e.Detail.Remarks)
			}
		}
	}
	if len(kinds["sector"]) != parts {
		t.Errorf("%d sector events, %d zone parts", len(kinds["sector"]), parts)
	}
	// The status colours are the three of the overlays, as signed ARGB.
	colours := map[string]bool{}
	for _, e := range kinds["sector"] {
		colours[e.Detail.StrokeColor.Value] = true
	}
	for c := range colours {
		if c != argb(t, "#2e7d32", 0.8) && c != argb(t, "#f9a825", 0.8) && c != argb(t, "#c62828", 0.8) {
			t.Errorf("sector stroke %s is no status colour", c)
		}
	}

	// Rings: one circle per air-defense ring, at the unit, radius its
	// range in metres.
	rings := features(t, s.url+"/v1/overlays/air-defense")
	if len(kinds["ring"]) != len(rings) || len(rings) == 0 {
		t.Errorf("%d ring events, %d rings", len(kinds["ring"]), len(rings))
	}
	units := features(t, s.url+"/v1/units")
	pos := map[string][2]float64{}
	for _, u := range units {
		var at [2]float64
		switch u.Geometry.Type {
		case "Point":
			var p []float64
			json.Unmarshal(u.Geometry.Coordinates, &p)
			at = [2]float64{p[0], p[1]}
		case "LineString":
			var ls [][]float64
			json.Unmarshal(u.Geometry.Coordinates, &ls)
			at = [2]float64{ls[len(ls)/2][0], ls[len(ls)/2][1]}
			if r := kinds["route"][u.ID.(string)]; r == nil || len(r.links) != len(ls) {
				t.Errorf("patrol %v: route event %v", u.ID, r)
			}
		}
		pos[u.ID.(string)] = at
	}
	for _, f := range rings {
		id := f.ID.(string)
		e := kinds["ring"][id]
		if e == nil {
			t.Fatalf("no ring event for %s", id)
		}
		if e.Type != "u-d-c-c" || !near([2]float64{e.lon, e.lat}, pos[id]) || e.Detail.Ellipse.Major != f.Properties["range_km"].(float64)*1000 {
			t.Errorf("ring %s: %s at %v,%v ellipse %+v, unit at %v, range %v km", id, e.Type, e.lat, e.lon, e.Detail.Ellipse, pos[id], f.Properties["range_km"])
		}
		if want := argb(t, f.Properties["fill"].(string), f.Properties["fill-opacity"].(float64)); e.Detail.FillColor.Value != want {
			t.Errorf("ring %s: fill %s, want %s", id, e.Detail.FillColor.Value, want)
		}
	}

	// Units: one point per unit, at its position (a route's middle
	// vertex), with a 2525 type.
	if len(kinds["unit"]) != len(units) || len(units) == 0 {
		t.Errorf("%d unit events, %d units", len(kinds["unit"]), len(units))
	}
	for _, u := range units {
		id := u.ID.(string)
		e := kinds["unit"][id]
		if e == nil {
			t.Fatalf("no unit event for %s", id)
		}
		if !near([2]float64{e.lon, e.lat}, pos[id]) {
			t.Errorf("unit %s at %v,%v, position %v", id, e.lat, e.lon, pos[id])
		}
		want := map[string]string{"troops": "a-f-G-U-C", "air_defense": "a-f-G-U-C-D", "patrol": "a-f-G-U-C-R"}[u.Properties["kind"].(string)]
		if !strings.HasPrefix(e.Type, want) {
			t.Errorf("unit %s (%v, sidc %v): type %s", id, u.Properties["kind"], u.Properties["sidc"], e.Type)
		}
		name, _ := u.Properties["name"].(string)
		if name == "" {
			name = id
		}
		if e.Detail.Contact == nil || e.Detail.Contact.Callsign != name {
			t.Errorf("unit %s: contact %+v, want %q", id, e.Detail.Contact, name)
		}
	}
	if e := kinds["unit"]["T-001"]; e == nil || e.Type != "a-f-G-U-C-I" { // SIDC SFGPUCI----GSP-
		t.Errorf("T-001: %+v", e)
	}
	if n := len(events) - len(kinds["sector"]) - len(kinds["ring"]) - len(kinds["unit"]) - len(kinds["route"]); n != 0 {
		t.Errorf("%d events of no kind", n)
	}

	// The stream has the same events, one a line.
	stream := getCoT(t, s.url+"/v1/cot?format=stream")
	if len(stream) != len(events) {
		t.Errorf("stream: %d events, document %d", len(stream), len(events))
	}
	for i := range stream {
		if stream[i].UID != events[i].UID || len(stream[i].links) != len(events[i].links) {
			t.Fatalf("stream event %d is %s, document's %s", i, stream[i].UID, events[i].UID)
		}
	}
}

// TestCoTParameters: stale, format and scenario, and the refusals.
func TestCoTParameters(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	for q, d := range map[string]time.Duration{"stale=30m": 30 * time.Minute, "stale=1800": 30 * time.Minute,
		"stale=1m": time.Minute, "stale=168h&format=stream": 7 * 24 * time.Hour, "stale=2h&sector_km=40": 2 * time.Hour} {
		for _, e := range getCoT(t, s.url+"/v1/cot?"+q) {
			if got := e.stale.Sub(e.start); got != d {
				t.Fatalf("%s: event %s stale - start = %v, want %v", q, e.UID, got, d)
			}
		}
	}
	for _, tc := range []struct {
		query  string
		status int
		text   string
	}{
		{"stale=1s", 400, "stale"},
		{"stale=59", 400, "stale"},
		{"stale=169h", 400, "stale"},
		{"stale=-10m", 400, "stale"},
		{"stale=soon", 400, "stale"},
		{"format=kml", 400, "xml or stream"},
		{"format=json", 400, "xml or stream"},
		{"bbox=30,40,31,41", 400, "unknown parameter"},
		{"sector_km=-1", 400, "sector_km"},
		{"scenario=nope", 404, "nope"},
		{"version=99", 404, "99"},
	} {
		r := get(t, s.url+"/v1/cot?"+tc.query)
		want(t, r, tc.status)
		if !strings.Contains(string(r.body), tc.text) {
			t.Errorf("%s: %s does not say %q", tc.query, r.body, tc.text)
		}
	}

	// A scenario's events have its prefix: a client shows both options.
	body := `{"id":"more-south","name":"More troops in the south","units":[{"type":"Feature","id":"extra-1","geometry":{"type":"Point","coordinates":[32.6,46.62]},"properties":{"kind":"troops","strength":5000}}],"remove":["T-001"]}`
	want(t, s.do(t, "POST", s.url+"/v1/scenarios", "application/json", []byte(body)), 201)
	live := byKind(t, getCoT(t, s.url+"/v1/cot?scenario=live"), "frontline")
	scen := byKind(t, getCoT(t, s.url+"/v1/cot?scenario=more-south"), "frontline-more-south")
	if scen["unit"]["extra-1"] == nil || scen["unit"]["T-001"] != nil || live["unit"]["T-001"] == nil || live["unit"]["extra-1"] != nil {
		t.Error("the scenario's units are not its own")
	}
	if len(scen["sector"]) != len(live["sector"]) || len(scen["unit"]) != len(live["unit"]) {
		t.Errorf("scenario: %d sectors %d units; live %d and %d", len(scen["sector"]), len(scen["unit"]), len(live["sector"]), len(live["unit"]))
	}
}

// TestCoTStableUIDs: the same items keep their uids from one request to
// the next and across a new line version, so that a client updates them
// in place.
func TestCoTStableUIDs(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	uids := func(events []*cotEvent) []string {
		var u []string
		for _, e := range events {
			u = append(u, e.UID)
		}
		return u
	}
	first := getCoT(t, s.url+"/v1/cot")
	time.Sleep(5 * time.Millisecond)
	second := getCoT(t, s.url+"/v1/cot")
	if strings.Join(uids(first), " ") != strings.Join(uids(second), " ") {
		t.Error("uids differ between two requests")
	}
	if first[0].Start == second[0].Start {
		t.Error("the second answer has the first's times")
	}

	// A new line version: the line moved a little east.
	var line struct {
		Geometry struct {
			Coordinates [][2]float64 `json:"coordinates"`
		} `json:"geometry"`
	}
	if err := json.Unmarshal(get(t, s.url+"/v1/frontline").body, &line); err != nil || len(line.Geometry.Coordinates) == 0 {
		t.Fatalf("line: %v", err)
	}
	for i := range line.Geometry.Coordinates {
		line.Geometry.Coordinates[i][0] += 0.01
	}
	moved, _ := json.Marshal(map[string]any{"type": "LineString", "coordinates": line.Geometry.Coordinates})
	want(t, s.do(t, "POST", s.url+"/v1/frontline", "application/geo+json", moved), 201)
	third := getCoT(t, s.url+"/v1/cot")
	old, now := byKind(t, first, "frontline"), byKind(t, third, "frontline")
	if len(now["sector"]) == 0 || len(now["sector"]) != len(old["sector"]) {
		t.Fatalf("sectors: %d before, %d after", len(old["sector"]), len(now["sector"]))
	}
	movedSectors := 0
	for id, e := range now["sector"] {
		o := old["sector"][id]
		if o == nil {
			t.Fatalf("sector %s has a new uid %s", id, e.UID)
		}
		if e.lon != o.lon {
			movedSectors++
		}
	}
	if movedSectors == 0 {
		t.Error("no sector moved with the line: the answer is the old version's")
	}
	// The old version still answers, with the same uids.
	v1 := byKind(t, getCoT(t, s.url+"/v1/cot?version=1"), "frontline")
	for id := range old["sector"] {
		if v1["sector"][id] == nil {
			t.Errorf("version 1: no sector %s", id)
		}
	}
}
