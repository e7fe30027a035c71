package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Exports tried as a new user tries them: GIS tools on the OGC API, the
// CSVs in a spreadsheet and back.

// ogr runs a GDAL tool and returns what it wrote on stderr, or skips the
// test when GDAL is not installed. A failing tool fails the test.
func ogr(t *testing.T, tool string, args ...string) (stdout, stderr string) {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("%s not on PATH: GDAL is the reference GIS client here; install it to run this test (Debian/Ubuntu: apt-get install gdal-bin)", tool)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost")
	cmd.WaitDelay = 10 * time.Second
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", tool, strings.Join(args, " "), err, out.String(), errs.String())
	}
	return out.String(), errs.String()
}

// laundered is the one warning a Shapefile export may give: a field name
// longer than the format's 10 characters (visits_per_day) is cut.
var laundered = regexp.MustCompile(`^Warning 6: Normalized/laundered field name: '[a-z_]+' to '[a-z_]+'$`)

// noWarnings fails on every line of a GDAL tool's stderr, but the
// Shapefile's cut field names when shapefile is set.
func noWarnings(t *testing.T, what, stderr string, shapefile bool) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if l == "" || (shapefile && laundered.MatchString(l)) {
			continue
		}
		t.Errorf("%s: GDAL said %q", what, l)
	}
}

// layerInfo reads a layer's geometry type, feature count and fields from
// `ogrinfo -so`.
func layerInfo(t *testing.T, src, layer string) (geometry string, count int, fields map[string]string) {
	t.Helper()
	out, stderr := ogr(t, "ogrinfo", "-ro", "-so", src, layer)
	noWarnings(t, "ogrinfo "+src, stderr, false)
	if m := regexp.MustCompile(`(?m)^Geometry: (.+)$`).FindStringSubmatch(out); m != nil {
		geometry = m[1]
	}
	if m := featureCount.FindStringSubmatch(out); m != nil {
		count, _ = strconv.Atoi(m[1])
	}
	fields = map[string]string{}
	for _, m := range fieldLine.FindAllStringSubmatch(out, -1) {
		fields[m[1]] = m[2]
	}
	return geometry, count, fields
}

// unitGeometries counts the stored units by geometry type, and sums the
// troops' strength.
func unitGeometries(t *testing.T, url string) (points, routes, strength int, ids map[string]string) {
	t.Helper()
	ids = map[string]string{}
	for _, f := range get(t, url+"/v1/units").json(t)["features"].([]any) {
		f := f.(map[string]any)
		typ := f["geometry"].(map[string]any)["type"].(string)
		ids[featureID(f)] = typ
		switch typ {
		case "Point":
			points++
		case "LineString":
			routes++
		default:
			t.Fatalf("unit %s is a %s", featureID(f), typ)
		}
		if n, ok := f["properties"].(map[string]any)["strength"].(float64); ok {
			strength += int(n)
		}
	}
	if points == 0 || routes == 0 {
		t.Fatalf("the demo units: %d points, %d routes; the test needs both", points, routes)
	}
	return points, routes, strength, ids
}

