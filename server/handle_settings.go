package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"frontline"
)

// settingNames are the coverage settings that can have a stored default.
var settingNames = frontline.SettingNames(false)

func (s *server) handleSettings(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.svc.Defaults().Settings())
}

// handlePutSettings replaces the default coverage settings by those in a
// JSON object (the same names as the query parameters; those left out
// take their built-in defaults), validated as a query would be.
func (s *server) handlePutSettings(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		return &frontline.InputError{Code: frontline.CodeNotJSON, At: frontline.Nowhere,
			Message: "the body must be a JSON object of settings, e.g. {\"sector_km\": 10, \"depth_km\": 50}"}
	}
	if err := frontline.CheckDuplicateKeys(body); err != nil {
		return err
	}
	q := url.Values{}
	for k, v := range obj {
		switch v := v.(type) {
		case float64:
			q.Set(k, strconv.FormatFloat(v, 'g', -1, 64))
		case string:
			q.Set(k, v)
		default:
			return frontline.BadParameter(k, "%s must be a number or a string", k)
		}
	}
	if err := checkParams(q, settingNames); err != nil {
		return err
	}
	p, err := frontline.ParseParams(q)
	if err != nil {
		return err
	}
	if err := s.svc.SetDefaults(c.Request().Context(), p); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.svc.Defaults().Settings())
}
