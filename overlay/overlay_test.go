package overlay_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline"
	"frontline/geo"
	"frontline/geo/geodesic"
	"frontline/overlay"
)

// computed is a line of about 210 km cut into five sectors of 50 km or
// less with 20 km zones, and its coverage by units.
func computed(t *testing.T, units []*frontline.Unit) (*frontline.Report, *frontline.Computation) {
	t.Helper()
	line, err := geo.NewLine([][]orb.Point{{{30, 48}, {31, 48.5}, {32.5, 48.2}}})
	if err != nil {
		t.Fatal(err)
	}
	sectors, err := line.Sectors(geo.Sectoring{SectorKm: 50})
	if err != nil {
		t.Fatal(err)
	}
	z, err := geo.NewZones(line, sectors, geo.ZoneOptions{DepthKm: 20, Side: geo.Both})
	if err != nil {
		t.Fatal(err)
	}
	p := frontline.DefaultParams()
	lv := &frontline.LineVersion{Version: 3, ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), LengthKm: line.LengthKm()}
	c := &frontline.Computation{Line: lv, Params: p, Zones: z, Sectors: z.Sectors()}
	return frontline.NewReport(lv, p, units, z.Coverage(frontline.GeoUnits(units))), c
}

func unit(t *testing.T, i int, js string) *frontline.Unit {
	t.Helper()
	u, err := frontline.ParseUnit([]byte(js), i)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The sectors and both coverage overlays are one feature per sector, in
// order, id the sector's: a piece of line, or a zone.
func TestSectorFeatures(t *testing.T) {
	rep, c := computed(t, nil)
	zones := c.Zones.Polygons()
	for _, tc := range []struct {
		name  string
		fc    *geojson.FeatureCollection
		zones bool
	}{
		{"sectors", overlay.Sectors(c, nil), false},
		{"sector zones", overlay.Sectors(c, zones), true},
		{"coverage of sectors", overlay.Coverage(rep, c, nil), false},
		{"coverage of zones", overlay.Coverage(rep, c, zones), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.fc.Features) != len(c.Sectors) || len(c.Sectors) != 5 {
				t.Fatalf("%d features for %d sectors, want 5", len(tc.fc.Features), len(c.Sectors))
			}
			for i, f := range tc.fc.Features {
				sec := c.Sectors[i]
				if f.ID != sec.ID || f.Properties["id"] != sec.ID || f.Properties["line_version"] != 3 {
					t.Errorf("feature %d: id %v, properties %v", i, f.ID, f.Properties)
				}
				_, isZone := f.Geometry.(orb.MultiPolygon)
				if isZone != tc.zones {
					t.Errorf("feature %d: geometry %T", i, f.Geometry)
				}
				if !isZone && f.Geometry.Bound() != orb.MultiLineString(c.Zones.Line().Cut(sec.StartKm, sec.EndKm)).Bound() {
					t.Errorf("feature %d: not the sector's piece of line", i)
				}
			}
		})
	}
	// The coverage overlays are styled by status: a stroke, and a fill
	// for zones.
	for i, f := range overlay.Coverage(rep, c, zones).Features {
		r := rep.Sectors[i]
		if f.Properties["status"] != r.Status || f.Properties["troops_per_km"] != r.Troops.PerKm ||
			f.Properties["stroke"] == nil || f.Properties["fill"] != f.Properties["stroke"] || f.Properties["stroke-width"] != 1 {
			t.Errorf("zone %d: properties %v", i, f.Properties)
		}
	}
	if p := overlay.Coverage(rep, c, nil).Features[0].Properties; p["fill"] != nil || p["stroke-width"] != 4 {
		t.Errorf("sector 0: properties %v", p)
	}
}

// With no patrol, every sector's whole line is a patrol gap; air-defense
// gaps are drawn where the service found them.
func TestGaps(t *testing.T) {
	rep, c := computed(t, nil)
	adGaps := make([]orb.MultiPolygon, len(c.Sectors))
	adGaps[2] = c.Zones.Polygons()[2]
	fc := overlay.Gaps(rep, c, adGaps)
	var ids []string
	for _, f := range fc.Features {
		ids = append(ids, fmt.Sprint(f.ID))
	}
	want := "[patrol-S001 patrol-S002 patrol-S003 patrol-S004 patrol-S005 air-defense-S003]"
	if fmt.Sprint(ids) != want {
		t.Fatalf("features %v, want %s", ids, want)
	}
	if km := fc.Features[0].Properties["unwatched_km"]; km != rep.Sectors[0].LengthKm {
		t.Errorf("unwatched_km %v, want the sector's %v", km, rep.Sectors[0].LengthKm)
	}
	if f := fc.Features[5].Properties["uncovered_fraction"]; f != 1.0 {
		t.Errorf("uncovered_fraction %v, want 1", f)
	}
}

