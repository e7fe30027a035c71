package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"frontline"
)

// testArea returns area number k, different from every other k, valid
// from validFrom ("" for none): a MultiPolygon of a square with a hole,
// altitude on one position, and a triangle, with properties as
// frontline's parsers give them (numbers as json.Number).
func testArea(t testing.TB, k int, validFrom string) *frontline.AreaInput {
	t.Helper()
	x := 30 + float64(k)/100
	in := &frontline.AreaInput{
		Polygons: [][][]frontline.Position{
			{
				{{x, 48, 120.5}, {x + 1, 48}, {x + 1, 49}, {x, 49}, {x, 48, 120.5}},
				{{x + 0.25, 48.25}, {x + 0.25, 48.5}, {x + 0.5, 48.5}, {x + 0.25, 48.25}},
			},
			{
				{{x + 2, 48}, {x + 3, 48}, {x + 2.5, 48.123456789012345}, {x + 2, 48}},
			},
		},
		Source:     fmt.Sprintf("test area %d", k),
		Properties: jsonObject(t, fmt.Sprintf(`{"name": "Area %d", "confidence": 0.75, "big": 12345678901234567890, "tags": ["a", "b"], "nested": {"k": null}}`, k)),
		AreaKm2:    1000.5 + float64(k),
	}
	if validFrom != "" {
		in.ValidFrom = date(validFrom)
	}
	return in
}

// jsonObject decodes a JSON object with numbers as json.Number, as the
// parsers of frontline read properties.
func jsonObject(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return m
}

func addAreas(t *testing.T, s frontline.Store, importedAt time.Time, items ...frontline.DerivedLine) ([]frontline.AreaResult, []frontline.LineResult) {
	t.Helper()
	areas, lines, err := s.AddAreas(t.Context(), items, importedAt)
	if err != nil {
		t.Fatalf("AddAreas: %v", err)
	}
	if len(areas) != len(items) || len(lines) != len(items) {
		t.Fatalf("AddAreas returned %d area and %d line results for %d items", len(areas), len(lines), len(items))
	}
	return areas, lines
}

// areaOnly is an item without a derived line.
func areaOnly(a *frontline.AreaInput) frontline.DerivedLine { return frontline.DerivedLine{Area: a} }

func areaVersions(areas []*frontline.AreaVersion) []int {
	v := make([]int, len(areas))
	for i, a := range areas {
		v[i] = a.Version
	}
	return v
}

func storedAreas(t *testing.T, s frontline.Store) []int {
	t.Helper()
	return areaVersions(must(s.Areas(t.Context())).get(t))
}

func storedLines(t *testing.T, s frontline.Store) []int {
	t.Helper()
	return versions(must(s.Lines(t.Context())).get(t))
}

// checkArea checks an area version's metadata against the input it was
// stored from.
func checkArea(t *testing.T, what string, got *frontline.AreaVersion, version int, in *frontline.AreaInput, validFrom, importedAt time.Time) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: nil area version", what)
		return
	}
	if got.Version != version {
		t.Errorf("%s: version %d, want %d", what, got.Version, version)
	}
	if !got.ValidFrom.Equal(validFrom) {
		t.Errorf("%s: valid_from %v, want %v", what, got.ValidFrom, validFrom)
	}
	if !got.ImportedAt.Equal(importedAt) {
		t.Errorf("%s: imported_at %v, want %v", what, got.ImportedAt, importedAt)
	}
	for _, tm := range []time.Time{got.ValidFrom, got.ImportedAt} {
		if _, offset := tm.Zone(); offset != 0 {
			t.Errorf("%s: time %v not in UTC", what, tm)
		}
	}
	if got.Source != in.Source {
		t.Errorf("%s: source %q, want %q", what, got.Source, in.Source)
	}
	if got.AreaKm2 != in.AreaKm2 {
		t.Errorf("%s: area %v km², want %v", what, got.AreaKm2, in.AreaKm2)
	}
	if got.Polygons != len(in.Polygons) {
		t.Errorf("%s: %d polygons, want %d", what, got.Polygons, len(in.Polygons))
	}
	if got.Vertices != in.Vertices() {
		t.Errorf("%s: %d vertices, want %d", what, got.Vertices, in.Vertices())
	}
	if h := in.ContentHash(); got.Hash != h {
		t.Errorf("%s: hash %s, want %s", what, got.Hash, h)
	}
}

