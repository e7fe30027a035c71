// Package memstore is a frontline.Store in memory, for tests: maps and
// slices behind one mutex, so that it is plainly correct and a test of the
// Service runs in microseconds instead of on a database file.
//
// It keeps the same promises as store/sqlite (the shared suite in
// store/storetest checks both): version numbers never reused, idempotent
// imports, all-or-nothing writes, an audit entry for every write that
// succeeds and none for one that fails. Every call checks its context
// first and each write checks it again just before it commits, so a
// cancelled write changes nothing.
//
// Two things help tests look inside: Fail injects an error into any
// call, and Calls counts the calls of each method, so a test can check
// that a cached read did not reach the store.
//
// Values go in and come out as copies: units as their GeoJSON Feature
// parsed back (as store/sqlite does, so the derived fields have one
// definition, frontline.ParseUnit), line properties and scenario settings
// through JSON with numbers kept as json.Number, times in UTC. A caller
// changing what it gave or got changes nothing stored.
package memstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
	"time"

	"frontline"
	"frontline/geo"
	"frontline/store/audit"
)

// ErrClosed is returned by every call after Close.
var ErrClosed = errors.New("memstore: closed")

// Store is a frontline.Store in memory. The zero value is not ready; use
// New.
type Store struct {
	// Fail, when not nil, is called at the start of every method with the
	// method's name ("AddLines", "Units", "Ping", ...); an error it returns
	// is the call's, and the call changes nothing. It runs under the
	// store's lock, so it must not call the store. Set it before the store
	// is shared, or with SetFail.
	Fail func(op string) error

	mu        sync.Mutex
	calls     map[string]int
	closed    bool
	lines     []*line // every version ever stored, withdrawn ones too, by version
	units     map[string][]byte
	scenarios map[string]*scenario
	anchors   []geo.Anchor
	keys      map[string]*frontline.APIKey
	defaults  *frontline.Params
	audit     []*frontline.AuditEntry // oldest first

	areas     []*frontline.AreaVersion // by version, with Coords and Properties
	territory []byte                   // the reference territory; nil: none stored
}

// line is a stored version. The version number is its index in lines
// plus one: numbers are handed out in order and never again.
type line struct {
	lv        *frontline.LineVersion // with Coords and Properties
	withdrawn bool
}

var _ frontline.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{calls: map[string]int{}, units: map[string][]byte{}, scenarios: map[string]*scenario{},
		keys: map[string]*frontline.APIKey{}}
}

// SetFail replaces Fail while calls may be running.
func (s *Store) SetFail(f func(op string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Fail = f
}

// Calls returns how many times the method named op was called, failed
// calls included.
func (s *Store) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// begin starts the call op, under mu: it counts it, then fails it if the
// store is closed, Fail says so or ctx is done.
func (s *Store) begin(ctx context.Context, op string) error {
	s.calls[op]++
	if s.closed {
		return fmt.Errorf("memstore: %s: %w", op, ErrClosed)
	}
	if s.Fail != nil {
		if err := s.Fail(op); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: %s: %w", op, err)
	}
	return nil
}

// record appends the audit entry of a write; the caller holds mu. Times
// never go backwards, so the log in id order is in time order.
func (s *Store) record(ctx context.Context, action, target string) {
	at := time.Now().UTC()
	if n := len(s.audit); n > 0 && at.Before(s.audit[n-1].At) {
		at = s.audit[n-1].At
	}
	s.audit = append(s.audit, &frontline.AuditEntry{ID: int64(len(s.audit) + 1), At: at,
		Actor: frontline.ActorFrom(ctx), Action: action, Target: target})
}

// commit ends a write: a caller that gave up meanwhile does not get
// success, and then nothing is stored.
func commit(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: %s: %w", op, err)
	}
	return nil
}

func notFound(format string, args ...any) error {
	return fmt.Errorf("memstore: %s: %w", fmt.Sprintf(format, args...), frontline.ErrNotFound)
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("memstore: %s: %w", fmt.Sprintf(format, args...), frontline.ErrInvalid)
}

// Lines.

