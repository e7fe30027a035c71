package frontline

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Force is what a report counts on the line (SPEC 9), the figures
// published options for a force are given in.
type Force struct {
	// Troops is the sum of the strengths the report counts in its
	// sectors.
	Troops int `json:"troops"`
	// TroopsWithRotation is Troops x the rotation setting, rounded up:
	// the force it takes to keep Troops on the line.
	TroopsWithRotation int `json:"troops_with_rotation"`
	// AirDefense counts the active air-defense units by system, in lower
	// case; CustomSystem counts those given only a range_km.
	AirDefense map[string]int `json:"air_defense"`
	// Patrols counts the patrol units, routes and posts.
	Patrols int `json:"patrols"`
}

// CustomSystem is the system an air-defense unit counts under in the force
// totals when it has only a range_km.
const CustomSystem = "custom"

// newForce counts the units of a report whose sectors hold troops troops.
func newForce(units []*Unit, troops int, rotation float64) Force {
	f := Force{Troops: troops, TroopsWithRotation: ceilMul(float64(troops), rotation), AirDefense: map[string]int{}}
	for _, u := range units {
		switch u.Kind {
		case KindAirDefense:
			if !u.Active {
				continue
			}
			// As the ranges are looked up: "Patriot" is "patriot".
			system := strings.ToLower(u.System)
			if system == "" {
				system = CustomSystem
			}
			f.AirDefense[system]++
		case KindPatrol:
			f.Patrols++
		}
	}
	return f
}

// ceilMul returns a x b (both at least 0) rounded up to a whole number,
// computed exactly on
// the decimals a and b are written with (their shortest form, as the
// settings were given and as reports show figures): in floating point
// 100 x 1.1 is 110.00000000000001 and 100 x 0.07 is 7.000000000000001,
// whose ceilings would ask for one soldier too many.
//
// The settings' bounds (maxRequiredPerKm, maxRotation) keep every product
// of a real line and force far inside an int; beyond it, the result is
// the largest int.
func ceilMul(a, b float64) int {
	ra, okA := new(big.Rat).SetString(strconv.FormatFloat(a, 'g', -1, 64))
	rb, okB := new(big.Rat).SetString(strconv.FormatFloat(b, 'g', -1, 64))
	if !okA || !okB { // NaN or an infinity: not a number of anything
		return 0
	}
	p := ra.Mul(ra, rb)
	q, r := new(big.Int).QuoRem(p.Num(), p.Denom(), new(big.Int))
	if r.Sign() > 0 { // QuoRem truncates towards zero: up for a positive rest
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() || q.Int64() > math.MaxInt {
		return math.MaxInt
	}
	return int(q.Int64())
}
