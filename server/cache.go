package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

const (
	mimeGeoJSON = "application/geo+json"
	mimeJSON    = "application/json"
	mimeCSV     = "text/csv; charset=utf-8"
	// Responses smaller than this are not worth compressing.
	gzipMin = 1024
)

// encoded is a response body ready to send: its bytes, their gzip form
// (made once, when the entry is made) and their ETag.
type encoded struct {
	ctype string
	body  []byte
	gz    []byte
	etag  string
}

func encode(ctype string, body []byte) *encoded {
	sum := sha256.Sum256(body)
	e := &encoded{ctype: ctype, body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	if len(body) >= gzipMin {
		var b bytes.Buffer
		w := gzipWriters.Get().(*gzip.Writer)
		w.Reset(&b)
		_, _ = w.Write(body)
		_ = w.Close()
		gzipWriters.Put(w)
		e.gz = b.Bytes()
	}
	return e
}

// gzipWriters reuses compressors: making one allocates about a megabyte.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

func encodeJSON(ctype string, v any) (*encoded, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return encode(ctype, append(body, '\n')), nil
}

// cached serves a read from the cache, building it on a miss. The key
// must name everything the response depends on but the stored data,
// whose revisions (of the parts in deps) are added here.
//
// One build serves every request for its key that arrives while it runs,
// so it does not run on the context of the request that happened to start
// it, whose client going away would fail all the others: build gets that
// context's values (the actor) without its cancellation, bounded by
// buildTimeout.
func (s *server) cached(c echo.Context, deps int, key string, build func(ctx context.Context) (*encoded, error)) error {
	e, err := s.cache.Get(key+"#"+s.svc.Revisions(deps), func() (*encoded, error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), buildTimeout)
		defer cancel()
		return build(ctx)
	})
	if err != nil {
		return err
	}
	return send(c, e)
}

// buildTimeout bounds a shared build: long enough for the slowest
// computation on a loaded machine, short enough that no request waits on
// a stuck one for ever.
const buildTimeout = 5 * time.Minute

// send writes an encoded response: 304 when the client has it, gzip when
// it accepts it.
func send(c echo.Context, e *encoded) error {
	h := c.Response().Header()
	body, etag := e.body, e.etag
	gz := e.gz != nil && acceptsGzip(c.Request())
	if gz {
		// Each encoding is its own representation, with its own strong
		// validator (RFC 9110, 8.8.3).
		body, etag = e.gz, strings.TrimSuffix(e.etag, `"`)+`-gz"`
	}
	h.Set("ETag", etag)
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	if match := c.Request().Header.Get("If-None-Match"); match != "" && etagMatch(match, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	return c.Blob(http.StatusOK, e.ctype, body)
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) == "gzip" && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}
