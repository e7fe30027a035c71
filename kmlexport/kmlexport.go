// Package kmlexport writes styled GeoJSON FeatureCollections (the
// overlays, simplestyle properties and all) as KML for Google Earth and
// TAK clients, and as KMZ: one Document, one Folder per layer, one
// Placemark per Feature (SPEC 12).
//
// Each Placemark is named by the feature's name property, else its id,
// else its sector; its description is a small HTML table of its
// properties and its ExtendedData holds them as Data elements (so GIS
// readers such as GDAL see them as fields); the simplestyle properties
// become shared Style elements, one per distinct stroke and fill, which
// the placemarks reference by styleUrl. Geometries go through go-geom
// and its KML encoding, coordinates in full precision.
//
// The go-geom and go-kml types stay inside: callers hand in orb
// geometries and get bytes.
package kmlexport

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geom"
	geomkml "github.com/twpayne/go-geom/encoding/kml"
	"github.com/twpayne/go-kml/v3"
)

// Media types of the two encodings.
const (
	MediaTypeKML = "application/vnd.google-earth.kml+xml"
	MediaTypeKMZ = "application/vnd.google-earth.kmz"
)

// A Layer is one FeatureCollection, written as a Folder of that name.
type Layer struct {
	Name     string
	Features *geojson.FeatureCollection
}

// Encode writes one KML document called name with a Folder per layer.
func Encode(w io.Writer, name string, layers ...Layer) error {
	doc, err := document(name, layers)
	if err != nil {
		return err
	}
	return doc.Write(w)
}

// KMZ writes a KMZ archive: a zip whose doc.kml is the document Encode
// writes, every layer a Folder of it.
func KMZ(w io.Writer, name string, layers ...Layer) error {
	doc, err := document(name, layers)
	if err != nil {
		return err
	}
	return kml.WriteKMZ(w, map[string]any{"doc.kml": doc})
}

// styleProps are the simplestyle properties: they become Styles, not
// data.
var styleProps = []string{"stroke", "stroke-width", "stroke-opacity", "fill", "fill-opacity",
	"marker-color", "marker-size", "marker-symbol"}

// Simplestyle defaults (simplestyle-spec 1.1.0).
const (
	defaultStroke      = "#555555"
	defaultStrokeWidth = 2.0
	defaultMarker      = "#7e7e7e"
)

// document builds the KML document: the shared styles first, then a
// folder per layer.
func document(name string, layers []Layer) (*kml.KMLElement, error) {
	styles := &styleSet{ids: map[string]string{}}
	var folders []kml.Element
	for _, l := range layers {
		folder := kml.Folder(kml.Name(l.Name))
		if l.Features != nil {
			for i, f := range l.Features.Features {
				pm, err := placemark(f, styles)
				if err != nil {
					return nil, fmt.Errorf("layer %s, feature %d: %w", l.Name, i, err)
				}
				folder.Append(pm)
			}
		}
		folders = append(folders, folder)
	}
	doc := kml.Document(kml.Name(name))
	doc.Append(styles.elements...)
	doc.Append(folders...)
	return kml.KML(doc), nil
}

// placemark is one feature: its name, a description of its properties,
// its style, the properties as data, and its geometry.
func placemark(f *geojson.Feature, styles *styleSet) (*kml.PlacemarkElement, error) {
	pm := kml.Placemark()
	if n := featureName(f); n != "" {
		pm.Append(kml.Name(n))
	}
	keys := dataKeys(f.Properties)
	if len(keys) > 0 {
		pm.Append(kml.Description(describe(f.Properties, keys)))
	}
	pm.Append(kml.StyleURL("#" + styles.id(f.Properties)))
	if len(keys) > 0 {
		data := make([]kml.Element, len(keys))
		for i, k := range keys {
			data[i] = kml.Data(k, kml.Value(text(f.Properties[k])))
		}
		pm.Append(kml.ExtendedData(data...))
	}
	if f.Geometry != nil {
		g, err := geometry(f.Geometry)
		if err != nil {
			return nil, err
		}
		if g != nil {
			pm.Append(g)
		}
	}
	return pm, nil
}

// featureName is the name property, else the feature's id (or id
// property), else its sector.
func featureName(f *geojson.Feature) string {
	for _, v := range []any{f.Properties["name"], f.ID, f.Properties["id"], f.Properties["sector"]} {
		if s := text(v); s != "" {
			return s
		}
	}
	return ""
}

