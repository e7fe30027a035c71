package frontline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"time"
)

// Scenario is a stored, named option (SPEC 9): the units as they would be
// under it, and settings of its own. Using a scenario never changes the
// stored units.
type Scenario struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Base is BaseLive (the stored units with the scenario's changes on
	// top, so it follows live updates) or BaseEmpty (its own units only).
	Base string `json:"base"`
	// Units are added, or replace the stored unit of the same id.
	Units []*Unit `json:"units"`
	// Remove lists stored unit ids the scenario leaves out.
	Remove []string `json:"remove"`
	// Settings override the coverage settings (query parameter names).
	Settings map[string]any `json:"settings"`
	// Revision counts the scenario's writes (1 when created): caches of
	// what it computes key on it.
	Revision  int       `json:"revision"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Bases of a scenario.
const (
	BaseLive  = "live"
	BaseEmpty = "empty"
)

// LiveScenario names the stored units themselves where a scenario id is
// expected.
const LiveScenario = "live"

var scenarioID = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)

// CheckScenarioID refuses an id that is not 1 to 64 of a-z, 0-9 and -, or
// that is "live" (the stored units' own name).
func CheckScenarioID(id string) error {
	if !scenarioID.MatchString(id) {
		return invalid(CodeBadID, FieldAt("id"), "a scenario id is 1 to 64 of a-z, 0-9 and -, got %q", truncate(id, 70))
	}
	if id == LiveScenario {
		return invalid(CodeBadID, FieldAt("id"), "%q names the stored units; choose another scenario id", id)
	}
	return nil
}

// ParseScenario reads a scenario from JSON. pathID, when not empty, is
// the id of the resource written (PUT /v1/scenarios/{id}): the body may
// leave its id out, and must not give another. Units are checked as any
// unit is; settings as a query with those names would be, over defaults.
func ParseScenario(data []byte, pathID string, defaults Params) (*Scenario, error) {
	if err := checkDuplicateKeys(data, Nowhere, false); err != nil {
		return nil, err
	}
	var raw struct {
		ID          *string           `json:"id"`
		Name        string            `json:"name"`
		Description string            `json:"description"`
		Base        string            `json:"base"`
		Units       []json.RawMessage `json:"units"`
		Remove      []string          `json:"remove"`
		Settings    map[string]any    `json:"settings"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, invalid(CodeNotJSON, Nowhere, "a scenario is a JSON object with id, name, description, base, units, remove and settings: %v", err)
	}
	sc := &Scenario{Name: raw.Name, Description: raw.Description, Base: raw.Base, Remove: raw.Remove, Settings: raw.Settings}
	switch {
	case raw.ID != nil:
		sc.ID = *raw.ID
	default:
		sc.ID = pathID
	}
	if pathID != "" && sc.ID != pathID {
		return nil, invalid(CodeIDMismatch, FieldAt("id"), "the scenario's id %q differs from the id %q in the path", sc.ID, pathID)
	}
	if err := CheckScenarioID(sc.ID); err != nil {
		return nil, err
	}
	if sc.Base == "" {
		sc.Base = BaseLive
	}
	if sc.Base != BaseLive && sc.Base != BaseEmpty {
		return nil, invalid(CodeBadProperty, FieldAt("base"), "base must be live or empty, got %q", truncate(sc.Base, 40))
	}
	seen := map[string]int{}
	for i, f := range raw.Units {
		u, err := ParseUnit(f, i)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[u.ID]; dup {
			return nil, invalid(CodeDuplicateID, Location{Feature: i, Part: -1, Vertex: -1, Field: "id"}, "unit id %q is also used by unit %d", u.ID, j)
		}
		seen[u.ID] = i
		sc.Units = append(sc.Units, u)
	}
	if sc.Units == nil {
		sc.Units = []*Unit{}
	}
	if sc.Remove == nil {
		sc.Remove = []string{}
	}
	if sc.Settings == nil {
		sc.Settings = map[string]any{}
	}
	if _, err := sc.Params(defaults); err != nil {
		return nil, err
	}
	return sc, nil
}

