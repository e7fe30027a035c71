package server

import (
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"frontline"
	"frontline/overlay"
)

// shapedParams reads a drawn read's shape parameters and then its coverage
// settings (the query without the shape parameters).
func (s *server) shapedParams(c echo.Context, q url.Values) (frontline.Params, overlay.Options, string, error) {
	sh, shapeKey, err := parseShape(q)
	if err != nil {
		return frontline.Params{}, sh, "", err
	}
	for _, n := range shapeParams {
		q.Del(n)
	}
	p, err := s.svc.ParseParams(c.Request().Context(), q)
	return p, sh, shapeKey, err
}

// parseShape reads how a GeoJSON answer is drawn: bbox, simplify
// (metres) or zoom, and precision. The text it returns names them for
// cache keys.
func parseShape(q url.Values) (overlay.Options, string, error) {
	sh := overlay.Options{Precision: 6}
	var key strings.Builder
	if v := q.Get("bbox"); v != "" {
		parts := strings.Split(v, ",")
		if len(parts) != 4 {
			return sh, "", frontline.BadParameter("bbox", "bbox must be minLon,minLat,maxLon,maxLat, got %q", v)
		}
		var f [4]float64
		for i, p := range parts {
			x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return sh, "", frontline.BadParameter("bbox", "bbox must be four numbers, got %q", v)
			}
			f[i] = x
		}
		if f[0] < -180 || f[2] > 180 || f[1] < -90 || f[3] > 90 || f[0] > f[2] || f[1] > f[3] {
			return sh, "", frontline.BadParameter("bbox", "bbox %q is not minLon,minLat,maxLon,maxLat within [-180, 180] x [-90, 90]", v)
		}
		sh.BBox, sh.HasBBox = orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}, true
		key.WriteString("bbox=" + v + "&")
	}
	if v := q.Get("simplify"); v != "" {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || !(x >= 0) || x > 100000 {
			return sh, "", frontline.BadParameter("simplify", "simplify must be a tolerance in metres from 0 to 100000, got %q", v)
		}
		sh.Tolerance = x
	}
	if v := q.Get("zoom"); v != "" {
		z, err := strconv.Atoi(v)
		if err != nil || z < 0 || z > 24 {
			return sh, "", frontline.BadParameter("zoom", "zoom must be a whole number from 0 to 24, got %q", v)
		}
		// Half a pixel of a 256-pixel web-mercator tile at that zoom.
		sh.Tolerance = 156543.03 / math.Pow(2, float64(z)) / 2
	}
	if v := q.Get("precision"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 15 {
			return sh, "", frontline.BadParameter("precision", "precision must be a number of decimals from 1 to 15, got %q", v)
		}
		sh.Precision = p
	}
	key.WriteString("tol=" + strconv.FormatFloat(sh.Tolerance, 'g', -1, 64) + "&prec=" + strconv.Itoa(sh.Precision))
	return sh, key.String(), nil
}

// The query parameters of the coverage settings and of the drawing of a
// GeoJSON answer. checkParams refuses anything a read does not take, so
// that a misspelt "what if" never silently answers with the defaults.
var (
	coverageParams = frontline.SettingNames(true)
	shapeParams    = []string{"bbox", "simplify", "zoom", "precision"}
)

func checkParams(q url.Values, allowed ...[]string) error {
	for name := range q {
		ok := false
		for _, list := range allowed {
			for _, a := range list {
				if a == name {
					ok = true
				}
			}
		}
		if !ok {
			var all []string
			for _, list := range allowed {
				all = append(all, list...)
			}
			return frontline.BadParameter(name, "unknown parameter %q (this endpoint takes %s)", name, strings.Join(all, ", "))
		}
	}
	return nil
}

// Media types of request bodies.
var (
	jsonBodies  = []string{"application/json", "application/geo+json"}
	bulkBodies  = []string{"application/json", "application/geo+json", "application/x-ndjson", "application/geo+json-seq"}
	unitsBodies = []string{"application/json", "application/geo+json", "application/x-ndjson", "application/geo+json-seq", "text/csv", "application/csv"}
)

// bodyTypes are the media types each route's body may have, where they
// are more than JSON's; a body sent as anything else (a form, plain text)
// is refused with 415 rather than guessed at. A body without a
// Content-Type is read as the route's first type.
var bodyTypes = map[string][]string{
	"/v1/frontline/bulk": bulkBodies,
	"/v1/areas/bulk":     bulkBodies,
	"/v1/units/bulk":     unitsBodies,
}

// readBody reads the whole request body (bounded by the body limit),
// after checking its media type against the route's.
func readBody(c echo.Context) ([]byte, error) {
	allowed, ok := bodyTypes[c.Path()]
	if !ok {
		allowed = jsonBodies
	}
	if h := c.Request().Header.Get("Content-Type"); h != "" {
		ctype, _, err := mime.ParseMediaType(h)
		if err != nil || !slices.Contains(allowed, ctype) {
			return nil, &apiError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedMediaType,
				msg: fmt.Sprintf("Content-Type %q is not accepted here; send %s", h, strings.Join(allowed, ", "))}
		}
	}
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// baseURL is the scheme and host the client reached the server by; behind
// a trusted proxy, the ones it forwards (X-Forwarded-Proto and -Host).
func baseURL(c echo.Context, trustProxy bool) string {
	r := c.Request()
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if trustProxy {
		if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
			scheme = p
		}
		if h, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Host"), ","); strings.TrimSpace(h) != "" {
			host = strings.TrimSpace(h)
		}
	}
	return scheme + "://" + host
}

// pathParam returns a path parameter decoded once. Echo matches on the
// escaped path when the URL has one (RawPath set) and then hands the
// parameter over still escaped; otherwise it is decoded already, and
// decoding it again would turn "x%2541" into "xA".
func pathParam(c echo.Context, name string) (string, error) {
	v := c.Param(name)
	if c.Request().URL.RawPath == "" {
		return v, nil
	}
	d, err := url.PathUnescape(v)
	if err != nil {
		return "", frontline.BadParameter(name, "bad %s in path", name)
	}
	return d, nil
}