// AddLines stores the lines, all or nothing. Each line sees the ones
// before it in the batch, so a batch repeating a line stores it once.
func (s *Store) AddLines(ctx context.Context, ins []*frontline.LineInput, importedAt time.Time) ([]frontline.LineResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "AddLines"); err != nil {
		return nil, err
	}
	results := make([]frontline.LineResult, len(ins))
	if len(ins) == 0 {
		return results, nil
	}
	imported := importedAt.UTC()
	// Staged on a copy of the list; the versions already there are not
	// changed, only appended to.
	all := append([]*line(nil), s.lines...)
	for i, in := range ins {
		var err error
		if all, results[i], err = stageLine(all, in, imported); err != nil {
			return nil, fmt.Errorf("memstore: add lines: line %d: %w", i, err)
		}
	}
	if err := commit(ctx, "add lines"); err != nil {
		return nil, err
	}
	s.lines = all
	s.record(ctx, "line.import", audit.LineImport(results))
	return results, nil
}

// stageLine adds one line to all, the versions staged so far, unless it
// is already there, and returns the list and the line's result. The
// versions in all are not changed, only appended to.
func stageLine(all []*line, in *frontline.LineInput, imported time.Time) ([]*line, frontline.LineResult, error) {
	switch {
	case in == nil:
		return all, frontline.LineResult{}, fmt.Errorf("nil line: %w", frontline.ErrInvalid)
	case in.Line == nil:
		return all, frontline.LineResult{}, fmt.Errorf("no validated line (LineInput.Line is nil): %w", frontline.ErrInvalid)
	case len(in.Parts) == 0:
		return all, frontline.LineResult{}, fmt.Errorf("no parts: %w", frontline.ErrInvalid)
	}
	hash := in.ContentHash()
	validFrom := in.ValidFrom.UTC()
	if in.ValidFrom.IsZero() {
		validFrom = imported
		if cur := latest(all, imported); cur != nil && cur.Hash == hash {
			return all, frontline.LineResult{Line: copyLine(cur, true, true)}, nil
		}
	}
	if same := sameLine(all, hash, validFrom); same != nil {
		return all, frontline.LineResult{Line: copyLine(same, true, true)}, nil
	}
	props, err := copyProperties(in.Properties)
	if err != nil {
		return all, frontline.LineResult{}, err
	}
	lv := &frontline.LineVersion{
		Version:    len(all) + 1,
		ValidFrom:  validFrom,
		Source:     in.Source,
		ImportedAt: imported,
		LengthKm:   in.Line.LengthKm(),
		Vertices:   in.Vertices(),
		Parts:      len(in.Parts),
		Hash:       hash,
		Demo:       in.IsDemo(),
		BBox:       in.Bound(),
		Coords:     copyCoords(in.Parts),
		Properties: props,
	}
	all = append(all, &line{lv: lv})
	return all, frontline.LineResult{Line: copyLine(lv, true, true), Created: true}, nil
}

// latest returns the version in service with the latest valid_from not
// after t (nil t: any), the highest version among equals.
func latest(all []*line, t time.Time) *frontline.LineVersion {
	var best *frontline.LineVersion
	for _, l := range all {
		if l.withdrawn || l.lv.ValidFrom.After(t) {
			continue
		}
		if best == nil || !l.lv.ValidFrom.Before(best.ValidFrom) {
			best = l.lv // versions ascend, so a later equal one wins
		}
	}
	return best
}

// sameLine returns the lowest version in service with the hash and
// valid_from.
func sameLine(all []*line, hash string, validFrom time.Time) *frontline.LineVersion {
	for _, l := range all {
		if !l.withdrawn && l.lv.Hash == hash && l.lv.ValidFrom.Equal(validFrom) {
			return l.lv
		}
	}
	return nil
}

// Lines lists the versions in service, by version, without geometry or
// properties.
func (s *Store) Lines(ctx context.Context) ([]*frontline.LineVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Lines"); err != nil {
		return nil, err
	}
	out := []*frontline.LineVersion{}
	for _, l := range s.lines {
		if !l.withdrawn {
			out = append(out, copyLine(l.lv, false, false))
		}
	}
	return out, nil
}

