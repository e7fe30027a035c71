package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline"
	"frontline/overlay"
)

func (s *server) handleUnits(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, []string{"kind", "bbox", "scenario", "format"}); err != nil {
		return err
	}
	format := q.Get("format")
	q.Del("format")
	switch format {
	case "", "geojson":
		format = "geojson"
	case "kml", "csv":
	default:
		return frontline.BadParameter("format", "format must be geojson, kml or csv, got %q", format)
	}
	scenario := q.Get("scenario")
	if scenario == frontline.LiveScenario {
		scenario = ""
	}
	if scenario != "" && frontline.CheckScenarioID(scenario) != nil {
		return frontline.BadParameter("scenario", "scenario must be live or a scenario id (1 to 64 of a-z, 0-9 and -), got %q", scenario)
	}
	kind := q.Get("kind")
	switch kind {
	case "", frontline.KindTroops, frontline.KindAirDefense, frontline.KindPatrol:
	default:
		return frontline.BadParameter("kind", "kind must be troops, air_defense or patrol, got %q", kind)
	}
	sh, shapeKey, err := parseShape(q)
	if err != nil {
		return err
	}
	return s.cached(c, frontline.DependsOnUnits, "units?format="+format+"&kind="+kind+"&scenario="+scenario+"&"+shapeKey, func(ctx context.Context) (*encoded, error) {
		units, _, err := s.svc.UnitsFor(ctx, scenario)
		if err != nil {
			return nil, err
		}
		features := make([]*frontline.Unit, 0, len(units))
		for _, u := range units {
			if kind != "" && u.Kind != kind {
				continue
			}
			if sh.HasBBox && !unitBound(u).Intersects(sh.BBox) {
				continue
			}
			features = append(features, u)
		}
		switch format {
		case "csv":
			return encode(mimeCSV, frontline.UnitsCSV(features)), nil
		case "kml":
			return encodeOverlay("kml", "units", unitStyles(overlay.Units(features)))
		}
		return encodeJSON(mimeGeoJSON, map[string]any{"type": "FeatureCollection", "features": features})
	})
}

func (s *server) handleUnit(c echo.Context) error {
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	// Read the unit inside the build, after the revision in the key was
	// taken: read before it, a write in between would be cached as new.
	return s.cached(c, frontline.DependsOnUnits, "unit/"+id, func(ctx context.Context) (*encoded, error) {
		u, err := s.svc.Unit(ctx, id)
		if err != nil {
			return nil, err
		}
		return encodeJSON(mimeGeoJSON, u)
	})
}

// parseUnitBody reads one unit Feature; an id in the path wins over a
// missing one in the body and must agree with one that is there.
func parseUnitBody(c echo.Context, pathID string) (*frontline.Unit, error) {
	body, err := readBody(c)
	if err != nil {
		return nil, err
	}
	// Before withID re-encodes the body, which would merge repeated names.
	// (Text that is not JSON is left to the parser, which says where.)
	var dup *frontline.InputError
	if err := frontline.CheckDuplicateKeys(body); errors.As(err, &dup) && dup.Code == frontline.CodeDuplicateKey {
		return nil, err
	}
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	_ = json.Unmarshal(body, &probe)
	if len(probe.ID) == 0 || string(probe.ID) == "null" {
		id := pathID
		if id == "" {
			id = newID()
		}
		body, err = withID(body, id)
		if err != nil {
			return nil, err
		}
	}
	u, err := frontline.ParseUnit(body, -1)
	if err != nil {
		return nil, err
	}
	if pathID != "" && u.ID != pathID {
		return nil, &frontline.InputError{Code: frontline.CodeIDMismatch, At: frontline.FieldAt("id"),
			Message: fmt.Sprintf("the feature's id %q differs from the id %q in the path", u.ID, pathID)}
	}
	return u, nil
}

// withID sets the id member of a JSON object.
func withID(body []byte, id string) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		// Let the parser produce its precise error.
		return body, nil
	}
	b, _ := json.Marshal(id)
	obj["id"] = b
	return json.Marshal(obj)
}

func newID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "u-" + hex.EncodeToString(b[:])
}

func (s *server) handleCreateUnit(c echo.Context) error {
	u, err := parseUnitBody(c, "")
	if err != nil {
		return err
	}
	if err := s.svc.CreateUnit(c.Request().Context(), u); err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/v1/units/"+url.PathEscape(u.ID))
	return sendUnit(c, http.StatusCreated, u)
}

