package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"

	"frontline"
)

// recommendParams are the placement's own parameters.
var recommendParams = []string{"system", "range_km", "count", "target", "max", "spacing_km", "place_side", "save_as"}

// handleRecommendAirDefense answers GET /v1/recommend/air-defense: where
// to place new air-defense units, the coverage with them, and (save_as,
// which needs a write key) the scenario they were stored as.
func (s *server) handleRecommendAirDefense(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, recommendParams); err != nil {
		return err
	}
	r := frontline.AirDefenseRequest{System: q.Get("system"), Side: q.Get("place_side"), SaveAs: q.Get("save_as")}
	for _, f := range []struct {
		name string
		dst  *float64
	}{{"range_km", &r.RangeKm}, {"target", &r.Target}, {"spacing_km", &r.SpacingKm}} {
		if v := q.Get(f.name); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return frontline.BadParameter(f.name, "%s must be a number, got %q", f.name, v)
			}
			*f.dst = x
		}
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"count", &r.Count}, {"max", &r.Max}} {
		if v := q.Get(f.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return frontline.BadParameter(f.name, "%s must be a whole number, got %q", f.name, v)
			}
			*f.dst = n
		}
	}
	if err := s.checkSave(c, r.SaveAs); err != nil {
		return err
	}
	for _, name := range recommendParams {
		q.Del(name)
	}
	p, err := s.svc.ParseParams(c.Request().Context(), q)
	if err != nil {
		return err
	}
	rec, err := s.svc.RecommendAirDefense(c.Request().Context(), p, r)
	if err != nil {
		return err
	}
	return sendRecommendation(c, rec)
}

// checkSave lets save_as through only with what a write needs.
func (s *server) checkSave(c echo.Context, saveAs string) error {
	if saveAs == "" {
		return nil
	}
	return s.authorize(writes)(func(echo.Context) error { return nil })(c)
}

// sendRecommendation answers {sites, report, scenario[, target_reached]}.
func sendRecommendation(c echo.Context, rec *frontline.Recommendation) error {
	sites := geojson.NewFeatureCollection()
	for _, u := range rec.Sites {
		f := geojson.NewFeature(u.Coords[0].Point())
		f.ID = u.ID
		f.Properties = u.Properties
		sites.Append(f)
	}
	out := map[string]any{"sites": sites, "report": rec.Report, "scenario": rec.Scenario}
	if rec.TargetReached != nil {
		out["target_reached"] = *rec.TargetReached
	}
	return c.JSON(http.StatusOK, out)
}

// patrolParams are the post placement's own parameters.
var patrolParams = []string{"observe_km", "target", "max", "save_as"}

// handleRecommendPatrols answers GET /v1/recommend/patrols: the fewest
// observation posts on the line that bring every sector to target.
func (s *server) handleRecommendPatrols(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, patrolParams); err != nil {
		return err
	}
	r := frontline.PatrolRequest{SaveAs: q.Get("save_as")}
	for _, f := range []struct {
		name string
		dst  *float64
	}{{"observe_km", &r.ObserveKm}, {"target", &r.Target}} {
		if v := q.Get(f.name); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return frontline.BadParameter(f.name, "%s must be a number, got %q", f.name, v)
			}
			*f.dst = x
		}
	}
	if v := q.Get("max"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return frontline.BadParameter("max", "max must be a whole number, got %q", v)
		}
		r.Max = n
	}
	if err := s.checkSave(c, r.SaveAs); err != nil {
		return err
	}
	for _, name := range patrolParams {
		q.Del(name)
	}
	p, err := s.svc.ParseParams(c.Request().Context(), q)
	if err != nil {
		return err
	}
	rec, err := s.svc.RecommendPatrols(c.Request().Context(), p, r)
	if err != nil {
		return err
	}
	return sendRecommendation(c, rec)
}
