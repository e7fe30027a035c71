package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// badRequest is one hostile or careless request and the answer a careful
// API user expects: the status, the error code, and where the spec asks
// for it, the place (feature, part, vertex, field) in details.
type badRequest struct {
	name, method, path, ctype, body string
	noKey                           bool           // send without an API key
	status                          int            // expected status
	code                            string         // expected error code
	where                           map[string]any // expected members of details
	says                            string         // a word the message must contain
}

// badAt builds the expected details: "feature", 1, "part", 0, "field", "id".
func badAt(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		switch v := kv[i+1].(type) {
		case int:
			m[kv[i].(string)] = float64(v)
		default:
			m[kv[i].(string)] = v
		}
	}
	return m
}

// Bodies used by several requests.
const (
	biPoint   = `"geometry":{"type":"Point","coordinates":[37.6,48.6]}`
	biLine1   = `{"type":"Feature","properties":{"valid_from":"2001-01-01"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`
	biLine2   = `{"type":"Feature","properties":{"valid_from":"2001-01-02"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48.5]]}}`
	biBadLine = `{"type":"Feature","properties":{"valid_from":"2001-01-03"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48],[200,48]]}}`
	biNoDate  = `{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`
	biUnit    = `{"type":"Feature","id":"bad-input-1",` + biPoint + `,"properties":{"kind":"troops","strength":500}}`
)

func badUnit(id, props string) string {
	return `{"type":"Feature","id":"` + id + `",` + biPoint + `,"properties":` + props + `}`
}

