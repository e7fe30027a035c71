package server

import "github.com/labstack/echo/v4"

// routesOGC registers the ogc endpoints: OGC API - Features under /ogc.
func (s *server) routesOGC(e *echo.Echo) {
	o := newOGCAPI(s)
	e.GET("/ogc", o.handleLanding)
	e.GET("/ogc/api", o.handleAPI)
	e.GET("/ogc/conformance", o.handleConformance)
	e.GET("/ogc/collections", o.handleCollections)
	e.GET("/ogc/collections/:collection", o.handleCollection)
	e.GET("/ogc/collections/:collection/items", o.handleItems)
	e.GET("/ogc/collections/:collection/items/:feature", o.handleItem)
}
