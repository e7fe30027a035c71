package server

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"
)

// The map page, built from ../web by its build script (npm run build) and
// committed, so that the service serves it without npm or any network.
//
//go:embed web
var webFiles embed.FS

// webTypes are the content types of the files the build writes; the
// system's MIME table is not consulted, so the answer is the same on every
// machine.
var webTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".woff2": "font/woff2",
	".ico":   "image/x-icon",
	".txt":   "text/plain; charset=utf-8",
}

// fingerprinted names end in the content hash the build puts in them
// (app-NWCNQGZ5.js): their content never changes, so they may be cached
// for a year.
var fingerprinted = regexp.MustCompile(`-[A-Z0-9]{8}\.[a-z0-9]+$`)

// pageCSP allows the page its own scripts, styles, data and the symbols it
// draws as data: images, and nothing from elsewhere.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

type webAsset struct {
	*encoded
	immutable bool
}

// loadWeb encodes every file of the built page once, gzip included, keyed
// by its URL path ("/" for index.html).
func loadWeb(fsys fs.FS) (map[string]webAsset, error) {
	assets := map[string]webAsset{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		ctype, ok := webTypes[path.Ext(p)]
		if !ok {
			ctype = "application/octet-stream"
		}
		e := encode(ctype, body)
		switch {
		case !strings.HasPrefix(ctype, "text/") && ctype != "application/json" && ctype != "image/svg+xml":
			e.gz = nil // already compressed
		case e.gz != nil:
			// Made once per start, so worth the best compression (a
			// fifth smaller than encode's fast one for the script).
			e.gz = gzipBest(body)
		}
		url := "/" + p
		if p == "index.html" {
			url = "/"
		}
		assets[url] = webAsset{encoded: e, immutable: strings.HasPrefix(p, "assets/") && fingerprinted.MatchString(p)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, ok := assets["/"]; !ok {
		return nil, fmt.Errorf("server: the built page has no index.html (run npm run build in web/)")
	}
	return assets, nil
}

// handleWeb serves the page and its assets: index.html revalidated on
// every load (no-cache, ETag), fingerprinted assets cached for a year.
func handleWeb(assets map[string]webAsset) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		a, ok := assets[p]
		if !ok {
			return echo.ErrNotFound
		}
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if p == "/" {
			h.Set("Content-Security-Policy", pageCSP)
			h.Set("Referrer-Policy", "no-referrer")
		}
		if a.immutable {
			// send marks every response no-cache, as API reads must be;
			// a fingerprinted file is the exception, set as the header
			// goes out.
			c.Response().Before(func() {
				h.Set("Cache-Control", "public, max-age=31536000, immutable")
			})
		}
		return send(c, a.encoded)
	}
}

func gzipBest(body []byte) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	_, _ = w.Write(body)
	_ = w.Close()
	return b.Bytes()
}
