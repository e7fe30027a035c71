package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"frontline"
	"frontline/internal/memo"
)

const mimeMVT = "application/vnd.mapbox-vector-tile"

// tileSources bounds the layers kept projected for tiles: one per layer,
// what-if settings and data revision, each a few MB at most.
const tileSources = 32

// tileJSONMaxZoom is the zoom TileJSON offers: tiles are served to
// frontline.MaxTileZoom, but past 16 (tile units of 10 cm) a client
// gains nothing over scaling up the tiles it has.
const tileJSONMaxZoom = 16

// tiles serves vector tiles. It keeps each layer projected (a
// frontline.TileSource, with its simplification per zoom) by what-if
// settings and data revision, so that a tile missing from the response
// cache is only cut and encoded.
type tiles struct {
	*server
	sources *memo.Cache[string, *frontline.TileSource]
}

// errEmptyTile is how a build reports a tile with no features; it is
// answered 204 and not cached.
var errEmptyTile = errors.New("server: empty tile")

// handleTile serves one Mapbox Vector Tile of a layer with one MVT layer
// of the same name, gzip-compressed for clients that accept it. A tile no
// feature reaches into is answered 204 No Content, with no body. It takes
// the coverage what-if parameters, as the overlays do.
func (t *tiles) handleTile(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams); err != nil {
		return err
	}
	layer := c.Param("layer")
	if err := checkTileLayer(layer); err != nil {
		return err
	}
	last := c.Param("y.mvt")
	ys, ok := strings.CutSuffix(last, ".mvt")
	if !ok {
		return badParam("y", "a tile's path ends in /{z}/{x}/{y}.mvt, got %q", "/"+c.Param("z")+"/"+c.Param("x")+"/"+last)
	}
	var zxy [3]int
	for i, v := range []struct{ name, s string }{{"z", c.Param("z")}, {"x", c.Param("x")}, {"y", ys}} {
		n, err := strconv.Atoi(v.s)
		if err != nil || v.s[0] == '+' || v.s[0] == '-' {
			return badParam(v.name, "%s must be a whole number, got %q", v.name, v.s)
		}
		zxy[i] = n
	}
	z, x, y := zxy[0], zxy[1], zxy[2]
	if err := frontline.CheckTile(z, x, y); err != nil {
		return err
	}
	p, err := t.svc.ParseParams(q)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("tile/%s/%d/%d/%d?%s", layer, z, x, y, tileKey(layer, p))
	err = t.cached(c, frontline.TileDepends(layer), key, func() (*encoded, error) {
		src, err := t.source(c.Request().Context(), layer, p)
		if err != nil {
			return nil, err
		}
		tile, err := src.Tile(z, x, y)
		if err != nil {
			return nil, err
		}
		if len(tile.Features) == 0 {
			return nil, errEmptyTile
		}
		return encode(mimeMVT, tile.MarshalMVT()), nil
	})
	if errors.Is(err, errEmptyTile) {
		return c.NoContent(http.StatusNoContent)
	}
	return err
}

// tileJSON is a TileJSON 3.0.0 document.
type tileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Bounds       [4]float64    `json:"bounds"`
	Center       [3]float64    `json:"center"`
	VectorLayers []vectorLayer `json:"vector_layers"`
}

type vectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

var tileLayerDescriptions = map[string]string{
	"frontline":   "the line of contact, with its version's properties",
	"sectors":     "the sectors' pieces of the line, with their coverage and status and simplestyle stroke",
	"zones":       "the sectors' zones, with their coverage and status and simplestyle stroke and fill",
	"air-defense": "air-defense range rings",
	"gaps":        "line pieces no patrol sees and zone parts no air defense covers",
	"units":       "units: troops and air defense as points, patrols as points or routes, with their properties",
}