// checkAreaFull checks an area version read with its geometry.
func checkAreaFull(t *testing.T, what string, got *frontline.AreaVersion, version int, in *frontline.AreaInput, validFrom, importedAt time.Time) {
	t.Helper()
	checkArea(t, what, got, version, in, validFrom, importedAt)
	if got == nil {
		return
	}
	wantEqual(t, what+": coordinates", got.Coords, in.Polygons)
	wantEqual(t, what+": properties", got.Properties, in.Properties)
}

func testAddAndReadAreas(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	if got := storedAreas(t, s); len(got) != 0 {
		t.Errorf("Areas on an empty store: versions %v, want none", got)
	}
	_, err := s.Area(ctx, 1)
	wantNotFound(t, "Area(1) on an empty store", err, "1")

	in := []*frontline.AreaInput{testArea(t, 1, "2024-01-02"), testArea(t, 2, "2024-01-01T06:00:00+03:00")}
	validFrom := []time.Time{date("2024-01-02"), date("2024-01-01T03:00:00Z")}
	areas, lines := addAreas(t, s, imported, areaOnly(in[0]), areaOnly(in[1]))
	for i, r := range areas {
		if !r.Created {
			t.Errorf("area result %d: Created false for a new area", i)
		}
		checkAreaFull(t, fmt.Sprintf("area result %d", i), r.Area, i+1, in[i], validFrom[i], imported)
	}
	for i, r := range lines {
		if r.Line != nil || r.Created {
			t.Errorf("line result %d of an item without a line: %+v, want none", i, r)
		}
	}
	if got := storedLines(t, s); len(got) != 0 {
		t.Errorf("items without lines stored line versions %v", got)
	}

	listed := must(s.Areas(ctx)).get(t)
	if got := areaVersions(listed); !equalInts(got, []int{1, 2}) {
		t.Fatalf("Areas: versions %v, want [1 2]", got)
	}
	for i, a := range listed {
		checkArea(t, "Areas", a, i+1, in[i], validFrom[i], imported)
		if a.Coords != nil || a.Properties != nil {
			t.Errorf("Areas: version %d has geometry or properties; a listing has neither", a.Version)
		}
	}
	for i := range in {
		a, err := s.Area(ctx, i+1)
		if err != nil {
			t.Fatalf("Area(%d): %v", i+1, err)
		}
		checkAreaFull(t, fmt.Sprintf("Area(%d)", i+1), a, i+1, in[i], validFrom[i], imported)
	}
	_, err = s.Area(ctx, 99)
	wantNotFound(t, "Area(99)", err, "99")
	_, err = s.Area(ctx, 0)
	wantNotFound(t, "Area(0)", err)

	// A later import numbers after the existing versions, whatever its
	// valid_from; one without valid_from is valid from the import.
	later := imported.Add(time.Hour)
	in3 := testArea(t, 3, "")
	areas, _ = addAreas(t, s, later, areaOnly(in3))
	checkArea(t, "later import", areas[0].Area, 3, in3, later, later)
	if got := storedAreas(t, s); !equalInts(got, []int{1, 2, 3}) {
		t.Errorf("Areas: versions %v, want [1 2 3]", got)
	}

	if areas, lines := addAreas(t, s, later); len(areas) != 0 || len(lines) != 0 {
		t.Errorf("AddAreas of nothing: %d, %d results", len(areas), len(lines))
	}
}

