package server

import "github.com/labstack/echo/v4"

// routesOGC registers the ogc endpoints: OGC API - Features under /ogc.
func (s *server) routesOGC(e *echo.Echo) {
	o := newOGCAPI(s)
	e.Match(getOrHead, "/ogc", o.handleLanding)
	e.Match(getOrHead, "/ogc/api", o.handleAPI)
	e.Match(getOrHead, "/ogc/conformance", o.handleConformance)
	e.Match(getOrHead, "/ogc/collections", o.handleCollections)
	e.Match(getOrHead, "/ogc/collections/:collection", o.handleCollection)
	e.Match(getOrHead, "/ogc/collections/:collection/items", o.handleItems)
	e.Match(getOrHead, "/ogc/collections/:collection/items/:feature", o.handleItem)
}