// Line returns one version in service.
func (s *Store) Line(ctx context.Context, version int) (*frontline.LineVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Line"); err != nil {
		return nil, err
	}
	if version < 1 || version > len(s.lines) || s.lines[version-1].withdrawn {
		return nil, notFound("line version %d not found", version)
	}
	return copyLine(s.lines[version-1].lv, true, true), nil
}

// Initialised reports whether a version was ever stored.
func (s *Store) Initialised(ctx context.Context) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Initialised"); err != nil {
		return false, err
	}
	return len(s.lines) > 0, nil
}

// Withdraw withdraws the versions and deletes the units, all or nothing.
// Naming one twice fails as naming one not there does: the second time,
// it is not there.
func (s *Store) Withdraw(ctx context.Context, w frontline.Withdrawal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Withdraw"); err != nil {
		return err
	}
	gone := map[int]bool{}
	versions := make([]string, len(w.Versions))
	for i, v := range w.Versions {
		if v < 1 || v > len(s.lines) || s.lines[v-1].withdrawn || gone[v] {
			return notFound("withdraw: line version %d not found", v)
		}
		gone[v] = true
		versions[i] = strconv.Itoa(v)
	}
	deleted := map[string]bool{}
	for _, id := range w.Units {
		if _, ok := s.units[id]; !ok || deleted[id] {
			return notFound("withdraw: unit %q not found", id)
		}
		deleted[id] = true
	}
	if err := commit(ctx, "withdraw"); err != nil {
		return err
	}
	for v := range gone {
		s.lines[v-1].withdrawn = true
	}
	for id := range deleted {
		delete(s.units, id)
	}
	s.record(ctx, w.Action, audit.Target(audit.Labelled("versions", versions), audit.Labelled("units", w.Units)))
	return nil
}

// copyLine copies a version, with its geometry and properties if asked.
func copyLine(lv *frontline.LineVersion, coords, props bool) *frontline.LineVersion {
	c := *lv
	c.Coords, c.Properties = nil, nil
	if coords {
		c.Coords = copyCoords(lv.Coords)
	}
	if props {
		c.Properties, _ = copyProperties(lv.Properties) // encoded once already
	}
	return &c
}

func copyCoords(parts [][]frontline.Position) [][]frontline.Position {
	out := make([][]frontline.Position, len(parts))
	for i, part := range parts {
		out[i] = make([]frontline.Position, len(part))
		for j, p := range part {
			out[i][j] = append(frontline.Position(nil), p...)
		}
	}
	return out
}

// copyProperties copies properties through JSON, numbers as json.Number
// as frontline.ParseLine reads them, so that what is read back equals
// what was imported and shares nothing with it. Nil is an empty map.
func copyProperties(props map[string]any) (map[string]any, error) {
	if props == nil {
		return map[string]any{}, nil
	}
	b, err := json.Marshal(props)
	if err != nil {
		return nil, fmt.Errorf("properties: %w", err)
	}
	out := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("properties: %w", err)
	}
	return out, nil
}

// Areas.