func testIdempotentAreaImport(t *testing.T, s frontline.Store) {
	a := testArea(t, 1, "2024-01-01")
	areas, _ := addAreas(t, s, imported, areaOnly(a))
	if !areas[0].Created || areas[0].Area.Version != 1 {
		t.Fatalf("first import: version %d, created %v; want 1, true", areas[0].Area.Version, areas[0].Created)
	}

	later := imported.Add(24 * time.Hour)
	again := func(name string, at time.Time, in *frontline.AreaInput, version int, created bool) *frontline.AreaVersion {
		t.Helper()
		n := len(storedAreas(t, s))
		areas, _ := addAreas(t, s, at, areaOnly(in))
		if areas[0].Created != created || areas[0].Area.Version != version {
			t.Errorf("%s: version %d, created %v; want %d, %v", name, areas[0].Area.Version, areas[0].Created, version, created)
		}
		if created {
			n++
		}
		if got := len(storedAreas(t, s)); got != n {
			t.Errorf("%s: %d area versions stored, want %d", name, got, n)
		}
		return areas[0].Area
	}
	// The version stored is the result, not the input given again.
	got := again("same area and valid_from", later, testArea(t, 1, "2024-01-01"), 1, false)
	checkAreaFull(t, "same area and valid_from", got, 1, a, a.ValidFrom, imported)

	// The hash is of the geometry only.
	other := testArea(t, 1, "2024-01-01T00:00:00Z")
	other.Source = "another source"
	other.Properties["colour"] = "red"
	other.AreaKm2 = 1
	again("same geometry and valid_from, other properties", later, other, 1, false)
	checkAreaFull(t, "the version kept", must(s.Area(t.Context(), 1)).get(t), 1, a, a.ValidFrom, imported)

	again("same area, another valid_from", later, testArea(t, 1, "2024-01-02"), 2, true)
	again("another area, same valid_from", later, testArea(t, 2, "2024-01-01"), 3, true)

	// Without valid_from: valid from the import, so the same import time
	// finds it and another does not.
	again("without valid_from", later, testArea(t, 3, ""), 4, true)
	again("without valid_from, same import time", later, testArea(t, 3, ""), 4, false)
	again("without valid_from, another import time", later.Add(time.Hour), testArea(t, 3, ""), 5, true)

	// Twice in one batch is once.
	areas, _ = addAreas(t, s, later, areaOnly(testArea(t, 4, "2024-01-04")), areaOnly(testArea(t, 4, "2024-01-04")))
	if !areas[0].Created || areas[1].Created || areas[0].Area.Version != 6 || areas[1].Area.Version != 6 {
		t.Errorf("an area twice in a batch: results (%d, %v), (%d, %v); want (6, true), (6, false)",
			areas[0].Area.Version, areas[0].Created, areas[1].Area.Version, areas[1].Created)
	}
	if got := storedAreas(t, s); !equalInts(got, []int{1, 2, 3, 4, 5, 6}) {
		t.Errorf("Areas: versions %v, want [1 2 3 4 5 6]", got)
	}
}

// testDerivedLines: a derived line is stored as AddLines would store it,
// with derived_from its area's version and, when it has no valid_from of
// its own, the area's.
func testDerivedLines(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	// A bare geometry: no properties at all, no valid_from.
	bare := parseLine(t, `{"type": "LineString", "coordinates": [[30, 48], [31, 48.5]]}`)
	own := testLine(t, 3, "2024-02-01")
	items := []frontline.DerivedLine{
		{Area: testArea(t, 1, "2024-01-01"), Line: testLine(t, 1, "")},
		{Area: testArea(t, 2, "2024-01-02")},
		{Area: testArea(t, 3, "2024-01-03"), Line: own},
		{Area: testArea(t, 4, ""), Line: bare},
	}
	areas, lines := addAreas(t, s, imported, items...)
	for i, r := range areas {
		if !r.Created || r.Area.Version != i+1 {
			t.Errorf("area result %d: (%d, %v), want (%d, true)", i, r.Area.Version, r.Created, i+1)
		}
	}
	type want struct {
		version     int
		validFrom   time.Time
		derivedFrom string
		props       map[string]any // besides derived_from
	}
	wants := []*want{
		{1, date("2024-01-01"), "1", map[string]any{"source": "test 1"}},
		nil,
		{2, date("2024-02-01"), "3", map[string]any{"source": "test 3", "valid_from": "2024-02-01"}},
		{3, imported, "4", map[string]any{}},
	}
	check := func(what string, got *frontline.LineVersion, w *want) {
		t.Helper()
		if got.Version != w.version || !got.ValidFrom.Equal(w.validFrom) {
			t.Errorf("%s: version %d valid from %v, want %d valid from %v", what, got.Version, got.ValidFrom, w.version, w.validFrom)
		}
		props := map[string]any{"derived_from": json.Number(w.derivedFrom)}
		for k, v := range w.props {
			props[k] = v
		}
		wantEqual(t, what+": properties", got.Properties, props)
	}
	for i, w := range wants {
		r := lines[i]
		if w == nil {
			if r.Line != nil || r.Created {
				t.Errorf("line result %d of an item without a line: %+v, want none", i, r)
			}
			continue
		}
		if r.Line == nil || !r.Created {
			t.Fatalf("line result %d: %+v, want a created line", i, r)
		}
		check(fmt.Sprintf("line result %d", i), r.Line, w)
		l := must(s.Line(ctx, w.version)).get(t)
		check(fmt.Sprintf("Line(%d)", w.version), l, w)
		wantEqual(t, fmt.Sprintf("Line(%d): coordinates", w.version), l.Coords, items[i].Line.Parts)
		if _, offset := l.ValidFrom.Zone(); offset != 0 {
			t.Errorf("Line(%d): valid_from %v not in UTC", w.version, l.ValidFrom)
		}
	}
	if got := storedLines(t, s); !equalInts(got, []int{1, 2, 3}) {
		t.Errorf("Lines: versions %v, want [1 2 3]", got)
	}

	// The same again, from new inputs: nothing new, the stored versions
	// are the results.
	areas, lines = addAreas(t, s, imported.Add(time.Hour),
		frontline.DerivedLine{Area: testArea(t, 1, "2024-01-01"), Line: testLine(t, 1, "")},
		frontline.DerivedLine{Area: testArea(t, 3, "2024-01-03"), Line: testLine(t, 3, "2024-02-01")})
	if areas[0].Created || areas[0].Area.Version != 1 || areas[1].Created || areas[1].Area.Version != 3 {
		t.Errorf("areas again: (%d, %v), (%d, %v); want (1, false), (3, false)",
			areas[0].Area.Version, areas[0].Created, areas[1].Area.Version, areas[1].Created)
	}
	if lines[0].Line == nil || lines[1].Line == nil {
		t.Fatalf("lines again: %+v, want the stored versions", lines)
	}
	if lines[0].Created || lines[0].Line.Version != 1 || lines[1].Created || lines[1].Line.Version != 2 {
		t.Errorf("lines again: (%d, %v), (%d, %v); want (1, false), (2, false)",
			lines[0].Line.Version, lines[0].Created, lines[1].Line.Version, lines[1].Created)
	}
	if got := storedAreas(t, s); !equalInts(got, []int{1, 2, 3, 4}) {
		t.Errorf("Areas: versions %v, want [1 2 3 4]", got)
	}
	if got := storedLines(t, s); !equalInts(got, []int{1, 2, 3}) {
		t.Errorf("Lines: versions %v, want [1 2 3]", got)
	}
}

