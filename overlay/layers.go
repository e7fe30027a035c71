package overlay

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline"
	"frontline/geo"
)

// Line draws a line version as one Feature, id its version number, with
// the properties it is served with; line is its engine line (from
// Service.Line).
func Line(lv *frontline.LineVersion, line *geo.Line) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	f := geojson.NewFeature(pieces(orb.MultiLineString(line.Parts())))
	f.ID, f.Properties = lv.Version, geojson.Properties(lv.FeatureProperties())
	fc.Append(f)
	return fc
}

// Units draws the units as they are stored: a point, or a patrol's route
// as a line, with their properties, id and kind.
func Units(units []*frontline.Unit) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, u := range units {
		var g orb.Geometry = u.Coords[0].Point()
		if u.IsRoute() {
			ls := make(orb.LineString, len(u.Coords))
			for i, c := range u.Coords {
				ls[i] = c.Point()
			}
			g = ls
		}
		f := geojson.NewFeature(g)
		f.ID = u.ID
		for k, v := range u.Properties {
			f.Properties[k] = v
		}
		f.Properties["id"], f.Properties["kind"] = u.ID, u.Kind
		fc.Append(f)
	}
	return fc
}