// The units collection mixes points and routes, which a Shapefile cannot
// hold and a GeoPackage table should not: unit-points and patrol-routes
// serve them one geometry type each, so that the exports work the first
// time, with every unit in one of them.
func TestExportUnitLayersGDAL(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	points, routes, _, ids := unitGeometries(t, s.url)

	// The API first: every unit in exactly one of the two, as /v1 has it.
	seen := map[string]bool{}
	for id, typ := range map[string]string{"unit-points": "Point", "patrol-routes": "LineString"} {
		features, matched := walk(t, s.url+"/ogc/collections/"+id+"/items?limit=25")
		want := map[string]int{"Point": points, "LineString": routes}[typ]
		if matched != want || len(features) != want {
			t.Errorf("%s: numberMatched %d, %d features; /v1/units has %d of type %s", id, matched, len(features), want, typ)
		}
		for _, f := range features {
			fid := featureID(f)
			if g := f["geometry"].(map[string]any)["type"]; g != typ || ids[fid] != typ {
				t.Errorf("%s: feature %s is a %v (in /v1/units a %s)", id, fid, g, ids[fid])
			}
			seen[fid] = true
		}
		one := ogcGet(t, s.url+"/ogc/collections/"+id+"/items/"+featureID(features[0]), "application/geo+json")
		if one["id"] != features[0]["id"] {
			t.Errorf("%s: item %v reads as %v", id, features[0]["id"], one["id"])
		}
	}
	if len(seen) != len(ids) {
		t.Errorf("the two collections hold %d units, /v1/units %d", len(seen), len(ids))
	}

	src := "OAPIF:" + s.url + "/ogc"
	for _, c := range []struct {
		layer, geometry string
		count           int
	}{{"unit-points", "Point", points}, {"patrol-routes", "Line String", routes}} {
		t.Run("shapefile "+c.layer, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			_, stderr := ogr(t, "ogr2ogr", "-f", "ESRI Shapefile", dir, src, c.layer)
			noWarnings(t, "ogr2ogr to a Shapefile", stderr, true)
			geometry, count, _ := layerInfo(t, dir, c.layer)
			if geometry != c.geometry || count != c.count {
				t.Errorf("the Shapefile holds %d features of type %q, want %d of type %q", count, geometry, c.count, c.geometry)
			}
		})
	}
	t.Run("geopackage", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "units.gpkg")
		_, stderr := ogr(t, "ogr2ogr", "-f", "GPKG", out, src, "unit-points", "patrol-routes")
		noWarnings(t, "ogr2ogr to a GeoPackage", stderr, false)
		for _, c := range []struct {
			layer, geometry string
			count           int
		}{{"unit-points", "Point", points}, {"patrol-routes", "Line String", routes}} {
			geometry, count, _ := layerInfo(t, out, c.layer)
			if geometry != c.geometry || count != c.count {
				t.Errorf("%s in the GeoPackage: %d features of type %q, want %d of type %q", c.layer, count, geometry, c.count, c.geometry)
			}
		}
	})
}

// A GIS client builds a layer's fields before it reads the layer: GDAL
// from the first page of items, unless the collection links a schema.
// Sorted by id, the first page of unit-points holds only air defense, so
// without the schema the troops' strength would not reach the file.
func TestExportUnitLayersKeepFields(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	_, _, strength, _ := unitGeometries(t, s.url)
	col := ogcGet(t, s.url+"/ogc/collections/unit-points", "application/json")
	schema := link(t, col, "describedBy", "application/schema+json")
	if schema == "" {
		t.Fatalf("unit-points links no schema (rel describedBy, application/schema+json): %v", col["links"])
	}
	doc := ogcGet(t, schema, "application/schema+json")
	props := doc["properties"].(map[string]any)["properties"].(map[string]any)["properties"].(map[string]any)
	for name, typ := range map[string]string{"strength": "integer", "sector": "string", "system": "string", "range_km": "integer", "observe_km": "integer", "name": "string", "demo": "boolean"} {
		if p, _ := props[name].(map[string]any); p == nil || p["type"] != typ {
			t.Errorf("the schema gives %s as %v, want type %s", name, props[name], typ)
		}
	}
	if g := doc["properties"].(map[string]any)["geometry"].(map[string]any); g["format"] != "geometry-point" {
		t.Errorf("the schema's geometry: %v", g)
	}

	out := filepath.Join(t.TempDir(), "units.gpkg")
	_, stderr := ogr(t, "ogr2ogr", "-f", "GPKG", out, "OAPIF:"+s.url+"/ogc", "unit-points", "patrol-routes")
	noWarnings(t, "ogr2ogr to a GeoPackage", stderr, false)
	_, _, fields := layerInfo(t, out, "unit-points")
	for name, typ := range map[string]string{"strength": "Integer", "sector": "String", "system": "String", "range_km": "Integer",
		"status": "String", "observe_km": "Integer", "visits_per_day": "Integer", "sidc": "String"} {
		if fields[name] != typ {
			t.Errorf("unit-points in the GeoPackage: field %s is %q, want %s (fields %v)", name, fields[name], typ, fields)
		}
	}
	sum, _ := ogr(t, "ogrinfo", "-ro", "-q", out, "-sql", `SELECT SUM(strength) AS total FROM "unit-points"`)
	if m := regexp.MustCompile(`total \(Integer\S*\) = (\d+)`).FindStringSubmatch(sum); m == nil || m[1] != strconv.Itoa(strength) {
		t.Errorf("the troops in the GeoPackage sum to %v, /v1/units to %d:\n%s", m, strength, sum)
	}
	_, _, fields = layerInfo(t, out, "patrol-routes")
	for _, name := range []string{"observe_km", "visits_per_day"} {
		if fields[name] != "Integer" {
			t.Errorf("patrol-routes in the GeoPackage: field %s is %q (fields %v)", name, fields[name], fields)
		}
	}
}

