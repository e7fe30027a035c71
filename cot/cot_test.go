package cot_test

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"frontline"
	"frontline/cot"
	"frontline/geo"
)

func TestARGB(t *testing.T) {
	for _, tc := range []struct {
		hex   string
		alpha uint8
		want  int32
	}{
		{"#c62828", 0x80, -2134497240}, // int32(0x80c62828) = 0x80c62828 - 1<<32
		{"#ffffff", 0xff, -1},
		{"#000000", 0x00, 0},
		{"#ff0000", 0xff, -65536},
		{"#2e7d32", 0xff, -13730510},   // 0xff2e7d32
		{"#f9a825", 0x4d, 1308207141},  // 0x4df9a825: positive below alpha 0x80
		{"#C62828", 0xcc, -859428824},  // upper case; 0xccc62828
		{"#1565c0", 0x14, 336946624},   // 0x141565c0
		{"#7f7f7f", 0x7f, 2139062143},  // 0x7f7f7f7f, the largest positive here
		{"#000001", 0x80, -2147483647}, // 0x80000001
	} {
		got, err := cot.ARGB(tc.hex, tc.alpha)
		if err != nil || got != tc.want {
			t.Errorf("ARGB(%s, %#x) = %d, %v; want %d", tc.hex, tc.alpha, got, err, tc.want)
		}
		// The same bits, read back unsigned.
		if err == nil && uint32(got) != uint32(tc.alpha)<<24|uint32(mustHex(t, tc.hex)) {
			t.Errorf("ARGB(%s, %#x): bits %#x", tc.hex, tc.alpha, uint32(got))
		}
	}
	for _, bad := range []string{"", "c62828", "#c6282", "#c628280", "#gggggg", "#c62828ff", "red"} {
		if _, err := cot.ARGB(bad, 0xff); err == nil {
			t.Errorf("ARGB(%q) accepted", bad)
		}
	}
	for _, tc := range []struct {
		opacity float64
		want    uint8
	}{{0, 0}, {0.3, 77}, {0.5, 128}, {0.8, 204}, {1, 255}, {1.5, 255}, {-1, 0}, {math.NaN(), 255}} {
		if got := cot.Alpha(tc.opacity); got != tc.want {
			t.Errorf("Alpha(%v) = %d, want %d", tc.opacity, got, tc.want)
		}
	}
}