// AddAreas stores the areas and the lines derived from them, all or
// nothing. Each area and line sees the ones before it in the batch, so a
// batch repeating one stores it once.
func (s *Store) AddAreas(ctx context.Context, items []frontline.DerivedLine, importedAt time.Time) ([]frontline.AreaResult, []frontline.LineResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "AddAreas"); err != nil {
		return nil, nil, err
	}
	areas := make([]frontline.AreaResult, len(items))
	lines := make([]frontline.LineResult, len(items))
	if len(items) == 0 {
		return areas, lines, nil
	}
	imported := importedAt.UTC()
	// Staged on copies of the lists, as AddLines does.
	allAreas := append([]*frontline.AreaVersion(nil), s.areas...)
	allLines := append([]*line(nil), s.lines...)
	for i, item := range items {
		in := item.Area
		switch {
		case in == nil:
			return nil, nil, invalid("add areas: item %d: area: nil area", i)
		case len(in.Polygons) == 0:
			return nil, nil, invalid("add areas: item %d: area: no polygons", i)
		}
		hash := in.ContentHash()
		validFrom := in.ValidFrom.UTC()
		if in.ValidFrom.IsZero() {
			validFrom = imported
		}
		var av *frontline.AreaVersion
		for _, a := range allAreas {
			if a.Hash == hash && a.ValidFrom.Equal(validFrom) {
				av = a
				break
			}
		}
		if av != nil {
			areas[i] = frontline.AreaResult{Area: copyArea(av, true, true)}
		} else {
			props, err := copyProperties(in.Properties)
			if err != nil {
				return nil, nil, fmt.Errorf("memstore: add areas: item %d: area: %w", i, err)
			}
			av = &frontline.AreaVersion{
				Version:    len(allAreas) + 1,
				ValidFrom:  validFrom,
				Source:     in.Source,
				ImportedAt: imported,
				AreaKm2:    in.AreaKm2,
				Polygons:   len(in.Polygons),
				Vertices:   in.Vertices(),
				Hash:       hash,
				Coords:     copyPolygons(in.Polygons),
				Properties: props,
			}
			allAreas = append(allAreas, av)
			areas[i] = frontline.AreaResult{Area: copyArea(av, true, true), Created: true}
		}
		if item.Line == nil {
			continue
		}
		if item.Line.Properties == nil {
			item.Line.Properties = map[string]any{}
		}
		item.Line.Properties["derived_from"] = av.Version
		if item.Line.ValidFrom.IsZero() {
			item.Line.ValidFrom = av.ValidFrom
		}
		var err error
		if allLines, lines[i], err = stageLine(allLines, item.Line, imported); err != nil {
			return nil, nil, fmt.Errorf("memstore: add areas: item %d: line: %w", i, err)
		}
	}
	if err := commit(ctx, "add areas"); err != nil {
		return nil, nil, err
	}
	s.areas, s.lines = allAreas, allLines
	s.record(ctx, "area.import", audit.AreaImport(areas, lines))
	return areas, lines, nil
}

// Areas lists every area version, by version, without geometry or
// properties.
func (s *Store) Areas(ctx context.Context) ([]*frontline.AreaVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Areas"); err != nil {
		return nil, err
	}
	out := make([]*frontline.AreaVersion, len(s.areas))
	for i, a := range s.areas {
		out[i] = copyArea(a, false, false)
	}
	return out, nil
}

// Area returns one area version.
func (s *Store) Area(ctx context.Context, version int) (*frontline.AreaVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Area"); err != nil {
		return nil, err
	}
	if version < 1 || version > len(s.areas) {
		return nil, notFound("area version %d not found", version)
	}
	return copyArea(s.areas[version-1], true, true), nil
}

// copyArea copies an area version, with its geometry and properties if
// asked.
func copyArea(av *frontline.AreaVersion, coords, props bool) *frontline.AreaVersion {
	c := *av
	c.Coords, c.Properties = nil, nil
	if coords {
		c.Coords = copyPolygons(av.Coords)
	}
	if props {
		c.Properties, _ = copyProperties(av.Properties) // encoded once already
	}
	return &c
}

func copyPolygons(polys [][][]frontline.Position) [][][]frontline.Position {
	out := make([][][]frontline.Position, len(polys))
	for i, rings := range polys {
		out[i] = copyCoords(rings)
	}
	return out
}

// Territory returns a copy of the stored reference territory, nil if none
// was stored.
func (s *Store) Territory(ctx context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Territory"); err != nil {
		return nil, err
	}
	if s.territory == nil {
		return nil, nil
	}
	return append([]byte(nil), s.territory...), nil
}

// SetTerritory stores a copy of the reference territory, or deletes it
// for nil (an empty one too). Deleting when none is stored changes
// nothing, and is recorded as it was asked for.
func (s *Store) SetTerritory(ctx context.Context, fc []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "SetTerritory"); err != nil {
		return err
	}
	if len(fc) == 0 {
		if err := commit(ctx, "delete territory"); err != nil {
			return err
		}
		s.territory = nil
		s.record(ctx, "territory.delete", "")
		return nil
	}
	if err := commit(ctx, "set territory"); err != nil {
		return err
	}
	s.territory = append([]byte(nil), fc...)
	s.record(ctx, "territory.put", audit.Territory(fc))
	return nil
}

