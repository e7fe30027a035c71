// Package server speaks HTTP: it parses requests, calls the service and
// encodes results. Results of reads are cached as encoded bytes (and
// their gzip form) keyed by the data's revision, so a repeated read costs
// a map lookup and a write.
package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"frontline"
	"frontline/internal/memo"
)

// Config holds the server's settings.
type Config struct {
	// MaxBodyBytes bounds request bodies (413 beyond it).
	MaxBodyBytes int64
	// CacheEntries and CacheBytes bound the encoded responses kept in
	// memory (plain and gzip bytes counted).
	CacheEntries int
	CacheBytes   int
	// ClosedReads makes every read need a read key (reads are open by
	// default, for a demo).
	ClosedReads bool
	// ProtectUnits makes unit positions (the units and the air-defense
	// rings) need a read key while the line and sector overlays stay open.
	ProtectUnits bool
	// ReadRate and WriteRate bound each client's requests per second (a
	// client is its API key, or its address without one); 0 means no
	// limit. Bursts of twice the rate pass.
	ReadRate, WriteRate float64
	// TrustProxy takes the client's address from X-Forwarded-For and
	// X-Real-IP, for a server behind a reverse proxy; otherwise those
	// headers are ignored, so a client cannot pick its own address.
	TrustProxy bool
	Logger     *slog.Logger
	Metrics    *Metrics
	// DemoUnits are the demonstration units as first shipped, unmarked,
	// so that removing the demo data finds them in older databases.
	DemoUnits []*frontline.Unit
}

// Defaults of Config.
const (
	DefaultMaxBodyBytes = 64 << 20
	DefaultCacheEntries = 1024
	DefaultCacheBytes   = 64 << 20
	DefaultReadRate     = 2000
	DefaultWriteRate    = 20
)

type server struct {
	svc        *frontline.Service
	cfg        Config
	cache      *memo.Cache[string, *encoded]
	log        *slog.Logger
	readLimit  *limiter
	writeLimit *limiter
}

// New builds the HTTP handler over the service.
func New(svc *frontline.Service, cfg Config) *echo.Echo {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.CacheEntries <= 0 {
		cfg.CacheEntries = DefaultCacheEntries
	}
	if cfg.CacheBytes <= 0 {
		cfg.CacheBytes = DefaultCacheBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	s := &server{svc: svc, cfg: cfg, cache: memo.NewWeighted[string](cfg.CacheEntries, cfg.CacheBytes, func(e *encoded) int { return len(e.body) + len(e.gz) }), log: cfg.Logger,
		readLimit: newLimiter(cfg.ReadRate, 0), writeLimit: newLimiter(cfg.WriteRate, 0)}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	e.Use(requestID, s.logRequests, cfg.Metrics.observe)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.Error("panic", "err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "stack", string(stack))
			return err
		},
	}))
	e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins:  []string{"*"},
		AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete},
		AllowHeaders:  []string{"Content-Type", "Authorization", "X-API-Key", "If-None-Match", "If-Match"},
		ExposeHeaders: []string{"ETag", "Location", "Retry-After", echo.HeaderXRequestID},
	}))
	e.Use(s.limitBody, s.authenticate, s.limitRate)

	s.register(e, s.routes())
	return e
}

// limitBody refuses bodies over the limit with 413 before reading them
// whole, whatever Content-Length says.
func (s *server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.ContentLength > s.cfg.MaxBodyBytes {
			return errTooLarge(s.cfg.MaxBodyBytes)
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(c.Response(), r.Body, s.cfg.MaxBodyBytes)
		}
		return next(c)
	}
}

func errTooLarge(limit int64) error {
	return &apiError{status: http.StatusRequestEntityTooLarge, code: codeTooLarge,
		msg: "request body is larger than the limit of " + strconv.FormatInt(limit, 10) + " bytes"}
}

// apiError is an error with its own status, for what only HTTP knows.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

type errorBody struct {
	Error struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details,omitempty"`
	} `json:"error"`
}

// inputStatus maps the code of a refused input to its status: 400 when
// the request is malformed, 413 when it is too large, 409 when it
// conflicts with what is stored; otherwise 422 (well-formed, but it breaks
// a rule of the data).
var inputStatus = map[frontline.Code]int{
	frontline.CodeNotJSON: http.StatusBadRequest, frontline.CodeNotGeoJSON: http.StatusBadRequest,
	frontline.CodeDuplicateKey: http.StatusBadRequest, frontline.CodeEmpty: http.StatusBadRequest,
	frontline.CodeBadCSV: http.StatusBadRequest, frontline.CodeNotFeatureCollection: http.StatusBadRequest,
	frontline.CodeNotFeature: http.StatusBadRequest, frontline.CodeBadParameter: http.StatusBadRequest,
	frontline.CodeTooManyFeatures: http.StatusRequestEntityTooLarge, frontline.CodeTooManyVertices: http.StatusRequestEntityTooLarge,
	frontline.CodeLengthChange: http.StatusConflict,
}