// Params returns the scenario's settings over defaults.
func (sc *Scenario) Params(defaults Params) (Params, error) {
	q, err := settingsQuery(sc.Settings)
	if err != nil {
		return Params{}, err
	}
	for name := range q {
		if !isSetting(name, false) {
			return Params{}, BadParameter("settings."+name, "unknown setting %q (a scenario takes %v)", name, SettingNames(false))
		}
	}
	return ParseParamsOver(q, defaults)
}

// ApplyUnits returns the units as they are under the scenario, by id,
// from the stored ones.
func (sc *Scenario) ApplyUnits(stored []*Unit) []*Unit {
	byID := map[string]*Unit{}
	if sc.Base == BaseLive {
		for _, u := range stored {
			byID[u.ID] = u
		}
		for _, id := range sc.Remove {
			delete(byID, id)
		}
	}
	for _, u := range sc.Units {
		byID[u.ID] = u
	}
	out := make([]*Unit, 0, len(byID))
	for _, u := range byID {
		out = append(out, u)
	}
	sortUnits(out)
	return out
}

// scenarioDoc is the stored form of a scenario, the same in every store:
// what it says, without the id, revision and time, which stores keep
// beside it.
// Units are their GeoJSON Features, rebuilt on reading by
// ParseUnit as the units table's are.
type scenarioDoc struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Base        string            `json:"base"`
	Units       []json.RawMessage `json:"units"`
	Remove      []string          `json:"remove"`
	Settings    map[string]any    `json:"settings"`
}

// DecodeScenario rebuilds a scenario from its stored document: units
// with ParseUnit, settings with numbers as json.Number (as
// decodeProperties reads line properties), so that what is read back
// equals what was stored.
func DecodeScenario(id string, data []byte) (*Scenario, error) {
	var doc scenarioDoc
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	sc := &Scenario{ID: id, Name: doc.Name, Description: doc.Description, Base: doc.Base,
		Units: make([]*Unit, len(doc.Units)), Remove: doc.Remove, Settings: doc.Settings}
	for i, f := range doc.Units {
		u, err := ParseUnit(f, i)
		if err != nil {
			return nil, err
		}
		sc.Units[i] = u
	}
	if sc.Remove == nil {
		sc.Remove = []string{}
	}
	if sc.Settings == nil {
		sc.Settings = map[string]any{}
	}
	return sc, nil
}

// EncodeScenario writes the stored document of sc. A scenario whose id
// is not one, or with a unit that would not read back, is refused
// (wrapping ErrInvalid): it would make every later read fail.
func EncodeScenario(sc *Scenario) ([]byte, error) {
	if sc == nil {
		return nil, fmt.Errorf("nil scenario: %w", ErrInvalid)
	}
	if err := CheckScenarioID(sc.ID); err != nil {
		return nil, err
	}
	doc := scenarioDoc{Name: sc.Name, Description: sc.Description, Base: sc.Base,
		Units: make([]json.RawMessage, len(sc.Units)), Remove: sc.Remove, Settings: sc.Settings}
	if doc.Remove == nil {
		doc.Remove = []string{}
	}
	if doc.Settings == nil {
		doc.Settings = map[string]any{}
	}
	for i, u := range sc.Units {
		if u == nil || len(u.Coords) == 0 {
			return nil, fmt.Errorf("scenario %q: unit %d has no geometry: %w", sc.ID, i, ErrInvalid)
		}
		feature, err := json.Marshal(u)
		if err != nil {
			return nil, fmt.Errorf("scenario %q: unit %q: %w", sc.ID, u.ID, err)
		}
		doc.Units[i] = feature
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("scenario %q: %w", sc.ID, err)
	}
	return data, nil
}