// With --protect-units, the new unit collections need a read key like
// units itself; their schema says no more than which properties there are,
// but goes with them.
func TestExportUnitLayersProtected(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s := serve(t, db, "--protect-units")
	read := makeKey(t, db, "read")
	for _, id := range []string{"unit-points", "patrol-routes"} {
		for _, path := range []string{"", "/items", "/items/P-001"} {
			want(t, get(t, s.url+"/ogc/collections/"+id+path), 401)
		}
		want(t, get(t, s.url+"/ogc/collections/"+id+"/items", "Authorization", "Bearer "+read), 200)
	}
}

// The units as CSV, in the columns the CSV import reads: read back with
// mode=replace, they are the same units.
func TestExportUnitsCSV(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	before := get(t, s.url+"/v1/units")
	want(t, before, 200)
	r := get(t, s.url+"/v1/units?format=csv")
	recs := readCSV(t, r)
	checkNoFormula(t, recs)
	n := len(before.json(t)["features"].([]any))
	if len(recs) != n+1 {
		t.Fatalf("%d CSV rows for %d units", len(recs)-1, n)
	}
	for _, c := range []string{"id", "kind", "lon", "lat", "strength", "system", "range_km", "observe_km", "visits_per_day", "name", "sidc", "geometry", "properties"} {
		if !strings.Contains(","+strings.Join(recs[0], ",")+",", ","+c+",") {
			t.Errorf("no %s column in %v", c, recs[0])
		}
	}
	// Filters apply as to the GeoJSON.
	troops := readCSV(t, get(t, s.url+"/v1/units?format=csv&kind=troops"))
	if len(troops) < 2 || len(troops) >= len(recs) {
		t.Errorf("kind=troops: %d rows of %d", len(troops)-1, len(recs)-1)
	}

	want(t, s.do(t, "POST", s.url+"/v1/units/bulk?mode=replace", "text/csv", r.body), 200)
	after := get(t, s.url+"/v1/units")
	var a, b any
	_ = json.Unmarshal(before.body, &a)
	_ = json.Unmarshal(after.body, &b)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("the units after a CSV round trip differ:\n%.600s\n%.600s", jb, ja)
	}
}

