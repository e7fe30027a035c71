package server

import (
	_ "embed"

	"github.com/labstack/echo/v4"
)

//go:embed openapi.json
var openAPI []byte

var openAPIEncoded = encode("application/json", openAPI)

func (s *server) handleOpenAPI(c echo.Context) error { return send(c, openAPIEncoded) }