// dataKeys are the properties written as data, in order: name, id and
// status first (what a reader looks for), then the rest by name; style
// properties and nulls are left out.
func dataKeys(props geojson.Properties) []string {
	var keys []string
	for k, v := range props {
		if v == nil || slices.Contains(styleProps, k) {
			continue
		}
		keys = append(keys, k)
	}
	first := map[string]int{"name": 1, "id": 2, "status": 3}
	sort.Slice(keys, func(i, j int) bool {
		a, b := first[keys[i]], first[keys[j]]
		if a == 0 {
			a = len(first) + 1
		}
		if b == 0 {
			b = len(first) + 1
		}
		if a != b {
			return a < b
		}
		return keys[i] < keys[j]
	})
	return keys
}

// describe is the description balloon: a two-column HTML table of the
// properties. go-kml escapes it; KML readers unescape and render it.
func describe(props geojson.Properties, keys []string) string {
	var b strings.Builder
	b.WriteString("<table>")
	for _, k := range keys {
		b.WriteString("<tr><th align=\"left\">")
		b.WriteString(html.EscapeString(strings.ReplaceAll(k, "_", " ")))
		b.WriteString("</th><td>")
		b.WriteString(html.EscapeString(text(props[k])))
		b.WriteString("</td></tr>")
	}
	b.WriteString("</table>")
	return b.String()
}

// text is a property value as text: strings as they are, numbers in
// full (shortest round-tripping form, never an exponent for the figures
// of a report), anything else as JSON.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return formatFloat(v)
	case float32:
		return formatFloat(float64(v))
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case uint:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case json.Number:
		return v.String()
	case fmt.Stringer:
		return v.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func formatFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// number reads a numeric property (a Go number, a JSON number or a
// numeric string).
func number(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case float32:
		return float64(v), true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case int32:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return f, err == nil
	}
	return 0, false
}

// Color converts a simplestyle colour (#rrggbb or #rgb, the # optional)
// and an opacity from 0 to 1 to a KML colour, aabbggrr in lower-case
// hex: #c62828 at 0.35 is 592828c6. The opacity is clamped to [0, 1].
func Color(simplestyle string, opacity float64) (string, error) {
	h := strings.TrimPrefix(strings.TrimSpace(simplestyle), "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return "", fmt.Errorf("colour %q is not #rrggbb", simplestyle)
	}
	if _, err := strconv.ParseUint(h, 16, 32); err != nil {
		return "", fmt.Errorf("colour %q is not #rrggbb", simplestyle)
	}
	if math.IsNaN(opacity) {
		opacity = 1
	}
	a := int(math.Round(math.Min(1, math.Max(0, opacity)) * 255))
	h = strings.ToLower(h)
	return fmt.Sprintf("%02x", a) + h[4:6] + h[2:4] + h[0:2], nil
}

// styleSet collects the shared styles of a document: one per distinct
// combination of line colour and width, fill and marker colour.
type styleSet struct {
	ids      map[string]string // key → id
	elements []kml.Element
}

// id is the id of the style of a feature with these properties, made on
// first use.
func (s *styleSet) id(props geojson.Properties) string {
	st := styleOf(props)
	key := st.key()
	if id, ok := s.ids[key]; ok {
		return id
	}
	id := "style-" + strconv.Itoa(len(s.ids)+1)
	s.ids[key] = id
	s.elements = append(s.elements, st.element(id))
	return id
}

// style is a feature's simplestyle in KML terms.
type style struct {
	line  string  // LineStyle colour
	width float64 // LineStyle width
	fill  string  // PolyStyle colour; "" for no fill
	icon  string  // IconStyle colour; "" when not given
}

func styleOf(props geojson.Properties) style {
	opacity := func(name string, def float64) float64 {
		if v, ok := number(props[name]); ok {
			return v
		}
		return def
	}
	colour := func(name, def string, op float64) string {
		s, _ := props[name].(string)
		if c, err := Color(s, op); err == nil {
			return c
		}
		c, _ := Color(def, op)
		return c
	}
	st := style{width: defaultStrokeWidth}
	st.line = colour("stroke", defaultStroke, opacity("stroke-opacity", 1))
	if w, ok := number(props["stroke-width"]); ok && w >= 0 {
		st.width = w
	}
	if _, ok := props["fill"]; ok {
		st.fill = colour("fill", defaultStroke, opacity("fill-opacity", 0.6))
	}
	if _, ok := props["marker-color"]; ok {
		st.icon = colour("marker-color", defaultMarker, 1)
	}
	return st
}

func (st style) key() string {
	return st.line + "|" + strconv.FormatFloat(st.width, 'g', -1, 64) + "|" + st.fill + "|" + st.icon
}

func (st style) element(id string) kml.Element {
	var children []kml.Element
	if st.icon != "" {
		children = append(children, kml.IconStyle(colorElement(st.icon)))
	}
	children = append(children, kml.LineStyle(colorElement(st.line), kml.Width(st.width)))
	if st.fill != "" {
		children = append(children, kml.PolyStyle(colorElement(st.fill), kml.Fill(true), kml.Outline(true)))
	} else {
		children = append(children, kml.PolyStyle(kml.Fill(false), kml.Outline(true)))
	}
	return kml.SharedStyle(id, children...)
}

