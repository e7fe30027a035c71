package server

import (
	"context"

	"github.com/labstack/echo/v4"

	"frontline"
)

// handleRequirements answers the troops each sector needs and lacks, from
// the coverage report of the same settings (posture included).
func (s *server) handleRequirements(c echo.Context) error {
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
	return s.cached(c, frontline.DependsOnAll, "requirements?"+format+"&"+p.Key(), func(ctx context.Context) (*encoded, error) {
		rep, _, err := s.svc.Coverage(ctx, p)
		if err != nil {
			return nil, err
		}
		req := frontline.NewRequirements(rep)
		if format == "csv" {
			return encode(mimeCSV, req.CSV()), nil
		}
		return encodeJSON(mimeJSON, req)
	})
}