// Units.

// Units returns every unit, by id.
func (s *Store) Units(ctx context.Context) ([]*frontline.Unit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Units"); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(s.units))
	for id := range s.units {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]*frontline.Unit, len(ids))
	for i, id := range ids {
		u, err := readUnit(id, s.units[id])
		if err != nil {
			return nil, err
		}
		out[i] = u
	}
	return out, nil
}

// Unit returns one unit.
func (s *Store) Unit(ctx context.Context, id string) (*frontline.Unit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Unit"); err != nil {
		return nil, err
	}
	f, ok := s.units[id]
	if !ok {
		return nil, notFound("unit %q not found", id)
	}
	return readUnit(id, f)
}

func readUnit(id string, feature []byte) (*frontline.Unit, error) {
	u, err := frontline.ParseUnit(feature, -1)
	if err != nil {
		return nil, fmt.Errorf("memstore: unit %q as stored: %w", id, err)
	}
	return u, nil
}

// PutUnits stores the units as their GeoJSON Features, all or nothing. A
// unit given twice is stored as last given and new only the first time.
// A unit whose Feature would not parse back is refused, as it would fail
// every later read.
func (s *Store) PutUnits(ctx context.Context, units []*frontline.Unit, replaceAll bool) ([]bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "PutUnits"); err != nil {
		return nil, err
	}
	created := make([]bool, len(units))
	if len(units) == 0 && !replaceAll {
		return created, nil
	}
	next := make(map[string][]byte, len(s.units)+len(units))
	if !replaceAll {
		for id, f := range s.units {
			next[id] = f
		}
	}
	ids := make([]string, len(units))
	given := make(map[string]bool, len(units))
	for i, u := range units {
		if u == nil || len(u.Coords) == 0 {
			return nil, invalid("put units: unit %d has no geometry", i)
		}
		f, err := json.Marshal(u)
		if err != nil {
			return nil, fmt.Errorf("memstore: put units: unit %q: %w", u.ID, err)
		}
		back, err := frontline.ParseUnit(f, i)
		if err != nil {
			return nil, fmt.Errorf("memstore: put units: unit %q would not read back: %w", u.ID, err)
		}
		if back.ID != u.ID {
			return nil, invalid("put units: unit %q reads back as %q", u.ID, back.ID)
		}
		_, stored := s.units[u.ID]
		created[i] = !stored && !given[u.ID]
		given[u.ID] = true
		next[u.ID] = f
		ids[i] = u.ID
	}
	if err := commit(ctx, "put units"); err != nil {
		return nil, err
	}
	action, what := "units.put", audit.Listed(ids)
	if replaceAll {
		action = "units.replace"
		deleted := 0
		for id := range s.units {
			if _, kept := next[id]; !kept {
				deleted++
			}
		}
		if deleted > 0 {
			what = audit.Target(what, fmt.Sprintf("deleted %d", deleted))
		}
	}
	s.units = next
	s.record(ctx, action, what)
	return created, nil
}

// DeleteUnit deletes one unit.
func (s *Store) DeleteUnit(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "DeleteUnit"); err != nil {
		return err
	}
	if _, ok := s.units[id]; !ok {
		return notFound("unit %q not found", id)
	}
	if err := commit(ctx, "delete unit"); err != nil {
		return err
	}
	delete(s.units, id)
	s.record(ctx, "unit.delete", id)
	return nil
}

// Scenarios.

// scenario is a stored scenario: its document as store/sqlite stores it
// (units as GeoJSON Features), so a read rebuilds it the same way.
type scenario struct {
	doc       []byte
	revision  int
	updatedAt time.Time
}

// Scenarios lists every scenario, by id.
func (s *Store) Scenarios(ctx context.Context) ([]*frontline.Scenario, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Scenarios"); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(s.scenarios))
	for id := range s.scenarios {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]*frontline.Scenario, len(ids))
	for i, id := range ids {
		sc, err := readScenario(id, s.scenarios[id])
		if err != nil {
			return nil, err
		}
		out[i] = sc
	}
	return out, nil
}