// Codes of errors only HTTP knows (the domain's are frontline.Code).
const (
	codeInternal             = "internal"
	codeNotFound             = "not_found"
	codeConflict             = "conflict"
	codeUnauthorized         = "unauthorized"
	codeForbidden            = "forbidden"
	codeBusy                 = "busy"
	codeUnavailable          = "unavailable"
	codeTooLarge             = "too_large"
	codeUnsupportedMediaType = "unsupported_media_type"
	codePreconditionFailed   = "precondition_failed"
	codeRateLimited          = "rate_limited"
	codeMethodNotAllowed     = "method_not_allowed"
	codeBadRequest           = "bad_request"
)

// handleError writes every error as {"error": {...}}; it is the one place
// that maps errors to statuses.
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var body errorBody
	status := http.StatusInternalServerError
	body.Error.Code, body.Error.Message = codeInternal, "internal error"
	var in *frontline.InputError
	var ae *apiError
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &in):
		status = http.StatusUnprocessableEntity
		if st, ok := inputStatus[in.Code]; ok {
			status = st
		}
		body.Error.Code, body.Error.Message = string(in.Code), in.Error()
		d := map[string]any{}
		if in.At.Feature >= 0 {
			d["feature"] = in.At.Feature
		}
		if in.At.Part >= 0 {
			d["part"] = in.At.Part
		}
		if in.At.Vertex >= 0 {
			d["vertex"] = in.At.Vertex
		}
		if in.At.Field != "" {
			d["field"] = in.At.Field
		}
		if len(d) > 0 {
			body.Error.Details = d
		}
	case errors.As(err, &mbe):
		status, body.Error.Code = http.StatusRequestEntityTooLarge, codeTooLarge
		body.Error.Message = "request body is larger than the limit of " + strconv.FormatInt(mbe.Limit, 10) + " bytes"
	case errors.As(err, &ae):
		status, body.Error.Code, body.Error.Message = ae.status, ae.code, ae.msg
	case errors.Is(err, frontline.ErrNotFound):
		status, body.Error.Code, body.Error.Message = http.StatusNotFound, codeNotFound, trimKind(err)
	case errors.Is(err, frontline.ErrConflict):
		status, body.Error.Code, body.Error.Message = http.StatusConflict, codeConflict, trimKind(err)
	case errors.Is(err, frontline.ErrUnauthorized):
		status, body.Error.Code, body.Error.Message = http.StatusUnauthorized, codeUnauthorized, trimKind(err)
	case errors.Is(err, frontline.ErrBusy):
		c.Response().Header().Set("Retry-After", "5")
		status, body.Error.Code, body.Error.Message = http.StatusServiceUnavailable, codeBusy, trimKind(err)
	case errors.Is(err, frontline.ErrUnavailable):
		c.Response().Header().Set("Retry-After", "5")
		status, body.Error.Code = http.StatusServiceUnavailable, codeUnavailable
		body.Error.Message = "the database is unavailable; cached answers are still served, and writes and new computations work again once it is back: " + trimKind(err)
	case errors.As(err, &he):
		status = he.Code
		body.Error.Code = codeForStatus(he.Code)
		if m, ok := he.Message.(string); ok {
			body.Error.Message = m
		} else {
			body.Error.Message = http.StatusText(he.Code)
		}
	default:
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="frontline"`)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, body)
}

// trimKind drops the sentinel's own words ("frontline: not found") and
// the store's package prefix from a message shown to a client.
func trimKind(err error) string {
	msg := err.Error()
	for _, k := range []error{frontline.ErrNotFound, frontline.ErrConflict, frontline.ErrUnauthorized, frontline.ErrBusy, frontline.ErrUnavailable} {
		msg = strings.TrimPrefix(msg, k.Error()+": ")
		msg = strings.TrimSuffix(msg, ": "+k.Error())
	}
	return strings.TrimPrefix(strings.TrimPrefix(msg, "sqlite: "), "postgres: ")
}

func codeForStatus(status int) string {
	switch status {
	case http.StatusNotFound:
		return codeNotFound
	case http.StatusMethodNotAllowed:
		return codeMethodNotAllowed
	case http.StatusRequestEntityTooLarge:
		return codeTooLarge
	case http.StatusUnsupportedMediaType:
		return codeUnsupportedMediaType
	}
	if status >= 500 {
		return codeInternal
	}
	return codeBadRequest
}

func (s *server) handleHealth(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) handleReady(c echo.Context) error {
	if err := s.svc.Ready(c.Request().Context()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": trimKind(err)})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// getOrHead routes HEAD wherever GET goes (RFC 9110): the handler runs as
// for GET and net/http sends the headers without the body.
var getOrHead = []string{http.MethodGet, http.MethodHead}