// Range rings: one per air-defense unit, active or not, each point at the
// range from the unit, counter-clockwise.
func TestAirDefense(t *testing.T) {
	units := []*frontline.Unit{
		unit(t, 0, `{"type":"Feature","id":"AD-1","geometry":{"type":"Point","coordinates":[31,48.4]},"properties":{"kind":"air_defense","system":"nasams","name":"one"}}`),
		unit(t, 1, `{"type":"Feature","id":"AD-2","geometry":{"type":"Point","coordinates":[32,48.3]},"properties":{"kind":"air_defense","range_km":12.5,"status":"inactive"}}`),
		unit(t, 2, `{"type":"Feature","id":"T-1","geometry":{"type":"Point","coordinates":[31,48.4]},"properties":{"kind":"troops","strength":100}}`),
	}
	fc := overlay.AirDefense(units)
	if len(fc.Features) != 2 {
		t.Fatalf("%d features, want 2", len(fc.Features))
	}
	for i, want := range []struct {
		id, status string
		km         float64
	}{{"AD-1", "active", 30}, {"AD-2", "inactive", 12.5}} {
		f := fc.Features[i]
		if f.ID != want.id || f.Properties["status"] != want.status || f.Properties["range_km"] != want.km {
			t.Errorf("feature %d: id %v, properties %v", i, f.ID, f.Properties)
		}
		ring := f.Geometry.(orb.Polygon)[0]
		if ring[0] != ring[len(ring)-1] || ring.Orientation() != orb.CCW {
			t.Errorf("%s: ring not closed or not counter-clockwise", want.id)
		}
		c := units[i].Coords[0].Point()
		for _, p := range ring {
			d, _, _, err := geodesic.Inverse(c[1], c[0], p[1], p[0])
			if err != nil || math.Abs(d-want.km*1000) > 0.01 {
				t.Fatalf("%s: point %v is %.3f m from the unit, want %g km", want.id, p, d, want.km)
			}
		}
	}
	if fc.Features[0].Properties["name"] != "one" || fc.Features[1].Properties["fill"] == fc.Features[0].Properties["fill"] {
		t.Errorf("properties %v and %v", fc.Features[0].Properties, fc.Features[1].Properties)
	}
}

func TestUnits(t *testing.T) {
	fc := overlay.Units([]*frontline.Unit{
		unit(t, 0, `{"type":"Feature","id":"P-1","geometry":{"type":"LineString","coordinates":[[31,48],[31.1,48.1]]},"properties":{"kind":"patrol","name":"route"}}`),
		unit(t, 1, `{"type":"Feature","id":"P-2","geometry":{"type":"Point","coordinates":[31,48]},"properties":{"kind":"patrol"}}`),
	})
	if len(fc.Features) != 2 {
		t.Fatalf("%d features", len(fc.Features))
	}
	if _, ok := fc.Features[0].Geometry.(orb.LineString); !ok || fc.Features[0].Properties["name"] != "route" || fc.Features[0].Properties["kind"] != "patrol" {
		t.Errorf("route: %T %v", fc.Features[0].Geometry, fc.Features[0].Properties)
	}
	if _, ok := fc.Features[1].Geometry.(orb.Point); !ok || fc.Features[1].Properties["id"] != "P-2" {
		t.Errorf("post: %T %v", fc.Features[1].Geometry, fc.Features[1].Properties)
	}
}

// Options cut a collection down, and never change the geometries they
// were given (the service's are shared).
func TestOptionsApply(t *testing.T) {
	wiggle := orb.LineString{}
	for k := 0; k <= 100; k++ {
		wiggle = append(wiggle, orb.Point{30 + float64(k)*0.01, 48 + 0.0001*math.Sin(float64(k))})
	}
	far := orb.Polygon{{{40, 50}, {40.1234567, 50}, {40.1234567, 50.1}, {40, 50}}}
	fresh := func() *geojson.FeatureCollection {
		fc := geojson.NewFeatureCollection()
		fc.Append(geojson.NewFeature(wiggle))
		fc.Append(geojson.NewFeature(far))
		return fc
	}
	before := fmt.Sprint(wiggle, far)
	for _, tc := range []struct {
		name string
		opt  overlay.Options
		want func(t *testing.T, fc *geojson.FeatureCollection)
	}{
		{"nothing", overlay.Options{}, func(t *testing.T, fc *geojson.FeatureCollection) {
			if len(fc.Features) != 2 || len(fc.Features[0].Geometry.(orb.LineString)) != 101 {
				t.Error("changed")
			}
		}},
		{"bbox", overlay.Options{HasBBox: true, BBox: orb.Bound{Min: orb.Point{29, 47}, Max: orb.Point{31, 49}}}, func(t *testing.T, fc *geojson.FeatureCollection) {
			if len(fc.Features) != 1 || fc.Features[0].Geometry.GeoJSONType() != "LineString" {
				t.Errorf("%d features kept, want the line", len(fc.Features))
			}
		}},
		{"simplify", overlay.Options{Tolerance: 100}, func(t *testing.T, fc *geojson.FeatureCollection) {
			if n := len(fc.Features[0].Geometry.(orb.LineString)); n != 2 {
				t.Errorf("%d vertices left of a line straight to 100 m, want 2", n)
			}
		}},
		{"precision", overlay.Options{Precision: 3}, func(t *testing.T, fc *geojson.FeatureCollection) {
			if p := fc.Features[1].Geometry.(orb.Polygon)[0][1]; p != (orb.Point{40.123, 50}) {
				t.Errorf("rounded to %v", p)
			}
		}},
		{"simplify and precision", overlay.Options{Tolerance: 100, Precision: 2}, func(t *testing.T, fc *geojson.FeatureCollection) {
			if ls := fc.Features[0].Geometry.(orb.LineString); len(ls) != 2 || ls[1] != (orb.Point{31, 48}) {
				t.Errorf("line %v", ls)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fc := fresh()
			tc.want(t, tc.opt.Apply(fc))
			if after := fmt.Sprint(wiggle, far); after != before {
				t.Error("the geometries given were changed")
			}
		})
	}
}
