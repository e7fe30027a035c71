package storetest

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"frontline"
)

// testScenario returns a scenario with a unit of each kind, units to
// remove and settings as a JSON decoder without UseNumber gives them
// (float64), plus one as json.Number.
func testScenario(t testing.TB, id string) *frontline.Scenario {
	t.Helper()
	return &frontline.Scenario{
		ID:          id,
		Name:        "Option " + id,
		Description: "Дві бригади more on the southern sector",
		Base:        frontline.BaseLive,
		Units: []*frontline.Unit{
			parseUnit(t, `{"type": "Feature", "id": "47 омбр",
				"geometry": {"type": "Point", "coordinates": [37.5, 48.1, 210.5]},
				"properties": {"kind": "troops", "strength": 1200, "sector": "S003", "name": "47-ма бригада",
					"notes": {"confidence": 0.8, "tags": ["a", null, true]}, "big": 12345678901234567890}}`),
			parseUnit(t, `{"type": "Feature", "id": "ad-1",
				"geometry": {"type": "Point", "coordinates": [36, 49]},
				"properties": {"kind": "air_defense", "system": "nasams", "range_km": 1.5e1, "status": "inactive"}}`),
			parseUnit(t, `{"type": "Feature", "id": 42,
				"geometry": {"type": "LineString", "coordinates": [[36, 49], [36.1, 49.05, 3], [36.2, 49]]},
				"properties": {"kind": "patrol", "observe_km": 2.5, "visits_per_day": 0}}`),
		},
		Remove:   []string{"b", "a"},
		Settings: map[string]any{"required_per_km": 48.5, "posture": "defense", "rotation": json.Number("3"), "band_km": 1e21},
	}
}

// storedSettings is testScenario's settings as a store reads them back:
// numbers as json.Number, in the text JSON writes them.
func storedSettings() map[string]any {
	return map[string]any{"required_per_km": json.Number("48.5"), "posture": "defense", "rotation": json.Number("3"), "band_km": json.Number("1e+21")}
}

func putScenario(t *testing.T, s frontline.Store, sc *frontline.Scenario, at time.Time, wantCreated bool, wantRevision int) {
	t.Helper()
	created, err := s.PutScenario(t.Context(), sc, at)
	if err != nil {
		t.Fatalf("PutScenario(%s): %v", sc.ID, err)
	}
	if created != wantCreated || sc.Revision != wantRevision {
		t.Errorf("PutScenario(%s): created %v, revision %d; want %v, %d", sc.ID, created, sc.Revision, wantCreated, wantRevision)
	}
	if !sc.UpdatedAt.Equal(at) || sc.UpdatedAt.Location() != time.UTC {
		t.Errorf("PutScenario(%s): updated at %v, want %v in UTC", sc.ID, sc.UpdatedAt, at)
	}
}

// wantScenarios checks the whole list, by id, against want.
func wantScenarios(t *testing.T, s frontline.Store, want ...*frontline.Scenario) {
	t.Helper()
	got := must(s.Scenarios(t.Context())).get(t)
	ids := func(scs []*frontline.Scenario) []string {
		out := make([]string, len(scs))
		for i, sc := range scs {
			out[i] = sc.ID
		}
		return out
	}
	if !equalStrings(ids(got), ids(want)) {
		t.Fatalf("Scenarios: %v, want %v", ids(got), ids(want))
	}
	for i := range got {
		wantEqual(t, "Scenarios: scenario "+want[i].ID, got[i], want[i])
	}
}

