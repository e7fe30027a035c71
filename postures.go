package frontline

import "strings"

// Posture is a named preset of the required troop density, with the
// public figures it comes from (SPEC 9). posture=NAME on a coverage read
// sets required_per_km, unless the read gives required_per_km itself: a
// planner picks a kind of mission, an analyst can still ask for a figure
// of their own.
type Posture struct {
	Name          string  `json:"name"`
	RequiredPerKm float64 `json:"required_per_km"`
	Source        string  `json:"source"`
}

// Postures are the presets, from the lightest mission to the heaviest.
// Their densities are troops per km of line: a mission's strength over
// the length of line it held.
var Postures = []Posture{
	{Name: "monitoring", RequiredPerKm: 1.5,
		Source: "OSCE Special Monitoring Mission to Ukraine: about 700 monitors on about 500 km of line"},
	{Name: "separation", RequiredPerKm: 15,
		Source: "UNDOF (Golan): about 1,150 troops on about 80 km"},
	{Name: "reassurance", RequiredPerKm: DefaultRequiredPerKm,
		Source: "the default: about 100,000 troops on about 2,100 km, the upper public estimate for a Ukraine peace force"},
	{Name: "interposition", RequiredPerKm: 80,
		Source: "UNIFIL (Lebanon): about 10,000 troops on the 120 km Blue Line"},
	{Name: "defense", RequiredPerKm: 300,
		Source: "a combat front: about 350,000 troops on about 1,200 km"},
}

// PostureNamed returns the posture of that name; any other name is a bad
// posture parameter, answered with the names there are.
func PostureNamed(name string) (Posture, error) {
	for _, p := range Postures {
		if p.Name == name {
			return p, nil
		}
	}
	return Posture{}, BadParameter("posture", "unknown posture %q (there are %s)", truncate(name, 40), postureNames())
}

// postureNames lists the postures' names for messages and help texts.
func postureNames() string {
	names := make([]string, len(Postures))
	for i, p := range Postures {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}
