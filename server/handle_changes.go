package server

import (
	"context"
	"net/url"

	"github.com/labstack/echo/v4"

	"frontline"
	"frontline/overlay"
)

// changesQuery reads from, to and the coverage settings (without a line
// version, which from and to name) of a read over two versions or a range.
func changesQuery(c echo.Context, extra ...string) (url.Values, string, string, error) {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, append([]string{"from", "to"}, extra...)); err != nil {
		return nil, "", "", err
	}
	from, to := q.Get("from"), q.Get("to")
	rest := url.Values{}
	for k, v := range q {
		if k != "from" && k != "to" {
			rest[k] = v
		}
	}
	return rest, from, to, nil
}

// handleChanges answers how the line moved between two versions, sector by
// sector: GET /v1/changes?from=&to= with the coverage settings.
func (s *server) handleChanges(c echo.Context) error {
	q, from, to, err := changesQuery(c)
	if err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnAll, "changes?from="+from+"&to="+to+"&"+q.Encode(), func(ctx context.Context) (*encoded, error) {
		ch, err := s.svc.Changes(ctx, q, from, to)
		if err != nil {
			return nil, err
		}
		return encodeJSON(mimeJSON, ch)
	})
}

// handleChangesOverlay draws the areas that changed hands between two
// versions derived from areas.
func (s *server) handleChangesOverlay(c echo.Context) error {
	q, from, to, err := changesQuery(c, append([]string{"format"}, shapeParams...)...)
	if err != nil {
		return err
	}
	format, err := overlayFormat(q)
	if err != nil {
		return err
	}
	sh, shapeKey, err := parseShape(q)
	if err != nil {
		return err
	}
	for _, n := range shapeParams {
		q.Del(n)
	}
	return s.cached(c, frontline.DependsOnAll, "overlay/changes?"+format+"&from="+from+"&to="+to+"&"+q.Encode()+shapeKey, func(ctx context.Context) (*encoded, error) {
		ch, err := s.svc.Changes(ctx, q, from, to)
		if err != nil {
			return nil, err
		}
		return encodeOverlay(format, "changes", sh.Apply(overlay.Changes(ch)))
	})
}

// handleHistory answers the coverage of every line version in a range:
// GET /v1/coverage/history?from=&to= with the coverage settings.
func (s *server) handleHistory(c echo.Context) error {
	q, from, to, err := changesQuery(c)
	if err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnAll, "history?from="+from+"&to="+to+"&"+q.Encode(), func(ctx context.Context) (*encoded, error) {
		h, err := s.svc.History(ctx, q, from, to)
		if err != nil {
			return nil, err
		}
		return encodeJSON(mimeJSON, h)
	})
}