// testScenarios: create, read back, replace, list by id and delete.
func testScenarios(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	wantScenarios(t, s)
	t1 := time.Date(2024, 3, 1, 14, 0, 0, 123456789, time.FixedZone("EET", 2*3600))
	t2 := t1.Add(90 * time.Minute)

	north := testScenario(t, "north")
	putScenario(t, s, north, t1, true, 1)
	// sc is now what was stored: what a read returns.
	wantEqual(t, "Scenario(north) after PutScenario", must(s.Scenario(ctx, "north")).get(t), north)
	wantEqual(t, "settings as stored", north.Settings, storedSettings())
	if units := must(s.Units(ctx)).get(t); len(units) != 0 {
		t.Errorf("a scenario's units were stored as units: %v", unitIDs(units))
	}

	// Replacing: the revision counts the writes; every field is the new one.
	north2 := testScenario(t, "north")
	north2.Name, north2.Description, north2.Base = "Option north, revised", "", frontline.BaseEmpty
	north2.Units = north2.Units[1:]
	north2.Remove = nil
	north2.Settings = map[string]any{"sector_km": 25.0}
	putScenario(t, s, north2, t2, false, 2)
	wantEqual(t, "Scenario(north) after replacing it", must(s.Scenario(ctx, "north")).get(t), north2)
	got := must(s.Scenario(ctx, "north")).get(t)
	if len(got.Units) != 2 || got.Units[0].ID != "ad-1" || got.Name != "Option north, revised" || got.Base != frontline.BaseEmpty ||
		len(got.Remove) != 0 || got.Remove == nil || !got.UpdatedAt.Equal(t2) {
		t.Errorf("Scenario(north) after replacing it: %+v", got)
	}
	wantEqual(t, "settings replaced", got.Settings, map[string]any{"sector_km": json.Number("25")})

	// Listed by id, whatever the order of writing.
	south, east := testScenario(t, "south-2"), testScenario(t, "east-1")
	putScenario(t, s, south, t1, true, 1)
	putScenario(t, s, east, t2, true, 1)
	wantScenarios(t, s, east, north2, south)

	if err := s.DeleteScenario(ctx, "north"); err != nil {
		t.Fatalf("DeleteScenario(north): %v", err)
	}
	_, err := s.Scenario(ctx, "north")
	wantNotFound(t, `Scenario("north") after deleting it`, err, `"north"`)
	wantNotFound(t, `DeleteScenario("north") again`, s.DeleteScenario(ctx, "north"), `"north"`)
	wantScenarios(t, s, east, south)

	// Made anew after a delete, it is new again.
	again := testScenario(t, "north")
	putScenario(t, s, again, t2, true, 1)
	wantScenarios(t, s, east, again, south)
}

// testScenarioRoundTrip: a scenario reads back exactly as it was put,
// units, removals and settings included, and shares nothing with what
// was put or read before.
func testScenarioRoundTrip(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	at := time.Date(2024, 3, 1, 12, 0, 0, 5, time.UTC)
	in := testScenario(t, "round-trip")
	want := testScenario(t, "round-trip") // what was put, untouched
	putScenario(t, s, in, at, true, 1)
	got := must(s.Scenario(ctx, "round-trip")).get(t)

	if got.ID != want.ID || got.Name != want.Name || got.Description != want.Description || got.Base != want.Base {
		t.Errorf("Scenario: id %q, name %q, description %q, base %q; want %q, %q, %q, %q",
			got.ID, got.Name, got.Description, got.Base, want.ID, want.Name, want.Description, want.Base)
	}
	if got.Revision != 1 || !got.UpdatedAt.Equal(at) {
		t.Errorf("Scenario: revision %d, updated at %v; want 1, %v", got.Revision, got.UpdatedAt, at)
	}
	if len(got.Units) != len(want.Units) {
		t.Fatalf("Scenario: units %v, want %v", unitIDs(got.Units), unitIDs(want.Units))
	}
	for i, u := range got.Units {
		wantEqual(t, "unit "+want.Units[i].ID, u, want.Units[i])
		gotJSON, _ := json.Marshal(u)
		wantJSON, _ := json.Marshal(want.Units[i])
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("unit %d as GeoJSON:\n got %s\nwant %s", i, gotJSON, wantJSON)
		}
	}
	wantEqual(t, "remove", got.Remove, want.Remove)
	wantEqual(t, "settings", got.Settings, storedSettings())
	gotJSON, _ := json.Marshal(got.Settings)
	wantJSON, _ := json.Marshal(want.Settings)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("settings as JSON:\n got %s\nwant %s", gotJSON, wantJSON)
	}
	wantEqual(t, "Scenarios()[0]", must(s.Scenarios(ctx)).get(t)[0], got)

	// Changing what was put or what was read changes nothing stored.
	in.Units[0].Properties["name"] = "changed"
	in.Units[0].Coords[0][0] = 0
	in.Remove[0] = "changed"
	in.Settings["posture"] = "changed"
	got.Units[1].Properties["system"] = "changed"
	got.Remove[1] = "changed"
	got.Settings["rotation"] = json.Number("9")
	again := must(s.Scenario(ctx, "round-trip")).get(t)
	wantEqual(t, "units after changing copies", again.Units, want.Units)
	wantEqual(t, "remove after changing copies", again.Remove, want.Remove)
	wantEqual(t, "settings after changing copies", again.Settings, storedSettings())

	// Nothing in it: empty lists and settings, not null, both ways.
	bare := &frontline.Scenario{ID: "bare", Base: frontline.BaseEmpty}
	putScenario(t, s, bare, at, true, 1)
	wantEqual(t, "Scenario(bare)", must(s.Scenario(ctx, "bare")).get(t), &frontline.Scenario{ID: "bare", Base: frontline.BaseEmpty,
		Units: []*frontline.Unit{}, Remove: []string{}, Settings: map[string]any{}, Revision: 1, UpdatedAt: at})
}

