package server

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// Properties are typed by the values the units give them; a GIS client
// makes integers of integer, reals of number, text of the rest.
func TestPropertySchemas(t *testing.T) {
	var props []map[string]any
	for _, s := range []string{
		`{"kind":"troops","strength":1280,"demo":true,"name":"A","range_km":30,"mixed":1,"big":3000000000,"tags":["x"],"x":{"a":1}}`,
		`{"kind":"air_defense","range_km":12.5,"demo":false,"mixed":"one","nothing":null}`,
	} {
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber() // as units are read
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		props = append(props, m)
	}
	got, _ := json.Marshal(propertySchemas(props))
	want := `{"big":{"type":"number"},"demo":{"type":"boolean"},"kind":{"type":"string"},"mixed":{"type":["integer","string"]},` +
		`"name":{"type":"string"},"nothing":{"type":"null"},"range_km":{"type":"number"},"strength":{"type":"integer"},` +
		`"tags":{"type":"array"},"x":{"type":"object"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// The unit collections, and only they, show unit positions and have a
// schema; each declares its geometry types, the split ones one.
func TestUnitCollections(t *testing.T) {
	o := &ogcAPI{server: &server{}}
	o.collections = o.ogcCollections()
	if ids := o.unitCollectionIDs(); !slices.Equal(ids, []string{"units", "unit-points", "patrol-routes"}) {
		t.Errorf("unit collections %v", ids)
	}
	for _, col := range o.collections {
		_, has := schemaLink("http://h/ogc/collections/"+col.id, col, nil)
		if has != col.units || (len(col.geometry) > 0) != col.units {
			t.Errorf("%s: units %t, schema %t, geometry %v", col.id, col.units, has, col.geometry)
		}
		if col.units {
			doc := featureSchema("x", col, nil)
			g := doc["properties"].(map[string]any)["geometry"].(map[string]any)
			single := len(col.geometry) == 1
			if (g["x-ogc-role"] == "primary-geometry") != single {
				t.Errorf("%s: geometry schema %v", col.id, g)
			}
		}
	}
	l, _ := schemaLink("http://h/ogc/collections/units", o.collections[4], map[string][]string{"scenario": {"a"}})
	if l.Href != "http://h/ogc/collections/units/schema?scenario=a" || l.Type != "application/schema+json" {
		t.Errorf("link %+v", l)
	}
}