func badFC(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func badRequests() []badRequest {
	const (
		gj   = "application/geo+json"
		js   = "application/json"
		csvT = "text/csv"
	)
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	return []badRequest{
		// Reads: settings and what-if parameters.
		{name: "misspelt what-if parameter", method: "GET", path: "/v1/coverage?sector_kms=10", status: 400, code: "bad_parameter", where: badAt("field", "sector_kms")},
		{name: "misspelt parameter on sectors", method: "GET", path: "/v1/sectors?depht_km=50", status: 400, code: "bad_parameter", where: badAt("field", "depht_km")},
		{name: "bad side", method: "GET", path: "/v1/coverage?side=up", status: 400, code: "bad_parameter", where: badAt("field", "side")},
		{name: "negative depth", method: "GET", path: "/v1/coverage?depth_km=-3", status: 400, code: "bad_parameter", where: badAt("field", "depth_km")},
		{name: "zero depth", method: "GET", path: "/v1/coverage?depth_km=0", status: 400, code: "bad_parameter", where: badAt("field", "depth_km")},
		{name: "depth over 500", method: "GET", path: "/v1/coverage?depth_km=501", status: 400, code: "bad_parameter", where: badAt("field", "depth_km")},
		{name: "depth NaN", method: "GET", path: "/v1/coverage?depth_km=NaN", status: 400, code: "bad_parameter", where: badAt("field", "depth_km")},
		{name: "depth given twice", method: "GET", path: "/v1/coverage?depth_km=10&depth_km=abc", status: 400, code: "bad_parameter", where: badAt("field", "depth_km")},
		{name: "sector_km and sectors", method: "GET", path: "/v1/coverage?sector_km=10&sectors=5", status: 400, code: "bad_parameter", where: badAt("field", "sector_km")},
		{name: "sector_km making too many sectors", method: "GET", path: "/v1/coverage?sector_km=0.1", status: 400, code: "bad_parameter", where: badAt("field", "sector_km")},
		{name: "sectors over the limit", method: "GET", path: "/v1/coverage?sectors=20000", status: 400, code: "bad_parameter", where: badAt("field", "sectors")},
		{name: "sectors=anchors with no anchors", method: "GET", path: "/v1/coverage?sectors=anchors", status: 422, code: "no_anchors", where: badAt("field", "sectors")},
		{name: "version and at", method: "GET", path: "/v1/coverage?version=1&at=2025-01-01", status: 400, code: "bad_parameter", where: badAt("field", "version")},
		{name: "version 0", method: "GET", path: "/v1/frontline?version=0", status: 400, code: "bad_parameter", where: badAt("field", "version")},
		{name: "version not a number", method: "GET", path: "/v1/frontline?version=abc", status: 400, code: "bad_parameter", where: badAt("field", "version")},
		{name: "at not a time", method: "GET", path: "/v1/coverage?at=yesterday", status: 400, code: "bad_parameter", where: badAt("field", "at")},
		{name: "format xml", method: "GET", path: "/v1/coverage?format=xml", status: 400, code: "bad_parameter", where: badAt("field", "format")},
		{name: "bbox of 3 numbers", method: "GET", path: "/v1/overlays/zones?bbox=30,46,40", status: 400, code: "bad_parameter", where: badAt("field", "bbox")},
		{name: "bbox out of range", method: "GET", path: "/v1/overlays/zones?bbox=-200,40,30,50", status: 400, code: "bad_parameter", where: badAt("field", "bbox")},
		{name: "bbox min over max", method: "GET", path: "/v1/overlays/zones?bbox=40,40,30,50", status: 400, code: "bad_parameter", where: badAt("field", "bbox")},
		{name: "bbox not numbers", method: "GET", path: "/v1/frontline?bbox=a,b,c,d", status: 400, code: "bad_parameter", where: badAt("field", "bbox")},
		{name: "sectors geometry blob", method: "GET", path: "/v1/sectors?geometry=blob", status: 400, code: "bad_parameter", where: badAt("field", "geometry")},
		{name: "units of unknown kind", method: "GET", path: "/v1/units?kind=cavalry", status: 400, code: "bad_parameter", where: badAt("field", "kind")},
		{name: "unknown overlay", method: "GET", path: "/v1/overlays/roads", status: 404, code: "not_found"},
		{name: "unknown sector", method: "GET", path: "/v1/coverage/S999", status: 404, code: "not_found"},
		{name: "unknown version", method: "GET", path: "/v1/frontline?version=99", status: 404, code: "not_found"},
		{name: "no line at that time", method: "GET", path: "/v1/frontline?at=1999-01-01", status: 404, code: "not_found"},
		{name: "unknown unit", method: "GET", path: "/v1/units/nope", status: 404, code: "not_found"},

		// Writes without a good key.
		{name: "line import without a key", method: "POST", path: "/v1/frontline", ctype: gj, body: biLine1, noKey: true, status: 401, code: "unauthorized"},
		{name: "unit delete without a key", method: "DELETE", path: "/v1/units/T-001", noKey: true, status: 401, code: "unauthorized"},

		// One line.
		{name: "malformed JSON", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"LineString","coordinates":[[30,48],[31 48]]}`, status: 400, code: "not_json"},
		{name: "truncated JSON", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"LineString","coordinates":[[30,48],[31,48]`, status: 400, code: "not_json"},
		{name: "empty body", method: "POST", path: "/v1/frontline", ctype: gj, body: "", status: 400, code: "empty"},
		{name: "JSON array", method: "POST", path: "/v1/frontline", ctype: gj, body: `[[30,48],[31,48]]`, status: 400, code: "not_geojson"},
		{name: "JSON number", method: "POST", path: "/v1/frontline", ctype: gj, body: `42`, status: 400, code: "not_geojson"},
		{name: "JSON string", method: "POST", path: "/v1/frontline", ctype: gj, body: `"LineString"`, status: 400, code: "not_geojson"},
		{name: "JSON null", method: "POST", path: "/v1/frontline", ctype: gj, body: `null`, status: 400, code: "not_geojson"},
		{name: "data after the object", method: "POST", path: "/v1/frontline", ctype: gj, body: biLine2 + `] trailing`, status: 400, code: "not_json"},
		{name: "coordinates as strings", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"LineString","coordinates":[["30","48"],["31","48"]]}`, status: 422, code: "bad_coordinates", where: badAt("part", 0, "vertex", 0)},
		{name: "coordinates one string", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"LineString","coordinates":"30 48, 31 48"}`, status: 422, code: "bad_coordinates", where: badAt("part", 0)},
		{name: "NaN literal", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"LineString","coordinates":[[30,48],[NaN,48]]}`, status: 400, code: "not_json"},
		{name: "Infinity literal", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"LineString","coordinates":[[30,48],[31,-Infinity]]}`, status: 400, code: "not_json"},
		{name: "huge number", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"LineString","coordinates":[[30,48],[1e400,48]]}`, status: 422, code: "bad_coordinates", where: badAt("part", 0, "vertex", 1)},
		{name: "longitude out of range", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"LineString","coordinates":[[30,48],[181,48]]}`, status: 422, code: "bad_coordinates", where: badAt("part", 0, "vertex", 1), says: "181"},
		{name: "latitude out of range", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"MultiLineString","coordinates":[[[30,48],[31,48]],[[32,-91],[33,48]]]}`, status: 422, code: "bad_coordinates", where: badAt("part", 1, "vertex", 0), says: "-91"},
		{name: "polygon ring", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}`, status: 422, code: "wrong_geometry", says: "Polygon"},
		{name: "point", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"Point","coordinates":[30,48]}`, status: 422, code: "wrong_geometry", says: "Point"},
		{name: "geometry collection", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[30,48],[31,48]]}]}`, status: 422, code: "wrong_geometry", says: "GeometryCollection"},
		{name: "feature of a polygon", method: "POST", path: "/v1/frontline", ctype: gj, body: badFC(`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49],[30,48]]]}}`), status: 422, code: "wrong_geometry", where: badAt("feature", 0)},
		{name: "feature without geometry", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"Feature","properties":{},"geometry":null}`, status: 422, code: "no_geometry"},
		{name: "one-vertex part", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"MultiLineString","coordinates":[[[30,48],[31,48]],[[32,48]]]}`, status: 422, code: "too_few_vertices", where: badAt("part", 1)},
		{name: "part of repeated vertices", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"MultiLineString","coordinates":[[[30,48],[31,48]],[[32,48],[32,48],[32,48]]]}`, status: 422, code: "too_few_vertices", where: badAt("part", 1)},
		{name: "the same place twice across the antimeridian", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"Feature","properties":{"valid_from":"2001-01-04"},"geometry":{"type":"LineString","coordinates":[[-180,0],[180,0]]}}`, status: 422, code: "too_few_vertices", where: badAt("part", 0)},
		{name: "empty MultiLineString", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"MultiLineString","coordinates":[]}`, status: 422, code: "too_few_vertices"},
		{name: "two features to the single-line endpoint", method: "POST", path: "/v1/frontline", ctype: gj, body: badFC(biLine1, biLine2), status: 422, code: "not_one_line"},
		{name: "no features to the single-line endpoint", method: "POST", path: "/v1/frontline", ctype: gj, body: badFC(), status: 422, code: "not_one_line"},
		{name: "valid_from not a date", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"Feature","properties":{"valid_from":"2025-13-45"},"geometry":{"type":"LineString","coordinates":[[30,48],[31,48]]}}`, status: 422, code: "bad_time", where: badAt("field", "properties.valid_from")},
		{name: "deeply nested coordinates", method: "POST", path: "/v1/frontline", ctype: gj, body: `{"type":"LineString","coordinates":` + deep + `}`, status: 400, code: "not_json"},

		// Many lines: all or nothing, and the bad feature named.
		{name: "bulk without valid_from", method: "POST", path: "/v1/frontline/bulk", ctype: gj, body: badFC(biLine1, biNoDate), status: 422, code: "missing_valid_from", where: badAt("feature", 1, "field", "properties.valid_from")},
		{name: "bulk with one bad feature", method: "POST", path: "/v1/frontline/bulk", ctype: gj, body: badFC(biLine1, biLine2, biBadLine), status: 422, code: "bad_coordinates", where: badAt("feature", 2, "part", 0, "vertex", 2)},
		{name: "ndjson with one bad feature", method: "POST", path: "/v1/frontline/bulk", ctype: "application/x-ndjson", body: biLine1 + "\n" + biBadLine + "\n" + biLine2 + "\n", status: 422, code: "bad_coordinates", where: badAt("feature", 1, "part", 0, "vertex", 2)},
		{name: "ndjson with a truncated feature", method: "POST", path: "/v1/frontline/bulk", ctype: "application/x-ndjson", body: biLine1 + "\n" + `{"type":"Feature","properties":{"valid_from":"2001-01-05"},` + "\n" + biLine2 + "\n", status: 400, code: "not_json", where: badAt("feature", 1)},
		{name: "bulk valid_from hour 25", method: "POST", path: "/v1/frontline/bulk", ctype: gj, body: badFC(biLine1, strings.Replace(biLine2, "2001-01-02", "2001-01-02T25:00:00Z", 1)), status: 422, code: "bad_time", where: badAt("feature", 1, "field", "properties.valid_from")},
		{name: "bulk valid_from without offset", method: "POST", path: "/v1/frontline/bulk", ctype: gj, body: badFC(strings.Replace(biLine1, "2001-01-01", "2001-01-01T10:00:00", 1)), status: 422, code: "bad_time", where: badAt("feature", 0, "field", "properties.valid_from")},
		{name: "bulk valid_from a number", method: "POST", path: "/v1/frontline/bulk", ctype: gj, body: badFC(strings.Replace(biLine1, `"2001-01-01"`, `20010101`, 1)), status: 422, code: "bad_property", where: badAt("feature", 0, "field", "properties.valid_from")},
		{name: "bulk of no features", method: "POST", path: "/v1/frontline/bulk", ctype: gj, body: badFC(), status: 400, code: "empty"},
		{name: "bulk empty body", method: "POST", path: "/v1/frontline/bulk", ctype: gj, body: "  \n", status: 400, code: "empty"},
		{name: "bulk of a bare geometry", method: "POST", path: "/v1/frontline/bulk", ctype: gj, body: `{"type":"LineString","coordinates":[[30,48],[31,48]]}`, status: 400, code: "not_feature_collection"},

		// One unit.
		{name: "unknown unit kind", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"kind":"cavalry"}`), status: 422, code: "unknown_kind", where: badAt("field", "properties.kind")},
		{name: "kind a number", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"kind":7}`), status: 422, code: "bad_property", where: badAt("field", "properties.kind")},
		{name: "no kind", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"strength":5}`), status: 422, code: "missing_kind", where: badAt("field", "properties.kind")},
		{name: "missing strength", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"kind":"troops"}`), status: 422, code: "missing_strength", where: badAt("field", "properties.strength")},
		{name: "strength a string", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"kind":"troops","strength":"500"}`), status: 422, code: "bad_property", where: badAt("field", "properties.strength")},
		{name: "fractional strength", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"kind":"troops","strength":10.5}`), status: 422, code: "bad_property", where: badAt("field", "properties.strength")},
		{name: "zero strength", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"kind":"troops","strength":0}`), status: 422, code: "bad_property", where: badAt("field", "properties.strength")},
		{name: "unknown air-defense system without range", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"kind":"air_defense","system":"s-300"}`), status: 422, code: "unknown_system", where: badAt("field", "properties.system")},
		{name: "air defense without system or range", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"kind":"air_defense"}`), status: 422, code: "missing_range"},
		{name: "negative range_km", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"kind":"air_defense","system":"patriot","range_km":-5}`), status: 422, code: "bad_property", where: badAt("field", "properties.range_km")},
		{name: "bad status", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("x1", `{"kind":"air_defense","system":"buk","status":"broken"}`), status: 422, code: "bad_property", where: badAt("field", "properties.status")},
		{name: "patrol as polygon", method: "POST", path: "/v1/units", ctype: gj, body: `{"type":"Feature","id":"x1","geometry":{"type":"Polygon","coordinates":[[[37,48],[38,48],[38,49],[37,48]]]},"properties":{"kind":"patrol"}}`, status: 422, code: "wrong_geometry", says: "Polygon"},
		{name: "troops as a route", method: "POST", path: "/v1/units", ctype: gj, body: `{"type":"Feature","id":"x1","geometry":{"type":"LineString","coordinates":[[37,48],[38,48]]},"properties":{"kind":"troops","strength":5}}`, status: 422, code: "wrong_geometry"},
		{name: "patrol route vertex out of range", method: "POST", path: "/v1/units", ctype: gj, body: `{"type":"Feature","id":"x1","geometry":{"type":"LineString","coordinates":[[37,48],[38,95]]},"properties":{"kind":"patrol"}}`, status: 422, code: "bad_coordinates", where: badAt("part", 0, "vertex", 1)},
		{name: "unit coordinates as strings", method: "POST", path: "/v1/units", ctype: gj, body: `{"type":"Feature","id":"x1","geometry":{"type":"Point","coordinates":["37.6","48.6"]},"properties":{"kind":"troops","strength":5}}`, status: 422, code: "bad_coordinates"},
		{name: "unit without geometry", method: "POST", path: "/v1/units", ctype: gj, body: `{"type":"Feature","id":"x1","geometry":null,"properties":{"kind":"troops","strength":5}}`, status: 422, code: "no_geometry"},
		{name: "unit as a bare point", method: "POST", path: "/v1/units", ctype: gj, body: `{"type":"Point","coordinates":[37.6,48.6]}`, status: 400, code: "not_feature"},
		{name: "unit id with a slash", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("a/b", `{"kind":"troops","strength":5}`), status: 422, code: "bad_id", where: badAt("field", "id")},
		{name: "unit id with a slash from the path", method: "PUT", path: "/v1/units/a%2Fb", ctype: gj, body: `{"type":"Feature",` + biPoint + `,"properties":{"kind":"troops","strength":5}}`, status: 422, code: "bad_id", where: badAt("field", "id")},
		{name: "unit id a fraction", method: "POST", path: "/v1/units", ctype: gj, body: `{"type":"Feature","id":1.5,` + biPoint + `,"properties":{"kind":"troops","strength":5}}`, status: 422, code: "bad_id", where: badAt("field", "id")},
		{name: "invalid UTF-8 in a unit id", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("bad\xff\xfeid", `{"kind":"troops","strength":5}`), status: 400, code: "not_json"},
		{name: "invalid UTF-8 in a property value", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("utf8-prop", "{\"kind\":\"troops\",\"strength\":5,\"name\":\"x\xc3\x28y\"}"), status: 400, code: "not_json"},
		{name: "data after the unit", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("trailing-1", `{"kind":"troops","strength":5}`) + `}}`, status: 400, code: "not_json"},
		{name: "deeply nested property", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("deep-1", `{"kind":"troops","strength":5,"x":`+deep+`}`), status: 400, code: "not_json"},
		{name: "PUT id mismatching the path", method: "PUT", path: "/v1/units/zz", ctype: gj, body: badUnit("yy", `{"kind":"troops","strength":5}`), status: 422, code: "id_mismatch", where: badAt("field", "id")},
		{name: "POST over an existing unit", method: "POST", path: "/v1/units", ctype: gj, body: badUnit("T-001", `{"kind":"troops","strength":5}`), status: 409, code: "conflict"},

		// Many units.
		{name: "duplicate unit ids", method: "POST", path: "/v1/units/bulk", ctype: gj, body: badFC(biUnit, biUnit), status: 422, code: "duplicate_id", where: badAt("feature", 1, "field", "id")},
		{name: "bulk unit without id", method: "POST", path: "/v1/units/bulk", ctype: gj, body: badFC(biUnit, `{"type":"Feature",`+biPoint+`,"properties":{"kind":"troops","strength":5}}`), status: 422, code: "missing_id", where: badAt("feature", 1, "field", "id")},
		{name: "bulk units with one bad", method: "POST", path: "/v1/units/bulk", ctype: gj, body: badFC(biUnit, badUnit("bad-input-2", `{"kind":"troops","strength":"many"}`)), status: 422, code: "bad_property", where: badAt("feature", 1, "field", "properties.strength")},
		{name: "bulk mode wipe", method: "POST", path: "/v1/units/bulk?mode=wipe", ctype: gj, body: badFC(biUnit), status: 400, code: "bad_parameter", where: badAt("field", "mode")},
		{name: "bulk unknown parameter", method: "POST", path: "/v1/units/bulk?mdoe=replace", ctype: gj, body: badFC(biUnit), status: 400, code: "bad_parameter", where: badAt("field", "mdoe")},
		{name: "CSV sent as JSON", method: "POST", path: "/v1/units/bulk", ctype: js, body: "id,kind,lon,lat,strength\nC1,troops,37.5,48.5,500\n", status: 400, code: "not_json"},
		{name: "CSV without lon", method: "POST", path: "/v1/units/bulk", ctype: csvT, body: "id,kind,longitude,lat,strength\nC1,troops,37.5,48.5,500\n", status: 400, code: "bad_csv", where: badAt("field", "lon")},
		{name: "CSV ragged row", method: "POST", path: "/v1/units/bulk", ctype: csvT, body: "id,kind,lon,lat,strength\nC1,troops,37.5,48.5,500,7\n", status: 400, code: "bad_csv", where: badAt("feature", 0)},
		{name: "CSV empty", method: "POST", path: "/v1/units/bulk", ctype: csvT, body: "", status: 400, code: "bad_csv"},
		{name: "CSV latitude a word", method: "POST", path: "/v1/units/bulk", ctype: csvT, body: "id,kind,lon,lat,strength\nC1,troops,37.5,north,500\n", status: 422, code: "bad_coordinates", where: badAt("feature", 0, "field", "lat")},
		{name: "CSV longitude Inf", method: "POST", path: "/v1/units/bulk", ctype: csvT, body: "id,kind,lon,lat,strength\nC1,troops,Inf,48.5,500\n", status: 422, code: "bad_coordinates", where: badAt("feature", 0, "field", "lon")},
		{name: "CSV latitude out of range", method: "POST", path: "/v1/units/bulk", ctype: csvT, body: "id,kind,lon,lat,strength\nC1,troops,37.5,95,500\n", status: 422, code: "bad_coordinates", where: badAt("feature", 0)},
		{name: "CSV strength NaN", method: "POST", path: "/v1/units/bulk", ctype: csvT, body: "id,kind,lon,lat,strength\nC1,troops,37.5,48.5,500\nC2,troops,37.5,48.5,600\nC3,troops,37.5,48.5,NaN\n", status: 422, code: "bad_property", where: badAt("feature", 2, "field", "strength")},
		{name: "CSV duplicate ids", method: "POST", path: "/v1/units/bulk", ctype: csvT, body: "id,kind,lon,lat,strength\nC1,troops,37.5,48.5,500\nC1,troops,37.5,48.5,5\n", status: 422, code: "duplicate_id", where: badAt("feature", 1, "field", "id")},
	}
}

