package server

import (
	"context"

	"github.com/labstack/echo/v4"

	"frontline"
)

// handleCompare puts two options side by side: GET /v1/compare?a=&b=
// with the coverage settings, which apply to both.
func (s *server) handleCompare(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, []string{"a", "b", "format"}); err != nil {
		return err
	}
	format, err := coverageFormat(q)
	if err != nil {
		return err
	}
	a, b := q.Get("a"), q.Get("b")
	for name, v := range map[string]string{"a": a, "b": b} {
		if v == "" {
			return frontline.BadParameter(name, "%s must name a scenario (or live)", name)
		}
	}
	q.Del("a")
	q.Del("b")
	return s.cached(c, frontline.DependsOnAll, "compare?"+format+"&a="+a+"&b="+b+"&"+q.Encode(), func(ctx context.Context) (*encoded, error) {
		cmp, err := s.svc.Compare(ctx, q, a, b)
		if err != nil {
			return nil, err
		}
		if format == "csv" {
			return encode(mimeCSV, cmp.CSV()), nil
		}
		return encodeJSON(mimeJSON, cmp)
	})
}