// Scenario returns one scenario.
func (s *Store) Scenario(ctx context.Context, id string) (*frontline.Scenario, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Scenario"); err != nil {
		return nil, err
	}
	st, ok := s.scenarios[id]
	if !ok {
		return nil, notFound("scenario %q not found", id)
	}
	return readScenario(id, st)
}

func readScenario(id string, st *scenario) (*frontline.Scenario, error) {
	sc, err := frontline.DecodeScenario(id, st.doc)
	if err != nil {
		return nil, fmt.Errorf("memstore: scenario %q as stored: %w", id, err)
	}
	sc.Revision, sc.UpdatedAt = st.revision, st.updatedAt
	return sc, nil
}

// PutScenario stores sc: new with revision 1, or replacing the stored one
// with its revision plus 1. sc becomes what a read returns.
func (s *Store) PutScenario(ctx context.Context, sc *frontline.Scenario, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "PutScenario"); err != nil {
		return false, err
	}
	doc, err := frontline.EncodeScenario(sc)
	if err != nil {
		return false, fmt.Errorf("memstore: put scenario: %w", err)
	}
	stored, err := frontline.DecodeScenario(sc.ID, doc)
	if err != nil {
		return false, fmt.Errorf("memstore: put scenario %q would not read back: %w", sc.ID, err)
	}
	for i, u := range stored.Units {
		if u.ID != sc.Units[i].ID {
			return false, invalid("put scenario %q: unit %q reads back as %q", sc.ID, sc.Units[i].ID, u.ID)
		}
	}
	next := &scenario{doc: doc, revision: 1, updatedAt: at.UTC()}
	old, replaced := s.scenarios[sc.ID]
	if replaced {
		next.revision = old.revision + 1
	}
	if err := commit(ctx, "put scenario"); err != nil {
		return false, err
	}
	s.scenarios[sc.ID] = next
	s.record(ctx, "scenario.put", audit.Scenario(sc.ID, next.revision))
	stored.Revision, stored.UpdatedAt = next.revision, next.updatedAt
	*sc = *stored
	return !replaced, nil
}

// DeleteScenario deletes one scenario.
func (s *Store) DeleteScenario(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "DeleteScenario"); err != nil {
		return err
	}
	st, ok := s.scenarios[id]
	if !ok {
		return notFound("scenario %q not found", id)
	}
	if err := commit(ctx, "delete scenario"); err != nil {
		return err
	}
	delete(s.scenarios, id)
	s.record(ctx, "scenario.delete", audit.Scenario(id, st.revision))
	return nil
}

// Anchors.

// Anchors returns the anchors in the order they were set.
func (s *Store) Anchors(ctx context.Context) ([]geo.Anchor, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Anchors"); err != nil {
		return nil, err
	}
	return append([]geo.Anchor{}, s.anchors...), nil
}

// SetAnchors replaces the anchors. Anchors without a name, with a name
// twice or a coordinate that is not a finite number are refused.
func (s *Store) SetAnchors(ctx context.Context, anchors []geo.Anchor) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "SetAnchors"); err != nil {
		return err
	}
	seen := make(map[string]bool, len(anchors))
	names := make([]string, len(anchors))
	for i, a := range anchors {
		switch {
		case a.Name == "":
			return invalid("set anchors: anchor %d has no name", i)
		case seen[a.Name]:
			return invalid("set anchors: anchor name %q used twice", a.Name)
		case !finite(a.Point[0]) || !finite(a.Point[1]):
			return invalid("set anchors: anchor %q: coordinates are not finite numbers", a.Name)
		}
		seen[a.Name] = true
		names[i] = a.Name
	}
	if err := commit(ctx, "set anchors"); err != nil {
		return err
	}
	s.anchors = append([]geo.Anchor(nil), anchors...)
	s.record(ctx, "anchors.set", audit.Listed(names))
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Keys.

