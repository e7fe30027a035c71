package server

import (
	"bytes"
	"context"
	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"

	"frontline"
	"frontline/kmlexport"
)

// Exports for field clients (SPEC 12): every overlay as KML with
// format=kml, and all of them in one KMZ.

const (
	mimeKML = kmlexport.MediaTypeKML
	mimeKMZ = kmlexport.MediaTypeKMZ
)

// formatParam is the parameter that picks an overlay's encoding.
var formatParam = []string{"format"}

// overlayFormat reads and removes the format of an overlay: geojson (the
// default) or kml.
func overlayFormat(q url.Values) (string, error) {
	format := q.Get("format")
	q.Del("format")
	switch format {
	case "", "geojson":
		return "geojson", nil
	case "kml":
		return format, nil
	}
	return "", frontline.BadParameter("format", "format must be geojson or kml, got %q", format)
}

// encodeOverlay encodes an overlay in its format: GeoJSON, or a KML
// document of one folder named after the overlay.
func encodeOverlay(format, name string, fc *geojson.FeatureCollection) (*encoded, error) {
	if format != "kml" {
		return encodeJSON(mimeGeoJSON, fc)
	}
	var b bytes.Buffer
	if err := kmlexport.Encode(&b, "frontline "+name, kmlexport.Layer{Name: name, Features: fc}); err != nil {
		return nil, err
	}
	return encode(mimeKML, b.Bytes()), nil
}

// exportLayers are the overlays a KMZ holds, in order.
var exportLayers = []string{"sectors", "zones", "air-defense", "gaps"}

// handleExportKMZ answers every overlay as one KMZ, a folder each, for
// the coverage settings, scenario, line version and shape parameters the
// GeoJSON overlays take: GET /v1/export.kmz.
func (s *server) handleExportKMZ(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, shapeParams); err != nil {
		return err
	}
	p, sh, shapeKey, err := s.shapedParams(c, q)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="frontline.kmz"`)
	err = s.cached(c, frontline.DependsOnAll, "export.kmz?"+p.Key()+shapeKey, func(ctx context.Context) (*encoded, error) {
		layers := make([]kmlexport.Layer, len(exportLayers))
		for i, name := range exportLayers {
			fc, err := s.drawOverlay(ctx, name, p, sh)
			if err != nil {
				return nil, err
			}
			layers[i] = kmlexport.Layer{Name: name, Features: fc}
		}
		var b bytes.Buffer
		if err := kmlexport.KMZ(&b, "frontline coverage", layers...); err != nil {
			return nil, err
		}
		return encode(mimeKMZ, b.Bytes()), nil
	})
	if err != nil {
		// An error is answered as JSON, not as a file to save.
		h.Del("Content-Disposition")
	}
	return err
}