func mustHex(t *testing.T, hex string) uint64 {
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSIDCType(t *testing.T) {
	for _, tc := range []struct {
		sidc, want string
	}{
		{"SFGPUCI-----", "a-f-G-U-C-I"},
		{"SFGPUCI----GSP-", "a-f-G-U-C-I"}, // the demo's: modifiers and country are not in the type
		{"SFGPUCIZ---FAS-", "a-f-G-U-C-I-Z"},
		{"SFGPUCDM---EDA-", "a-f-G-U-C-D-M"},
		{"SFGPUCDG---DDA-", "a-f-G-U-C-D-G"},
		{"SFGPUCR----AAS-", "a-f-G-U-C-R"},
		{"SFGPUCD----", "a-f-G-U-C-D"},   // shorter than 15
		{"SFGPUCI----D", "a-f-G-U-C-I"},  // echelon only
		{"sfgpuci----", "a-f-G-U-C-I"},   // case
		{"SHGPUCA----", "a-h-G-U-C-A"},   // hostile armour
		{"SNGPUCI----", "a-n-G-U-C-I"},   // neutral
		{"SUGPUCI----", "a-u-G-U-C-I"},   // unknown
		{"SPGPUCI----", "a-u-G-U-C-I"},   // pending: unknown
		{"SAGPUCI----", "a-f-G-U-C-I"},   // assumed friend: friend
		{"SSGPUCI----", "a-h-G-U-C-I"},   // suspect: hostile
		{"SJGPUCI----", "a-h-G-U-C-I"},   // joker: hostile
		{"SKGPUCI----", "a-h-G-U-C-I"},   // faker: hostile
		{"SDGPUCI----", "a-f-G-U-C-I"},   // exercise friend
		{"SLGPUCI----", "a-n-G-U-C-I"},   // exercise neutral
		{"SWGPUCI----", "a-u-G-U-C-I"},   // exercise unknown
		{"S-GPUCI----", "a-f-G-U-C-I"},   // unspecified: friend
		{"S*GPUCI****", "a-f-G-U-C-I"},   // template wildcards
		{"SHAPMF----", "a-h-A-M-F"},      // air
		{"SFSPCLFF---", "a-f-S-C-L-F-F"}, // sea surface
		{"SFUPSB----", "a-f-U-S-B"},      // subsurface
		{"SFFPA-----", "a-f-F-A"},        // SOF
		{"SFPPS-----", "a-f-P-S"},        // space
		{"SFGP------", "a-f-G"},          // no function id
		{"SFGP", "a-f-G"},
		{"SFGAUCI----", "a-f-G-U-C-I"}, // status (anticipated) is not in the type
		{"SFGPE-----", "a-f-G-E"},      // equipment
		{"SFGPUCI0---", "a-f-G-U-C-I-0"},
		{"SFGXUCI----", "a-f-G-U-C-I"}, // equipment status
		{"SFG-UCI----", "a-f-G-U-C-I"},
	} {
		got, ok := cot.SIDCType(tc.sidc)
		if !ok || got != tc.want {
			t.Errorf("SIDCType(%q) = %q, %t; want %q", tc.sidc, got, ok, tc.want)
		}
		if !cotType.MatchString(got) {
			t.Errorf("SIDCType(%q) = %q is not a CoT type", tc.sidc, got)
		}
	}
	for _, bad := range []string{
		"", "S", "SFG", "10031000001211000000", // 2525D numbers
		"GFGPGLB----", // tactical graphic: no atom
		"IFGPSCC----", // intelligence
		"SQGPUCI----", // no such affiliation
		"SFQPUCI----", // no such dimension
		"SFGPU?I----", "SFGPUCI----GSP-XX", "SFG PUCI", "SFGPÜCI----",
	} {
		if got, ok := cot.SIDCType(bad); ok {
			t.Errorf("SIDCType(%q) = %q, want not ok", bad, got)
		}
	}
}

func TestUnitType(t *testing.T) {
	for _, tc := range []struct {
		sidc, kind, want string
	}{
		{"SFGPUCI----", frontline.KindTroops, "a-f-G-U-C-I"},
		{"SHGPUCI----", frontline.KindTroops, "a-h-G-U-C-I"}, // the SIDC wins over the kind
		{"SFGPUCDM---", frontline.KindPatrol, "a-f-G-U-C-D-M"},
		{"", frontline.KindTroops, "a-f-G-U-C"},
		{"", frontline.KindAirDefense, "a-f-G-U-C-D"},
		{"", frontline.KindPatrol, "a-f-G-U-C-R"},
		{"", "other", "a-f-G"},
		{"nonsense", frontline.KindTroops, "a-f-G-U-C"},
		// 2525D: the kind's type with the number's identity (4th digit).
		{"10031000001211000000", frontline.KindTroops, "a-f-G-U-C"},
		{"10061000001211000000", frontline.KindTroops, "a-h-G-U-C"},
		{"10041000001301000000", frontline.KindAirDefense, "a-n-G-U-C-D"},
		{"10011000001213000000", frontline.KindPatrol, "a-u-G-U-C-R"},
		{"10021000001211000000", frontline.KindPatrol, "a-f-G-U-C-R"},
		{"10051000001211000000", frontline.KindTroops, "a-h-G-U-C"},
		{"100310000012110000000000000000", frontline.KindTroops, "a-f-G-U-C"}, // 2525E
		{"10091000001211000000", frontline.KindTroops, "a-f-G-U-C"},           // no such identity
		{"1003100000121100000", frontline.KindTroops, "a-f-G-U-C"},            // 19 digits
	} {
		if got := cot.UnitType(tc.sidc, tc.kind); got != tc.want {
			t.Errorf("UnitType(%q, %s) = %q, want %q", tc.sidc, tc.kind, got, tc.want)
		}
	}
}

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		n    float64
		want string
	}{{cot.Unknown, "9999999.0"}, {1e6, "1000000.0"}, {0, "0.0"}, {46.6829123, "46.6829123"}, {-0.5, "-0.5"}, {160000, "160000.0"}, {1e-7, "0.0000001"}} {
		if got := cot.Number(tc.n).String(); got != tc.want {
			t.Errorf("Number(%v) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// computed is a line of about 210 km cut into sectors of 50 km or less
// with 20 km zones, covered by units of every kind.
func computed(t *testing.T, units []*frontline.Unit) (*frontline.Report, *frontline.Computation, []orb.MultiPolygon) {
	t.Helper()
	line, err := geo.NewLine([][]orb.Point{{{30, 48}, {31, 48.5}, {32.5, 48.2}}})
	if err != nil {
		t.Fatal(err)
	}
	sectors, err := line.Sectors(geo.Sectoring{SectorKm: 50})
	if err != nil {
		t.Fatal(err)
	}
	z, err := geo.NewZones(line, sectors, geo.ZoneOptions{DepthKm: 20, Side: geo.Both})
	if err != nil {
		t.Fatal(err)
	}
	p := frontline.DefaultParams()
	lv := &frontline.LineVersion{Version: 3, ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), LengthKm: line.LengthKm()}
	c := &frontline.Computation{Line: lv, Params: p, Zones: z, Sectors: z.Sectors()}
	return frontline.NewReport(lv, p, units, z.Coverage(frontline.GeoUnits(units))), c, z.Polygons()
}

func testUnits(t *testing.T) []*frontline.Unit {
	t.Helper()
	var units []*frontline.Unit
	for i, js := range []string{
		`{"type":"Feature","id":"T-1","geometry":{"type":"Point","coordinates":[30.5,48.2]},"properties":{"kind":"troops","strength":1200,"name":"1st <Infantry> & \"Co\"","sidc":"SFGPUCI----GSP-"}}`,
		`{"type":"Feature","id":"T-2","geometry":{"type":"Point","coordinates":[31.5,48.3,120.5]},"properties":{"kind":"troops","strength":300}}`,
		`{"type":"Feature","id":"AD-1","geometry":{"type":"Point","coordinates":[31,48.4]},"properties":{"kind":"air_defense","system":"patriot","name":"Battery\nnorth","sidc":"SFGPUCDM---EDA-"}}`,
		`{"type":"Feature","id":"AD-2","geometry":{"type":"Point","coordinates":[32,48.1]},"properties":{"kind":"air_defense","system":"nasams","status":"inactive","range_km":1000}}`,
		`{"type":"Feature","id":"P-1","geometry":{"type":"LineString","coordinates":[[30.2,48.1],[30.6,48.3],[31.1,48.45],[31.6,48.4]]},"properties":{"kind":"patrol","sidc":"10031000001213000000"}}`,
		`{"type":"Feature","id":"P-2","geometry":{"type":"Point","coordinates":[32.2,48.2]},"properties":{"kind":"patrol","name":"Post 2"}}`,
	} {
		u, err := frontline.ParseUnit([]byte(js), i)
		if err != nil {
			t.Fatal(err)
		}
		units = append(units, u)
	}
	return units
}

// The CoT event schema, checked on what an encoder wrote, decoded into
// structs of its own: the required attributes and their forms.
type xEvents struct {
	XMLName xml.Name `xml:"events"`
	Events  []xEvent `xml:"event"`
}

type xEvent struct {
	XMLName xml.Name `xml:"event"`
	Version string   `xml:"version,attr"`
	UID     string   `xml:"uid,attr"`
	Type    string   `xml:"type,attr"`
	Time    string   `xml:"time,attr"`
	Start   string   `xml:"start,attr"`
	Stale   string   `xml:"stale,attr"`
	How     string   `xml:"how,attr"`
	Point   *struct {
		Lat string `xml:"lat,attr"`
		Lon string `xml:"lon,attr"`
		Hae string `xml:"hae,attr"`
		Ce  string `xml:"ce,attr"`
		Le  string `xml:"le,attr"`
	} `xml:"point"`
	Detail *struct {
		Links []struct {
			Point string `xml:"point,attr"`
		} `xml:"link"`
		Ellipse *struct {
			Major string `xml:"major,attr"`
			Minor string `xml:"minor,attr"`
			Angle string `xml:"angle,attr"`
		} `xml:"shape>ellipse"`
		StrokeColor *xValue `xml:"strokeColor"`
		FillColor   *xValue `xml:"fillColor"`
		Weight      *xValue `xml:"strokeWeight"`
		LabelsOn    *xValue `xml:"labels_on"`
		Contact     *struct {
			Callsign string `xml:"callsign,attr"`
		} `xml:"contact"`
		Remarks string `xml:"remarks"`
	} `xml:"detail"`
}

type xValue struct {
	Value *string `xml:"value,attr"`
}

var (
	cotType  = regexp.MustCompile(`^[a-z](-[A-Za-z0-9]+)*$`)
	cotHow   = regexp.MustCompile(`^[hm](-[a-z])+$`)
	cotTime  = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	linkPair = regexp.MustCompile(`^(-?\d+(\.\d+)?),(-?\d+(\.\d+)?)$`)
)

// validate checks one event against the CoT schema and the drawing
// conventions, and returns its times.
func validate(e xEvent) (start, stale time.Time, err error) {
	if e.Version != "2.0" {
		return start, stale, fmt.Errorf("version %q", e.Version)
	}
	if e.UID == "" || !cotType.MatchString(e.Type) || !cotHow.MatchString(e.How) {
		return start, stale, fmt.Errorf("uid %q, type %q, how %q", e.UID, e.Type, e.How)
	}
	var times [3]time.Time
	for i, s := range []string{e.Time, e.Start, e.Stale} {
		if !cotTime.MatchString(s) {
			return start, stale, fmt.Errorf("time %q is not RFC 3339 UTC with milliseconds", s)
		}
		if times[i], err = time.Parse(time.RFC3339Nano, s); err != nil {
			return start, stale, err
		}
	}
	if !times[2].After(times[1]) || times[0].After(times[1]) {
		return start, stale, fmt.Errorf("time %s, start %s, stale %s", e.Time, e.Start, e.Stale)
	}
	if e.Point == nil || e.Detail == nil {
		return start, stale, fmt.Errorf("no point or detail")
	}
	nums := map[string]float64{}
	for name, s := range map[string]string{"lat": e.Point.Lat, "lon": e.Point.Lon, "hae": e.Point.Hae, "ce": e.Point.Ce, "le": e.Point.Le} {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return start, stale, fmt.Errorf("point %s %q", name, s)
		}
		nums[name] = v
	}
	if nums["lat"] < -90 || nums["lat"] > 90 || nums["lon"] < -180 || nums["lon"] > 180 || nums["ce"] < 0 || nums["le"] < 0 {
		return start, stale, fmt.Errorf("point %+v", *e.Point)
	}
	d := e.Detail
	for _, c := range []*xValue{d.StrokeColor, d.FillColor} {
		if c == nil {
			continue
		}
		if c.Value == nil {
			return start, stale, fmt.Errorf("colour without value")
		}
		if _, err := strconv.ParseInt(*c.Value, 10, 32); err != nil {
			return start, stale, fmt.Errorf("colour %q is not a signed 32-bit integer", *c.Value)
		}
	}
	for _, l := range d.Links {
		m := linkPair.FindStringSubmatch(l.Point)
		if m == nil {
			return start, stale, fmt.Errorf("link point %q is not lat,lon", l.Point)
		}
		lat, _ := strconv.ParseFloat(m[1], 64)
		lon, _ := strconv.ParseFloat(m[3], 64)
		if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return start, stale, fmt.Errorf("link point %q out of range", l.Point)
		}
	}
	switch {
	case e.Type == "u-d-c-c":
		if d.Ellipse == nil {
			return start, stale, fmt.Errorf("circle without shape/ellipse")
		}
		major, err1 := strconv.ParseFloat(d.Ellipse.Major, 64)
		minor, err2 := strconv.ParseFloat(d.Ellipse.Minor, 64)
		if _, err := strconv.ParseFloat(d.Ellipse.Angle, 64); err != nil || err1 != nil || err2 != nil || major <= 0 || minor <= 0 || minor > major {
			return start, stale, fmt.Errorf("ellipse %+v", *d.Ellipse)
		}
	case e.Type == "u-d-f":
		if len(d.Links) < 2 {
			return start, stale, fmt.Errorf("drawing with %d links", len(d.Links))
		}
		if strings.Contains(e.UID, "-sector-") && (len(d.Links) < 4 || d.Links[0] != d.Links[len(d.Links)-1]) {
			return start, stale, fmt.Errorf("polygon of %d links not closed", len(d.Links))
		}
	case strings.HasPrefix(e.Type, "a-"):
		if d.Contact == nil || d.Contact.Callsign == "" {
			return start, stale, fmt.Errorf("unit without callsign")
		}
	}
	return times[1], times[2], nil
}