// CreateKey stores a new key; an id taken is a conflict.
func (s *Store) CreateKey(ctx context.Context, k *frontline.APIKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "CreateKey"); err != nil {
		return err
	}
	switch {
	case k == nil:
		return invalid("create key: nil key")
	case k.ID == "":
		return invalid("create key: no id")
	case k.Role < frontline.RoleRead || k.Role > frontline.RoleAdmin:
		return invalid("create key %q: no such role %d", k.ID, k.Role)
	case len(k.Hash) == 0:
		return invalid("create key %q: no hash", k.ID)
	}
	if _, ok := s.keys[k.ID]; ok {
		return fmt.Errorf("memstore: key %q exists: %w", k.ID, frontline.ErrConflict)
	}
	if err := commit(ctx, "create key"); err != nil {
		return err
	}
	c := &frontline.APIKey{ID: k.ID, Name: k.Name, Role: k.Role, Hash: append([]byte(nil), k.Hash...),
		CreatedAt: k.CreatedAt.UTC()}
	if !k.RevokedAt.IsZero() {
		c.RevokedAt = k.RevokedAt.UTC()
	}
	s.keys[k.ID] = c
	s.record(ctx, "key.create", fmt.Sprintf("%s (%s)", k.ID, k.Role))
	return nil
}

// Keys lists every key by creation time, then id.
func (s *Store) Keys(ctx context.Context) ([]*frontline.APIKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Keys"); err != nil {
		return nil, err
	}
	out := make([]*frontline.APIKey, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, copyKey(k))
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Key returns one key.
func (s *Store) Key(ctx context.Context, id string) (*frontline.APIKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Key"); err != nil {
		return nil, err
	}
	k, ok := s.keys[id]
	if !ok {
		return nil, notFound("key %q not found", id)
	}
	return copyKey(k), nil
}

func copyKey(k *frontline.APIKey) *frontline.APIKey {
	c := *k
	c.Hash = append([]byte(nil), k.Hash...)
	c.RoleName = k.Role.String()
	return &c
}

// RevokeKey marks a key revoked; a key revoked already keeps its first
// time, and the call is still recorded, as it was asked for.
func (s *Store) RevokeKey(ctx context.Context, id string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "RevokeKey"); err != nil {
		return err
	}
	k, ok := s.keys[id]
	if !ok {
		return notFound("key %q not found", id)
	}
	if err := commit(ctx, "revoke key"); err != nil {
		return err
	}
	if k.RevokedAt.IsZero() {
		k.RevokedAt = at.UTC()
	}
	s.record(ctx, "key.revoke", id)
	return nil
}

// Settings.

// Defaults returns the stored default settings, nil if none were stored.
func (s *Store) Defaults(ctx context.Context) (*frontline.Params, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Defaults"); err != nil {
		return nil, err
	}
	if s.defaults == nil {
		return nil, nil
	}
	p := *s.defaults
	return &p, nil
}

// SetDefaults replaces the default settings.
func (s *Store) SetDefaults(ctx context.Context, p frontline.Params) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "SetDefaults"); err != nil {
		return err
	}
	if err := commit(ctx, "set defaults"); err != nil {
		return err
	}
	s.defaults = &p
	s.record(ctx, "settings.set", p.Key())
	return nil
}

// Audit.

// Audit page sizes, as store/sqlite has them: the default when limit <= 0,
// and the most one call returns.
const (
	auditDefaultLimit = 100
	auditMaxLimit     = 1000
)

// Audit returns up to limit entries with ids below before (before <= 0:
// from the newest), newest first.
func (s *Store) Audit(ctx context.Context, limit int, before int64) ([]*frontline.AuditEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, "Audit"); err != nil {
		return nil, err
	}
	switch {
	case limit <= 0:
		limit = auditDefaultLimit
	case limit > auditMaxLimit:
		limit = auditMaxLimit
	}
	out := []*frontline.AuditEntry{}
	for i := len(s.audit) - 1; i >= 0 && len(out) < limit; i-- {
		if e := s.audit[i]; before <= 0 || e.ID < before {
			c := *e
			out = append(out, &c)
		}
	}
	return out, nil
}

// Ping fails only when Fail says so or the store is closed.
func (s *Store) Ping(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.begin(ctx, "Ping")
}

// Close closes the store: every later call fails with ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls["Close"]++
	s.closed = true
	return nil
}
