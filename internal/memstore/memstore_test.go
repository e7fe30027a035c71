package memstore_test

import (
	"errors"
	"reflect"
	"testing"

	"frontline"
	"frontline/internal/memstore"
	"frontline/store/storetest"
)

// TestStore runs the suite every store passes.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) frontline.Store {
		s := memstore.New()
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestFailAndCalls checks the two things tests of the Service lean on: a
// failure injected into one method fails that method only and changes
// nothing, and every call is counted, failed ones too.
func TestFailAndCalls(t *testing.T) {
	ctx := t.Context()
	s := memstore.New()
	boom := errors.New("boom")
	s.SetFail(func(op string) error {
		if op == "PutUnits" {
			return boom
		}
		return nil
	})
	u, err := frontline.ParseUnit([]byte(`{"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [31, 48]},
		"properties": {"kind": "troops", "strength": 10}}`), -1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutUnits(ctx, []*frontline.Unit{u}, false); !errors.Is(err, boom) {
		t.Fatalf("PutUnits with Fail set: %v, want boom", err)
	}
	if units, err := s.Units(ctx); err != nil || len(units) != 0 {
		t.Errorf("Units after a failed PutUnits = %v, %v; want none", units, err)
	}
	if entries, err := s.Audit(ctx, 0, 0); err != nil || len(entries) != 0 {
		t.Errorf("Audit after a failed PutUnits = %d entries, %v; want none", len(entries), err)
	}
	s.SetFail(nil)
	if _, err := s.PutUnits(ctx, []*frontline.Unit{u}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Units(ctx); err != nil {
		t.Fatal(err)
	}
	for op, want := range map[string]int{"PutUnits": 2, "Units": 2, "Audit": 1, "Lines": 0} {
		if got := s.Calls(op); got != want {
			t.Errorf("Calls(%q) = %d, want %d", op, got, want)
		}
	}

	// A unit read and changed by the caller stays as stored.
	got, err := s.Unit(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	got.Properties["strength"] = 1
	got.Coords[0][0] = 0
	again, err := s.Unit(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if again.Strength != 10 || again.Coords[0][0] != 31 || again.Properties["strength"] != u.Properties["strength"] {
		t.Errorf("unit changed through a value read: %+v", again)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); !errors.Is(err, memstore.ErrClosed) {
		t.Errorf("Ping after Close: %v, want ErrClosed", err)
	}
}

// TestCopies: values read from the store and values given to it share
// nothing with what it keeps, so a test cannot change stored data by
// accident (the shared suite does not look at this).
func TestCopies(t *testing.T) {
	ctx := t.Context()
	s := memstore.New()
	in, err := frontline.ParseLine([]byte(`{"type": "Feature", "properties": {"valid_from": "2024-01-01", "tags": ["a"]},
		"geometry": {"type": "LineString", "coordinates": [[30, 48], [31, 48.5]]}}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.AddLines(ctx, []*frontline.LineInput{in}, in.ValidFrom)
	if err != nil {
		t.Fatal(err)
	}
	in.Parts[0][0][0] = 0
	in.Properties["tags"].([]any)[0] = "changed"
	res[0].Line.Coords[0][1][0] = 0
	got, err := s.Line(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	got.Coords[0][0][1] = 0
	got.Properties["new"] = true
	again, err := s.Line(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]frontline.Position{{{30, 48}, {31, 48.5}}}
	if !reflect.DeepEqual(again.Coords, want) {
		t.Errorf("coordinates %v, want %v", again.Coords, want)
	}
	if tags := again.Properties["tags"].([]any); tags[0] != "a" || len(again.Properties) != 2 {
		t.Errorf("properties %v, want valid_from and tags [a]", again.Properties)
	}
	if frontline.Hash(again.Coords) != again.Hash {
		t.Error("the stored geometry no longer matches its hash")
	}
}
