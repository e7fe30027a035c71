package frontline

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
)

// Postures and rotation as query parameters: a posture sets
// required_per_km unless the query gives it, over any defaults.
func TestParsePostureAndRotation(t *testing.T) {
	stored := DefaultParams()
	stored.RequiredPerKm, stored.Rotation = 60, 4
	for _, tc := range []struct {
		name     string
		query    string
		defaults Params
		required float64
		rotation float64
		// field is the parameter a refusal names; message a text it has.
		field, message string
	}{
		{"the defaults", "", DefaultParams(), 48, 3, "", ""},
		{"interposition", "posture=interposition", DefaultParams(), 80, 3, "", ""},
		{"monitoring", "posture=monitoring", DefaultParams(), 1.5, 3, "", ""},
		{"an explicit required_per_km wins", "posture=interposition&required_per_km=50", DefaultParams(), 50, 3, "", ""},
		{"whichever comes first", "required_per_km=50&posture=defense", DefaultParams(), 50, 3, "", ""},
		{"a posture over stored defaults", "posture=defense", stored, 300, 4, "", ""},
		{"stored defaults without a posture", "", stored, 60, 4, "", ""},
		{"rotation", "rotation=2.5", DefaultParams(), 48, 2.5, "", ""},
		{"rotation 1", "rotation=1", DefaultParams(), 48, 1, "", ""},
		{"an unknown posture", "posture=peacekeeping", DefaultParams(), 0, 0, "posture",
			`unknown posture "peacekeeping" (there are monitoring, separation, reassurance, interposition, defense)`},
		{"an unknown posture with required_per_km", "posture=Defense&required_per_km=50", DefaultParams(), 0, 0, "posture", "there are monitoring"},
		{"rotation 0", "rotation=0", DefaultParams(), 0, 0, "rotation", "rotation must be at least 1 and at most 100, got 0"},
		{"rotation below 1", "rotation=0.5", DefaultParams(), 0, 0, "rotation", "got 0.5"},
		{"rotation above 100", "rotation=101", DefaultParams(), 0, 0, "rotation", "got 101"},
		{"rotation not a number", "rotation=three", DefaultParams(), 0, 0, "rotation", "must be a number"},
		{"required_per_km beyond any force", "required_per_km=1e6", DefaultParams(), 0, 0, "required_per_km", "at most 100000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ParseParamsOver(q, tc.defaults)
			if tc.field != "" {
				var ie *InputError
				if !errors.As(err, &ie) || ie.Code != CodeBadParameter || ie.At.Field != tc.field || !strings.Contains(ie.Message, tc.message) {
					t.Fatalf("error %v, want a bad %s saying %q", err, tc.field, tc.message)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.RequiredPerKm != tc.required || p.Rotation != tc.rotation {
				t.Errorf("required_per_km %g, rotation %g; want %g, %g", p.RequiredPerKm, p.Rotation, tc.required, tc.rotation)
			}
		})
	}
}

// A posture is the same computation as its density, so it shares its
// cache entries; rotation changes the report, so it has its own.
func TestKeyOfPostureAndRotation(t *testing.T) {
	key := func(query string) string {
		t.Helper()
		q, _ := url.ParseQuery(query)
		p, err := ParseParams(q)
		if err != nil {
			t.Fatal(err)
		}
		return p.Key()
	}
	if a, b := key("posture=interposition"), key("required_per_km=80"); a != b {
		t.Errorf("posture=interposition has key %q, required_per_km=80 %q", a, b)
	}
	if a, b := key("posture=reassurance"), key(""); a != b {
		t.Errorf("posture=reassurance has key %q, the defaults %q", a, b)
	}
	if a, b := key("rotation=2"), key(""); a == b {
		t.Errorf("rotation=2 has the defaults' key %q", a)
	}
	if a, b := key("rotation=3"), key(""); a != b {
		t.Errorf("rotation=3 has key %q, the defaults %q", a, b)
	}
}

// Settings stored before rotation was one read as the default rotation.
func TestStoredSettingsWithoutRotation(t *testing.T) {
	var p Params
	old := `{"sector_km":10,"depth_km":30,"side":"both","required_per_km":60,"troops_ok":1,"air_defense_ok":0.9,"patrol_ok":0.9}`
	if err := json.Unmarshal([]byte(old), &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Rotation != DefaultRotation || p.RequiredPerKm != 60 {
		t.Errorf("rotation %g, required_per_km %g; want %g, 60", p.Rotation, p.RequiredPerKm, DefaultRotation)
	}
}

// The postures are the ones SPEC 9 lists, each with its source.
func TestPostures(t *testing.T) {
	want := map[string]float64{"monitoring": 1.5, "separation": 15, "reassurance": 48, "interposition": 80, "defense": 300}
	if len(Postures) != len(want) {
		t.Errorf("%d postures, want %d", len(Postures), len(want))
	}
	for i, p := range Postures {
		if want[p.Name] != p.RequiredPerKm {
			t.Errorf("posture %s at %g per km, want %g", p.Name, p.RequiredPerKm, want[p.Name])
		}
		if p.Source == "" {
			t.Errorf("posture %s has no source", p.Name)
		}
		if i > 0 && !(p.RequiredPerKm > Postures[i-1].RequiredPerKm) {
			t.Errorf("posture %s is out of order", p.Name)
		}
		if got, err := PostureNamed(p.Name); err != nil || got != p {
			t.Errorf("PostureNamed(%q) = %+v, %v", p.Name, got, err)
		}
	}
	if Postures[2].RequiredPerKm != DefaultRequiredPerKm {
		t.Errorf("reassurance is %g per km, the default %g", Postures[2].RequiredPerKm, DefaultRequiredPerKm)
	}
}