// TestBadInputs sends bad requests to one running server: each is refused
// with the status and code a careful client expects, a message, and the
// place; and nothing of them is stored.
func TestBadInputs(t *testing.T) {
	// No write rate limit: the table sends many writes at once.
	s := serve(t, filepath.Join(t.TempDir(), "f.db"), "--write-rate", "0")
	// The embedded anchors would answer sectors=anchors; this table asks
	// what happens without any.
	want(t, s.do(t, "PUT", s.url+"/v1/anchors", "application/json", []byte(`{"type":"FeatureCollection","features":[]}`)), 200)
	versions := func() any { return decodedOK(t, get(t, s.url+"/v1/frontline/versions"))["versions"] }
	units := func() any { return decodedOK(t, get(t, s.url+"/v1/units"))["features"] }
	versionsBefore, unitsBefore := versions(), units()

	for _, tc := range badRequests() {
		t.Run(tc.name, func(t *testing.T) {
			var r response
			if tc.noKey {
				r = do(t, tc.method, s.url+tc.path, tc.ctype, []byte(tc.body))
			} else {
				r = s.do(t, tc.method, s.url+tc.path, tc.ctype, []byte(tc.body))
			}
			checkRefusal(t, r, tc)
		})
	}

	if got := versions(); !reflect.DeepEqual(got, versionsBefore) {
		t.Errorf("refused requests changed the line versions:\nbefore %v\nafter  %v", versionsBefore, got)
	}
	if got := units(); !reflect.DeepEqual(got, unitsBefore) {
		t.Errorf("refused requests changed the units: %s", unitsDiff(unitsBefore, got))
	}
}