// decode reads the events of a document in either format.
func decode(t *testing.T, body []byte, f cot.Format) []xEvent {
	t.Helper()
	if f == cot.FormatXML {
		var doc xEvents
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("not an <events> document: %v", err)
		}
		return doc.Events
	}
	if bytes.HasPrefix(body, []byte("<?xml")) {
		t.Error("the stream has an XML declaration")
	}
	var events []xEvent
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var e xEvent
		if err := xml.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %d is not an event: %v: %.200s", len(events)+1, err, sc.Bytes())
		}
		events = append(events, e)
	}
	return events
}

func TestEventsSchema(t *testing.T) {
	units := testUnits(t)
	rep, c, zones := computed(t, units)
	events, err := cot.Events(cot.Prefix(""), rep, c, zones, units)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 6, 1, 12, 30, 15, 123456789, time.FixedZone("CEST", 7200))
	for _, f := range cot.Formats {
		t.Run(string(f), func(t *testing.T) {
			tmpl, err := cot.NewTemplate(events, f)
			if err != nil {
				t.Fatal(err)
			}
			body := tmpl.Stamp(now, 30*time.Minute)
			got := decode(t, body, f)
			if len(got) != len(events) {
				t.Fatalf("%d events decoded, %d made", len(got), len(events))
			}
			kinds := map[string]int{}
			for _, e := range got {
				start, stale, err := validate(e)
				if err != nil {
					t.Fatalf("event %s: %v", e.UID, err)
				}
				if e.Start != "2025-06-01T10:30:15.123Z" || e.Time != e.Start || stale.Sub(start) != 30*time.Minute {
					t.Errorf("event %s: time %s, start %s, stale %s", e.UID, e.Time, e.Start, e.Stale)
				}
				kinds[strings.Split(e.UID, "-")[1]]++
			}
			if kinds["sector"] != len(rep.Sectors) || kinds["ring"] != 2 || kinds["unit"] != len(units) || kinds["route"] != 1 {
				t.Errorf("events by kind %v, want %d sectors, 2 rings, %d units, 1 route", kinds, len(rep.Sectors), len(units))
			}
		})
	}
}

