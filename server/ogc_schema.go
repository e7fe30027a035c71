package server

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"frontline"
)

// The schema of a unit collection's features (OGC API - Features Part 5,
// Schemas: /collections/{id}/schema, linked from the collection as
// describedBy). OGC clients build a layer's fields from what they can
// see before reading it all: GDAL reads this schema when a collection
// links one, and otherwise only the first page of items, which for units
// sorted by id (AD-..., P-..., T-...) leaves out the troops' strength and
// the patrols' figures. Unit properties are free (SPEC 5), so the schema
// lists those the collection's units carry, typed by their values; the
// geometry is the collection's one type.

const mimeJSONSchema = "application/schema+json"

// schemaLink is the link from a collection to its schema, when it has
// one.
func schemaLink(self string, col *ogcCollection, settings url.Values) (ogcLink, bool) {
	if !col.units {
		return ogcLink{}, false
	}
	// Link relations compare case-insensitively (RFC 8288); older GDAL
	// (3.6 among them) takes only this spelling.
	return ogcLink{Href: withQuery(self+"/schema", settings), Rel: "describedBy", Type: mimeJSONSchema,
		Title: "The schema of " + col.title}, true
}

// handleSchema serves a unit collection's schema, for the settings (the
// scenario) it is asked with.
func (o *ogcAPI) handleSchema(c echo.Context) error {
	col, err := o.collection(c)
	if err != nil {
		return err
	}
	if !col.units {
		return fmt.Errorf("%w: collection %q has no schema (the unit collections %s have one)", frontline.ErrNotFound, col.id, strings.Join(o.unitCollectionIDs(), ", "))
	}
	settings, err := collectionQuery(c.QueryParams(), col.settings, false)
	if err != nil {
		return err
	}
	p, err := o.svc.ParseParams(c.Request().Context(), settings)
	if err != nil {
		return err
	}
	base := o.baseURL(c)
	key := fmt.Sprintf("ogc/collections/%s/schema?%s|%s|%s", col.id, settings.Encode(), p.Key(), base)
	return o.cached(c, col.deps, key, func(ctx context.Context) (*encoded, error) {
		features, err := col.features(ctx, timeFilter{}, p)
		if err != nil {
			return nil, err
		}
		var props []map[string]any
		for _, f := range features {
			v, _, err := f.load()
			if err != nil {
				return nil, err
			}
			if u, ok := v.(*frontline.Unit); ok {
				props = append(props, u.Properties)
			}
		}
		return encodeOGC(mimeJSONSchema, featureSchema(withQuery(base+"/collections/"+col.id+"/schema", settings), col, props))
	})
}

// featureSchema is the JSON Schema of a GeoJSON Feature of the collection
// whose features carry props.
func featureSchema(id string, col *ogcCollection, props []map[string]any) map[string]any {
	type obj = map[string]any
	types := col.geometry
	geometry := obj{"type": "object", "required": []string{"type", "coordinates"}, "properties": obj{
		"type":        obj{"type": "string", "enum": types},
		"coordinates": obj{"type": "array"}}}
	if len(types) == 1 {
		// Part 5: the primary geometry and its one type.
		geometry["title"] = types[0]
		geometry["x-ogc-role"] = "primary-geometry"
		geometry["format"] = "geometry-" + strings.ToLower(types[0])
	}
	return obj{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         id,
		"title":       col.title,
		"description": "A feature of the collection " + col.id + ": its geometry (" + strings.Join(types, " or ") + ") and the properties its units carry.",
		"type":        "object",
		"required":    []string{"type", "id", "geometry", "properties"},
		"properties": obj{
			"type":       obj{"type": "string", "enum": []string{"Feature"}},
			"id":         obj{"type": "string", "x-ogc-role": "id"},
			"geometry":   geometry,
			"properties": obj{"type": "object", "properties": propertySchemas(props)},
		},
	}
}

// propertySchemas types each property by the values the features give
// it: integer when every value is a whole number that fits 32 bits (a
// GIS field of integers), number for other numbers, string, boolean,
// array, object; a property of more than one type lists them.
func propertySchemas(props []map[string]any) map[string]any {
	seen := map[string]map[string]bool{}
	for _, m := range props {
		for k, v := range m {
			if seen[k] == nil {
				seen[k] = map[string]bool{}
			}
			seen[k][jsonType(v)] = true
		}
	}
	out := make(map[string]any, len(seen))
	for k, ts := range seen {
		if ts["integer"] && ts["number"] {
			delete(ts, "integer")
		}
		names := slices.Sorted(maps.Keys(ts))
		if len(names) == 1 {
			out[k] = map[string]any{"type": names[0]}
		} else {
			out[k] = map[string]any{"type": names}
		}
	}
	return out
}

// jsonType is the JSON Schema type of a property value as decoded from
// JSON (numbers as json.Number) or set by the service.
func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if n, err := v.Int64(); err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
			return "integer"
		}
		return "number"
	case float64, float32:
		f, _ := v.(float64)
		if g, ok := v.(float32); ok {
			f = float64(g)
		}
		if f == math.Trunc(f) && f >= math.MinInt32 && f <= math.MaxInt32 {
			return "integer"
		}
		return "number"
	case int, int32, int64:
		return "integer"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "string"
}
