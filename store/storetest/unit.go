package storetest

import (
	"encoding/json"
	"testing"

	"frontline"
)

func troops(t testing.TB, id string, strength int) *frontline.Unit {
	t.Helper()
	b, _ := json.Marshal(id)
	return parseUnit(t, `{"type": "Feature", "id": `+string(b)+`,
		"geometry": {"type": "Point", "coordinates": [31.2, 48.4]},
		"properties": {"kind": "troops", "strength": `+fmtG(float64(strength))+`, "name": "unit `+id+`"}}`)
}

func unitIDs(units []*frontline.Unit) []string {
	ids := make([]string, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	return ids
}

func equalStrings(a, b []string) bool {
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

func equalBools(a, b []bool) bool {
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

func putUnits(t *testing.T, s frontline.Store, replaceAll bool, want []bool, units ...*frontline.Unit) {
	t.Helper()
	created, err := s.PutUnits(t.Context(), units, replaceAll)
	if err != nil {
		t.Fatalf("PutUnits(%v, replaceAll %v): %v", unitIDs(units), replaceAll, err)
	}
	if !equalBools(created, want) {
		t.Errorf("PutUnits(%v, replaceAll %v): new %v, want %v", unitIDs(units), replaceAll, created, want)
	}
}

func wantUnits(t *testing.T, s frontline.Store, want ...*frontline.Unit) {
	t.Helper()
	got := must(s.Units(t.Context())).get(t)
	if !equalStrings(unitIDs(got), unitIDs(want)) {
		t.Fatalf("Units: %v, want %v", unitIDs(got), unitIDs(want))
	}
	for i := range got {
		wantEqual(t, "Units: unit "+want[i].ID, got[i], want[i])
	}
}

func testUnits(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	a := troops(t, "a", 600)
	b := parseUnit(t, `{"type": "Feature", "id": "b", "geometry": {"type": "Point", "coordinates": [31, 48]},
		"properties": {"kind": "air_defense", "system": "patriot"}}`)
	c := parseUnit(t, `{"type": "Feature", "id": "c", "geometry": {"type": "LineString", "coordinates": [[31, 48], [31.2, 48.1]]},
		"properties": {"kind": "patrol", "observe_km": 3}}`)

	putUnits(t, s, false, []bool{true, true, true}, c, a, b)
	wantUnits(t, s, a, b, c) // by id
	wantEqual(t, "Unit(b)", must(s.Unit(ctx, "b")).get(t), b)
	_, err := s.Unit(ctx, "nope")
	wantNotFound(t, `Unit("nope")`, err, "nope")

	a2, d := troops(t, "a", 900), troops(t, "d", 100)
	putUnits(t, s, false, []bool{false, true}, a2, d)
	wantUnits(t, s, a2, b, c, d)

	if err := s.DeleteUnit(ctx, "d"); err != nil {
		t.Fatalf("DeleteUnit(d): %v", err)
	}
	wantNotFound(t, `DeleteUnit("d") again`, s.DeleteUnit(ctx, "d"), `"d"`)
	_, err = s.Unit(ctx, "d")
	wantNotFound(t, `Unit("d") after deleting it`, err, `"d"`)
	wantUnits(t, s, a2, b, c)

	e := troops(t, "e", 50)
	putUnits(t, s, true, []bool{false, true}, c, e)
	wantUnits(t, s, c, e)

	// The same id twice in a batch: the last wins, new only the first time.
	f1, f2 := troops(t, "f", 10), troops(t, "f", 20)
	putUnits(t, s, false, []bool{true, false}, f1, f2)
	wantUnits(t, s, c, e, f2)

	putUnits(t, s, false, []bool{})
	wantUnits(t, s, c, e, f2)
	putUnits(t, s, true, []bool{})
	wantUnits(t, s)
}

// testUnitRoundTrip checks that a unit reads back as it was parsed, with
// the properties the store knows nothing about and the derived fields.
func testUnitRoundTrip(t *testing.T, s frontline.Store) {
	tests := []struct{ name, feature string }{
		{"troops with a symbol code and names", `{"type": "Feature", "id": "47 омбр",
			"geometry": {"type": "Point", "coordinates": [37.5, 48.1, 210.5]},
			"properties": {"kind": "troops", "strength": 1200, "sector": "S003",
				"sidc": "SFGPUCI----D", "name": "47-ма бригада", "echelon": "brigade", "nation": "UA",
				"notes": {"source": "report", "confidence": 0.8, "tags": ["a", null, true]}}}`},
		{"air defense with an overriding range", `{"type": "Feature", "id": "ad-1",
			"geometry": {"type": "Point", "coordinates": [36, 49]},
			"properties": {"kind": "air_defense", "system": "nasams", "range_km": 1.5e1, "status": "inactive",
				"sidc": "SFGPUCD----", "big": 12345678901234567890}}`},
		{"patrol route with visits", `{"type": "Feature", "id": "p 1",
			"geometry": {"type": "LineString", "coordinates": [[36, 49], [36.1, 49.05, 3], [36.2, 49]]},
			"properties": {"kind": "patrol", "observe_km": 2.5, "visits_per_day": 0, "name": "route"}}`},
		{"patrol post", `{"type": "Feature", "id": 42,
			"geometry": {"type": "Point", "coordinates": [36, 49]},
			"properties": {"kind": "patrol"}}`},
	}
	var all []*frontline.Unit
	for _, tt := range tests {
		all = append(all, parseUnit(t, tt.feature))
	}
	putUnits(t, s, false, []bool{true, true, true, true}, all...)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := all[i]
			got := must(s.Unit(t.Context(), want.ID)).get(t)
			wantEqual(t, "unit", got, want)
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(want)
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("as GeoJSON:\n got %s\nwant %s", gotJSON, wantJSON)
			}
		})
	}
}

func testPutUnitsAllOrNothing(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	a := troops(t, "a", 600)
	putUnits(t, s, false, []bool{true}, a)
	for _, replaceAll := range []bool{false, true} {
		batches := map[string][]*frontline.Unit{
			"a nil unit last":       {troops(t, "a", 900), troops(t, "b", 1), nil},
			"a unit with no coords": {troops(t, "b", 1), {ID: "c", Kind: frontline.KindTroops, Strength: 5}},
		}
		for name, batch := range batches {
			if _, err := s.PutUnits(ctx, batch, replaceAll); err == nil {
				t.Errorf("%s (replaceAll %v): PutUnits succeeded", name, replaceAll)
			}
			wantUnits(t, s, a)
		}
		if _, err := s.PutUnits(cancelled(ctx), []*frontline.Unit{troops(t, "b", 1)}, replaceAll); err == nil {
			t.Errorf("cancelled context (replaceAll %v): PutUnits succeeded", replaceAll)
		}
		wantUnits(t, s, a)
	}
}
