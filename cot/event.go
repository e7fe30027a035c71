// Package cot writes what the service computed as Cursor on Target (CoT)
// 2.0 events for TAK clients (ATAK, WinTAK, iTAK) and TAK servers: the
// sectors' zones as coloured polygons, the air-defense range rings as
// circles, and the units as points with MIL-STD-2525 types (a patrol's
// route also as a line).
//
// An event is an <event> element with the attributes version ("2.0"),
// uid, type, time, start, stale and how, a <point lat lon hae ce le/> and
// a <detail>. The drawings follow what ATAK itself sends for its own
// shapes (from the public ATAK-CIV source and the CoT messages it puts on
// the network):
//
//   - a polygon or line is type u-d-f ("drawing, freeform"), one
//     <link point="lat,lon"/> per vertex, closed when the last equals the
//     first;
//   - a circle is type u-d-c-c ("drawing, circle") at its centre, with
//     <shape><ellipse major minor angle/></shape>: major and minor are the
//     radii in metres, angle the rotation in degrees;
//   - colours are <strokeColor value/> and <fillColor value/>, an ARGB
//     colour as a signed 32-bit integer (Android's Color int), and
//     <strokeWeight value/> the line width; <contact callsign/> names the
//     item on the map, <remarks> holds free text and <labels_on value/>
//     shows the name.
//
// Unknown altitude and errors are 9999999.0, as CoT has it. Times are RFC
// 3339 in UTC with milliseconds.
//
// CoT has no standard container for several events: a TAK server reads a
// stream of <event> documents back to back. Format says how a set of them
// is written: one XML document with an <events> root (FormatXML), or the
// events one a line (FormatStream), as a TAK server ingests them on its
// TCP input.
package cot

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Version is the CoT version of every event.
const Version = "2.0"

// TimeLayout is how event times are written: RFC 3339, UTC, milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Unknown is CoT's value of an unknown altitude (hae) and of unknown
// errors (ce, le).
const Unknown = 9999999.0

// How is the how of every event: human-entered ("h-e"), as ATAK writes
// its own drawings and placed markers. The positions come from people
// (units imported by staff, a line drawn from a published map), not from
// a GPS, so "m-g" (machine, GPS) would claim an accuracy they do not have.
const How = "h-e"

// Event is one CoT event.
type Event struct {
	XMLName xml.Name `xml:"event"`
	Version string   `xml:"version,attr"`
	UID     string   `xml:"uid,attr"`
	Type    string   `xml:"type,attr"`
	Time    Time     `xml:"time,attr"`
	Start   Time     `xml:"start,attr"`
	Stale   Time     `xml:"stale,attr"`
	How     string   `xml:"how,attr"`
	Point   Point    `xml:"point"`
	Detail  Detail   `xml:"detail"`
}

// Point is where an event is: latitude and longitude in degrees (WGS84),
// height above the ellipsoid in metres, circular and linear errors in
// metres (Unknown when not known).
type Point struct {
	Lat Number `xml:"lat,attr"`
	Lon Number `xml:"lon,attr"`
	Hae Number `xml:"hae,attr"`
	Ce  Number `xml:"ce,attr"`
	Le  Number `xml:"le,attr"`
}

// Detail is what an event carries besides its point. Only the elements
// set are written.
type Detail struct {
	Links        []Link   `xml:"link"`
	Shape        *Shape   `xml:"shape"`
	StrokeColor  *Value   `xml:"strokeColor"`
	StrokeWeight *Value   `xml:"strokeWeight"`
	FillColor    *Value   `xml:"fillColor"`
	Contact      *Contact `xml:"contact"`
	Remarks      string   `xml:"remarks,omitempty"`
	LabelsOn     *Value   `xml:"labels_on"`
}

// Link is a vertex of a drawing: "lat,lon".
type Link struct {
	Point string `xml:"point,attr"`
}

// Shape holds the ellipse of a circle.
type Shape struct {
	Ellipse Ellipse `xml:"ellipse"`
}

// Ellipse is the size of a circle or ellipse: its radii in metres and its
// rotation in degrees.
type Ellipse struct {
	Major Number `xml:"major,attr"`
	Minor Number `xml:"minor,attr"`
	Angle Number `xml:"angle,attr"`
}

// Value is an element whose content is its value attribute.
type Value struct {
	Value string `xml:"value,attr"`
}

