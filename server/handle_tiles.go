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
	"github.com/paulmach/orb/geojson"

	"frontline"
	"frontline/internal/memo"
	"frontline/overlay"
	"frontline/tiles"
)

const mimeMVT = "application/vnd.mapbox-vector-tile"

// tileSources bounds the layers kept projected for tiles: one per layer,
// what-if settings and data revision, each a few MB at most.
const tileSources = 32

// tileJSONMaxZoom is the zoom TileJSON offers: tiles are served to
// tiles.MaxZoom, but past 16 (tile units of 10 cm) a client gains nothing
// over scaling up the tiles it has.
const tileJSONMaxZoom = 16

// tileLayer is a layer served as vector tiles, each tile one MVT layer of
// its name: what it shows and how it is drawn.
type tileLayer struct {
	name, description string
	// deps is the stored data the layer is drawn from, for Revisions.
	deps int
	// key is the part of the settings the layer depends on.
	key  func(p frontline.Params) string
	draw func(s *server, ctx context.Context, p frontline.Params) (*geojson.FeatureCollection, error)
}

// tileLayers are the layers served as vector tiles: the line as GET
// /v1/frontline shows it, the overlays, and the units as GET /v1/units
// shows them.
var tileLayers = []tileLayer{
	{name: "frontline", description: "the line of contact, with its version's properties",
		deps: frontline.DependsOnLines, key: lineVersionKey, draw: (*server).drawLine},
	overlayLayer("sectors", "the sectors' pieces of the line, with their coverage and status and simplestyle stroke"),
	overlayLayer("zones", "the sectors' zones, with their coverage and status and simplestyle stroke and fill"),
	overlayLayer("air-defense", "air-defense range rings"),
	overlayLayer("gaps", "line pieces no patrol sees and zone parts no air defense covers"),
	{name: "units", description: "units: troops and air defense as points, patrols as points or routes, with their properties",
		deps: frontline.DependsOnUnits, key: func(p frontline.Params) string { return "scenario=" + p.Scenario }, draw: (*server).drawUnits},
}

// overlayLayer is the tile layer of one of the styled overlays, drawn as
// the GeoJSON overlay is, whole: tiles simplify and cut it themselves.
func overlayLayer(name, description string) tileLayer {
	return tileLayer{name: name, description: description, deps: frontline.DependsOnAll, key: frontline.Params.Key,
		draw: func(s *server, ctx context.Context, p frontline.Params) (*geojson.FeatureCollection, error) {
			return s.drawOverlay(ctx, name, p, overlay.Options{})
		}}
}

// lineVersionKey is the part of the settings the line depends on: the
// version they select.
func lineVersionKey(p frontline.Params) string {
	return "version=" + strconv.Itoa(p.Version) + "&at=" + p.At.UTC().Format(time.RFC3339Nano)
}

func (s *server) drawLine(ctx context.Context, p frontline.Params) (*geojson.FeatureCollection, error) {
	lv, line, err := s.svc.Line(ctx, p)
	if err != nil {
		return nil, err
	}
	return overlay.Line(lv, line), nil
}

func (s *server) drawUnits(ctx context.Context, p frontline.Params) (*geojson.FeatureCollection, error) {
	units, _, err := s.svc.UnitsFor(ctx, p.Scenario)
	if err != nil {
		return nil, err
	}
	return overlay.Units(units), nil
}

// tileLayerNamed returns the tile layer of a name, or a not-found error.
func tileLayerNamed(name string) (*tileLayer, error) {
	names := make([]string, len(tileLayers))
	for i := range tileLayers {
		if tileLayers[i].name == name {
			return &tileLayers[i], nil
		}
		names[i] = tileLayers[i].name
	}
	return nil, fmt.Errorf("%w: no tile layer %q (there are %s)", frontline.ErrNotFound, name, strings.Join(names, ", "))
}

// tileHandlers serve vector tiles. They keep each layer projected (a
// tiles.Source, with its simplification per zoom) by what-if settings and
// data revision, so that a tile missing from the response cache is only
// cut and encoded.
type tileHandlers struct {
	*server
	sources *memo.Cache[string, *tiles.Source]
}

// errEmptyTile is how a build reports a tile with no features; it is
// answered 204 and not cached.
var errEmptyTile = errors.New("server: empty tile")

