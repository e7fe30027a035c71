package overlay

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"
)

// Options say how a FeatureCollection is cut down for a client. The zero
// value keeps everything as computed.
type Options struct {
	BBox      orb.Bound // keep features whose bounds meet it, when HasBBox
	HasBBox   bool
	Tolerance float64 // simplification, in metres (0: none)
	Precision int     // decimals of coordinates (0: as computed)
}

// Apply filters fc by the bounding box, simplifies and rounds it, in
// place, and returns it. Geometries are copied before they change:
// those the service computed are shared.
func (o Options) Apply(fc *geojson.FeatureCollection) *geojson.FeatureCollection {
	if o.HasBBox {
		kept := fc.Features[:0]
		for _, f := range fc.Features {
			if f.Geometry.Bound().Intersects(o.BBox) {
				kept = append(kept, f)
			}
		}
		fc.Features = kept
	}
	for _, f := range fc.Features {
		copied := false
		if o.Tolerance > 0 {
			// Degrees of latitude; the simplification is for display.
			f.Geometry = simplify.DouglasPeucker(o.Tolerance / 111320).Simplify(orb.Clone(f.Geometry))
			copied = true
		}
		if o.Precision > 0 {
			if !copied {
				f.Geometry = orb.Clone(f.Geometry)
			}
			f.Geometry = orb.Round(f.Geometry, int(math.Pow(10, float64(o.Precision))))
		}
	}
	return fc
}
