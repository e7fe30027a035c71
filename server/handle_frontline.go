package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"frontline"
)

var lineParams = []string{"version", "at"}

// lineFeature is a line version as a GeoJSON Feature: its stored
// properties, overlaid by the version's own.
func lineFeature(lv *frontline.LineVersion, sh frontline.Shape) map[string]any {
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
	p, err := s.svc.ParseParams(q)
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
	return s.cached(c, frontline.DependsOnLines, fmt.Sprintf("line?v=%d&%s", lv.Version, shapeKey), func() (*encoded, error) {
		return encodeJSON(mimeGeoJSON, lineFeature(lv, sh))
	})
}

func (s *server) handleVersions(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnLines, "versions", func() (*encoded, error) {
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
}

func (s *server) importLines(c echo.Context, ins []*frontline.LineInput) error {
	res, err := s.svc.ImportLines(c.Request().Context(), ins)
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
	body, err := readBody(c)
	if err != nil {
		return err
	}
	in, err := frontline.ParseLine(body)
	if err != nil {
		return err
	}
	return s.importLines(c, []*frontline.LineInput{in})
}

func (s *server) handleImportLines(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	ins, err := frontline.ParseLines(body)
	if err != nil {
		return err
	}
	return s.importLines(c, ins)
}
