package overlay

import (
	"github.com/paulmach/orb/geojson"

	"frontline"
)

// Colours of the areas that changed hands.
const (
	gainedColor = "#b71c1c" // newly held by the other side
	lostColor   = "#1565c0" // given up by the other side
)

// Changes draws the areas that changed hands between two line versions
// derived from areas: one Feature for the area the other side gained and
// one for what it lost, each styled, with its area.
func Changes(ch *frontline.Changes) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	if ch.Changed == nil {
		return fc
	}
	for _, side := range []struct {
		id, color string
		km2       *float64
		geom      any
	}{
		{"gained", gainedColor, ch.Totals.GainedKm2, ch.Changed.Gained},
		{"lost", lostColor, ch.Totals.LostKm2, ch.Changed.Lost},
	} {
		if side.id == "gained" && len(ch.Changed.Gained) == 0 || side.id == "lost" && len(ch.Changed.Lost) == 0 {
			continue
		}
		var f *geojson.Feature
		if side.id == "gained" {
			f = geojson.NewFeature(ch.Changed.Gained)
		} else {
			f = geojson.NewFeature(ch.Changed.Lost)
		}
		f.ID = side.id
		f.Properties = geojson.Properties{"change": side.id, "area_km2": *side.km2,
			"from_version": ch.From.Version, "to_version": ch.To.Version,
			"stroke": side.color, "stroke-width": 1, "fill": side.color, "fill-opacity": 0.45}
		fc.Append(f)
	}
	return fc
}
