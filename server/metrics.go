package server

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"frontline"
)

// Metrics are the service's Prometheus metrics. Make them before the
// service, pass Hooks to it and the Metrics to New.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	compute   *prometheus.HistogramVec
	cache     *prometheus.CounterVec
	storeErrs *prometheus.CounterVec
}

// NewMetrics registers the metrics (and Go's runtime ones) in a registry
// of their own.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontline_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "frontline_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route", "method"}),
		compute: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "frontline_compute_duration_seconds", Help: "Duration of computations (zones, coverage) on cache misses.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"kind"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontline_cache_lookups_total", Help: "Cache lookups by cache and result (hit or miss).",
		}, []string{"cache", "result"}),
		storeErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontline_store_errors_total", Help: "Store operations that failed for another reason than bad input or absence.",
		}, []string{"op"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.compute, m.cache, m.storeErrs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Hooks returns the service's hooks feeding these metrics.
func (m *Metrics) Hooks() frontline.Hooks {
	return frontline.Hooks{
		Computed: func(kind string, d time.Duration) { m.compute.WithLabelValues(kind).Observe(d.Seconds()) },
		Cache: func(cache string, hit bool) {
			r := "miss"
			if hit {
				r = "hit"
			}
			m.cache.WithLabelValues(cache, r).Inc()
		},
		StoreError: func(op string) { m.storeErrs.WithLabelValues(op).Inc() },
	}
}

// observe counts every request by its route pattern (not its path, which
// would make a series per unit id).
func (m *Metrics) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		method := c.Request().Method
		switch method {
		case "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH":
		default:
			method = "other" // a client picks the method: keep the series bounded
		}
		m.requests.WithLabelValues(route, method, strconv.Itoa(c.Response().Status)).Inc()
		m.latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		return nil
	}
}

func (m *Metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}

// logRequests writes one structured line per request, with its request
// id; keys appear by their id only, never the secret.
func (s *server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		attrs := []any{
			"method", c.Request().Method, "path", c.Request().URL.Path, "status", c.Response().Status,
			"bytes", c.Response().Size, "ms", float64(time.Since(start).Microseconds()) / 1000,
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "remote", c.RealIP(),
		}
		if k := keyOf(c); k != nil {
			attrs = append(attrs, "key", k.ID)
		}
		s.log.Info("request", attrs...)
		return nil
	}
}

var requestID = middleware.RequestIDWithConfig(middleware.RequestIDConfig{})
