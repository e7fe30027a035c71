package server

import (
	"github.com/labstack/echo/v4"

	"frontline"
)

// posturesDoc is the answer of GET /v1/postures.
type posturesDoc struct {
	Postures []frontline.Posture `json:"postures"`
}

// postures are fixed: encoded once, with their ETag.
var postures = func() *encoded {
	e, err := encodeJSON(mimeJSON, posturesDoc{frontline.Postures})
	if err != nil {
		panic(err) // a fixed table of strings and numbers
	}
	return e
}()

func (s *server) handlePostures(c echo.Context) error {
	if err := checkParams(c.QueryParams()); err != nil {
		return err
	}
	return send(c, postures)
}