// handleTileJSON describes a layer's tiles as TileJSON 3.0.0. Its tiles
// URL is absolute, from the request's scheme and host, and keeps the
// request's what-if parameters.
func (t *tiles) handleTileJSON(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams); err != nil {
		return err
	}
	layer, ok := strings.CutSuffix(c.Param("layer.json"), ".json")
	if !ok {
		return fmt.Errorf("%w: no route %s (a layer's TileJSON is /v1/tiles/{layer}.json)", frontline.ErrNotFound, c.Request().URL.Path)
	}
	if err := checkTileLayer(layer); err != nil {
		return err
	}
	p, err := t.svc.ParseParams(q)
	if err != nil {
		return err
	}
	tmpl := baseURL(c, t.cfg.TrustProxy) + "/v1/tiles/" + layer + "/{z}/{x}/{y}.mvt"
	if len(q) > 0 {
		tmpl += "?" + q.Encode()
	}
	ctx := c.Request().Context()
	return t.cached(c, frontline.TileDepends(layer)|frontline.DependsOnLines, "tilejson/"+layer+"?"+p.Key()+"&"+tmpl, func() (*encoded, error) {
		src, err := t.source(ctx, layer, p)
		if err != nil {
			return nil, err
		}
		_, line, err := t.svc.Line(ctx, p)
		if err != nil {
			return nil, err
		}
		// The line's bounds, widened to the layer's features (range rings
		// reach far past the line).
		b := line.Bound()
		if sb, ok := src.Bound(); ok {
			b = b.Union(sb)
		}
		r6 := func(v float64) float64 { return math.Round(v*1e6) / 1e6 }
		const maxLat = 85.051129
		bounds := [4]float64{r6(math.Max(b.Min[0], -180)), r6(math.Max(b.Min[1], -maxLat)), r6(math.Min(b.Max[0], 180)), r6(math.Min(b.Max[1], maxLat))}
		// The zoom at which the bounds span about one tile.
		span := math.Max(bounds[2]-bounds[0], bounds[3]-bounds[1])
		zoom := math.Max(0, math.Min(tileJSONMaxZoom, math.Floor(math.Log2(360/math.Max(span, 1e-9)))))
		desc := "frontline " + layer + ": " + tileLayerDescriptions[layer] + ". Mapbox Vector Tiles, one layer named " + layer +
			"; a tile no feature reaches into is answered 204 No Content."
		return encodeJSON(mimeJSON, tileJSON{
			TileJSON: "3.0.0", Name: "frontline " + layer, Description: desc, Scheme: "xyz",
			Tiles: []string{tmpl}, MinZoom: 0, MaxZoom: tileJSONMaxZoom, Bounds: bounds,
			Center:       [3]float64{r6((bounds[0] + bounds[2]) / 2), r6((bounds[1] + bounds[3]) / 2), zoom},
			VectorLayers: []vectorLayer{{ID: layer, Description: tileLayerDescriptions[layer], MinZoom: 0, MaxZoom: tileJSONMaxZoom, Fields: src.Fields()}},
		})
	})
}

// source returns a layer projected for tiles, made once per what-if
// settings and revision of the data it is drawn from.
func (t *tiles) source(ctx context.Context, layer string, p frontline.Params) (*frontline.TileSource, error) {
	key := layer + "?" + tileKey(layer, p) + "#" + t.svc.Revisions(frontline.TileDepends(layer))
	return t.sources.Get(key, func() (*frontline.TileSource, error) { return t.svc.TileSource(ctx, layer, p) })
}

// tileKey is the part of the settings a layer depends on: the line only
// needs its version, the units nothing.
func tileKey(layer string, p frontline.Params) string {
	switch layer {
	case "frontline":
		return "version=" + strconv.Itoa(p.Version) + "&at=" + p.At.UTC().Format(time.RFC3339Nano)
	case "units":
		return ""
	}
	return p.Key()
}

func checkTileLayer(layer string) error {
	for _, l := range frontline.TileLayers {
		if l == layer {
			return nil
		}
	}
	return fmt.Errorf("%w: no tile layer %q (there are %s)", frontline.ErrNotFound, layer, strings.Join(frontline.TileLayers, ", "))
}
