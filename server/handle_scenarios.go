package server

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"frontline"
)

// encodeScenario is a scenario as the API serves it, with its ETag.
func encodeScenario(sc *frontline.Scenario) (*encoded, error) { return encodeJSON(mimeJSON, sc) }

func (s *server) handleScenarios(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	list, err := s.svc.Scenarios(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"scenarios": list})
}

func (s *server) handleScenario(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	sc, err := s.svc.Scenario(c.Request().Context(), id)
	if err != nil {
		return err
	}
	e, err := encodeScenario(sc)
	if err != nil {
		return err
	}
	return send(c, e)
}

// handleCreateScenario stores a new scenario; one whose id is taken is a
// conflict (PUT replaces).
func (s *server) handleCreateScenario(c echo.Context) error {
	return s.writeScenario(c, "", func(cur *frontline.Scenario) error {
		if cur != nil {
			return &apiError{status: http.StatusConflict, code: codeConflict,
				msg: "scenario " + cur.ID + " exists already (PUT /v1/scenarios/" + cur.ID + " replaces it)"}
		}
		return nil
	})
}

func (s *server) handlePutScenario(c echo.Context) error {
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	return s.writeScenario(c, id, ifMatchScenario(c))
}

func (s *server) writeScenario(c echo.Context, pathID string, check frontline.Precondition[*frontline.Scenario]) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	sc, err := frontline.ParseScenario(body, pathID, s.svc.Defaults())
	if err != nil {
		return err
	}
	created, err := s.svc.PutScenario(c.Request().Context(), sc, check)
	if err != nil {
		return err
	}
	e, err := encodeScenario(sc)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", e.etag)
	status := http.StatusOK
	if created {
		c.Response().Header().Set("Location", "/v1/scenarios/"+url.PathEscape(sc.ID))
		status = http.StatusCreated
	}
	return c.Blob(status, e.ctype, e.body)
}

func (s *server) handleDeleteScenario(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteScenario(c.Request().Context(), id, ifMatchScenario(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// ifMatchScenario is If-Match on a scenario, as ifMatch is on a unit.
func ifMatchScenario(c echo.Context) frontline.Precondition[*frontline.Scenario] {
	return ifMatchOf(c, "scenario", encodeScenario)
}