// handleTile serves one Mapbox Vector Tile of a layer with one MVT layer
// of the same name, gzip-compressed for clients that accept it. A tile no
// feature reaches into is answered 204 No Content, with no body. It takes
// the coverage what-if parameters, as the overlays do.
func (t *tileHandlers) handleTile(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams); err != nil {
		return err
	}
	layer, err := tileLayerNamed(c.Param("layer"))
	if err != nil {
		return err
	}
	z, x, y, err := tileAddress(c)
	if err != nil {
		return err
	}
	p, err := t.svc.ParseParams(c.Request().Context(), q)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("tile/%s/%d/%d/%d?%s", layer.name, z, x, y, layer.key(p))
	err = t.cached(c, layer.deps, key, func(ctx context.Context) (*encoded, error) {
		src, err := t.source(ctx, layer, p)
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

// tileAddress reads a tile's z, x and y from the path and checks them.
func tileAddress(c echo.Context) (z, x, y int, err error) {
	last := c.Param("y.mvt")
	ys, ok := strings.CutSuffix(last, ".mvt")
	if !ok {
		return 0, 0, 0, frontline.BadParameter("y", "a tile's path ends in /{z}/{x}/{y}.mvt, got %q", "/"+c.Param("z")+"/"+c.Param("x")+"/"+last)
	}
	var zxy [3]int
	for i, v := range []struct{ name, s string }{{"z", c.Param("z")}, {"x", c.Param("x")}, {"y", ys}} {
		n, err := strconv.Atoi(v.s)
		if err != nil || v.s[0] == '+' || v.s[0] == '-' {
			return 0, 0, 0, frontline.BadParameter(v.name, "%s must be a whole number, got %q", v.name, v.s)
		}
		zxy[i] = n
	}
	var bad *tiles.AddressError
	if err := tiles.CheckAddress(zxy[0], zxy[1], zxy[2]); errors.As(err, &bad) {
		return 0, 0, 0, frontline.BadParameter(bad.Field, "%s", bad.Message)
	} else if err != nil {
		return 0, 0, 0, err
	}
	return zxy[0], zxy[1], zxy[2], nil
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

// handleTileJSON describes a layer's tiles as TileJSON 3.0.0. Its tiles
// URL is absolute, from the request's scheme and host, and keeps the
// request's what-if parameters.
func (t *tileHandlers) handleTileJSON(c echo.Context) error {
	q := c.QueryParams()
	if err := checkParams(q, coverageParams); err != nil {
		return err
	}
	name, ok := strings.CutSuffix(c.Param("layer.json"), ".json")
	if !ok {
		return fmt.Errorf("%w: no route %s (a layer's TileJSON is /v1/tiles/{layer}.json)", frontline.ErrNotFound, c.Request().URL.Path)
	}
	layer, err := tileLayerNamed(name)
	if err != nil {
		return err
	}
	p, err := t.svc.ParseParams(c.Request().Context(), q)
	if err != nil {
		return err
	}
	tmpl := baseURL(c, t.cfg.TrustProxy) + "/v1/tiles/" + layer.name + "/{z}/{x}/{y}.mvt"
	if len(q) > 0 {
		tmpl += "?" + q.Encode()
	}
	key := "tilejson/" + layer.name + "?" + p.Key() + "&" + tmpl
	return t.cached(c, layer.deps|frontline.DependsOnLines, key, func(ctx context.Context) (*encoded, error) {
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
		desc := "frontline " + layer.name + ": " + layer.description + ". Mapbox Vector Tiles, one layer named " + layer.name +
			"; a tile no feature reaches into is answered 204 No Content."
		return encodeJSON(mimeJSON, tileJSON{
			TileJSON: "3.0.0", Name: "frontline " + layer.name, Description: desc, Scheme: "xyz",
			Tiles: []string{tmpl}, MinZoom: 0, MaxZoom: tileJSONMaxZoom, Bounds: bounds,
			Center:       [3]float64{r6((bounds[0] + bounds[2]) / 2), r6((bounds[1] + bounds[3]) / 2), zoom},
			VectorLayers: []vectorLayer{{ID: layer.name, Description: layer.description, MinZoom: 0, MaxZoom: tileJSONMaxZoom, Fields: src.Fields()}},
		})
	})
}

// source returns a layer projected for tiles, made once per what-if
// settings and revision of the data it is drawn from.
func (t *tileHandlers) source(ctx context.Context, layer *tileLayer, p frontline.Params) (*tiles.Source, error) {
	key := layer.name + "?" + layer.key(p) + "#" + t.svc.Revisions(layer.deps)
	return t.sources.Get(key, func() (*tiles.Source, error) {
		fc, err := layer.draw(t.server, ctx, p)
		if err != nil {
			return nil, err
		}
		return tiles.NewSource(layer.name, fc), nil
	})
}
