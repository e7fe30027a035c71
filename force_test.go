package frontline

import (
	"math"
	"reflect"
	"testing"
)

// ceilMul rounds up exactly on the decimals given, where float64 products
// land a hair above a whole number.
func TestCeilMul(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b float64
		want int
	}{
		{"the default density over a 25 km sector", 48, 25, 1200},
		{"monitoring over 300 m", 1.5, 0.3, 1}, // 0.45 troops: one
		{"interposition over 150 m", 80, 0.15, 12},
		{"float64 makes 100 x 1.1 110.00000000000001", 100, 1.1, 110},
		{"float64 makes 100 x 0.07 7.000000000000001", 100, 0.07, 7},
		{"float64 makes 1200 x 0.07 84.00000000000001", 0.07, 1200, 84},
		{"float64 makes 100 x 2.2 220.00000000000003", 2.2, 100, 220},
		{"a millimetre short of 25 km", 48, 24.999999, 1200},
		{"a millimetre over 25 km", 48, 25.000001, 1201},
		{"rotation 3", 1001, 3, 3003},
		{"rotation 2.5, a half rounded up", 1001, 2.5, 2503},
		{"rotation 2.5, whole", 1000, 2.5, 2500},
		{"rotation 1.1 of 10", 10, 1.1, 11},
		{"nothing", 0, 3, 0},
		{"a millimetre of a sector at the lowest density", 0.000001, 0.000001, 1},
		{"the largest figures the settings allow on a long line", maxRequiredPerKm, 40000, 4000000000},
		{"beyond an int", 1e300, 1e300, math.MaxInt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ceilMul(tc.a, tc.b); got != tc.want {
				t.Errorf("ceilMul(%g, %g) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

func TestNewForce(t *testing.T) {
	troop := func(id string, strength int) *Unit { return &Unit{ID: id, Kind: KindTroops, Strength: strength} }
	ad := func(id, system string, active bool) *Unit {
		return &Unit{ID: id, Kind: KindAirDefense, System: system, RangeKm: 10, Active: active}
	}
	patrol := func(id string) *Unit { return &Unit{ID: id, Kind: KindPatrol, ObserveKm: 5} }
	units := []*Unit{troop("t1", 600), troop("t2", 401), ad("a1", "patriot", true), ad("a2", "Patriot", true),
		ad("a3", "nasams", true), ad("a4", "nasams", false), ad("a5", "", true), ad("a6", "", true), ad("a7", "S-300", true),
		patrol("p1"), patrol("p2"), patrol("p3")}
	for _, tc := range []struct {
		name     string
		units    []*Unit
		troops   int
		rotation float64
		want     Force
	}{
		{"rotation 3", units, 1001, 3, Force{Troops: 1001, TroopsWithRotation: 3003,
			AirDefense: map[string]int{"patriot": 2, "nasams": 1, "custom": 2, "s-300": 1}, Patrols: 3}},
		{"rotation 2.5 rounds up", units, 1001, 2.5, Force{Troops: 1001, TroopsWithRotation: 2503,
			AirDefense: map[string]int{"patriot": 2, "nasams": 1, "custom": 2, "s-300": 1}, Patrols: 3}},
		{"rotation 1: the troops on the line", units, 1001, 1, Force{Troops: 1001, TroopsWithRotation: 1001,
			AirDefense: map[string]int{"patriot": 2, "nasams": 1, "custom": 2, "s-300": 1}, Patrols: 3}},
		{"no units: an empty count, not null", nil, 0, 3, Force{AirDefense: map[string]int{}}},
		{"only inactive air defense", []*Unit{ad("a4", "nasams", false)}, 0, 3, Force{AirDefense: map[string]int{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := newForce(tc.units, tc.troops, tc.rotation)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("newForce = %+v, want %+v", got, tc.want)
			}
		})
	}
}
