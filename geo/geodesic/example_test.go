package geodesic_test

import (
	"fmt"

	"frontline/geo/geodesic"
)

func ExampleInverse() {
	// Kyiv to Kharkiv.
	s12, azi1, azi2, err := geodesic.Inverse(50.4501, 30.5234, 49.9935, 36.2304)
	if err != nil {
		panic(err)
	}
	fmt.Printf("distance %.3f km, initial azimuth %.4f°, final azimuth %.4f°\n", s12/1000, azi1, azi2)
	// Output:
	// distance 410.332 km, initial azimuth 94.9086°, final azimuth 99.2961°
}

func ExampleDirect() {
	// 100 km due east of Kyiv: a geodesic that starts due east drifts south.
	lat2, lon2, azi2 := geodesic.Direct(50.4501, 30.5234, 90, 100e3)
	fmt.Printf("%.6f, %.6f, heading %.4f°\n", lat2, lon2, azi2)
	// Output:
	// 50.441584, 31.931203, heading 91.0855°
}

func ExampleDistance() {
	// Points are {lon, lat}, as in GeoJSON: Kherson to Zaporizhzhia.
	kherson := [2]float64{32.6169, 46.6354}
	zaporizhzhia := [2]float64{35.1396, 47.8388}
	fmt.Printf("%.1f m\n", geodesic.Distance(kherson, zaporizhzhia))
	// Output:
	// 233189.3 m
}

func ExampleArea() {
	// The triangle Kyiv – Kharkiv – Odesa with geodesic sides, in either
	// winding.
	ring := [][2]float64{{30.5234, 50.4501}, {36.2304, 49.9935}, {30.7233, 46.4825}}
	fmt.Printf("%.3f km²\n", geodesic.Area(ring)/1e6)
	// Output:
	// 89967.169 km²
}
