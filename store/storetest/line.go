package storetest

import (
	"context"
	"testing"
	"time"

	"frontline"
)

// imported is an import time in a zone other than UTC with nanoseconds,
// so that a store that drops either shows it.
var imported = time.Date(2024, 2, 1, 13, 0, 0, 123456789, time.FixedZone("UTC+1", 3600))

// checkMeta checks a version's metadata against the input it was stored
// from.
func checkMeta(t *testing.T, what string, got *frontline.LineVersion, version int, in *frontline.LineInput, validFrom, importedAt time.Time) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: nil version", what)
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
	if got.LengthKm != in.Line.LengthKm() {
		t.Errorf("%s: length %v km, want %v", what, got.LengthKm, in.Line.LengthKm())
	}
	if got.Vertices != in.Line.Vertices() {
		t.Errorf("%s: %d vertices, want %d", what, got.Vertices, in.Line.Vertices())
	}
	if got.BBox != in.Bound() {
		t.Errorf("%s: bbox %v, want %v", what, got.BBox, in.Bound())
	}
	if got.Parts != len(in.Parts) {
		t.Errorf("%s: %d parts, want %d", what, got.Parts, len(in.Parts))
	}
	if h := frontline.Hash(in.Parts); got.Hash != h {
		t.Errorf("%s: hash %s, want %s", what, got.Hash, h)
	}
}

// checkFull checks a version read with its geometry.
func checkFull(t *testing.T, what string, got *frontline.LineVersion, version int, in *frontline.LineInput, validFrom, importedAt time.Time) {
	t.Helper()
	checkMeta(t, what, got, version, in, validFrom, importedAt)
	if got == nil {
		return
	}
	wantEqual(t, what+": coordinates", got.Coords, in.Parts)
	wantEqual(t, what+": properties", got.Properties, in.Properties)
}

