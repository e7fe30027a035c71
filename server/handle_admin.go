package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"frontline"
)

func (s *server) handleKeys(c echo.Context) error {
	keys, err := s.svc.Keys(c.Request().Context())
	if err != nil {
		return err
	}
	if keys == nil {
		keys = []*frontline.APIKey{}
	}
	return c.JSON(http.StatusOK, map[string]any{"keys": keys})
}

// handleCreateKey makes a key; its token is in this response only.
func (s *server) handleCreateKey(c echo.Context) error {
	var req struct {
		Role string `json:"role"`
		Name string `json:"name"`
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return &frontline.InputError{Code: frontline.CodeNotJSON, At: frontline.Nowhere, Message: `the body must be {"role": "read|write|admin", "name": "..."}`}
	}
	if err := frontline.CheckDuplicateKeys(body); err != nil {
		return err
	}
	role, err := frontline.ParseRole(req.Role)
	if err != nil {
		return err
	}
	k, token, err := s.svc.CreateKey(c.Request().Context(), role, req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"key": k, "token": token})
}

func (s *server) handleRevokeKey(c echo.Context) error {
	if err := s.svc.RevokeKey(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *server) handleAudit(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, []string{"limit", "before"}); err != nil {
		return err
	}
	limit, before := 100, int64(0)
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return frontline.BadParameter("limit", "limit must be a whole number from 1 to 1000, got %q", v)
		}
		limit = n
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return frontline.BadParameter("before", "before must be an audit entry id, got %q", v)
		}
		before = n
	}
	entries, err := s.svc.Audit(c.Request().Context(), limit, before)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []*frontline.AuditEntry{}
	}
	return c.JSON(http.StatusOK, map[string]any{"entries": entries})
}