// Contact names an item on the map.
type Contact struct {
	Callsign string `xml:"callsign,attr"`
}

// Time is an event time, written with TimeLayout.
type Time struct{ time.Time }

// MarshalXMLAttr writes the time in UTC with milliseconds.
func (t Time) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	return xml.Attr{Name: name, Value: t.UTC().Format(TimeLayout)}, nil
}

// UnmarshalXMLAttr reads an RFC 3339 time.
func (t *Time) UnmarshalXMLAttr(a xml.Attr) error {
	v, err := time.Parse(time.RFC3339Nano, a.Value)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// Number is a number attribute, written in plain decimal notation (never
// with an exponent) and with at least one decimal, as CoT writes
// 9999999.0.
type Number float64

// MarshalXMLAttr writes the number.
func (n Number) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	return xml.Attr{Name: name, Value: n.String()}, nil
}

// UnmarshalXMLAttr reads a number.
func (n *Number) UnmarshalXMLAttr(a xml.Attr) error {
	v, err := strconv.ParseFloat(a.Value, 64)
	if err != nil {
		return err
	}
	*n = Number(v)
	return nil
}

func (n Number) String() string {
	s := strconv.FormatFloat(float64(n), 'f', -1, 64)
	if !strings.ContainsAny(s, ".NI") {
		s += ".0"
	}
	return s
}

// Format is how a set of events is written.
type Format string

// The formats.
const (
	// FormatXML is one XML document: an <events> root holding the events.
	FormatXML Format = "xml"
	// FormatStream is the events one a line, each a document of its own
	// without an XML declaration, as a TAK server reads them on its TCP
	// input.
	FormatStream Format = "stream"
)

// Formats are the formats, the default first.
var Formats = []Format{FormatXML, FormatStream}

// ParseFormat reads a format; "" is FormatXML.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case "", FormatXML:
		return FormatXML, nil
	case FormatStream:
		return FormatStream, nil
	}
	return "", fmt.Errorf("format must be xml or stream, got %q", s)
}

// ContentType is the media type of a set of events in the format.
func (f Format) ContentType() string {
	if f == FormatStream {
		// Several documents back to back are not one XML document.
		return "text/plain; charset=utf-8"
	}
	return "application/xml; charset=utf-8"
}

// Marshal writes events in a format, each as it is.
func Marshal(events []Event, f Format) ([]byte, error) {
	var b bytes.Buffer
	if f == FormatXML {
		b.WriteString(xml.Header)
		b.WriteString("<events>\n")
	}
	for i := range events {
		e := events[i]
		if e.Version == "" {
			e.Version = Version
		}
		if e.How == "" {
			e.How = How
		}
		out, err := xml.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("event %s: %w", e.UID, err)
		}
		b.Write(out)
		b.WriteByte('\n')
	}
	if f == FormatXML {
		b.WriteString("</events>\n")
	}
	return b.Bytes(), nil
}

// Template is a set of events written without their times, which Stamp
// fills in: the events are made once (and cached), their times are those
// of each request.
type Template []byte

// unstamped is how an event's times are written in a template: the zero
// time. Nothing else in a document can look like it: encoding/xml writes
// a double quote inside an attribute or text as &#34;.
var unstamped = []byte(` time="0001-01-01T00:00:00.000Z" start="0001-01-01T00:00:00.000Z" stale="0001-01-01T00:00:00.000Z"`)

// NewTemplate writes events in a format, without their times.
func NewTemplate(events []Event, f Format) (Template, error) {
	cleared := make([]Event, len(events))
	for i, e := range events {
		e.Time, e.Start, e.Stale = Time{}, Time{}, Time{}
		cleared[i] = e
	}
	return Marshal(cleared, f)
}

// Stamp returns the events with time and start now and stale after the
// given duration, both to the millisecond.
func (t Template) Stamp(now time.Time, stale time.Duration) []byte {
	now = now.UTC().Truncate(time.Millisecond)
	times := fmt.Sprintf(` time="%s" start="%s" stale="%s"`, now.Format(TimeLayout), now.Format(TimeLayout), now.Add(stale).Format(TimeLayout))
	return bytes.ReplaceAll(t, unstamped, []byte(times))
}

// latLon is a vertex as a link writes it.
func latLon(lat, lon float64) string {
	return Number(round7(lat)).String() + "," + Number(round7(lon)).String()
}

// round7 keeps seven decimals of a degree: about a centimetre.
func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }
