package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"frontline"
)

// testWithdraw withdraws versions and units: they leave every read, the
// numbers are not reused, the content may be imported again, a withdrawal
// naming anything that is not there changes nothing, and the store stays
// initialised.
func testWithdraw(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	if ok, err := s.Initialised(ctx); err != nil || ok {
		t.Fatalf("Initialised on an empty store = %v, %v; want false", ok, err)
	}
	demo := parseLine(t, `{"type": "Feature", "properties": {"demo": true, "valid_from": "2024-01-01"},
		"geometry": {"type": "LineString", "coordinates": [[30, 48], [31, 48.5]]}}`)
	addLines(t, s, imported, demo, testLine(t, 2, "2024-01-02"), testLine(t, 3, "2024-01-03"))
	putUnits(t, s, false, []bool{true, true}, troops(t, "a", 10), troops(t, "b", 20))
	lines := must(s.Lines(ctx)).get(t)
	if !lines[0].Demo || lines[1].Demo {
		t.Errorf("demo marks of versions 1, 2 = %v, %v; want true, false", lines[0].Demo, lines[1].Demo)
	}
	if l := must(s.Line(ctx, 1)).get(t); !l.Demo {
		t.Error("Line(1).Demo = false; want true")
	}

	// Anything missing: nothing changes.
	for _, w := range []frontline.Withdrawal{
		{Action: "line.withdraw", Versions: []int{3, 9}, At: imported},
		{Action: "demo.remove", Versions: []int{1}, Units: []string{"a", "nope"}, At: imported},
	} {
		if err := s.Withdraw(ctx, w); !errors.Is(err, frontline.ErrNotFound) {
			t.Errorf("Withdraw(%v) = %v; want ErrNotFound", w, err)
		}
	}
	if got := versions(must(s.Lines(ctx)).get(t)); !reflect.DeepEqual(got, []int{1, 2, 3}) {
		t.Fatalf("after refused withdrawals, versions %v; want [1 2 3]", got)
	}
	if n := len(must(s.Units(ctx)).get(t)); n != 2 {
		t.Fatalf("after refused withdrawals, %d units; want 2", n)
	}

	if err := s.Withdraw(ctx, frontline.Withdrawal{Action: "demo.remove", Versions: []int{1}, Units: []string{"a"}, At: imported}); err != nil {
		t.Fatalf("Withdraw: %v", err)
	}
	if err := s.Withdraw(ctx, frontline.Withdrawal{Action: "line.withdraw", Versions: []int{3}, At: imported}); err != nil {
		t.Fatalf("Withdraw: %v", err)
	}
	if got := versions(must(s.Lines(ctx)).get(t)); !reflect.DeepEqual(got, []int{2}) {
		t.Errorf("versions %v; want [2]", got)
	}
	_, err := s.Line(ctx, 3)
	wantNotFound(t, "Line(3) withdrawn", err, "3")
	_, err = s.Line(ctx, 1)
	wantNotFound(t, "Line(1) withdrawn", err, "1")
	_, err = s.Unit(ctx, "a")
	wantNotFound(t, `Unit("a")`, err, `"a"`)
	if err := s.Withdraw(ctx, frontline.Withdrawal{Action: "line.withdraw", Versions: []int{3}, At: imported}); !errors.Is(err, frontline.ErrNotFound) {
		t.Errorf("withdrawing version 3 twice = %v; want ErrNotFound", err)
	}

	// The withdrawn content comes back as a new version.
	res := addLines(t, s, imported.Add(time.Hour), testLine(t, 3, "2024-01-03"))
	if !res[0].Created || res[0].Line.Version != 4 {
		t.Errorf("re-import of a withdrawn line: (%d, %v); want (4, true)", res[0].Line.Version, res[0].Created)
	}
	if ok, err := s.Initialised(ctx); err != nil || !ok {
		t.Errorf("Initialised = %v, %v; want true", ok, err)
	}
	if err := s.Withdraw(ctx, frontline.Withdrawal{Action: "line.withdraw", Versions: []int{2, 4}, At: imported}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Initialised(ctx); err != nil || !ok {
		t.Errorf("Initialised with every version withdrawn = %v, %v; want true", ok, err)
	}

	entries := must(s.Audit(ctx, 0, 0)).get(t)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action+" "+e.Target)
	}
	want := []string{"line.withdraw versions 2,4", "line.import created 4", "line.withdraw versions 3", "demo.remove versions 1; units a"}
	if len(actions) < len(want) || !reflect.DeepEqual(actions[:len(want)], want) {
		t.Errorf("audit log %q; want it to start %q", actions, want)
	}
}
