package tiles_test

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline/tiles"
)

// Properties keep numbers and strings; lists become comma-joined strings,
// objects JSON, and the GeoJSON id becomes the property id.
func TestProperties(t *testing.T) {
	f := geojson.NewFeature(orb.Point{31, 48.5})
	f.ID = "AD-7"
	f.Properties = geojson.Properties{"range_km": 40.5, "strength": 1200, "name": "x", "active": true,
		"units": []any{"T-001", "T-002", 3.5}, "tags": []string{"a", "b"}, "meta": map[string]any{"k": 1}, "none": nil}
	src := tiles.NewSource("units", &geojson.FeatureCollection{Features: []*geojson.Feature{f}})
	tile := tileOf(t, src, 10, orb.Point{31, 48.5})
	if len(tile.Features) != 1 {
		t.Fatalf("%d features", len(tile.Features))
	}
	want := map[string]any{"id": "AD-7", "range_km": 40.5, "strength": int64(1200), "name": "x", "active": true,
		"units": "T-001,T-002,3.5", "tags": "a,b", "meta": `{"k":1}`}
	got := tile.Features[0].Properties
	if len(got) != len(want) {
		t.Errorf("properties %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	fields := src.Fields()
	for k, typ := range map[string]string{"id": "String", "range_km": "Number", "strength": "Number", "active": "Boolean", "units": "String"} {
		if fields[k] != typ {
			t.Errorf("field %s is %q, want %q", k, fields[k], typ)
		}
	}
	if b := tile.MarshalMVT(); len(b) == 0 {
		t.Error("empty encoding")
	}
}