func (s *server) handlePutUnit(c echo.Context) error {
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	u, err := parseUnitBody(c, id)
	if err != nil {
		return err
	}
	created, err := s.svc.PutUnit(c.Request().Context(), u, ifMatch(c))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		c.Response().Header().Set("Location", "/v1/units/"+url.PathEscape(u.ID))
		status = http.StatusCreated
	}
	return sendUnit(c, status, u)
}

func (s *server) handleDeleteUnit(c echo.Context) error {
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteUnit(c.Request().Context(), id, ifMatch(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// sendUnit answers a write with the unit as stored and its ETag, the one
// a GET of it carries, for the next write's If-Match.
func sendUnit(c echo.Context, status int, u *frontline.Unit) error {
	e, err := encodeJSON(mimeGeoJSON, u)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", e.etag)
	return c.Blob(status, e.ctype, e.body)
}

// ifMatch turns a request's If-Match header into a precondition on the
// unit stored (RFC 9110, 13.1.1): "*" needs the unit to exist, a list of
// ETags needs its current one among them; otherwise 412 and nothing is
// written. Without the header a write goes ahead.
func ifMatch(c echo.Context) frontline.Precondition[*frontline.Unit] {
	return ifMatchOf(c, "unit", func(u *frontline.Unit) (*encoded, error) { return encodeJSON(mimeGeoJSON, u) })
}

// ifMatchOf is the If-Match precondition on one resource (what, for the
// message), whose ETag is that of encode's answer.
func ifMatchOf[T comparable](c echo.Context, what string, encode func(T) (*encoded, error)) frontline.Precondition[T] {
	header := c.Request().Header.Get("If-Match")
	if header == "" {
		return nil
	}
	return func(cur T) error {
		var none T
		if cur != none {
			e, err := encode(cur)
			if err != nil {
				return err
			}
			if strongMatch(header, e.etag) {
				return nil
			}
		}
		why := "the " + what + " does not exist"
		if cur != none {
			why = "the " + what + " has changed since"
		}
		return &apiError{status: http.StatusPreconditionFailed, code: codePreconditionFailed,
			msg: "If-Match " + header + " does not match: " + why + "; read it again (GET) and retry with its ETag"}
	}
}

// strongMatch reports whether an If-Match list names etag, or its gzip
// variant, by strong comparison (a weak tag never matches).
func strongMatch(header, etag string) bool {
	gz := strings.TrimSuffix(etag, `"`) + `-gz"`
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == etag || t == gz {
			return true
		}
	}
	return false
}

func (s *server) handleImportUnits(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, []string{"mode"}); err != nil {
		return err
	}
	replace := false
	switch q.Get("mode") {
	case "", "merge":
	case "replace":
		replace = true
	default:
		return frontline.BadParameter("mode", "mode must be merge (default) or replace, got %q", q.Get("mode"))
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	var units []*frontline.Unit
	ctype, _, _ := mime.ParseMediaType(c.Request().Header.Get("Content-Type"))
	switch ctype {
	case "text/csv", "application/csv":
		units, err = frontline.ParseUnitsCSV(body)
	case "", "application/json", "application/geo+json", "application/x-ndjson", "application/geo+json-seq":
		units, err = frontline.ParseUnits(body)
	default:
		return &apiError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedMediaType,
			msg: "send units as application/geo+json (a FeatureCollection), application/x-ndjson or text/csv, not " + ctype}
	}
	if err != nil {
		return err
	}
	out, err := s.svc.PutUnits(c.Request().Context(), units, replace)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// unitBound is the bounds of a unit's geometry.
func unitBound(u *frontline.Unit) (b orb.Bound) {
	b.Min, b.Max = u.Coords[0].Point(), u.Coords[0].Point()
	for _, p := range u.Coords {
		b = b.Extend(p.Point())
	}
	return b
}

// unitKindColor colours units by kind in exports, as the map page does.
var unitKindColor = map[string]string{
	frontline.KindTroops: "#37474f", frontline.KindAirDefense: "#1565c0", frontline.KindPatrol: "#6a1b9a",
}

// unitStyles gives each unit its kind's colour (and a patrol route a
// line width), for KML.
func unitStyles(fc *geojson.FeatureCollection) *geojson.FeatureCollection {
	for _, f := range fc.Features {
		if c, ok := unitKindColor[fmt.Sprint(f.Properties["kind"])]; ok {
			f.Properties["stroke"], f.Properties["fill"], f.Properties["marker-color"] = c, c, c
			f.Properties["stroke-width"] = 2
		}
	}
	return fc
}
