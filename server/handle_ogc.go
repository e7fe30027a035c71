package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"frontline"
)

// OGC API - Features (Part 1: Core) over the service's data, for GIS
// clients: QGIS, GDAL/OGR, ArcGIS, OpenLayers. Responses are JSON and
// GeoJSON; links are absolute, built from the request's host.

const (
	mimeOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	crs84       = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	gregorian   = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
)

// ogcConformance lists the conformance classes the API implements.
var ogcConformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
}

// ogcAPI serves the OGC endpoints over the server.
type ogcAPI struct {
	*server
	collections []*ogcCollection
}

func newOGCAPI(s *server) *ogcAPI {
	return &ogcAPI{server: s, collections: s.ogcCollections()}
}

func (o *ogcAPI) collectionIDs() []string {
	ids := make([]string, len(o.collections))
	for i, c := range o.collections {
		ids[i] = c.id
	}
	return ids
}

// encodeOGC is encodeJSON without escaping & in the links' URLs.
func encodeOGC(ctype string, v any) (*encoded, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return encode(ctype, b.Bytes()), nil
}

type ogcLink struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// baseURL is the OGC API's root as the client reached it.
func (o *ogcAPI) baseURL(c echo.Context) string { return baseURL(c, o.cfg.TrustProxy) + "/ogc" }

// collection is the collection the path names, or a not-found error.
func (o *ogcAPI) collection(c echo.Context) (*ogcCollection, error) {
	id := c.Param("collection")
	for _, col := range o.collections {
		if col.id == id {
			return col, nil
		}
	}
	return nil, fmt.Errorf("%w: no collection %q (there are %s)", frontline.ErrNotFound, id, strings.Join(o.collectionIDs(), ", "))
}

// plainQuery refuses any parameter but f=json.
func plainQuery(c echo.Context, geo bool) error {
	q := c.QueryParams()
	if err := checkParams(q, []string{"f"}); err != nil {
		return err
	}
	return checkFormat(q, geo)
}

func (o *ogcAPI) handleLanding(c echo.Context) error {
	if err := plainQuery(c, false); err != nil {
		return err
	}
	base := o.baseURL(c)
	return o.cached(c, 0, "ogc|"+base, func(ctx context.Context) (*encoded, error) {
		return encodeOGC(mimeJSON, map[string]any{
			"title": "Front-line coverage service",
			"description": "The line of contact, its sectors and zones, units and per-sector coverage " +
				"(troops per km, air-defense and patrol cover) as OGC API - Features collections.",
			"links": []ogcLink{
				{Href: base, Rel: "self", Type: mimeJSON, Title: "This document"},
				{Href: base + "/api", Rel: "service-desc", Type: mimeOpenAPI, Title: "The API definition (OpenAPI 3.0)"},
				{Href: base + "/conformance", Rel: "conformance", Type: mimeJSON, Title: "Conformance classes implemented"},
				{Href: base + "/collections", Rel: "data", Type: mimeJSON, Title: "The collections"},
			},
		})
	})
}

func (o *ogcAPI) handleAPI(c echo.Context) error {
	if err := plainQuery(c, false); err != nil {
		return err
	}
	return o.cached(c, 0, "ogc/api", func(ctx context.Context) (*encoded, error) {
		return encodeOGC(mimeOpenAPI, ogcOpenAPI(o.collections))
	})
}

func (o *ogcAPI) handleConformance(c echo.Context) error {
	if err := plainQuery(c, false); err != nil {
		return err
	}
	return o.cached(c, 0, "ogc/conformance", func(ctx context.Context) (*encoded, error) {
		return encodeOGC(mimeJSON, map[string]any{"conformsTo": ogcConformance})
	})
}

func (o *ogcAPI) handleCollections(c echo.Context) error {
	if err := plainQuery(c, false); err != nil {
		return err
	}
	base := o.baseURL(c)
	hide := o.cfg.ProtectUnits && keyOf(c) == nil
	// The list is read with the default settings; each collection's own
	// document takes others.
	p := o.svc.Defaults()
	return o.cached(c, frontline.DependsOnAll, fmt.Sprintf("ogc/collections|%s|%s|hide=%t", base, p.Key(), hide), func(ctx context.Context) (*encoded, error) {
		e := &ogcExtents{ctx: ctx, svc: o.svc, p: p, hideUnits: hide}
		docs := make([]map[string]any, len(o.collections))
		for i, col := range o.collections {
			d, err := o.collectionDoc(base, col, e, nil)
			if err != nil {
				return nil, err
			}
			docs[i] = d
		}
		return encodeOGC(mimeJSON, map[string]any{
			"links":       []ogcLink{{Href: base + "/collections", Rel: "self", Type: mimeJSON, Title: "The collections"}},
			"collections": docs,
		})
	})
}

// handleCollection serves one collection's document. It takes the
// collection's settings, on which its extent may depend (the zones'
// depth, a scenario's units), and its links carry them to the items.
func (o *ogcAPI) handleCollection(c echo.Context) error {
	col, err := o.collection(c)
	if err != nil {
		return err
	}
	settings, err := collectionQuery(c.QueryParams(), col.settings, false)
	if err != nil {
		return err
	}
	p, err := o.svc.ParseParams(c.Request().Context(), settings)
	if err != nil {
		return err
	}
	base := o.baseURL(c)
	hide := o.cfg.ProtectUnits && keyOf(c) == nil
	key := fmt.Sprintf("ogc/collections/%s?%s|%s|%s|hide=%t", col.id, settings.Encode(), p.Key(), base, hide)
	return o.cached(c, col.deps, key, func(ctx context.Context) (*encoded, error) {
		d, err := o.collectionDoc(base, col, &ogcExtents{ctx: ctx, svc: o.svc, p: p, hideUnits: hide}, settings)
		if err != nil {
			return nil, err
		}
		return encodeOGC(mimeJSON, d)
	})
}

