package overlay

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"frontline"
	"frontline/geo"
)

// Gaps draws what the cover misses, sector by sector: the pieces of line
// no patrol sees (from the report), then the parts of the zones no
// air-defense unit covers (adGaps, the service's AirDefenseGaps of c).
// Sectors without a gap have no feature.
func Gaps(rep *frontline.Report, c *frontline.Computation, adGaps []orb.MultiPolygon) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	red := statusColor[frontline.StatusGap]
	cov := make([]geo.SectorCoverage, len(rep.Sectors))
	for i, r := range rep.Sectors {
		cov[i].Unwatched = r.Unwatched
	}
	for i, mls := range c.Zones.PatrolGaps(cov) {
		if len(mls) == 0 {
			continue
		}
		f := geojson.NewFeature(pieces(mls))
		f.ID = "patrol-" + c.Sectors[i].ID
		f.Properties = geojson.Properties{"gap": "patrol", "sector": c.Sectors[i].ID,
			"unwatched_km": round6(c.Sectors[i].LengthKm() * (1 - rep.Sectors[i].Patrol.CoveredFraction)),
			"stroke":       red, "stroke-width": 5, "stroke-opacity": 1}
		fc.Append(f)
	}
	for i, mp := range adGaps {
		if len(mp) == 0 {
			continue
		}
		f := geojson.NewFeature(mp)
		f.ID = "air-defense-" + c.Sectors[i].ID
		f.Properties = geojson.Properties{"gap": "air_defense", "sector": c.Sectors[i].ID,
			"uncovered_fraction": round6(1 - rep.Sectors[i].AirDefense.CoveredFraction),
			"stroke":             red, "stroke-width": 1, "fill": red, "fill-opacity": 0.35}
		fc.Append(f)
	}
	return fc
}