// TestBadInputsTooLarge: bodies over --max-body are refused with 413
// before they are read whole, whether or not they say their length.
func TestBadInputsTooLarge(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"), "--max-body", "10000", "--write-rate", "0")
	var b strings.Builder
	b.WriteString(`{"type":"LineString","coordinates":[`)
	for i := 0; i < 2000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "[30.%04d,48]", i)
	}
	b.WriteString("]}")
	line := b.String()
	csvBody := "id,kind,lon,lat,strength\n" + strings.Repeat("C1,troops,37.5,48.5,500\n", 1000)
	before := decodedOK(t, get(t, s.url+"/v1/frontline/versions"))["versions"]
	tooLarge := badRequest{status: 413, code: "too_large"}
	for _, tc := range []struct {
		name, path, ctype, body string
		chunked                 bool
	}{
		{"line with a length", "/v1/frontline", "application/geo+json", line, false},
		{"line without a length", "/v1/frontline", "application/geo+json", line, true},
		{"bulk lines without a length", "/v1/frontline/bulk", "application/x-ndjson", line, true},
		{"units CSV with a length", "/v1/units/bulk", "text/csv", csvBody, false},
		{"units CSV without a length", "/v1/units/bulk", "text/csv", csvBody, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.body) <= 10000 {
				t.Fatalf("the body is %d bytes, not over the limit", len(tc.body))
			}
			var r response
			if tc.chunked {
				r = doChunked(t, s, tc.path, tc.ctype, tc.body)
			} else {
				r = s.do(t, "POST", s.url+tc.path, tc.ctype, []byte(tc.body))
			}
			checkRefusal(t, r, tooLarge)
		})
	}
	if got := decodedOK(t, get(t, s.url+"/v1/frontline/versions"))["versions"]; !reflect.DeepEqual(got, before) {
		t.Errorf("refused bodies changed the line versions: %v", got)
	}
}