func TestEventsContent(t *testing.T) {
	units := testUnits(t)
	rep, c, zones := computed(t, units)
	events, err := cot.Events(cot.Prefix("more-south"), rep, c, zones, units)
	if err != nil {
		t.Fatal(err)
	}
	body, err := cot.Marshal(events, cot.FormatXML)
	if err != nil {
		t.Fatal(err)
	}
	byUID := map[string]xEvent{}
	for _, e := range decode(t, body, cot.FormatXML) {
		byUID[e.UID] = e
	}
	status := map[string]string{frontline.StatusOK: "#2e7d32", frontline.StatusThin: "#f9a825", frontline.StatusGap: "#c62828"}
	for i, r := range rep.Sectors {
		e, ok := byUID["frontline-more-south-sector-"+r.ID]
		if !ok {
			t.Fatalf("no event for sector %s", r.ID)
		}
		ring := zones[i][0][0]
		if len(e.Detail.Links) != len(ring) {
			t.Fatalf("sector %s: %d links, ring of %d", r.ID, len(e.Detail.Links), len(ring))
		}
		for k, l := range e.Detail.Links {
			var lat, lon float64
			fmt.Sscanf(l.Point, "%g,%g", &lat, &lon)
			if math.Abs(lat-ring[k][1]) > 1e-7 || math.Abs(lon-ring[k][0]) > 1e-7 {
				t.Fatalf("sector %s link %d: %s, vertex %v", r.ID, k, l.Point, ring[k])
			}
		}
		stroke, _ := cot.ARGB(status[r.Status], cot.Alpha(0.8))
		fill, _ := cot.ARGB(status[r.Status], cot.Alpha(0.3))
		if *e.Detail.StrokeColor.Value != strconv.Itoa(int(stroke)) || *e.Detail.FillColor.Value != strconv.Itoa(int(fill)) {
			t.Errorf("sector %s (%s): stroke %s fill %s, want %d and %d", r.ID, r.Status, *e.Detail.StrokeColor.Value, *e.Detail.FillColor.Value, stroke, fill)
		}
		if e.Detail.Contact.Callsign != r.ID+" "+r.Status || !strings.Contains(e.Detail.Remarks, "line version 3") || *e.Detail.LabelsOn.Value != "true" {
			t.Errorf("sector %s: callsign %q, remarks %q", r.ID, e.Detail.Contact.Callsign, e.Detail.Remarks)
		}
	}
	for _, tc := range []struct {
		uid, typ, callsign string
		lat, lon, hae      float64
	}{
		{"frontline-more-south-unit-T-1", "a-f-G-U-C-I", "1st <Infantry> & \"Co\"", 48.2, 30.5, cot.Unknown},
		{"frontline-more-south-unit-T-2", "a-f-G-U-C", "T-2", 48.3, 31.5, 120.5},
		{"frontline-more-south-unit-AD-1", "a-f-G-U-C-D-M", "Battery\nnorth", 48.4, 31, cot.Unknown},
		{"frontline-more-south-unit-AD-2", "a-f-G-U-C-D", "AD-2", 48.1, 32, cot.Unknown},
		{"frontline-more-south-unit-P-1", "a-f-G-U-C-R", "P-1", 48.45, 31.1, cot.Unknown}, // the route's middle vertex
		{"frontline-more-south-unit-P-2", "a-f-G-U-C-R", "Post 2", 48.2, 32.2, cot.Unknown},
		{"frontline-more-south-ring-AD-1", "u-d-c-c", "Battery\nnorth range", 48.4, 31, cot.Unknown},
		{"frontline-more-south-route-P-1", "u-d-f", "P-1 route", 48.45, 31.1, cot.Unknown},
	} {
		e, ok := byUID[tc.uid]
		if !ok {
			t.Errorf("no event %s", tc.uid)
			continue
		}
		lat, _ := strconv.ParseFloat(e.Point.Lat, 64)
		lon, _ := strconv.ParseFloat(e.Point.Lon, 64)
		hae, _ := strconv.ParseFloat(e.Point.Hae, 64)
		if e.Type != tc.typ || e.Detail.Contact.Callsign != tc.callsign || lat != tc.lat || lon != tc.lon || hae != tc.hae {
			t.Errorf("%s: type %s, callsign %q, point %s %s %s", tc.uid, e.Type, e.Detail.Contact.Callsign, e.Point.Lat, e.Point.Lon, e.Point.Hae)
		}
	}
	for _, tc := range []struct {
		id, radius, stroke string
		alpha              float64
	}{{"AD-1", "160000.0", "#1565c0", 0.08}, {"AD-2", "1000000.0", "#757575", 0.03}} {
		e := byUID["frontline-more-south-ring-"+tc.id]
		fill, _ := cot.ARGB(tc.stroke, cot.Alpha(tc.alpha))
		if e.Detail.Ellipse == nil || e.Detail.Ellipse.Major != tc.radius || e.Detail.Ellipse.Minor != tc.radius || e.Detail.Ellipse.Angle != "0.0" ||
			*e.Detail.FillColor.Value != strconv.Itoa(int(fill)) {
			t.Errorf("ring %s: %+v fill %s", tc.id, e.Detail.Ellipse, *e.Detail.FillColor.Value)
		}
	}
	route := byUID["frontline-more-south-route-P-1"].Detail.Links
	if len(route) != 4 || route[0].Point != "48.1,30.2" || route[3].Point != "48.4,31.6" {
		t.Errorf("route links %v", route)
	}
	if r := byUID["frontline-more-south-unit-T-1"].Detail.Remarks; !strings.Contains(r, "strength 1200") || !strings.Contains(r, "SIDC SFGPUCI----GSP-") {
		t.Errorf("remarks %q", r)
	}
}

