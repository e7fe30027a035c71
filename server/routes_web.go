package server

import (
	"io/fs"

	"github.com/labstack/echo/v4"
)

// routesWeb registers the map page at / and its assets under /assets/.
func (s *server) routesWeb(e *echo.Echo) {
	sub, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err)
	}
	assets, err := loadWeb(sub)
	if err != nil {
		// The files are embedded at compile time: a missing page is a
		// broken build, not a condition to serve around.
		panic(err)
	}
	h := handleWeb(assets)
	e.Match(getOrHead, "/", h)
	e.Match(getOrHead, "/assets/:file", h)
}
