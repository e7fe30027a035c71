package frontline

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const scenarioUnit = `{"type":"Feature","id":"%s","geometry":{"type":"Point","coordinates":[37.5,48.5]},"properties":{"kind":"troops","strength":%s}}`

func scUnit(id, strength string) string {
	return strings.Replace(strings.Replace(scenarioUnit, "%s", id, 1), "%s", strength, 1)
}

func TestParseScenario(t *testing.T) {
	for _, tc := range []struct {
		name, in, pathID string
		code             Code   // "" for accepted
		message          string // for refusals: the whole message
	}{
		{name: "minimal", in: `{"id":"opt-a"}`},
		{name: "id from the path", in: `{"name":"Option A"}`, pathID: "opt-a"},
		{name: "everything", in: `{"id":"b2","name":"B","description":"d","base":"empty","units":[` + scUnit("x", "500") +
			`],"remove":["T-001"],"settings":{"sector_km":10,"side":"left","required_per_km":60}}`},
		{name: "bad id", in: `{"id":"Option A"}`, code: CodeBadID, message: `id: a scenario id is 1 to 64 of a-z, 0-9 and -, got "Option A"`},
		{name: "id too long", in: `{"id":"` + strings.Repeat("a", 65) + `"}`, code: CodeBadID},
		{name: "live is taken", in: `{"id":"live"}`, code: CodeBadID, message: `id: "live" names the stored units; choose another scenario id`},
		{name: "ids differ", in: `{"id":"a"}`, pathID: "b", code: CodeIDMismatch, message: `id: the scenario's id "a" differs from the id "b" in the path`},
		{name: "bad base", in: `{"id":"a","base":"all"}`, code: CodeBadProperty, message: `base: base must be live or empty, got "all"`},
		{name: "unknown member", in: `{"id":"a","unit":[]}`, code: CodeNotJSON},
		{name: "duplicate key", in: `{"id":"a","id":"b"}`, code: CodeDuplicateKey},
		{name: "bad unit", in: `{"id":"a","units":[` + scUnit("x", "-5") + `]}`, code: CodeBadProperty},
		{name: "unit twice", in: `{"id":"a","units":[` + scUnit("x", "5") + `,` + scUnit("x", "6") + `]}`, code: CodeDuplicateID,
			message: `feature 1, id: unit id "x" is also used by unit 0`},
		{name: "unknown setting", in: `{"id":"a","settings":{"sector":10}}`, code: CodeBadParameter},
		{name: "line settings are not scenario settings", in: `{"id":"a","settings":{"version":2}}`, code: CodeBadParameter},
		{name: "bad setting value", in: `{"id":"a","settings":{"depth_km":-3}}`, code: CodeBadParameter},
		{name: "setting of a wrong type", in: `{"id":"a","settings":{"depth_km":[3]}}`, code: CodeBadParameter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := ParseScenario([]byte(tc.in), tc.pathID, DefaultParams())
			if tc.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if sc.Base == "" || sc.Units == nil || sc.Remove == nil || sc.Settings == nil {
					t.Errorf("defaults not filled in: %+v", sc)
				}
				return
			}
			var ie *InputError
			if !errors.As(err, &ie) || ie.Code != tc.code {
				t.Fatalf("got %v, want code %s", err, tc.code)
			}
			if tc.message != "" && err.Error() != tc.message {
				t.Errorf("message %q, want %q", err.Error(), tc.message)
			}
		})
	}
}

func TestScenarioParamsAndUnits(t *testing.T) {
	sc, err := ParseScenario([]byte(`{"id":"a","units":[`+scUnit("T-2", "900")+`,`+scUnit("new", "100")+
		`],"remove":["T-3","nope"],"settings":{"sector_km":10,"required_per_km":60}}`), "", DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	p, err := sc.Params(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if p.SectorKm != 10 || p.RequiredPerKm != 60 || p.DepthKm != DefaultDepthKm {
		t.Errorf("params %+v", p)
	}
	stored := []*Unit{}
	for _, id := range []string{"T-1", "T-2", "T-3"} {
		u, err := ParseUnit([]byte(scUnit(id, "50")), -1)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, u)
	}
	strengths := func(units []*Unit) map[string]int {
		m := map[string]int{}
		for _, u := range units {
			m[u.ID] = u.Strength
		}
		return m
	}
	if got, want := strengths(sc.ApplyUnits(stored)), map[string]int{"T-1": 50, "T-2": 900, "new": 100}; !reflect.DeepEqual(got, want) {
		t.Errorf("live base: %v, want %v", got, want)
	}
	sc.Base = BaseEmpty
	if got, want := strengths(sc.ApplyUnits(stored)), map[string]int{"T-2": 900, "new": 100}; !reflect.DeepEqual(got, want) {
		t.Errorf("empty base: %v, want %v", got, want)
	}
	if got := sc.ApplyUnits(stored); got[0].ID != "T-2" || got[1].ID != "new" {
		t.Errorf("not by id: %v, %v", got[0].ID, got[1].ID)
	}
	if len(stored) != 3 || stored[1].Strength != 50 {
		t.Error("the stored units changed")
	}
}

func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(`{"id":"a","name":"A","base":"empty","units":[` + scUnit("x", "5") + `],"remove":["y"],"settings":{"sector_km":10}}`))
	f.Add([]byte(`{"id":"a","settings":{"side":"left","sectors":"anchors"}}`))
	f.Add([]byte(`{"name":"x"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		sc, err := ParseScenario(in, "p", DefaultParams())
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Code == "" || ie.Message == "" {
				t.Fatalf("error %v (%T) is not a located input error", err, err)
			}
			return
		}
		if CheckScenarioID(sc.ID) != nil || (sc.Base != BaseLive && sc.Base != BaseEmpty) {
			t.Fatalf("accepted a bad scenario: %+v", sc)
		}
		if _, err := sc.Params(DefaultParams()); err != nil {
			t.Fatalf("accepted settings that do not parse: %v", err)
		}
		// What is accepted reads back the same from its own JSON.
		b, err := json.Marshal(sc)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "revision")
		delete(m, "updated_at")
		b, _ = json.Marshal(m)
		again, err := ParseScenario(b, "", DefaultParams())
		if err != nil {
			t.Fatalf("its own JSON is refused: %v\n%s", err, b)
		}
		if again.ID != sc.ID || len(again.Units) != len(sc.Units) || len(again.Remove) != len(sc.Remove) {
			t.Fatalf("read back differs: %+v vs %+v", again, sc)
		}
	})
}
