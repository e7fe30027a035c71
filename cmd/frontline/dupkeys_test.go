package main

import (
	"fmt"
	"path/filepath"
	"testing"
)

// A JSON object with a name given twice is refused wherever the service
// reads JSON (SPEC 3), with 400, the name and the path, and nothing stored.
func TestDuplicateKeysRefused(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"), "--empty")
	const (
		gj = "application/geo+json"
		js = "application/json"
		nd = "application/x-ndjson"
	)
	line := `{"type":"LineString","coordinates":[[37,48],[38,48]]}`
	dated := func(day int) string {
		return fmt.Sprintf(`{"type":"Feature","properties":{"valid_from":"2025-01-%02d"},"geometry":%s}`, day, line)
	}
	unit := `{"type":"Feature","id":"T1","geometry":{"type":"Point","coordinates":[37.5,48]},"properties":{"kind":"troops","strength":5}}`
	for _, tc := range []struct {
		name, method, path, ctype, body string
		message                         string
		details                         map[string]any
	}{
		{"line", "POST", "/v1/frontline", gj, `{"type":"Feature","id":"g2","id":"g3","geometry":` + line + `}`,
			`id: duplicate key "id" in the top-level object`, map[string]any{"field": "id"}},
		{"line, escaped", "POST", "/v1/frontline", gj, `{"type":"Feature","properties":{"source":"a","\u0073ource":"b"},"geometry":` + line + `}`,
			`properties.source: duplicate key "source" in properties`, map[string]any{"field": "properties.source"}},
		{"bulk collection", "POST", "/v1/frontline/bulk", gj, `{"type":"FeatureCollection","features":[` + dated(1) + `,` + dated(2) + `,` + dated(3) + `,{"type":"Feature","properties":{"valid_from":"2025-01-04","name":"a","name":"b"},"geometry":` + line + `}]}`,
			`feature 3, properties.name: duplicate key "name" in features[3].properties`, map[string]any{"feature": 3.0, "field": "properties.name"}},
		{"bulk lines", "POST", "/v1/frontline/bulk", nd, dated(1) + "\n" + `{"type":"Feature","properties":{"valid_from":"2025-01-02"},"geometry":{"type":"LineString","coordinates":[[37,48],[38,48]],"coordinates":[[37,48],[39,48]]}}`,
			`feature 1, geometry.coordinates: duplicate key "coordinates" in geometry`, map[string]any{"feature": 1.0, "field": "geometry.coordinates"}},
		{"unit", "POST", "/v1/units", gj, `{"type":"Feature","id":"g2","id":"g3","geometry":{"type":"Point","coordinates":[37.5,48]},"properties":{"kind":"troops","strength":5}}`,
			`id: duplicate key "id" in the top-level object`, map[string]any{"field": "id"}},
		{"unit without an id", "POST", "/v1/units", gj, `{"type":"Feature","geometry":{"type":"Point","coordinates":[37.5,48]},"geometry":{"type":"Point","coordinates":[38,48]},"properties":{"kind":"troops","strength":5}}`,
			`geometry: duplicate key "geometry" in the top-level object`, map[string]any{"field": "geometry"}},
		{"unit ids differing in case", "POST", "/v1/units", gj, `{"type":"Feature","id":"c1","ID":"c2","geometry":{"type":"Point","coordinates":[37.5,48]},"properties":{"kind":"troops","strength":5}}`,
			`ID: duplicate key "ID" in the top-level object: it differs from "id" only in case, and JSON readers that ignore case take either`, map[string]any{"field": "ID"}},
		{"key roles differing in case", "POST", "/v1/keys", js, `{"role":"read","Role":"admin"}`,
			`Role: duplicate key "Role" in the top-level object: it differs from "role" only in case, and JSON readers that ignore case take either`, map[string]any{"field": "Role"}},
		{"unit put", "PUT", "/v1/units/T1", gj, `{"type":"Feature","id":"T1","geometry":{"type":"Point","coordinates":[37.5,48]},"properties":{"kind":"troops","strength":5,"strength":5000}}`,
			`properties.strength: duplicate key "strength" in properties`, map[string]any{"field": "properties.strength"}},
		{"units bulk", "POST", "/v1/units/bulk", gj, `{"type":"FeatureCollection","features":[` + unit + `,{"type":"Feature","id":"A","id":"B","geometry":{"type":"Point","coordinates":[37.5,48]},"properties":{"kind":"troops","strength":5}}]}`,
			`feature 1, id: duplicate key "id" in features[1]`, map[string]any{"feature": 1.0, "field": "id"}},
		{"anchors", "PUT", "/v1/anchors", gj, `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A","name":"B"},"geometry":{"type":"Point","coordinates":[37.5,48]}}]}`,
			`feature 0, properties.name: duplicate key "name" in features[0].properties`, map[string]any{"feature": 0.0, "field": "properties.name"}},
		{"settings", "PUT", "/v1/settings", js, `{"sector_km":10,"depth_km":50,"depth_km":5}`,
			`depth_km: duplicate key "depth_km" in the top-level object`, map[string]any{"field": "depth_km"}},
		{"key", "POST", "/v1/keys", js, `{"role":"read","name":"a","role":"admin"}`,
			`role: duplicate key "role" in the top-level object`, map[string]any{"field": "role"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.do(t, tc.method, s.url+tc.path, tc.ctype, []byte(tc.body))
			want(t, r, 400)
			e, _ := r.json(t)["error"].(map[string]any)
			if e["code"] != "duplicate_key" || e["message"] != tc.message || fmt.Sprint(e["details"]) != fmt.Sprint(tc.details) {
				t.Errorf("got %v,\nwant duplicate_key %q %v", e, tc.message, tc.details)
			}
		})
	}
	// Nothing of it was stored.
	if n := len(get(t, s.url+"/v1/frontline/versions").json(t)["versions"].([]any)); n != 0 {
		t.Errorf("%d line versions stored", n)
	}
	if n := len(get(t, s.url+"/v1/units").json(t)["features"].([]any)); n != 0 {
		t.Errorf("%d units stored", n)
	}
	if n := len(get(t, s.url+"/v1/keys", "Authorization", "Bearer "+s.key).json(t)["keys"].([]any)); n != 1 {
		t.Errorf("%d keys, want the test's own", n)
	}
	if got := get(t, s.url+"/v1/settings").json(t)["depth_km"]; got != 30.0 {
		t.Errorf("depth_km %v after a refused PUT", got)
	}
}