// A zone in several parts is one event per part, suffixed; uids do not
// depend on the line version.
func TestSectorParts(t *testing.T) {
	rep, c, zones := computed(t, nil)
	square := func(lon float64) orb.Polygon {
		return orb.Polygon{{{lon, 48}, {lon + 0.1, 48}, {lon + 0.1, 48.1}, {lon, 48.1}, {lon, 48}}}
	}
	zones = append([]orb.MultiPolygon(nil), zones...)
	zones[1] = orb.MultiPolygon{square(30), square(31)}
	zones[2] = orb.MultiPolygon{}
	events, err := cot.Sectors("frontline", rep, c, zones)
	if err != nil {
		t.Fatal(err)
	}
	var uids []string
	for _, e := range events {
		uids = append(uids, e.UID)
	}
	id := func(i int) string { return "frontline-sector-" + rep.Sectors[i].ID }
	want := []string{id(0), id(1) + "-1", id(1) + "-2"}
	for i := 3; i < len(rep.Sectors); i++ {
		want = append(want, id(i))
	}
	if strings.Join(uids, " ") != strings.Join(want, " ") {
		t.Errorf("uids %v, want %v", uids, want)
	}
	if e := events[2]; e.Detail.Contact.Callsign != rep.Sectors[1].ID+" "+rep.Sectors[1].Status+" 2/2" ||
		math.Abs(float64(e.Point.Lon)-31.05) > 1e-6 || math.Abs(float64(e.Point.Lat)-48.05) > 1e-3 || len(e.Detail.Links) != 5 {
		t.Errorf("second part: %+v", e)
	}
	c.Line.Version = 4
	again, _ := cot.Sectors("frontline", rep, c, zones)
	for i := range again {
		if again[i].UID != events[i].UID {
			t.Errorf("uid %s became %s with the line version", events[i].UID, again[i].UID)
		}
	}
}

