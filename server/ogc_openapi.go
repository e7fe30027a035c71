package server

import (
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"frontline"
)

// ogcOpenAPI is the OpenAPI 3.0 definition of the OGC API (/ogc/api).
// Clients read it: GDAL takes its page size from the maximum of limit.
// The settings are those of frontline.Settings that some collection
// takes, each said with the collections that take it.
func ogcOpenAPI(collections []*ogcCollection) map[string]any {
	type obj = map[string]any
	collectionIDs := make([]string, len(collections))
	for i, col := range collections {
		collectionIDs[i] = col.id
	}
	ref := func(kind, name string) obj { return obj{"$ref": "#/components/" + kind + "/" + name} }
	content := func(schema string, types ...string) obj {
		c := obj{}
		for _, t := range types {
			c[t] = obj{"schema": ref("schemas", schema)}
		}
		return c
	}
	ok := func(description, schema string, types ...string) obj {
		return obj{"description": description, "content": content(schema, types...)}
	}
	get := func(id, summary string, params []obj, responses obj) obj {
		return obj{"get": obj{"operationId": id, "summary": summary, "tags": []string{"OGC API - Features"},
			"parameters": params, "responses": responses}}
	}
	p := func(name string) obj { return ref("parameters", name) }
	// The settings, in the table's order, as parameters of every request
	// for a collection or its features.
	settingParams := obj{}
	var settingRefs []obj
	for _, st := range frontline.Settings {
		var takenBy []string
		for _, col := range collections {
			if slices.Contains(col.settings, st.Name) {
				takenBy = append(takenBy, col.id)
			}
		}
		if len(takenBy) == 0 {
			continue
		}
		settingParams[st.Name] = obj{"name": st.Name, "in": "query", "required": false, "style": "form", "explode": false,
			"description": upperFirst(st.Help) + ", as on the /v1 reads. Taken by the collections " + strings.Join(takenBy, ", ") + ".",
			// Text: some settings take words (sectors=anchors, a
			// posture, a time), and the table gives no types.
			"schema": obj{"type": "string"}}
		settingRefs = append(settingRefs, p(st.Name))
	}
	params := func(ps ...obj) []obj { return append(ps, settingRefs...) }
	bad, missing := ref("responses", "BadRequest"), ref("responses", "NotFound")
	link := obj{"type": "object", "required": []string{"href", "rel"}, "properties": obj{
		"href": obj{"type": "string"}, "rel": obj{"type": "string"},
		"type": obj{"type": "string"}, "title": obj{"type": "string"}}}
	links := obj{"type": "array", "items": ref("schemas", "link")}
	geometry := obj{"type": "object", "nullable": true, "required": []string{"type"}, "properties": obj{
		"type":        obj{"type": "string", "enum": []string{"Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}},
		"coordinates": obj{"type": "array", "items": obj{}}}}
	feature := obj{"type": "object", "required": []string{"type", "geometry", "properties"}, "properties": obj{
		"type":       obj{"type": "string", "enum": []string{"Feature"}},
		"id":         obj{"oneOf": []obj{{"type": "string"}, {"type": "integer"}}},
		"geometry":   ref("schemas", "geometryGeoJSON"),
		"properties": obj{"type": "object", "nullable": true},
		"links":      links}}
	parameters := obj{
		"collectionId": obj{"name": "collectionId", "in": "path", "required": true, "description": "The collection.",
			"schema": obj{"type": "string", "enum": collectionIDs}},
		"featureId": obj{"name": "featureId", "in": "path", "required": true,
			"description": "The feature: a line version number (frontline), a sector id such as S001 (sectors, zones, coverage: of the line version and settings given, by default the current line) or a unit id.",
			"schema":      obj{"type": "string"}},
		"bbox": obj{"name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
			"description": "minLon,minLat,maxLon,maxLat (CRS84): only features whose bounds meet the box.",
			"schema":      obj{"type": "array", "minItems": 4, "maxItems": 4, "items": obj{"type": "number"}}},
		"datetime": obj{"name": "datetime", "in": "query", "required": false, "style": "form", "explode": false,
			"description": "An RFC 3339 instant, or an interval START/END with '..' for an open end. frontline: the version valid then, or the versions valid during the interval; sectors, zones, coverage: those of the line version valid then (the newest valid during an interval), and not together with version or at, which pick it too. Not taken by the unit collections (units, unit-points, patrol-routes).",
			"schema":      obj{"type": "string"}},
		"limit": obj{"name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
			"description": "Features per page; out of range is refused (400).",
			"schema":      obj{"type": "integer", "minimum": 1, "maximum": ogcMaxLimit, "default": ogcDefaultLimit}},
		"offset": obj{"name": "offset", "in": "query", "required": false, "style": "form", "explode": false,
			"description": "Features to skip; the next links carry it.",
			"schema":      obj{"type": "integer", "minimum": 0, "default": 0}},
		"f": obj{"name": "f", "in": "query", "required": false, "style": "form", "explode": false,
			"description": "The encoding: JSON (GeoJSON for features) is the only one.",
			"schema":      obj{"type": "string", "enum": []string{"json", "geojson"}}},
	}
	maps.Copy(parameters, settingParams)
	return obj{
		"openapi": "3.0.3",
		"info": obj{
			"title":   "Front-line coverage service: OGC API - Features",
			"version": "1.0.0",
			"description": "The line of contact (every version), its sectors and zones, per-sector coverage and units as OGC API - Features (Part 1: Core) collections, in GeoJSON and WGS84 longitude, latitude (CRS84). " +
				"The sectors, zones and coverage collections take the coverage settings of the /v1 reads as query parameters, and the unit collections (units; unit-points and patrol-routes, the same units one geometry type each) take scenario (its units); " +
				"they apply over the stored defaults, a scenario's own settings between those and the query, on the collection, its items and each feature, and the links (next and prev among them) carry them. " +
				"datetime, version and at each pick the line version: give datetime or one of the others, not both. " +
				"Unknown query parameters and settings out of range are refused with 400 naming the parameter; an unknown scenario is 404.",
		},
		"servers": []obj{{"url": "/ogc"}},
		"tags":    []obj{{"name": "OGC API - Features"}},
		"paths": obj{
			"/": get("getLandingPage", "Landing page", []obj{p("f")}, obj{
				"200": ok("Links to the API definition, the conformance classes and the collections.", "landingPage", mimeJSON), "400": bad}),
			"/conformance": get("getConformanceDeclaration", "Conformance classes implemented", []obj{p("f")}, obj{
				"200": ok("The conformance classes.", "confClasses", mimeJSON), "400": bad}),
			"/api": get("getAPIDefinition", "This API definition", []obj{p("f")}, obj{
				"200": obj{"description": "The OpenAPI 3.0 definition.", "content": obj{mimeOpenAPI: obj{"schema": obj{"type": "object"}}}}, "400": bad}),
			"/collections": get("getCollections", "The collections", []obj{p("f")}, obj{
				"200": ok("Every collection with its extent.", "collections", mimeJSON), "400": bad}),
			"/collections/{collectionId}": get("describeCollection", "One collection", params(p("collectionId"), p("f")), obj{
				"200": ok("The collection with its extent (for the settings given) and links, which carry the settings.", "collection", mimeJSON), "400": bad, "404": missing}),
			"/collections/{collectionId}/schema": get("getSchema", "The schema of a unit collection's features (Part 5, Schemas)", params(p("collectionId"), p("f")), obj{
				"200": obj{"description": "A JSON Schema of the GeoJSON Features: the geometry type, and the properties the units carry (for the scenario given), typed by their values. The unit collections link it as describedBy; GIS clients (GDAL) make their fields of it.",
					"content": obj{mimeJSONSchema: obj{"schema": obj{"type": "object"}}}},
				"400": bad, "404": missing}),
			"/collections/{collectionId}/items": get("getFeatures", "The collection's features, a page at a time",
				params(p("collectionId"), p("bbox"), p("datetime"), p("limit"), p("offset"), p("f")), obj{
					"200": ok("A page of features; the next link, when there is one, gives the next page with the same filters and settings.", "featureCollectionGeoJSON", mimeGeoJSON),
					"400": bad, "404": missing}),
			"/collections/{collectionId}/items/{featureId}": get("getFeature", "One feature",
				params(p("collectionId"), p("featureId"), p("f")), obj{
					"200": ok("The feature.", "featureGeoJSON", mimeGeoJSON), "400": bad, "404": missing}),
		},
		"components": obj{
			"parameters": parameters,
			"responses": obj{
				"BadRequest": ok("A parameter is malformed, out of range or unknown.", "exception", mimeJSON),
				"NotFound":   ok("No such collection, feature, line version or scenario.", "exception", mimeJSON),
			},
			"schemas": obj{
				"link":  link,
				"links": links,
				"landingPage": obj{"type": "object", "required": []string{"links"}, "properties": obj{
					"title": obj{"type": "string"}, "description": obj{"type": "string"}, "links": links}},
				"confClasses": obj{"type": "object", "required": []string{"conformsTo"}, "properties": obj{
					"conformsTo": obj{"type": "array", "items": obj{"type": "string"}}}},
				"extent": obj{"type": "object", "properties": obj{
					"spatial": obj{"type": "object", "properties": obj{
						"bbox": obj{"type": "array", "items": obj{"type": "array", "minItems": 4, "maxItems": 4, "items": obj{"type": "number"}}},
						"crs":  obj{"type": "string"}}},
					"temporal": obj{"type": "object", "properties": obj{
						"interval": obj{"type": "array", "items": obj{"type": "array", "minItems": 2, "maxItems": 2,
							"items": obj{"type": "string", "format": "date-time", "nullable": true}}},
						"trs": obj{"type": "string"}}}}},
				"collection": obj{"type": "object", "required": []string{"id", "links"}, "properties": obj{
					"id": obj{"type": "string"}, "title": obj{"type": "string"}, "description": obj{"type": "string"},
					"links": links, "extent": ref("schemas", "extent"),
					"itemType": obj{"type": "string"}, "crs": obj{"type": "array", "items": obj{"type": "string"}}}},
				"collections": obj{"type": "object", "required": []string{"links", "collections"}, "properties": obj{
					"links": links, "collections": obj{"type": "array", "items": ref("schemas", "collection")}}},
				"geometryGeoJSON": geometry,
				"featureGeoJSON":  feature,
				"featureCollectionGeoJSON": obj{"type": "object", "required": []string{"type", "features"}, "properties": obj{
					"type":           obj{"type": "string", "enum": []string{"FeatureCollection"}},
					"features":       obj{"type": "array", "items": ref("schemas", "featureGeoJSON")},
					"links":          links,
					"timeStamp":      obj{"type": "string", "format": "date-time"},
					"numberMatched":  obj{"type": "integer", "minimum": 0},
					"numberReturned": obj{"type": "integer", "minimum": 0}}},
				"exception": obj{"type": "object", "required": []string{"error"}, "properties": obj{
					"error": obj{"type": "object", "required": []string{"code", "message"}, "properties": obj{
						"code": obj{"type": "string"}, "message": obj{"type": "string"}, "details": obj{"type": "object"}}}}},
			},
		},
	}
}

// upperFirst is s with its first letter in upper case: the settings'
// help, which reads on after a flag's name, as a sentence.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