// The coverage CSV says where each sector starts and ends on the line, and
// between which anchors. Checked against the line with a geodesic of the
// test's own (Vincenty's formulae on WGS84): consecutive sectors meet,
// the first starts at the line's first vertex and the last ends at its
// last, and each start is on the line start_km along it.
func TestExportCoverageCSVEnds(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "f.db"))
	g := get(t, s.url+"/v1/frontline").json(t)["geometry"].(map[string]any)
	var parts [][][2]float64
	addPart := func(cs []any) {
		var part [][2]float64
		for _, c := range cs {
			p := c.([]any)
			part = append(part, [2]float64{p[0].(float64), p[1].(float64)})
		}
		parts = append(parts, part)
	}
	switch g["type"] {
	case "LineString":
		addPart(g["coordinates"].([]any))
	case "MultiLineString":
		for _, p := range g["coordinates"].([]any) {
			addPart(p.([]any))
		}
	}
	first, last := parts[0][0], parts[len(parts)-1][len(parts[len(parts)-1])-1]

	var names []string
	for _, f := range get(t, s.url+"/v1/anchors").json(t)["features"].([]any) {
		names = append(names, f.(map[string]any)["properties"].(map[string]any)["name"].(string))
	}
	for _, q := range []string{"", "&sector_km=10", "&sectors=anchors"} {
		t.Run(q, func(t *testing.T) {
			recs := readCSV(t, get(t, s.url+"/v1/coverage?format=csv"+q))
			checkNoFormula(t, recs)
			col := map[string]int{}
			for i, h := range recs[0] {
				col[h] = i
			}
			if !strings.HasSuffix(strings.Join(recs[0], ","), ",status,line_version,start_lon,start_lat,end_lon,end_lat,from_anchor,to_anchor") {
				t.Fatalf("header %v", recs[0])
			}
			num := func(rec []string, c string) float64 {
				f, err := strconv.ParseFloat(rec[col[c]], 64)
				if err != nil {
					t.Fatalf("%s %q: %v", c, rec[col[c]], err)
				}
				return f
			}
			rows := recs[1:]
			for k, rec := range rows {
				start := [2]float64{num(rec, "start_lon"), num(rec, "start_lat")}
				if k == 0 && start != round6pt(first) {
					t.Errorf("the first sector starts at %v, the line at %v", start, first)
				}
				if k > 0 {
					prev := rows[k-1]
					if prev[col["end_lon"]] != rec[col["start_lon"]] || prev[col["end_lat"]] != rec[col["start_lat"]] {
						t.Errorf("sector %s starts at %s,%s; %s ended at %s,%s", rec[0], rec[col["start_lon"]], rec[col["start_lat"]],
							prev[0], prev[col["end_lon"]], prev[col["end_lat"]])
					}
				}
				if off := offLine(parts, num(rec, "start_km"), start); off > 0.5 {
					t.Errorf("sector %s starts %.2f m from the point %g km along the line", rec[0], off, num(rec, "start_km"))
				}
				if k == len(rows)-1 {
					end := [2]float64{num(rec, "end_lon"), num(rec, "end_lat")}
					if end != round6pt(last) {
						t.Errorf("the last sector ends at %v, the line at %v", end, last)
					}
					if off := offLine(parts, num(rec, "end_km"), end); off > 0.5 {
						t.Errorf("the last sector ends %.2f m from the line's end", off)
					}
				}
				from, to := rec[col["from_anchor"]], rec[col["to_anchor"]]
				if q != "&sectors=anchors" {
					if from != "" || to != "" {
						t.Errorf("sector %s: anchors %q, %q without anchors", rec[0], from, to)
					}
					continue
				}
				if rec[0] != from+".."+to {
					t.Errorf("sector %s between %q and %q", rec[0], from, to)
				}
				for _, a := range []string{from, to} {
					if a != "start" && a != "end" && !strings.Contains("\n"+strings.Join(names, "\n")+"\n", "\n"+a+"\n") {
						t.Errorf("sector %s: %q is no anchor (%v)", rec[0], a, names)
					}
				}
				if (k == 0) != (from == "start") || (k == len(rows)-1) != (to == "end") {
					t.Errorf("sector %d of %d runs from %s to %s", k, len(rows), from, to)
				}
			}
		})
	}
	// One sector's CSV is that sector's row of the whole.
	all := readCSV(t, get(t, s.url+"/v1/coverage?format=csv&sectors=anchors"))
	one := readCSV(t, get(t, s.url+"/v1/coverage/"+all[2][0]+"?format=csv&sectors=anchors"))
	if len(one) != 2 || strings.Join(one[1], ",") != strings.Join(all[2], ",") {
		t.Errorf("one sector:\n%v\nwant\n%v", one, all[2])
	}
}

