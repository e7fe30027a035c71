package server

import (
	"context"
	"strconv"

	"github.com/labstack/echo/v4"

	"frontline"
)

// defaultRequirementSystem is the air-defense system requirements count
// in when none is named: a medium-range system of the kind a force would
// field along a line.
const defaultRequirementSystem = "nasams"

// handleRequirements answers the troops each sector needs and lacks, from
// the coverage report of the same settings (posture included).
func (s *server) handleRequirements(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, []string{"format", "system", "observe_km"}); err != nil {
		return err
	}
	system, observe := q.Get("system"), q.Get("observe_km")
	q.Del("system")
	q.Del("observe_km")
	if system == "" {
		system = defaultRequirementSystem
	}
	observeKm := 0.0
	if observe != "" {
		var err error
		if observeKm, err = strconv.ParseFloat(observe, 64); err != nil {
			return frontline.BadParameter("observe_km", "observe_km must be a number, got %q", observe)
		}
	}
	format, err := coverageFormat(q)
	if err != nil {
		return err
	}
	p, err := s.svc.ParseParams(c.Request().Context(), q)
	if err != nil {
		return err
	}
	key := "requirements?" + format + "&system=" + system + "&observe_km=" + observe + "&" + p.Key()
	return s.cached(c, frontline.DependsOnAll, key, func(ctx context.Context) (*encoded, error) {
		req, err := s.svc.Requirements(ctx, p, system, observeKm)
		if err != nil {
			return nil, err
		}
		if format == "csv" {
			return encode(mimeCSV, req.CSV()), nil
		}
		return encodeJSON(mimeJSON, req)
	})
}
