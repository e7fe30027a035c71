package server

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"frontline"
	"frontline/overlay"
)

var lineParams = []string{"version", "at"}

// lineFeature is a line version as a GeoJSON Feature: its stored
// properties, overlaid by the version's own; of the options, only the
// bounding box is used (it keeps the parts that reach into it).
func lineFeature(lv *frontline.LineVersion, sh overlay.Options) map[string]any {
	props := lv.FeatureProperties()
	parts := lv.Coords
	if sh.HasBBox {
		// Keep the parts that reach into the box.
		var kept [][]frontline.Position
		for _, part := range parts {
			b := orb.Bound{Min: part[0].Point(), Max: part[0].Point()}
			for _, p := range part {
				b = b.Extend(p.Point())
			}
			if b.Intersects(sh.BBox) {
				kept = append(kept, part)
			}
		}
		parts = kept
	}
	var geom any
	switch len(parts) {
	case 0:
		geom = nil
	case 1:
		geom = map[string]any{"type": "LineString", "coordinates": parts[0]}
	default:
		geom = map[string]any{"type": "MultiLineString", "coordinates": parts}
	}
	return map[string]any{"type": "Feature", "id": lv.Version, "geometry": geom, "properties": props}
}

func (s *server) handleLine(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, lineParams, []string{"bbox"}); err != nil {
		return err
	}
	p, err := s.svc.ParseParams(c.Request().Context(), q)
	if err != nil {
		return err
	}
	sh, shapeKey, err := parseShape(q)
	if err != nil {
		return err
	}
	lv, _, err := s.svc.Line(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnLines, fmt.Sprintf("line?v=%d&%s", lv.Version, shapeKey), func(ctx context.Context) (*encoded, error) {
		return encodeJSON(mimeGeoJSON, lineFeature(lv, sh))
	})
}

func (s *server) handleVersions(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnLines, "versions", func(ctx context.Context) (*encoded, error) {
		vs := s.svc.Versions()
		if vs == nil {
			vs = []*frontline.LineVersion{}
		}
		return encodeJSON(mimeJSON, map[string]any{"versions": vs})
	})
}

type importResult struct {
	Imported  int                      `json:"imported"`
	Unchanged int                      `json:"unchanged"`
	Versions  []*frontline.LineVersion `json:"versions"`
	// Warnings point out what was stored but looks wrong.
	Warnings []string `json:"warnings,omitempty"`
}

// importParams are the checks a line import takes.
var importParams = []string{"force", "max_length_change"}

func parseImportOptions(q url.Values) (frontline.ImportOptions, error) {
	var opt frontline.ImportOptions
	if err := checkParams(q, importParams); err != nil {
		return opt, err
	}
	switch v := q.Get("force"); v {
	case "", "false":
	case "true":
		opt.Force = true
	default:
		return opt, frontline.BadParameter("force", "force must be true or false, got %q", v)
	}
	if v := q.Get("max_length_change"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f > 0) || math.IsInf(f, 0) {
			return opt, frontline.BadParameter("max_length_change", "max_length_change must be a fraction above 0 (0.5 is 50 %%), got %q", v)
		}
		opt.MaxLengthChange = f
	}
	return opt, nil
}

func (s *server) importLines(c echo.Context, parse func([]byte) ([]*frontline.LineInput, error)) error {
	opt, err := parseImportOptions(c.QueryParams())
	if err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	ins, err := parse(body)
	if err != nil {
		return err
	}
	res, err := s.svc.ImportLines(c.Request().Context(), ins, opt)
	if err != nil {
		return err
	}
	out := importResult{Versions: make([]*frontline.LineVersion, len(res))}
	for i, r := range res {
		out.Versions[i] = r.Line
		if r.Created {
			out.Imported++
		} else {
			out.Unchanged++
		}
	}
	for i, in := range ins {
		if !res[i].Created || in.Line == nil {
			continue
		}
		if f, ok := s.svc.AlongBoundary(c.Request().Context(), in.Line); ok && f >= frontline.AlongBoundaryWarning {
			what := "this line"
			if len(ins) > 1 {
				what = fmt.Sprintf("feature %d", i)
			}
			out.Warnings = append(out.Warnings, fmt.Sprintf("%.0f %% of %s (version %d, %.0f km) runs along the reference territory's border or coast: "+
				"if it is the outline of an area held by the other side, post the polygon to /v1/areas instead, which derives the line of contact from it",
				f*100, what, res[i].Line.Version, res[i].Line.LengthKm))
		}
	}
	status := http.StatusOK
	if out.Imported > 0 {
		status = http.StatusCreated
	}
	if len(res) == 1 {
		c.Response().Header().Set("Location", "/v1/frontline?version="+strconv.Itoa(res[0].Line.Version))
	}
	return c.JSON(status, out)
}

func (s *server) handleImportLine(c echo.Context) error {
	return s.importLines(c, func(body []byte) ([]*frontline.LineInput, error) {
		in, err := frontline.ParseLine(body)
		if err != nil {
			return nil, err
		}
		return []*frontline.LineInput{in}, nil
	})
}

func (s *server) handleImportLines(c echo.Context) error {
	return s.importLines(c, frontline.ParseLines)
}

// handleWithdrawLine takes a line version out of service (admin).
func (s *server) handleWithdrawLine(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	v, err := strconv.Atoi(c.Param("version"))
	if err != nil || v < 1 {
		return frontline.BadParameter("version", "version must be a whole number from 1, got %q", c.Param("version"))
	}
	if err := s.svc.WithdrawLine(c.Request().Context(), v); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleRemoveDemo withdraws the demonstration line and deletes the demo
// units (admin).
func (s *server) handleRemoveDemo(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	removed, err := s.svc.RemoveDemo(c.Request().Context(), s.cfg.DemoUnits)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, removed)
}