// collectionDoc is a collection's document; its links carry the settings
// it was asked with.
func (o *ogcAPI) collectionDoc(base string, col *ogcCollection, e *ogcExtents, settings url.Values) (map[string]any, error) {
	self := base + "/collections/" + col.id
	description := col.description
	if len(settings) > 0 {
		// GDAL shows it as the layer's description.
		description += " Settings given: " + settingsText(settings) + " (over the defaults, as on the /v1 reads)."
	}
	d := map[string]any{
		"id": col.id, "title": col.title, "description": description,
		"links": []ogcLink{
			{Href: withQuery(self, settings), Rel: "self", Type: mimeJSON, Title: col.title},
			{Href: withQuery(self+"/items", settings), Rel: "items", Type: mimeGeoJSON, Title: col.title + " as GeoJSON"},
		},
		"itemType": "feature",
		"crs":      []string{crs84},
	}
	if l, ok := schemaLink(self, col, settings); ok {
		d["links"] = append(d["links"].([]ogcLink), l)
	}
	extent := map[string]any{}
	b, ok, err := col.spatial(e)
	if err != nil {
		return nil, err
	}
	if ok {
		extent["spatial"] = map[string]any{"bbox": [][4]float64{{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}}, "crs": crs84}
	}
	if from, to, ok := e.temporal(); ok && col.timed {
		extent["temporal"] = map[string]any{"interval": [][2]string{{rfc3339(from), rfc3339(to)}}, "trs": gregorian}
	}
	if len(extent) > 0 {
		d["extent"] = extent
	}
	return d, nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ogcItems is a page of items.
type ogcItems struct {
	Type           string    `json:"type"`
	NumberMatched  int       `json:"numberMatched"`
	NumberReturned int       `json:"numberReturned"`
	TimeStamp      string    `json:"timeStamp"`
	Links          []ogcLink `json:"links"`
	Features       []any     `json:"features"`
}

func (o *ogcAPI) handleItems(c echo.Context) error {
	col, err := o.collection(c)
	if err != nil {
		return err
	}
	q, err := parseItemsQuery(c.QueryParams(), col.timed, col.settings)
	if err != nil {
		return err
	}
	// As /v1 reads them: over the stored defaults, a scenario's own
	// settings between them and the query.
	p, err := o.svc.ParseParams(c.Request().Context(), q.settings)
	if err != nil {
		return err
	}
	base := o.baseURL(c)
	return o.cached(c, col.deps, "ogc/collections/"+col.id+"/items?"+q.key()+"|"+p.Key()+"|"+base, func(ctx context.Context) (*encoded, error) {
		page, matched, err := col.page(ctx, q, p)
		if err != nil {
			return nil, err
		}
		end := min(q.offset+q.limit, matched)
		itemsURL := base + "/collections/" + col.id + "/items"
		links := []ogcLink{{Href: q.pageURL(itemsURL, q.offset), Rel: "self", Type: mimeGeoJSON, Title: "This page"}}
		if end < matched {
			links = append(links, ogcLink{Href: q.pageURL(itemsURL, end), Rel: "next", Type: mimeGeoJSON, Title: "Next page"})
		}
		if q.offset > 0 {
			links = append(links, ogcLink{Href: q.pageURL(itemsURL, max(0, q.offset-q.limit)), Rel: "prev", Type: mimeGeoJSON, Title: "Previous page"})
		}
		links = append(links, ogcLink{Href: withQuery(base+"/collections/"+col.id, q.settings), Rel: "collection", Type: mimeJSON, Title: col.title})
		return encodeOGC(mimeGeoJSON, ogcItems{Type: "FeatureCollection", NumberMatched: matched, NumberReturned: len(page),
			TimeStamp: rfc3339(time.Now()), Links: links, Features: page})
	})
}

func (o *ogcAPI) handleItem(c echo.Context) error {
	col, err := o.collection(c)
	if err != nil {
		return err
	}
	settings, err := collectionQuery(c.QueryParams(), col.settings, true)
	if err != nil {
		return err
	}
	id, err := pathParam(c, "feature")
	if err != nil {
		return err
	}
	p, err := o.svc.ParseParams(c.Request().Context(), settings)
	if err != nil {
		return err
	}
	base := o.baseURL(c)
	key := "ogc/collections/" + col.id + "/items/" + id + "?" + settings.Encode() + "|" + p.Key() + "|" + base
	return o.cached(c, col.deps, key, func(ctx context.Context) (*encoded, error) {
		v, err := col.feature(ctx, id, p)
		if err != nil {
			return nil, err
		}
		// The links join the Feature's own members.
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		// Raw, so that numbers stay as written (25.0, not 25).
		var members map[string]json.RawMessage
		if err := json.Unmarshal(b, &members); err != nil {
			return nil, err
		}
		members["links"], err = json.Marshal([]ogcLink{
			{Href: withQuery(base+"/collections/"+col.id+"/items/"+url.PathEscape(id), settings), Rel: "self", Type: mimeGeoJSON, Title: "This feature"},
			{Href: withQuery(base+"/collections/"+col.id, settings), Rel: "collection", Type: mimeJSON, Title: col.title},
		})
		if err != nil {
			return nil, err
		}
		return encodeOGC(mimeGeoJSON, members)
	})
}
