package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline"
	"frontline/overlay"
)

// coverageFormat reads and removes the format of a coverage read: every
// one has a JSON form (the default) and a CSV form (SPEC 7).
func coverageFormat(q url.Values) (string, error) {
	format := q.Get("format")
	q.Del("format")
	switch format {
	case "", "json":
		return "json", nil
	case "csv":
		return format, nil
	}
	return "", frontline.BadParameter("format", "format must be json or csv, got %q", format)
}

func (s *server) handleCoverage(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, []string{"format"}); err != nil {
		return err
	}
	format, err := coverageFormat(q)
	if err != nil {
		return err
	}
	p, err := s.svc.ParseParams(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnAll, "coverage?"+format+"&"+p.Key(), func(ctx context.Context) (*encoded, error) {
		rep, _, err := s.svc.Coverage(ctx, p)
		if err != nil {
			return nil, err
		}
		if format == "csv" {
			return encode(mimeCSV, rep.CSV()), nil
		}
		return encodeJSON(mimeJSON, rep)
	})
}

func (s *server) handleSectorCoverage(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, []string{"format"}); err != nil {
		return err
	}
	id, err := pathParam(c, "sector")
	if err != nil {
		return err
	}
	format, err := coverageFormat(q)
	if err != nil {
		return err
	}
	p, err := s.svc.ParseParams(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnAll, "coverage/"+id+"?"+format+"&"+p.Key(), func(ctx context.Context) (*encoded, error) {
		rep, _, err := s.svc.Coverage(ctx, p)
		if err != nil {
			return nil, err
		}
		sec, err := rep.Sector(id)
		if err != nil {
			return nil, err
		}
		if format == "csv" {
			return encode(mimeCSV, rep.SectorCSV(sec)), nil
		}
		return encodeJSON(mimeJSON, map[string]any{"line": rep.Line, "params": rep.Params, "sector": sec})
	})
}

func (s *server) handleSectors(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, shapeParams, []string{"geometry"}); err != nil {
		return err
	}
	geom := q.Get("geometry")
	if geom != "" && geom != "line" && geom != "zone" {
		return frontline.BadParameter("geometry", "geometry must be line or zone, got %q", geom)
	}
	q.Del("geometry")
	p, sh, shapeKey, err := s.shapedParams(c, q)
	if err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnLines|frontline.DependsOnAnchors, "sectors?"+geom+"&"+p.Key()+shapeKey, func(ctx context.Context) (*encoded, error) {
		fc, err := s.drawSectors(ctx, p, geom == "zone", sh)
		if err != nil {
			return nil, err
		}
		return encodeJSON(mimeGeoJSON, fc)
	})
}

func (s *server) handleOverlay(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, shapeParams, formatParam); err != nil {
		return err
	}
	name := c.Param("name")
	format, err := overlayFormat(q)
	if err != nil {
		return err
	}
	p, sh, shapeKey, err := s.shapedParams(c, q)
	if err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnAll, "overlay/"+name+"?"+format+"&"+p.Key()+shapeKey, func(ctx context.Context) (*encoded, error) {
		fc, err := s.drawOverlay(ctx, name, p, sh)
		if err != nil {
			return nil, err
		}
		return encodeOverlay(format, name, fc)
	})
}

// drawSectors draws the sectors for p: their pieces of the line, or their
// zones.
func (s *server) drawSectors(ctx context.Context, p frontline.Params, zones bool, opt overlay.Options) (*geojson.FeatureCollection, error) {
	c, err := s.svc.Zones(ctx, p)
	if err != nil {
		return nil, err
	}
	var polys []orb.MultiPolygon
	if zones {
		if polys, err = s.svc.ZonePolygons(ctx, c); err != nil {
			return nil, err
		}
	}
	return opt.Apply(overlay.Sectors(c, polys)), nil
}

// drawOverlay draws one of the styled overlays for p: sectors, zones,
// air-defense or gaps. Every one is drawn on the coverage, which is
// computed first (so a bad setting is refused whichever is asked for).
func (s *server) drawOverlay(ctx context.Context, name string, p frontline.Params, opt overlay.Options) (*geojson.FeatureCollection, error) {
	rep, c, err := s.svc.Coverage(ctx, p)
	if err != nil {
		return nil, err
	}
	var fc *geojson.FeatureCollection
	switch name {
	case "sectors":
		fc = overlay.Coverage(rep, c, nil)
	case "zones":
		polys, err := s.svc.ZonePolygons(ctx, c)
		if err != nil {
			return nil, err
		}
		fc = overlay.Coverage(rep, c, polys)
	case "air-defense":
		units, _, err := s.svc.UnitsFor(ctx, p.Scenario)
		if err != nil {
			return nil, err
		}
		fc = overlay.AirDefense(units)
	case "gaps":
		units, _, err := s.svc.UnitsFor(ctx, p.Scenario)
		if err != nil {
			return nil, err
		}
		gaps, err := s.svc.AirDefenseGaps(ctx, c, units)
		if err != nil {
			return nil, err
		}
		fc = overlay.Gaps(rep, c, gaps)
	default:
		return nil, fmt.Errorf("%w: no overlay %q (there are sectors, zones, air-defense and gaps)", frontline.ErrNotFound, name)
	}
	return opt.Apply(fc), nil
}

func (s *server) handleAnchors(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, []string{"bbox"}); err != nil {
		return err
	}
	sh, shapeKey, err := parseShape(q)
	if err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnAnchors, "anchors?"+shapeKey, func(ctx context.Context) (*encoded, error) {
		anchors, err := s.svc.Anchors(ctx)
		if err != nil {
			return nil, err
		}
		features := make([]map[string]any, 0, len(anchors))
		for _, a := range anchors {
			if sh.HasBBox && !sh.BBox.Contains(a.Point) {
				continue
			}
			features = append(features, map[string]any{"type": "Feature", "id": a.Name,
				"geometry":   map[string]any{"type": "Point", "coordinates": a.Point},
				"properties": map[string]any{"name": a.Name}})
		}
		return encodeJSON(mimeGeoJSON, map[string]any{"type": "FeatureCollection", "features": features})
	})
}

// handlePutAnchors replaces the anchors with a FeatureCollection of Points
// named by properties.name (or the feature id), in the order given.
func (s *server) handlePutAnchors(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	anchors, err := frontline.ParseAnchors(body)
	if err != nil {
		return err
	}
	if err := s.svc.SetAnchors(c.Request().Context(), anchors); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"anchors": len(anchors)})
}