// testScenarioNotFound: reading or deleting a scenario that is not there
// fails with ErrNotFound naming it, and changes nothing.
func testScenarioNotFound(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	_, err := s.Scenario(ctx, "nope")
	wantNotFound(t, `Scenario("nope") in an empty store`, err, `"nope"`)
	wantNotFound(t, `DeleteScenario("nope") in an empty store`, s.DeleteScenario(ctx, "nope"), `"nope"`)

	a := testScenario(t, "a")
	putScenario(t, s, a, imported, true, 1)
	entries := len(must(s.Audit(ctx, 0, 0)).get(t))
	_, err = s.Scenario(ctx, "nope")
	wantNotFound(t, `Scenario("nope")`, err, `"nope"`)
	wantNotFound(t, `DeleteScenario("nope")`, s.DeleteScenario(ctx, "nope"), `"nope"`)
	// Ids are exact: no prefix, case or live.
	for _, id := range []string{"", "A", "a ", frontline.LiveScenario} {
		_, err = s.Scenario(ctx, id)
		wantNotFound(t, "Scenario("+id+")", err)
	}
	wantScenarios(t, s, a)
	if n := len(must(s.Audit(ctx, 0, 0)).get(t)); n != entries {
		t.Errorf("%d audit entries after failed deletes, want %d", n, entries)
	}
}

// testPutScenarioAllOrNothing: a write that fails, refused or cancelled,
// stores nothing and leaves no audit entry.
func testPutScenarioAllOrNothing(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	a := testScenario(t, "a")
	putScenario(t, s, a, imported, true, 1)
	entries := len(must(s.Audit(ctx, 0, 0)).get(t))
	unchanged := func(what string) {
		t.Helper()
		wantScenarios(t, s, a)
		if n := len(must(s.Audit(ctx, 0, 0)).get(t)); n != entries {
			t.Fatalf("after %s: %d audit entries, want %d", what, n, entries)
		}
	}

	noCoords := testScenario(t, "b")
	noCoords.Units = append(noCoords.Units, &frontline.Unit{ID: "x", Kind: frontline.KindTroops, Strength: 5})
	nilUnit := testScenario(t, "a")
	nilUnit.Units = append(nilUnit.Units, nil)
	refused := map[string]*frontline.Scenario{
		"a nil scenario":             nil,
		"no id":                      testScenario(t, ""),
		"an id with capitals":        testScenario(t, "North"),
		"the id of the stored units": testScenario(t, frontline.LiveScenario),
		"a unit with no coordinates": noCoords,
		"a nil unit, replacing":      nilUnit,
		"a setting that is not JSON": {ID: "c", Settings: map[string]any{"x": func() {}}},
	}
	for name, sc := range refused {
		if _, err := s.PutScenario(ctx, sc, imported); err == nil {
			t.Errorf("PutScenario of %s succeeded", name)
		} else if name != "a setting that is not JSON" && !errors.Is(err, frontline.ErrInvalid) {
			t.Errorf("PutScenario of %s: error %v, want one wrapping frontline.ErrInvalid", name, err)
		}
		unchanged("PutScenario of " + name)
	}

	for _, id := range []string{"a", "b"} {
		sc := testScenario(t, id)
		if _, err := s.PutScenario(cancelled(ctx), sc, imported.Add(time.Hour)); err == nil {
			t.Errorf("PutScenario(%s) with a cancelled context succeeded", id)
		}
		unchanged("PutScenario(" + id + ") with a cancelled context")
	}
	if err := s.DeleteScenario(cancelled(ctx), "a"); err == nil {
		t.Error("DeleteScenario(a) with a cancelled context succeeded")
	}
	unchanged("DeleteScenario(a) with a cancelled context")

	// The revision goes on from the last write that succeeded.
	a2 := testScenario(t, "a")
	putScenario(t, s, a2, imported.Add(2*time.Hour), false, 2)
}

// testScenarioAudit: a put and a delete each leave an entry naming the
// scenario and its revision, with the actor of the context.
func testScenarioAudit(t *testing.T, s frontline.Store) {
	base := t.Context()
	ctx := frontline.WithActor(base, "k1")
	from := time.Now()
	for i, call := range []func() error{
		func() error { _, err := s.PutScenario(ctx, testScenario(t, "north"), imported); return err },
		func() error { _, err := s.PutScenario(ctx, testScenario(t, "north"), imported); return err },
		func() error { _, err := s.PutScenario(base, testScenario(t, "south"), imported); return err },
		func() error { return s.DeleteScenario(ctx, "north") },
		func() error { return s.DeleteScenario(frontline.WithActor(base, "cli"), "south") },
	} {
		if err := call(); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	wantAudit(t, s, from, time.Now(),
		entry{"k1", "scenario.put", "north (revision 1)"},
		entry{"k1", "scenario.put", "north (revision 2)"},
		entry{"anonymous", "scenario.put", "south (revision 1)"},
		entry{"k1", "scenario.delete", "north (revision 2)"},
		entry{"cli", "scenario.delete", "south (revision 1)"},
	)
}