// checkRefusal checks an error answer: status, JSON error body with the
// code, a message for people that names the place and no package
// internals, and the details.
func checkRefusal(t *testing.T, r response, tc badRequest) {
	t.Helper()
	if r.status != tc.status {
		t.Errorf("status %d, want %d: %.300s", r.status, tc.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error content type %q, want application/json", ct)
	}
	if tc.status == http.StatusUnauthorized && r.header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	var body struct {
		Error *struct {
			Code    string         `json:"code"`
			Message string         `json:"message"`
			Details map[string]any `json:"details"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil || body.Error == nil {
		t.Fatalf("not an error body (%v): %.300s", err, r.body)
	}
	e := body.Error
	if e.Code != tc.code {
		t.Errorf("code %q, want %q: %s", e.Code, tc.code, e.Message)
	}
	if strings.TrimSpace(e.Message) == "" {
		t.Error("empty message")
	}
	// Messages are for people: no package prefixes, no repeated
	// wrapping, no formatting accidents.
	for _, internal := range []string{"frontline:", "geo:", "sqlite:", "%!", "<nil>"} {
		if strings.Contains(e.Message, internal) {
			t.Errorf("message shows internals (%q): %s", internal, e.Message)
		}
	}
	if tc.says != "" && !strings.Contains(e.Message, tc.says) {
		t.Errorf("message %q does not say %q", e.Message, tc.says)
	}
	for k, want := range tc.where {
		if got, ok := e.Details[k]; !ok || got != want {
			t.Errorf("details.%s = %v, want %v (details %v)", k, got, want, e.Details)
		}
		// The message names the place too, for people reading it.
		if n, isIndex := want.(float64); isIndex && k != "field" {
			if word := fmt.Sprintf("%s %d", k, int(n)); !strings.Contains(e.Message, word) {
				t.Errorf("message %q does not name %q", e.Message, word)
			}
		}
	}
}

// doChunked sends a body without Content-Length, so the server cannot
// refuse it by its announced size.
func doChunked(t *testing.T, s *instance, path, ctype, body string) response {
	t.Helper()
	// A reader that is not a *strings.Reader hides the length.
	req, err := http.NewRequest("POST", s.url+path, io.MultiReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	if req.ContentLength != 0 {
		t.Fatalf("the request announces its length (%d)", req.ContentLength)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+s.key)
	return roundTrip(t, req)
}

func decodedOK(t *testing.T, r response) map[string]any {
	t.Helper()
	want(t, r, 200)
	return r.json(t)
}

// unitsDiff names the units added, removed or changed.
func unitsDiff(before, after any) string {
	index := func(v any) map[string]any {
		m := map[string]any{}
		list, _ := v.([]any)
		for _, f := range list {
			if obj, ok := f.(map[string]any); ok {
				m[fmt.Sprint(obj["id"])] = obj
			}
		}
		return m
	}
	b, a := index(before), index(after)
	var out []string
	for id, f := range a {
		if g, ok := b[id]; !ok {
			out = append(out, fmt.Sprintf("added %q", id))
		} else if !reflect.DeepEqual(f, g) {
			out = append(out, fmt.Sprintf("changed %q", id))
		}
	}
	for id := range b {
		if _, ok := a[id]; !ok {
			out = append(out, fmt.Sprintf("removed %q", id))
		}
	}
	return strings.Join(out, ", ")
}
