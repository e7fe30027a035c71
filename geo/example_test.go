package geo_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"frontline/geo"
)

// A 100 km line due north, cut into 25 km sectors, with a 30 km band on
// both sides: each zone is 25 × 60 km.
func ExampleNewZones() {
	line, err := geo.NewLine([][]orb.Point{{{35, 48}, {35, 48.899}}})
	if err != nil {
		panic(err)
	}
	sectors, _ := line.Sectors(geo.Sectoring{SectorKm: 25})
	zones, err := geo.NewZones(line, sectors, geo.ZoneOptions{DepthKm: 30, Side: geo.Both})
	if err != nil {
		panic(err)
	}
	fmt.Printf("line %.1f km\n", line.LengthKm())
	for i, s := range sectors {
		fmt.Printf("%s %5.1f-%5.1f km: zone %.0f km²\n", s.ID, s.StartKm, s.EndKm, zones.AreaKm2()[i])
	}
	// Output:
	// line 100.0 km
	// S001   0.0- 25.0 km: zone 1500 km²
	// S002  25.0- 50.0 km: zone 1500 km²
	// S003  50.0- 75.0 km: zone 1500 km²
	// S004  75.0-100.0 km: zone 1498 km²
}

// Coverage of the sectors by an air-defense unit, a patrol and troops.
func ExampleZones_Coverage() {
	line, _ := geo.NewLine([][]orb.Point{{{35, 48}, {35, 48.899}}})
	sectors, _ := line.Sectors(geo.Sectoring{Count: 2})
	zones, _ := geo.NewZones(line, sectors, geo.ZoneOptions{DepthKm: 30})
	cov := zones.Coverage(geo.Units{
		AirDefense: []geo.AirDefense{{ID: "nasams-1", Pos: orb.Point{35, 48.2}, RangeKm: 30}},
		Patrols:    []geo.Patrol{{ID: "p1", Route: orb.LineString{{35.01, 48.0}, {35.01, 48.3}}, ObserveKm: 2, VisitsPerDay: 3}},
		Troops:     []geo.Troop{{ID: "bde-1", Pos: orb.Point{35.1, 48.7}, Strength: 2400}},
	})
	for _, c := range cov {
		fmt.Printf("%s: troops %d, air defense %.2f, patrol %.1f of %.1f km\n",
			c.ID, c.Strength, c.ADCoveredKm2/c.ZoneAreaKm2, c.PatrolKm, c.LengthKm())
	}
	// Output:
	// S001: troops 0, air defense 0.86, patrol 35.2 of 50.0 km
	// S002: troops 2400, air defense 0.01, patrol 0.0 of 50.0 km
}