// colorElement is a KML <color> holding aabbggrr as given. (go-kml's
// Color takes an image/color value, whose alpha comes premultiplied.)
type colorElement string

func (c colorElement) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	start := xml.StartElement{Name: xml.Name{Local: "color"}}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeToken(xml.CharData(c)); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

// errEmpty marks a geometry with nothing to draw.
var errEmpty = errors.New("empty geometry")

// geometry converts an orb geometry through go-geom to a KML geometry,
// lines and polygons tessellated so that they follow the ground. A
// multi-geometry of one part is written as that part; an empty one as
// nothing.
func geometry(g orb.Geometry) (kml.Element, error) {
	gg, err := toGeom(g)
	if errors.Is(err, errEmpty) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	e, err := geomkml.Encode(gg)
	if err != nil {
		return nil, err
	}
	return tessellate(e), nil
}

// toGeom converts an orb geometry to go-geom, 2D.
func toGeom(g orb.Geometry) (geom.T, error) {
	switch g := g.(type) {
	case orb.Point:
		return geom.NewPointFlat(geom.XY, []float64{g[0], g[1]}), nil
	case orb.MultiPoint:
		switch len(g) {
		case 0:
			return nil, errEmpty
		case 1:
			return toGeom(g[0])
		}
		return geom.NewMultiPointFlat(geom.XY, flatPoints(nil, g)), nil
	case orb.LineString:
		if len(g) == 0 {
			return nil, errEmpty
		}
		return geom.NewLineStringFlat(geom.XY, flatPoints(nil, g)), nil
	case orb.MultiLineString:
		var flat []float64
		var ends []int
		for _, ls := range g {
			if len(ls) == 0 {
				continue
			}
			flat = flatPoints(flat, ls)
			ends = append(ends, len(flat))
		}
		switch len(ends) {
		case 0:
			return nil, errEmpty
		case 1:
			return geom.NewLineStringFlat(geom.XY, flat), nil
		}
		return geom.NewMultiLineStringFlat(geom.XY, flat, ends), nil
	case orb.Ring:
		return toGeom(orb.Polygon{g})
	case orb.Bound:
		return toGeom(g.ToPolygon())
	case orb.Polygon:
		flat, ends := flatPolygon(nil, g)
		if len(ends) == 0 {
			return nil, errEmpty
		}
		return geom.NewPolygonFlat(geom.XY, flat, ends), nil
	case orb.MultiPolygon:
		var flat []float64
		var endss [][]int
		for _, p := range g {
			var ends []int
			if flat, ends = flatPolygon(flat, p); len(ends) > 0 {
				endss = append(endss, ends)
			}
		}
		switch len(endss) {
		case 0:
			return nil, errEmpty
		case 1:
			return geom.NewPolygonFlat(geom.XY, flat, endss[0]), nil
		}
		return geom.NewMultiPolygonFlat(geom.XY, flat, endss), nil
	case orb.Collection:
		gc := geom.NewGeometryCollection()
		for _, part := range g {
			pg, err := toGeom(part)
			if errors.Is(err, errEmpty) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if err := gc.Push(pg); err != nil {
				return nil, err
			}
		}
		if gc.NumGeoms() == 0 {
			return nil, errEmpty
		}
		return gc, nil
	}
	return nil, fmt.Errorf("geometry %T cannot be written as KML", g)
}

func flatPoints(flat []float64, pts []orb.Point) []float64 {
	for _, p := range pts {
		flat = append(flat, p[0], p[1])
	}
	return flat
}

// flatPolygon appends a polygon's rings (the empty ones left out) to
// flat; ends are where each ends. A polygon without its outer ring is
// nothing.
func flatPolygon(flat []float64, p orb.Polygon) ([]float64, []int) {
	var ends []int
	for i, r := range p {
		if len(r) == 0 {
			if i == 0 {
				return flat, nil
			}
			continue
		}
		flat = flatPoints(flat, r)
		ends = append(ends, len(flat))
	}
	return flat, ends
}

// tessellate marks the lines and polygons of e (go-geom's encoding) to
// follow the terrain; tessellate comes first in them, as the schema
// orders it.
func tessellate(e kml.Element) kml.Element {
	switch e := e.(type) {
	case *kml.LineStringElement:
		e.Children = append([]kml.Element{kml.Tessellate(true)}, e.Children...)
	case *kml.PolygonElement:
		e.Children = append([]kml.Element{kml.Tessellate(true)}, e.Children...)
	case *kml.MultiGeometryElement:
		for _, c := range e.Children {
			tessellate(c)
		}
	}
	return e
}
