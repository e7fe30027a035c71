package server

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"frontline"
	"frontline/cot"
)

// Bounds and default of how long CoT events stay on a client (stale).
const (
	defaultCoTStale = 10 * time.Minute
	minCoTStale     = time.Minute
	maxCoTStale     = 7 * 24 * time.Hour
)

// parseStale reads how long CoT events are valid: a Go duration ("10m",
// "1h30m", "168h") or a number of seconds, from a minute to 7 days.
func parseStale(v string) (time.Duration, error) {
	if v == "" {
		return defaultCoTStale, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		secs, serr := strconv.ParseInt(v, 10, 64)
		if serr != nil || secs < 0 || secs > int64(maxCoTStale/time.Second) {
			return 0, frontline.BadParameter("stale", "stale must be a duration such as 10m or 2h, or a number of seconds, from 1m to 168h (7 days), got %q", v)
		}
		d = time.Duration(secs) * time.Second
	}
	if d < minCoTStale || d > maxCoTStale {
		return 0, frontline.BadParameter("stale", "stale must be from 1m to 168h (7 days), got %q", v)
	}
	return d, nil
}

// handleCoT answers the coverage as Cursor on Target events for TAK
// clients (package cot): the sectors' zones, the air-defense rings and
// the units, under the usual settings and scenario. The events are made
// once per data and settings (cached, as every read); their times are
// the request's: time and start now, stale after the stale parameter.
// So every answer is new, and its ETag its own.
func (s *server) handleCoT(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams, []string{"stale", "format"}); err != nil {
		return err
	}
	format, err := cot.ParseFormat(q.Get("format"))
	if err != nil {
		formats := make([]string, len(cot.Formats))
		for i, f := range cot.Formats {
			formats[i] = string(f)
		}
		return frontline.BadParameter("format", "format must be %s, got %q", strings.Join(formats, " or "), q.Get("format"))
	}
	stale, err := parseStale(q.Get("stale"))
	if err != nil {
		return err
	}
	q.Del("format")
	q.Del("stale")
	p, err := s.svc.ParseParams(c.Request().Context(), q)
	if err != nil {
		return err
	}
	key := "cot?" + string(format) + "&" + p.Key()
	// As s.cached, but the entry is the template of the answer, not the
	// answer: see cot.Template.
	tmpl, err := s.cache.Get(key+"#"+s.svc.Revisions(frontline.DependsOnAll), func() (*encoded, error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), buildTimeout)
		defer cancel()
		rep, comp, err := s.svc.Coverage(ctx, p)
		if err != nil {
			return nil, err
		}
		zones, err := s.svc.ZonePolygons(ctx, comp)
		if err != nil {
			return nil, err
		}
		units, _, err := s.svc.UnitsFor(ctx, p.Scenario)
		if err != nil {
			return nil, err
		}
		events, err := cot.Events(cot.Prefix(p.Scenario), rep, comp, zones, units)
		if err != nil {
			return nil, err
		}
		body, err := cot.NewTemplate(events, format)
		if err != nil {
			return nil, err
		}
		return &encoded{ctype: format.ContentType(), body: body}, nil
	})
	if err != nil {
		return err
	}
	return send(c, encode(tmpl.ctype, cot.Template(tmpl.body).Stamp(time.Now(), stale)))
}
