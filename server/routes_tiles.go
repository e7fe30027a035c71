package server

import (
	"github.com/labstack/echo/v4"

	"frontline/internal/memo"
	"frontline/tiles"
)

// routesTiles registers the vector tiles and their TileJSON. Echo names
// a parameter up to the next slash, so the last ones are "layer.json"
// and "y.mvt": the handlers check the suffixes.
func (s *server) routesTiles(e *echo.Echo) {
	t := &tileHandlers{server: s, sources: memo.New[string, *tiles.Source](tileSources)}
	e.Match(getOrHead, "/v1/tiles/:layer.json", t.handleTileJSON)
	e.Match(getOrHead, "/v1/tiles/:layer/:z/:x/:y.mvt", t.handleTile)
}
