package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"frontline"
)

// deriveParams are the query parameters of an area import: the
// derivation, the checks of the derived line versions, and valid_from and
// source for areas whose files carry none (DeepStateMap's).
var deriveParams = []string{"tolerance_km", "min_part_km", "border", "valid_from", "source"}

func parseDeriveOptions(c echo.Context) (frontline.DeriveOptions, error) {
	q := c.QueryParams()
	var opt frontline.DeriveOptions
	if err := checkParams(q, deriveParams, importParams); err != nil {
		return opt, err
	}
	for _, f := range []struct {
		name string
		dst  *float64
	}{{"tolerance_km", &opt.ToleranceKm}, {"min_part_km", &opt.MinPartKm}} {
		if v := q.Get(f.name); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return opt, frontline.BadParameter(f.name, "%s must be a number of km, got %q", f.name, v)
			}
			if x == 0 {
				return opt, frontline.BadParameter(f.name, "%s must be above 0, got %q", f.name, v)
			}
			*f.dst = x
		}
	}
	opt.Border = q.Get("border")
	// A copy: the request's own values keep valid_from and source.
	imp := url.Values{}
	for _, name := range importParams {
		if v, ok := q[name]; ok {
			imp[name] = v
		}
	}
	var err error
	opt.Import, err = parseImportOptions(imp)
	return opt, err
}

// applyQueryDefaults gives areas the valid_from and source of the query
// where their properties have none.
func applyQueryDefaults(c echo.Context, ins []*frontline.AreaInput, single bool) error {
	q := c.QueryParams()
	if v := q.Get("valid_from"); v != "" {
		if !single {
			return frontline.BadParameter("valid_from", "valid_from as a query parameter is for one area; in a bulk import each feature carries its own")
		}
		t, err := frontline.ParseTime(v)
		if err != nil {
			return frontline.BadParameter("valid_from", "valid_from must be an RFC 3339 time or a date, got %q", v)
		}
		for _, in := range ins {
			if in.ValidFrom.IsZero() {
				in.ValidFrom = t
			}
		}
	}
	if v := q.Get("source"); v != "" {
		for _, in := range ins {
			if in.Source == "" {
				in.Source = v
			}
		}
	}
	return nil
}

func (s *server) importAreas(c echo.Context, single bool, parse func([]byte) ([]*frontline.AreaInput, error)) error {
	opt, err := parseDeriveOptions(c)
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
	if err := applyQueryDefaults(c, ins, single); err != nil {
		return err
	}
	res, err := s.svc.ImportAreas(c.Request().Context(), ins, opt, nil)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Imported > 0 {
		status = http.StatusCreated
	}
	if len(res.Areas) == 1 {
		c.Response().Header().Set("Location", "/v1/areas/"+strconv.Itoa(res.Areas[0].Version))
	}
	return c.JSON(status, res)
}

func (s *server) handleImportArea(c echo.Context) error {
	return s.importAreas(c, true, func(body []byte) ([]*frontline.AreaInput, error) {
		in, err := frontline.ParseArea(body)
		if err != nil {
			return nil, err
		}
		return []*frontline.AreaInput{in}, nil
	})
}

func (s *server) handleImportAreas(c echo.Context) error {
	return s.importAreas(c, false, frontline.ParseAreas)
}

func (s *server) handleAreas(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnLines, "areas", func(ctx context.Context) (*encoded, error) {
		as, err := s.svc.Areas(ctx)
		if err != nil {
			return nil, err
		}
		if as == nil {
			as = []*frontline.AreaVersion{}
		}
		return encodeJSON(mimeJSON, map[string]any{"areas": as})
	})
}

func (s *server) handleArea(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	v, err := strconv.Atoi(c.Param("version"))
	if err != nil || v < 1 {
		return frontline.BadParameter("version", "version must be a whole number from 1, got %q", c.Param("version"))
	}
	return s.cached(c, frontline.DependsOnLines, "area/"+strconv.Itoa(v), func(ctx context.Context) (*encoded, error) {
		a, err := s.svc.Area(ctx, v)
		if err != nil {
			return nil, err
		}
		props := make(map[string]any, len(a.Properties)+8)
		for k, val := range a.Properties {
			props[k] = val
		}
		props["version"], props["valid_from"], props["source"] = a.Version, a.ValidFrom, a.Source
		props["imported_at"], props["area_km2"], props["hash"] = a.ImportedAt, a.AreaKm2, a.Hash
		return encodeJSON(mimeGeoJSON, map[string]any{
			"type": "Feature", "id": a.Version, "properties": props,
			"geometry": map[string]any{"type": "MultiPolygon", "coordinates": a.Coords},
		})
	})
}

// handleTerritory answers the reference territory in use.
func (s *server) handleTerritory(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	t, err := s.svc.Territory(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", `"`+t.Hash[:32]+`"`)
	return c.Blob(http.StatusOK, mimeGeoJSON, t.Raw)
}

// handlePutTerritory replaces the reference territory (admin).
func (s *server) handlePutTerritory(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	t, err := s.svc.SetTerritory(c.Request().Context(), body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, territorySummary(t))
}

// handleDeleteTerritory goes back to the built-in territory (admin).
func (s *server) handleDeleteTerritory(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	t, err := s.svc.SetTerritory(c.Request().Context(), nil)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, territorySummary(t))
}

func territorySummary(t *frontline.Territory) map[string]any {
	return map[string]any{"hash": t.Hash, "source": t.Source, "license": t.License,
		"boundary_km": json.Number(strconv.FormatFloat(t.BoundaryKm, 'f', 3, 64)),
		"border_km":   json.Number(strconv.FormatFloat(t.BorderKm, 'f', 3, 64))}
}