// testAddAreasAllOrNothing makes batches fail part way, as
// testAddLinesAllOrNothing does: a derived line without its validated
// geometry after good items, a nil area in the middle, an area without
// polygons, a cancelled context. None leaves an area, a line or an audit
// entry, nor takes a version number.
func testAddAreasAllOrNothing(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	addAreas(t, s, imported, frontline.DerivedLine{Area: testArea(t, 1, "2024-01-01"), Line: testLine(t, 1, "")})
	entries := len(must(s.Audit(ctx, 0, 0)).get(t))
	noLine := func() *frontline.LineInput {
		l := *testLine(t, 9, "2024-01-09")
		l.Line = nil
		return &l
	}
	tests := []struct {
		name  string
		ctx   context.Context
		batch func() []frontline.DerivedLine
	}{
		{"a line without its validated geometry last", ctx, func() []frontline.DerivedLine {
			return []frontline.DerivedLine{
				{Area: testArea(t, 2, "2024-01-02"), Line: testLine(t, 2, "")},
				{Area: testArea(t, 3, "2024-01-03"), Line: noLine()},
			}
		}},
		{"a nil area in the middle", ctx, func() []frontline.DerivedLine {
			return []frontline.DerivedLine{
				{Area: testArea(t, 2, "2024-01-02"), Line: testLine(t, 2, "")},
				{Line: testLine(t, 4, "")},
				{Area: testArea(t, 3, "2024-01-03")},
			}
		}},
		{"an area without polygons", ctx, func() []frontline.DerivedLine {
			return []frontline.DerivedLine{
				{Area: testArea(t, 2, "2024-01-02"), Line: testLine(t, 2, "")},
				{Area: &frontline.AreaInput{ValidFrom: date("2024-01-03"), Source: "empty"}},
			}
		}},
		{"a cancelled context", cancelled(ctx), func() []frontline.DerivedLine {
			return []frontline.DerivedLine{
				{Area: testArea(t, 2, "2024-01-02"), Line: testLine(t, 2, "")},
				{Area: testArea(t, 3, "2024-01-03")},
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			areas, lines, err := s.AddAreas(tt.ctx, tt.batch(), imported)
			if err == nil {
				t.Fatalf("AddAreas succeeded: %d, %d results", len(areas), len(lines))
			}
			if got := storedAreas(t, s); !equalInts(got, []int{1}) {
				t.Errorf("after a failed batch: area versions %v, want [1]", got)
			}
			if got := storedLines(t, s); !equalInts(got, []int{1}) {
				t.Errorf("after a failed batch: line versions %v, want [1]", got)
			}
			if n := len(must(s.Audit(ctx, 0, 0)).get(t)); n != entries {
				t.Errorf("after a failed batch: %d audit entries, want %d", n, entries)
			}
		})
	}

	// Nothing of the failed batches took a version number.
	next := testArea(t, 2, "2024-01-02")
	areas, lines := addAreas(t, s, imported, frontline.DerivedLine{Area: next, Line: testLine(t, 2, "")})
	checkArea(t, "area after failed batches", areas[0].Area, 2, next, next.ValidFrom, imported)
	if lines[0].Line == nil || !lines[0].Created || lines[0].Line.Version != 2 {
		t.Errorf("line after failed batches: %+v, want version 2 created", lines[0])
	}
}

// testAreaAudit: an area import leaves one entry naming the area and line
// versions it created and found.
func testAreaAudit(t *testing.T, s frontline.Store) {
	ctx := frontline.WithActor(t.Context(), "k1")
	from := time.Now()
	if _, _, err := s.AddAreas(ctx, []frontline.DerivedLine{
		{Area: testArea(t, 1, "2024-01-01"), Line: testLine(t, 1, "")},
		{Area: testArea(t, 2, "2024-01-02")},
	}, imported); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddAreas(ctx, []frontline.DerivedLine{
		{Area: testArea(t, 1, "2024-01-01"), Line: testLine(t, 1, "")},
		{Area: testArea(t, 3, "2024-01-03")},
		{Area: testArea(t, 3, "2024-01-03"), Line: testLine(t, 3, "")},
	}, imported); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddAreas(ctx, []frontline.DerivedLine{{Area: testArea(t, 4, "2024-01-04")}, {}}, imported); err == nil {
		t.Fatal("AddAreas with a nil area succeeded")
	}
	if _, _, err := s.AddAreas(t.Context(), []frontline.DerivedLine{{Area: testArea(t, 2, "2024-01-02")}}, imported); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, s, from, time.Now(),
		entry{"k1", "area.import", "created areas 1,2; created lines 1"},
		// An area met again in the batch that created it is created only.
		entry{"k1", "area.import", "created areas 3; unchanged areas 1; created lines 2; unchanged lines 1"},
		entry{"anonymous", "area.import", "unchanged areas 2"},
	)
}

