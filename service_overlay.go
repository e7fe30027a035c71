package frontline

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/paulmach/orb"
)

// What the overlays are drawn from, beyond the coverage report: package
// overlay draws them, the Service computes and caches them.

type gapKey struct {
	zones zoneKey
	ad    string
}

// AirDefenseGaps returns, per sector, the part of its zone out of range
// of every active air-defense unit among units (empty where none is). It
// is cached by the zones and those units alone, so that troop and patrol
// updates do not redo the polygon overlay.
func (s *Service) AirDefenseGaps(ctx context.Context, c *Computation, units []*Unit) ([]orb.MultiPolygon, error) {
	ad := GeoUnits(units).AirDefense
	h := sha256.New()
	for _, u := range ad {
		fmt.Fprintf(h, "%s|%v|%v|%v\n", u.ID, u.Pos[0], u.Pos[1], u.RangeKm)
	}
	key := gapKey{zones: c.key, ad: string(h.Sum(nil))}
	return s.gaps.Get(key, func() ([]orb.MultiPolygon, error) {
		release, err := s.slot(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		defer s.opt.Hooks.computed("air_defense_gaps", time.Now())
		return c.Zones.AirDefenseGaps(ad)
	})
}