func round6pt(p [2]float64) [2]float64 {
	return [2]float64{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
}

// offLine is how far (m) p is from the point km along the line, the gaps
// between parts counting zero.
func offLine(parts [][][2]float64, km float64, p [2]float64) float64 {
	left := km * 1000
	var a, b [2]float64
	for _, part := range parts {
		for i := 1; i < len(part); i++ {
			a, b = part[i-1], part[i]
			d, azi, _ := vincentyInverse(a, b)
			if left <= d {
				q := vincentyDirect(a, azi, left)
				dist, _, _ := vincentyInverse(q, p)
				return dist
			}
			left -= d
		}
	}
	// Beyond the end by rounding: the last vertex.
	dist, _, _ := vincentyInverse(b, p)
	return dist
}

// WGS84, and Vincenty's inverse and direct problems (T. Vincenty, Survey
// Review 1975): good to well under a millimetre away from antipodes.
const (
	wgsA = 6378137.0
	wgsF = 1 / 298.257223563
	wgsB = wgsA * (1 - wgsF)
)

func rad(d float64) float64 { return d * math.Pi / 180 }
func deg(r float64) float64 { return r * 180 / math.Pi }

// vincentyInverse returns the distance (m) from p to q and the azimuths
// (radians) at both ends.
func vincentyInverse(p, q [2]float64) (dist, azi1, azi2 float64) {
	if p == q {
		return 0, 0, 0
	}
	L := rad(q[0] - p[0])
	u1, u2 := math.Atan((1-wgsF)*math.Tan(rad(p[1]))), math.Atan((1-wgsF)*math.Tan(rad(q[1])))
	su1, cu1, su2, cu2 := math.Sin(u1), math.Cos(u1), math.Sin(u2), math.Cos(u2)
	lambda := L
	var sinS, cosS, sigma, cos2a, cos2sm float64
	for range 200 {
		sl, cl := math.Sin(lambda), math.Cos(lambda)
		sinS = math.Hypot(cu2*sl, cu1*su2-su1*cu2*cl)
		if sinS == 0 {
			return 0, 0, 0
		}
		cosS = su1*su2 + cu1*cu2*cl
		sigma = math.Atan2(sinS, cosS)
		sinA := cu1 * cu2 * sl / sinS
		cos2a = 1 - sinA*sinA
		cos2sm = 0.0
		if cos2a != 0 {
			cos2sm = cosS - 2*su1*su2/cos2a
		}
		C := wgsF / 16 * cos2a * (4 + wgsF*(4-3*cos2a))
		prev := lambda
		lambda = L + (1-C)*wgsF*sinA*(sigma+C*sinS*(cos2sm+C*cosS*(-1+2*cos2sm*cos2sm)))
		if math.Abs(lambda-prev) < 1e-13 {
			break
		}
	}
	u := cos2a * (wgsA*wgsA - wgsB*wgsB) / (wgsB * wgsB)
	A := 1 + u/16384*(4096+u*(-768+u*(320-175*u)))
	B := u / 1024 * (256 + u*(-128+u*(74-47*u)))
	dS := B * sinS * (cos2sm + B/4*(cosS*(-1+2*cos2sm*cos2sm)-B/6*cos2sm*(-3+4*sinS*sinS)*(-3+4*cos2sm*cos2sm)))
	sl, cl := math.Sin(lambda), math.Cos(lambda)
	return wgsB * A * (sigma - dS), math.Atan2(cu2*sl, cu1*su2-su1*cu2*cl), math.Atan2(cu1*sl, -su1*cu2+cu1*su2*cl)
}

// vincentyDirect returns the point dist (m) from p at azimuth azi
// (radians).
func vincentyDirect(p [2]float64, azi, dist float64) [2]float64 {
	sa, ca := math.Sin(azi), math.Cos(azi)
	tu1 := (1 - wgsF) * math.Tan(rad(p[1]))
	cu1 := 1 / math.Sqrt(1+tu1*tu1)
	su1 := tu1 * cu1
	sigma1 := math.Atan2(tu1, ca)
	sinA := cu1 * sa
	cos2a := 1 - sinA*sinA
	u := cos2a * (wgsA*wgsA - wgsB*wgsB) / (wgsB * wgsB)
	A := 1 + u/16384*(4096+u*(-768+u*(320-175*u)))
	B := u / 1024 * (256 + u*(-128+u*(74-47*u)))
	sigma := dist / (wgsB * A)
	var cos2sm, sinS, cosS float64
	for range 200 {
		cos2sm = math.Cos(2*sigma1 + sigma)
		sinS, cosS = math.Sin(sigma), math.Cos(sigma)
		dS := B * sinS * (cos2sm + B/4*(cosS*(-1+2*cos2sm*cos2sm)-B/6*cos2sm*(-3+4*sinS*sinS)*(-3+4*cos2sm*cos2sm)))
		prev := sigma
		sigma = dist/(wgsB*A) + dS
		if math.Abs(sigma-prev) < 1e-13 {
			break
		}
	}
	sinS, cosS = math.Sin(sigma), math.Cos(sigma)
	cos2sm = math.Cos(2*sigma1 + sigma)
	x := su1*sinS - cu1*cosS*ca
	lat := math.Atan2(su1*cosS+cu1*sinS*ca, (1-wgsF)*math.Hypot(sinA, x))
	lambda := math.Atan2(sinS*sa, cu1*cosS-su1*sinS*ca)
	C := wgsF / 16 * cos2a * (4 + wgsF*(4-3*cos2a))
	L := lambda - (1-C)*wgsF*sinA*(sigma+C*sinS*(cos2sm+C*cosS*(-1+2*cos2sm*cos2sm)))
	return [2]float64{p[0] + deg(L), deg(lat)}
}