func testAddAndReadLines(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	in := []*frontline.LineInput{
		testLine(t, 1, "2024-01-02"),
		testLine(t, 2, "2024-01-01"),
		testLine(t, 3, "2024-01-03T06:00:00+03:00"),
	}
	validFrom := []time.Time{date("2024-01-02"), date("2024-01-01"), date("2024-01-03T03:00:00Z")}
	res := addLines(t, s, imported, in...)
	for i, r := range res {
		if !r.Created {
			t.Errorf("result %d: Created false for a new line", i)
		}
		checkMeta(t, "result", r.Line, i+1, in[i], validFrom[i], imported)
	}

	lines := must(s.Lines(ctx)).get(t)
	if len(lines) != 3 {
		t.Fatalf("Lines: versions %v, want [1 2 3]", versions(lines))
	}
	for i, l := range lines {
		checkMeta(t, "Lines", l, i+1, in[i], validFrom[i], imported)
		if l.Coords != nil || l.Properties != nil {
			t.Errorf("Lines: version %d has geometry or properties; a listing has neither", l.Version)
		}
	}
	for i := range in {
		l, err := s.Line(ctx, i+1)
		if err != nil {
			t.Fatalf("Line(%d): %v", i+1, err)
		}
		checkFull(t, "Line", l, i+1, in[i], validFrom[i], imported)
	}
	_, err := s.Line(ctx, 4)
	wantNotFound(t, "Line(4)", err, "4")
	_, err = s.Line(ctx, 0)
	wantNotFound(t, "Line(0)", err)

	// A later import numbers after the existing versions, whatever its
	// valid_from.
	later := imported.Add(time.Hour)
	in4 := testLine(t, 4, "2023-06-01")
	res = addLines(t, s, later, in4)
	checkMeta(t, "later import", res[0].Line, 4, in4, date("2023-06-01"), later)
	if got := versions(must(s.Lines(ctx)).get(t)); !equalInts(got, []int{1, 2, 3, 4}) {
		t.Errorf("Lines: versions %v, want [1 2 3 4]", got)
	}

	if res := addLines(t, s, later); len(res) != 0 {
		t.Errorf("AddLines of nothing: %d results", len(res))
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func testIdempotentImport(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	a := testLine(t, 1, "2024-01-01")
	res := addLines(t, s, imported, a)
	if !res[0].Created || res[0].Line.Version != 1 {
		t.Fatalf("first import: version %d, created %v; want 1, true", res[0].Line.Version, res[0].Created)
	}

	later := imported.Add(24 * time.Hour)
	again := func(name string, in *frontline.LineInput, version int, created bool) {
		t.Helper()
		n := countLines(t, s)
		res := addLines(t, s, later, in)
		if res[0].Created != created || res[0].Line.Version != version {
			t.Errorf("%s: version %d, created %v; want %d, %v", name, res[0].Line.Version, res[0].Created, version, created)
		}
		if created {
			n++
		}
		if got := countLines(t, s); got != n {
			t.Errorf("%s: %d versions stored, want %d", name, got, n)
		}
	}
	again("same line and valid_from", testLine(t, 1, "2024-01-01"), 1, false)

	// The hash is of the geometry only.
	other := testLine(t, 1, "2024-01-01T00:00:00Z")
	other.Source = "another source"
	other.Properties["colour"] = "red"
	again("same geometry and valid_from, other properties", other, 1, false)
	l := must(s.Line(ctx, 1)).get(t)
	checkFull(t, "the version kept", l, 1, a, a.ValidFrom, imported)

	again("same line, another valid_from", testLine(t, 1, "2024-01-02"), 2, true)
	again("another line, same valid_from", testLine(t, 2, "2024-01-01"), 3, true)

	// Twice in one batch is once.
	b := testLine(t, 3, "2024-01-03")
	res = addLines(t, s, later, b, testLine(t, 3, "2024-01-03"))
	if !res[0].Created || res[1].Created || res[0].Line.Version != 4 || res[1].Line.Version != 4 {
		t.Errorf("a line twice in a batch: results (%d, %v), (%d, %v); want (4, true), (4, false)",
			res[0].Line.Version, res[0].Created, res[1].Line.Version, res[1].Created)
	}
	if n := countLines(t, s); n != 4 {
		t.Errorf("after a line twice in a batch: %d versions, want 4", n)
	}
}

func testImportWithoutValidFrom(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	// Bare geometries: no valid_from, no properties.
	geometry := func(k int) *frontline.LineInput {
		x := 30 + float64(k)/100
		return parseLine(t, `{"type": "LineString", "coordinates": [[`+fmtG(x)+`, 48], [`+fmtG(x+1)+`, 48.5]]}`)
	}
	t1 := date("2024-03-01T10:00:00Z")
	t2, t3, t4 := t1.Add(time.Hour), t1.Add(2*time.Hour), t1.Add(3*time.Hour)

	a := geometry(1)
	res := addLines(t, s, t1, a)
	if !res[0].Created {
		t.Fatal("first import: not created")
	}
	checkMeta(t, "first import", res[0].Line, 1, a, t1, t1)
	checkFull(t, "first import", must(s.Line(ctx, 1)).get(t), 1, a, t1, t1)

	// The same as the current line: it is that version.
	res = addLines(t, s, t2, geometry(1))
	if res[0].Created {
		t.Error("same as the current line: created a version")
	}
	checkMeta(t, "same as the current line", res[0].Line, 1, a, t1, t1)

	// A new line is valid from the import.
	b := geometry(2)
	res = addLines(t, s, t2, b)
	if !res[0].Created {
		t.Error("new line: not created")
	}
	checkMeta(t, "new line", res[0].Line, 2, b, t2, t2)

	// Back to an older line: it is new again, valid from this import.
	res = addLines(t, s, t3, geometry(1))
	if !res[0].Created {
		t.Error("back to an older line: not created")
	}
	checkMeta(t, "back to an older line", res[0].Line, 3, a, t3, t3)

	// Twice in one batch: the second is the current line the first made.
	c := geometry(3)
	res = addLines(t, s, t4, c, geometry(3))
	if !res[0].Created || res[1].Created || res[1].Line.Version != 4 {
		t.Errorf("twice in a batch: (%d, %v), (%d, %v); want (4, true), (4, false)",
			res[0].Line.Version, res[0].Created, res[1].Line.Version, res[1].Created)
	}
	if n := countLines(t, s); n != 4 {
		t.Errorf("%d versions stored, want 4", n)
	}

	// Current is the newest version valid at the import time: a version
	// dated later (a planned line) is not current, so its geometry
	// imported without a date is a new version, valid from the import.
	d := testLine(t, 4, "2030-01-01")
	addLines(t, s, t4, d)
	res = addLines(t, s, t4.Add(time.Hour), testLine(t, 4, ""))
	if !res[0].Created || res[0].Line.Version != 6 || !res[0].Line.ValidFrom.Equal(t4.Add(time.Hour)) {
		t.Errorf("same as a future-dated line: (%d, %v, %s), want (6, true, %s)", res[0].Line.Version, res[0].Created,
			res[0].Line.ValidFrom, t4.Add(time.Hour))
	}
	// The same again, now that it is current: no new version.
	res = addLines(t, s, t4.Add(2*time.Hour), testLine(t, 4, ""))
	if res[0].Created || res[0].Line.Version != 6 {
		t.Errorf("same as the current line again: (%d, %v), want (6, false)", res[0].Line.Version, res[0].Created)
	}
}

// testAddLinesAllOrNothing makes batches fail part way. The failures are
// inputs no store can take: a nil *LineInput, and one whose Line (the
// validated line that length and vertex count come from) is nil, placed
// after good lines so that a store failing where it meets them must undo
// what it wrote before. A store that checks a batch before writing passes
// too. A cancelled context is the third failure.
func testAddLinesAllOrNothing(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	first := testLine(t, 1, "2024-01-01")
	addLines(t, s, imported, first)
	noLine := *testLine(t, 9, "2024-01-09")
	noLine.Line = nil
	tests := []struct {
		name  string
		ctx   context.Context
		batch []*frontline.LineInput
	}{
		{"a line without its validated geometry last", ctx,
			[]*frontline.LineInput{testLine(t, 2, "2024-01-02"), testLine(t, 3, "2024-01-03"), &noLine}},
		{"a nil line in the middle", ctx,
			[]*frontline.LineInput{testLine(t, 2, "2024-01-02"), nil, testLine(t, 3, "2024-01-03")}},
		{"a cancelled context", cancelled(ctx),
			[]*frontline.LineInput{testLine(t, 2, "2024-01-02"), testLine(t, 3, "2024-01-03")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.AddLines(tt.ctx, tt.batch, imported)
			if err == nil {
				t.Fatalf("AddLines succeeded: %d results", len(res))
			}
			if got := versions(must(s.Lines(ctx)).get(t)); !equalInts(got, []int{1}) {
				t.Errorf("after a failed batch: versions %v, want [1]", got)
			}
		})
	}

	// Nothing of the failed batches took a version number.
	next := testLine(t, 2, "2024-01-02")
	res := addLines(t, s, imported, next)
	checkMeta(t, "after failed batches", res[0].Line, 2, next, next.ValidFrom, imported)
}

func cancelled(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	return ctx
}

// testAddLinesCancelled cancels a large batch while it is being stored:
// whenever the cancellation lands, the batch is stored whole or not at
// all.
func testAddLinesCancelled(t *testing.T, s frontline.Store) {
	const n = 200
	base := parseLine(t, lineOf(500))
	batch := make([]*frontline.LineInput, n)
	for i := range batch {
		in := *base
		in.ValidFrom = date("2020-01-01").Add(time.Duration(i) * time.Hour)
		batch[i] = &in
	}
	stored := 0
	for _, delay := range []time.Duration{0, 10 * time.Microsecond, 100 * time.Microsecond, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond} {
		// Each round uses new valid_froms, so a stored batch adds n.
		for _, in := range batch {
			in.ValidFrom = in.ValidFrom.Add(n * time.Hour)
		}
		ctx, cancel := context.WithCancel(t.Context())
		timer := time.AfterFunc(delay, cancel)
		_, err := s.AddLines(ctx, batch, imported)
		timer.Stop()
		cancel()
		if err == nil {
			stored += n
		}
		if got := countLines(t, s); got != stored {
			t.Fatalf("cancelled after %v (error %v): %d versions stored, want %d", delay, err, got, stored)
		}
	}
}

// lineOf returns a LineString of n vertices.
func lineOf(n int) string {
	b := []byte(`{"type": "LineString", "coordinates": [`)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = append(b, fmtG(30+float64(i)*0.01)...)
		b = append(b, ',')
		b = append(b, fmtG(48+float64(i%7)*0.003)...)
		b = append(b, ']')
	}
	return string(append(b, "]}"...))
}

func testLineRoundTrip(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	in := parseLine(t, `{"type": "Feature",
		"properties": {"valid_from": "2024-03-01T06:30:00.5+02:00", "source": "ISW",
			"name": "Линия", "confidence": 0.75, "big": 12345678901234567890, "exp": 1e3,
			"tags": ["a", "b"], "nested": {"k": null, "t": true}},
		"geometry": {"type": "MultiLineString", "coordinates": [
			[[30.123456789012345, 48, 120.5], [30.5, 48.2, 130], [31, 48.1]],
			[[31.5, 48, 0], [32, 48.3, -12.25, 7], [32.5e0, 48.10000000001e-0]]]}}`)
	addLines(t, s, imported, in)
	validFrom := date("2024-03-01T04:30:00.5Z")
	checkFull(t, "Line", must(s.Line(ctx, 1)).get(t), 1, in, validFrom, imported)
}