// Stamping fills in every event's times and nothing else, whatever the
// names hold.
func TestTemplateStamp(t *testing.T) {
	sneaky := ` time="0001-01-01T00:00:00.000Z" start="0001-01-01T00:00:00.000Z" stale="0001-01-01T00:00:00.000Z"`
	events := []cot.Event{
		{UID: "a", Type: "a-f-G", Point: cot.Point{Lat: 1, Lon: 2, Hae: cot.Unknown, Ce: cot.Unknown, Le: cot.Unknown},
			Detail: cot.Detail{Contact: &cot.Contact{Callsign: sneaky}, Remarks: sneaky},
			Time:   cot.Time{Time: time.Now()}}, // cleared by NewTemplate
		{UID: "b" + sneaky, Type: "a-f-G"},
	}
	tmpl, err := cot.NewTemplate(events, cot.FormatStream)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	body := string(tmpl.Stamp(now, time.Hour))
	if n := strings.Count(body, `start="2026-01-02T03:04:05.006Z" stale="2026-01-02T04:04:05.006Z"`); n != 2 {
		t.Errorf("%d events stamped, want 2:\n%s", n, body)
	}
	got := decode(t, []byte(body), cot.FormatStream)
	if len(got) != 2 || got[0].Detail.Contact.Callsign != sneaky || got[0].Detail.Remarks != sneaky || got[1].UID != "b"+sneaky {
		t.Errorf("names changed by stamping: %+v", got)
	}
	if strings.Count(body, "\n") != 2 {
		t.Errorf("the stream is not one event a line:\n%s", body)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]cot.Format{"": cot.FormatXML, "xml": cot.FormatXML, "stream": cot.FormatStream} {
		if got, err := cot.ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := cot.ParseFormat("kml"); err == nil {
		t.Error("kml accepted")
	}
}