// testTerritory: none at first; stored bytes come back as given, a second
// write replaces the first, nil deletes (also when there is none), and
// each write is audited.
func testTerritory(t *testing.T, s frontline.Store) {
	ctx := frontline.WithActor(t.Context(), "k1")
	if fc, err := s.Territory(ctx); err != nil || fc != nil {
		t.Fatalf("Territory on an empty store: %q, %v; want nil, nil", fc, err)
	}
	from := time.Now()
	const first = `{"type": "FeatureCollection", "features": []}`
	second := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Україна"},` +
		`"geometry":{"type":"Polygon","coordinates":[[[22,44],[40,44],[40,52.4],[22,52.4],[22,44]]]}}]}`
	given := []byte(first)
	if err := s.SetTerritory(ctx, given); err != nil {
		t.Fatalf("SetTerritory: %v", err)
	}
	copy(given, "xxxx") // the caller's bytes are not the store's
	if fc := must(s.Territory(ctx)).get(t); string(fc) != first {
		t.Errorf("Territory = %q, want %q", fc, first)
	}
	if err := s.SetTerritory(ctx, []byte(second)); err != nil {
		t.Fatalf("SetTerritory: %v", err)
	}
	fc := must(s.Territory(ctx)).get(t)
	if string(fc) != second {
		t.Errorf("Territory after a second write = %q, want %q", fc, second)
	}
	copy(fc, "xxxx") // nor are the bytes read
	if fc := must(s.Territory(ctx)).get(t); string(fc) != second {
		t.Errorf("Territory after changing what was read = %q, want %q", fc, second)
	}
	if err := s.SetTerritory(ctx, nil); err != nil {
		t.Fatalf("SetTerritory(nil): %v", err)
	}
	if fc, err := s.Territory(ctx); err != nil || fc != nil {
		t.Errorf("Territory after SetTerritory(nil): %q, %v; want nil, nil", fc, err)
	}
	if err := s.SetTerritory(ctx, nil); err != nil {
		t.Errorf("SetTerritory(nil) with none stored: %v", err)
	}
	if fc, err := s.Territory(ctx); err != nil || fc != nil {
		t.Errorf("Territory after a second SetTerritory(nil): %q, %v; want nil, nil", fc, err)
	}
	wantAudit(t, s, from, time.Now(),
		entry{"k1", "territory.put", fmt.Sprintf("%d bytes", len(first))},
		entry{"k1", "territory.put", fmt.Sprintf("%d bytes", len(second))},
		entry{"k1", "territory.delete", ""},
		// Deleting none changes nothing but was asked for.
		entry{"k1", "territory.delete", ""},
	)
}
