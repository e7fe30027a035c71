// Package data holds the service's default data, embedded in the binary:
// the front line it serves on a database that has none, and a demo set of
// peace-force units placed along it.
//
// The line runs from the Dnipro mouth along the line of contact to the
// Russian border north of Kupiansk, then west along the state border
// to the Belarus-Russia-Ukraine tripoint. SOURCES.md says how both files
// were made, from which public sources, and on what terms: the state border
// in line.geojson is derived from OpenStreetMap data (© OpenStreetMap
// contributors), so the line, and the units placed along it, are offered
// under the Open Database License (ODbL 1.0) with that attribution.
package data

import "embed"

//go:embed line.geojson units.geojson anchors.geojson territory.geojson
var files embed.FS

// Line returns the default line: a GeoJSON FeatureCollection of one
// LineString Feature. Each call returns a fresh copy.
func Line() []byte { return read("line.geojson") }

// Units returns the demo units: a GeoJSON FeatureCollection of troops,
// air-defense and patrol Features. Each call returns a fresh copy.
func Units() []byte { return read("units.geojson") }

// Anchors returns named places along the default line (GeoNames city
// coordinates) for sectors between anchors: a GeoJSON FeatureCollection
// of Points named by properties.name.
func Anchors() []byte { return read("anchors.geojson") }

// Territory returns the reference territory lines of contact are derived
// against: Ukraine's outer boundary and sea coast, and its land border with
// Russia (OpenStreetMap, ODbL), as a GeoJSON FeatureCollection of features
// with role "boundary" or "border".
func Territory() []byte { return read("territory.geojson") }

func read(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		// The files are embedded at build time, so this cannot happen in
		// a binary that compiled.
		panic("data: " + err.Error())
	}
	return b
}
