package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"frontline"
)

// Requests are checked before any data is read: with no line stored, a
// good tile address is 404 and a bad one 400.
func TestTileRequests(t *testing.T) {
	svc, err := frontline.NewService(context.Background(), emptyStore{}, frontline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := New(svc, Config{})
	for _, tc := range []struct {
		name, path string
		status     int
		code       string
		field      string
	}{
		{"no line yet", "/v1/tiles/sectors/8/150/90.mvt", 404, "not_found", ""},
		{"no line yet, TileJSON", "/v1/tiles/zones.json", 404, "not_found", ""},
		{"unknown layer", "/v1/tiles/roads/8/150/90.mvt", 404, "not_found", ""},
		{"unknown layer, TileJSON", "/v1/tiles/roads.json", 404, "not_found", ""},
		{"TileJSON without .json", "/v1/tiles/zones", 404, "not_found", ""},
		{"zoom too high", "/v1/tiles/sectors/23/0/0.mvt", 400, "bad_parameter", "z"},
		{"negative zoom", "/v1/tiles/sectors/-1/0/0.mvt", 400, "bad_parameter", "z"},
		{"x past the zoom", "/v1/tiles/sectors/2/4/0.mvt", 400, "bad_parameter", "x"},
		{"y past the zoom", "/v1/tiles/sectors/0/0/1.mvt", 400, "bad_parameter", "y"},
		{"x not a number", "/v1/tiles/sectors/8/a/90.mvt", 400, "bad_parameter", "x"},
		{"y with a sign", "/v1/tiles/sectors/8/150/+90.mvt", 400, "bad_parameter", "y"},
		{"y a fraction", "/v1/tiles/sectors/8/150/9.5.mvt", 400, "bad_parameter", "y"},
		{"wrong extension", "/v1/tiles/sectors/8/150/90.png", 400, "bad_parameter", "y"},
		{"no extension", "/v1/tiles/sectors/8/150/90", 400, "bad_parameter", "y"},
		{"unknown parameter", "/v1/tiles/sectors/8/150/90.mvt?bbox=1,2,3,4", 400, "bad_parameter", "bbox"},
		{"bad what-if", "/v1/tiles/sectors/8/150/90.mvt?depth_km=-3", 400, "bad_parameter", "depth_km"},
		{"unknown parameter, TileJSON", "/v1/tiles/zones.json?zoom=3", 400, "bad_parameter", "zoom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			var body errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("error body %q: %v", rec.Body, err)
			}
			if body.Error.Code != tc.code || body.Error.Message == "" {
				t.Errorf("error %+v, want code %s", body.Error, tc.code)
			}
			if tc.field != "" && body.Error.Details["field"] != tc.field {
				t.Errorf("details %v, want field %s", body.Error.Details, tc.field)
			}
		})
	}
}
