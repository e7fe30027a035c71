package server

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// limiter keeps one token bucket per client: the API key when the request
// has one, else the remote address. Idle buckets are dropped.
type limiter struct {
	rate  rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	used time.Time
}

func newLimiter(perSecond float64, burst int) *limiter {
	if perSecond <= 0 {
		return nil
	}
	if burst < 1 {
		burst = int(math.Max(1, 2*perSecond))
	}
	return &limiter{rate: rate.Limit(perSecond), burst: burst, buckets: map[string]*bucket{}}
}

// wait returns how long the client must wait before this request would be
// allowed, or 0 if it is allowed now (and counted).
func (l *limiter) wait(client string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.used) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[client]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.rate, l.burst)}
		l.buckets[client] = b
	}
	b.used = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}

// limitRate answers 429 with Retry-After when a client goes over its
// rate: reads and writes have separate budgets.
func (s *server) limitRate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		l := s.readLimit
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
			l = s.writeLimit
		}
		if l == nil {
			return next(c)
		}
		client := "addr:" + c.RealIP()
		if k := keyOf(c); k != nil {
			client = "key:" + k.ID
		}
		if d := l.wait(client, time.Now()); d > 0 {
			return tooMany(c, d)
		}
		return next(c)
	}
}

// tooMany answers 429 with the seconds to wait.
func tooMany(c echo.Context, d time.Duration) error {
	secs := int(math.Ceil(d.Seconds()))
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	return &apiError{status: http.StatusTooManyRequests, code: codeRateLimited,
		msg: "too many requests; retry after " + strconv.Itoa(secs) + " s"}
}
