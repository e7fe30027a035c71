// Package storetest is the conformance suite of frontline.Store: every
// implementation runs it from its own tests, so they all keep the same
// promises (version numbering, scenario revisions, idempotent imports,
// all-or-nothing writes, exact round trips, an audit entry for every write
// and none for a failed one) and a new one is checked against them for free.
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) frontline.Store {
//			s, err := Open(filepath.Join(t.TempDir(), "test.db"))
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontline"
)

// Run runs the suite. open must return a new, empty store for each
// subtest and arrange for it to be closed (t.Cleanup). Run the suite with
// -race: one subtest reads while others write.
func Run(t *testing.T, open func(t *testing.T) frontline.Store) {
	tests := []struct {
		name string
		test func(t *testing.T, s frontline.Store)
	}{
		{"Empty", testEmpty},
		{"AddAndReadLines", testAddAndReadLines},
		{"IdempotentImport", testIdempotentImport},
		{"ImportWithoutValidFrom", testImportWithoutValidFrom},
		{"AddLinesAllOrNothing", testAddLinesAllOrNothing},
		{"AddLinesCancelled", testAddLinesCancelled},
		{"LineRoundTrip", testLineRoundTrip},
		{"Withdraw", testWithdraw},
		{"AddAndReadAreas", testAddAndReadAreas},
		{"IdempotentAreaImport", testIdempotentAreaImport},
		{"DerivedLines", testDerivedLines},
		{"AddAreasAllOrNothing", testAddAreasAllOrNothing},
		{"AreaAudit", testAreaAudit},
		{"Territory", testTerritory},
		{"Units", testUnits},
		{"UnitRoundTrip", testUnitRoundTrip},
		{"PutUnitsAllOrNothing", testPutUnitsAllOrNothing},
		{"Scenarios", testScenarios},
		{"ScenarioRoundTrip", testScenarioRoundTrip},
		{"ScenarioNotFound", testScenarioNotFound},
		{"PutScenarioAllOrNothing", testPutScenarioAllOrNothing},
		{"ScenarioAudit", testScenarioAudit},
		{"Anchors", testAnchors},
		{"Keys", testKeys},
		{"KeyHashRoundTrip", testKeyHashRoundTrip},
		{"Audit", testAudit},
		{"AuditLongTargets", testAuditLongTargets},
		{"AuditPaging", testAuditPaging},
		{"AuditFailedWrites", testAuditFailedWrites},
		{"Defaults", testDefaults},
		{"ConcurrentReadersDuringWrites", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, open(t)) })
	}
}

func testEmpty(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if lines, err := s.Lines(ctx); err != nil || len(lines) != 0 {
		t.Errorf("Lines = %v, %v; want none", lines, err)
	}
	_, err := s.Line(ctx, 1)
	wantNotFound(t, "Line(1)", err, "1")
	if units, err := s.Units(ctx); err != nil || len(units) != 0 {
		t.Errorf("Units = %v, %v; want none", units, err)
	}
	if scenarios, err := s.Scenarios(ctx); err != nil || len(scenarios) != 0 {
		t.Errorf("Scenarios = %v, %v; want none", scenarios, err)
	}
	_, err = s.Scenario(ctx, "x")
	wantNotFound(t, `Scenario("x")`, err, `"x"`)
	if anchors, err := s.Anchors(ctx); err != nil || len(anchors) != 0 {
		t.Errorf("Anchors = %v, %v; want none", anchors, err)
	}
	if keys, err := s.Keys(ctx); err != nil || len(keys) != 0 {
		t.Errorf("Keys = %v, %v; want none", keys, err)
	}
	_, err = s.Key(ctx, "x")
	wantNotFound(t, `Key("x")`, err, `"x"`)
	if entries, err := s.Audit(ctx, 0, 0); err != nil || len(entries) != 0 {
		t.Errorf("Audit = %v, %v; want none", entries, err)
	}
}

// date reads an RFC 3339 time or a date, as the importer does.
func date(s string) time.Time {
	t, err := frontline.ParseTime(s)
	if err != nil {
		panic(err)
	}
	return t
}

// wantNotFound checks that err wraps frontline.ErrNotFound and that its
// message names what was not found.
func wantNotFound(t *testing.T, call string, err error, names ...string) {
	t.Helper()
	if !errors.Is(err, frontline.ErrNotFound) {
		t.Errorf("%s: error %v, want one wrapping frontline.ErrNotFound", call, err)
		return
	}
	for _, n := range names {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("%s: error %q does not name %s", call, err, n)
		}
	}
}

// wantEqual compares with reflect.DeepEqual, which is what "round trip"
// means here: json.Number stays json.Number, altitude stays.
func wantEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
}

// must(call).get(t) fails the test if call does, for calls that are not
// what the test checks.
func must[T any](v T, err error) result[T] { return result[T]{v, err} }

type result[T any] struct {
	v   T
	err error
}

func (r result[T]) get(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

func parseLine(t testing.TB, geojson string) *frontline.LineInput {
	t.Helper()
	in, err := frontline.ParseLine([]byte(geojson))
	if err != nil {
		t.Fatalf("ParseLine(%s): %v", geojson, err)
	}
	return in
}

// testLine returns line number k, different from every other k, valid
// from validFrom ("" for none), as a GeoJSON Feature.
func testLine(t testing.TB, k int, validFrom string) *frontline.LineInput {
	t.Helper()
	props := fmt.Sprintf(`{"source": "test %d"`, k)
	if validFrom != "" {
		props += fmt.Sprintf(`, "valid_from": %q`, validFrom)
	}
	props += "}"
	x := 30 + float64(k)/100
	return parseLine(t, fmt.Sprintf(`{"type": "Feature", "properties": %s,
		"geometry": {"type": "LineString", "coordinates": [[%g, 48], [%g, 48.3], [%g, 48.1]]}}`,
		props, x, x+0.5, x+1))
}

func parseUnit(t testing.TB, geojson string) *frontline.Unit {
	t.Helper()
	u, err := frontline.ParseUnit([]byte(geojson), -1)
	if err != nil {
		t.Fatalf("ParseUnit(%s): %v", geojson, err)
	}
	return u
}

func addLines(t *testing.T, s frontline.Store, importedAt time.Time, lines ...*frontline.LineInput) []frontline.LineResult {
	t.Helper()
	res, err := s.AddLines(t.Context(), lines, importedAt)
	if err != nil {
		t.Fatalf("AddLines: %v", err)
	}
	if len(res) != len(lines) {
		t.Fatalf("AddLines returned %d results for %d lines", len(res), len(lines))
	}
	return res
}

func countLines(t *testing.T, s frontline.Store) int {
	t.Helper()
	return len(must(s.Lines(t.Context())).get(t))
}

func versions(lines []*frontline.LineVersion) []int {
	v := make([]int, len(lines))
	for i, l := range lines {
		v[i] = l.Version
	}
	return v
}

// fmtG writes a float as JSON does, shortest exact.
func fmtG(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
