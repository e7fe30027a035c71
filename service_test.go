package frontline_test

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"frontline"
	"frontline/geo"
	"frontline/internal/memstore"
)

// The Service on the in-memory store, with a clock the test sets: what
// it caches, when it recomputes, which revision a write moves, which line
// is current and how it reports store failures. The end-to-end tests
// (server, cmd/frontline) check the same through HTTP on SQLite; these
// check it exactly, with counters.

// now is the fixtures' clock: 2024-06-01 noon UTC.
var now = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

// clock is a settable Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// hooks counts what Options.Hooks report.
type hooks struct {
	mu        sync.Mutex
	computed  map[string]int // by kind
	hits      map[string]int // by cache
	misses    map[string]int
	storeErrs []string
}

func (h *hooks) options() frontline.Hooks {
	return frontline.Hooks{
		Computed: func(kind string, _ time.Duration) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.computed[kind]++
		},
		Cache: func(cache string, hit bool) {
			h.mu.Lock()
			defer h.mu.Unlock()
			if hit {
				h.hits[cache]++
			} else {
				h.misses[cache]++
			}
		},
		StoreError: func(op string) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.storeErrs = append(h.storeErrs, op)
		},
	}
}

// counts is a snapshot of the hooks' and the store's counters.
type counts struct {
	computed, hits, misses map[string]int
	calls                  map[string]int // store calls by method
}

// storeOps are the store's methods a test looks at.
var storeOps = []string{"Lines", "Line", "Units", "Unit", "Anchors", "Defaults",
	"AddLines", "PutUnits", "DeleteUnit", "SetAnchors", "SetDefaults", "Withdraw"}

func (f *fixture) counts() counts {
	f.h.mu.Lock()
	defer f.h.mu.Unlock()
	c := counts{computed: map[string]int{}, hits: map[string]int{}, misses: map[string]int{}, calls: map[string]int{}}
	for k, v := range f.h.computed {
		c.computed[k] = v
	}
	for k, v := range f.h.hits {
		c.hits[k] = v
	}
	for k, v := range f.h.misses {
		c.misses[k] = v
	}
	for _, op := range storeOps {
		c.calls[op] = f.st.Calls(op)
	}
	return c
}

// since returns what changed from c to the counts now: only the
// counters that moved, as "computed zones" or "store Units", so a test
// compares the whole change at once.
func (f *fixture) since(c counts) map[string]int {
	d := map[string]int{}
	now := f.counts()
	for _, m := range []struct {
		name        string
		before, now map[string]int
	}{{"computed", c.computed, now.computed}, {"hit", c.hits, now.hits}, {"miss", c.misses, now.misses}, {"store", c.calls, now.calls}} {
		for k, v := range m.now {
			if v != m.before[k] {
				d[m.name+" "+k] = v - m.before[k]
			}
		}
	}
	return d
}

func (f *fixture) storeErrors() []string {
	f.h.mu.Lock()
	defer f.h.mu.Unlock()
	return append([]string(nil), f.h.storeErrs...)
}

type fixture struct {
	st    *memstore.Store
	svc   *frontline.Service
	h     *hooks
	clock *clock
}

// newFixture opens a service on an empty in-memory store, at now.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	return openFixture(t, memstore.New())
}

func openFixture(t *testing.T, st *memstore.Store) *fixture {
	t.Helper()
	f := &fixture{st: st, h: &hooks{computed: map[string]int{}, hits: map[string]int{}, misses: map[string]int{}},
		clock: &clock{t: now}}
	svc, err := frontline.NewService(t.Context(), st, frontline.Options{Now: f.clock.Now, Hooks: f.h.options()})
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	f.svc = svc
	return f
}

// zigzag is a line of three edges of about 38.9 km each along 48° N,
// 116.7 km in all, raised by dlat degrees, so that lines with different
// dlat are different versions of about the same length.
func zigzag(t testing.TB, validFrom string, dlat float64, props ...string) *frontline.LineInput {
	t.Helper()
	p := ""
	if validFrom != "" {
		p = fmt.Sprintf(`"valid_from": %q`, validFrom)
	}
	for _, kv := range props {
		if p != "" {
			p += ", "
		}
		p += kv
	}
	return parseLine(t, fmt.Sprintf(`{"type": "Feature", "properties": {%s}, "geometry": {"type": "LineString",
		"coordinates": [[35, %[2]g], [35.5, %[3]g], [36, %[2]g], [36.5, %[3]g]]}}`, p, 48+dlat, 48.1+dlat))
}

// short is the first edge of zigzag only: a third of its length.
func short(t testing.TB, validFrom string) *frontline.LineInput {
	t.Helper()
	return parseLine(t, fmt.Sprintf(`{"type": "Feature", "properties": {"valid_from": %q},
		"geometry": {"type": "LineString", "coordinates": [[35, 48], [35.5, 48.1]]}}`, validFrom))
}

func parseLine(t testing.TB, geojson string) *frontline.LineInput {
	t.Helper()
	in, err := frontline.ParseLine([]byte(geojson))
	if err != nil {
		t.Fatalf("ParseLine(%s): %v", geojson, err)
	}
	return in
}

// troops is a troop unit; sector "" leaves it to its position.
func troops(t testing.TB, id string, lon, lat float64, strength int, sector string, extra ...string) *frontline.Unit {
	t.Helper()
	props := fmt.Sprintf(`"kind": "troops", "strength": %d`, strength)
	if sector != "" {
		props += fmt.Sprintf(`, "sector": %q`, sector)
	}
	for _, kv := range extra {
		props += ", " + kv
	}
	u, err := frontline.ParseUnit([]byte(fmt.Sprintf(`{"type": "Feature", "id": %q,
		"geometry": {"type": "Point", "coordinates": [%g, %g]}, "properties": {%s}}`, id, lon, lat, props)), -1)
	if err != nil {
		t.Fatalf("ParseUnit(%s): %v", id, err)
	}
	return u
}

// The units of the coverage tests on zigzag (dlat 0) in 25 km sectors
// (S001 to S005): t1 is near the start (S001 by its position), t2 near
// the end (S005), t3 near the start but assigned to S003, which is
// exactly 25 km long, so it holds 1200 / 25 = 48 per km: a ratio of 1 at
// the default 48 required.
func unitsT1T2T3(t testing.TB) []*frontline.Unit {
	return []*frontline.Unit{
		troops(t, "t1", 35.02, 48.03, 300, ""),
		troops(t, "t2", 36.48, 48.13, 500, ""),
		troops(t, "t3", 35.05, 47.98, 1200, "S003"),
	}
}

func (f *fixture) importLines(t *testing.T, ins ...*frontline.LineInput) []frontline.LineResult {
	t.Helper()
	res, err := f.svc.ImportLines(t.Context(), ins, frontline.ImportOptions{})
	if err != nil {
		t.Fatalf("ImportLines: %v", err)
	}
	return res
}

func (f *fixture) putUnits(t *testing.T, units ...*frontline.Unit) {
	t.Helper()
	if _, err := f.svc.PutUnits(t.Context(), units, false); err != nil {
		t.Fatalf("PutUnits: %v", err)
	}
}

// params reads settings as a request's query would give them.
func (f *fixture) params(t *testing.T, query string) frontline.Params {
	t.Helper()
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.ParseParams(t.Context(), q)
	if err != nil {
		t.Fatalf("ParseParams(%q): %v", query, err)
	}
	return p
}

func (f *fixture) coverage(t *testing.T, query string) *frontline.Report {
	t.Helper()
	rep, _, err := f.svc.Coverage(t.Context(), f.params(t, query))
	if err != nil {
		t.Fatalf("Coverage(%q): %v", query, err)
	}
	return rep
}

// strengths lists the troop strength of each sector, by id.
func strengths(rep *frontline.Report) map[string]int {
	m := map[string]int{}
	for _, s := range rep.Sectors {
		m[s.ID] = s.Troops.Strength
	}
	return m
}

func sectorIDs(rep *frontline.Report) []string {
	ids := make([]string, len(rep.Sectors))
	for i, s := range rep.Sectors {
		ids[i] = s.ID
	}
	return ids
}

func versionNumbers(vs []*frontline.LineVersion) []int {
	out := []int{}
	for _, v := range vs {
		out = append(out, v.Version)
	}
	return out
}

func wantCode(t *testing.T, err error, code string) *frontline.InputError {
	t.Helper()
	var ie *frontline.InputError
	if !errors.As(err, &ie) || string(ie.Code) != code {
		t.Fatalf("error %v, want an InputError with code %s", err, code)
	}
	if !errors.Is(err, frontline.ErrInvalid) {
		t.Errorf("error %v does not wrap ErrInvalid", err)
	}
	return ie
}

func TestRevisions(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	boom := errors.New("boom")
	refuse := func(*frontline.Unit) error { return frontline.ErrConflict }
	demo := zigzag(t, "2024-04-01", 0.04, `"demo": true`)

	// Each step runs on the state the ones before it left and says which
	// parts of the revision it moves; the others must stay.
	steps := []struct {
		name                  string
		do                    func(t *testing.T) error
		wantErr               error // nil: must succeed
		lines, units, anchors bool
	}{
		{"line import", func(t *testing.T) error {
			_, err := f.svc.ImportLines(ctx, []*frontline.LineInput{zigzag(t, "2024-05-01", 0), demo}, frontline.ImportOptions{})
			return err
		}, nil, true, false, false},
		{"import refused: length change", func(t *testing.T) error {
			_, err := f.svc.ImportLines(ctx, []*frontline.LineInput{short(t, "2024-05-10")}, frontline.ImportOptions{})
			return err
		}, frontline.ErrInvalid, false, false, false},
		{"unit created", func(t *testing.T) error {
			_, err := f.svc.PutUnit(ctx, troops(t, "t1", 35.02, 48.03, 300, ""), nil)
			return err
		}, nil, false, true, false},
		{"units put", func(t *testing.T) error {
			_, err := f.svc.PutUnits(ctx, []*frontline.Unit{troops(t, "t2", 36.48, 48.13, 500, ""),
				troops(t, "d1", 35.5, 48.1, 10, "", `"demo": true`)}, false)
			return err
		}, nil, false, true, false},
		{"unit replaced", func(t *testing.T) error {
			_, err := f.svc.PutUnit(ctx, troops(t, "t1", 35.02, 48.03, 600, ""), nil)
			return err
		}, nil, false, true, false},
		{"unit write refused by its precondition", func(t *testing.T) error {
			_, err := f.svc.PutUnit(ctx, troops(t, "t1", 35.02, 48.03, 900, ""), refuse)
			return err
		}, frontline.ErrConflict, false, false, false},
		{"unit deleted", func(t *testing.T) error { return f.svc.DeleteUnit(ctx, "t2", nil) }, nil, false, true, false},
		{"delete of a unit not there", func(t *testing.T) error { return f.svc.DeleteUnit(ctx, "t2", nil) },
			frontline.ErrNotFound, false, false, false},
		{"unit write failing in the store", func(t *testing.T) error {
			f.st.SetFail(func(op string) error {
				if op == "PutUnits" {
					return boom
				}
				return nil
			})
			defer f.st.SetFail(nil)
			_, err := f.svc.PutUnit(ctx, troops(t, "t9", 35, 48, 1, ""), nil)
			return err
		}, boom, false, false, false},
		{"anchors set", func(t *testing.T) error {
			return f.svc.SetAnchors(ctx, []geo.Anchor{{Name: "mid", Point: orb.Point{35.75, 48.05}}})
		}, nil, false, false, true},
		{"anchors refused: a name twice", func(t *testing.T) error {
			return f.svc.SetAnchors(ctx, []geo.Anchor{{Name: "a", Point: orb.Point{35, 48}}, {Name: "a", Point: orb.Point{36, 48}}})
		}, frontline.ErrInvalid, false, false, false},
		{"settings changed", func(t *testing.T) error {
			p := frontline.DefaultParams()
			p.DepthKm = 20
			return f.svc.SetDefaults(ctx, p)
		}, nil, true, false, false},
		{"settings refused: depth 0", func(t *testing.T) error {
			p := frontline.DefaultParams()
			p.DepthKm = 0
			return f.svc.SetDefaults(ctx, p)
		}, frontline.ErrInvalid, false, false, false},
		{"line withdrawn", func(t *testing.T) error { return f.svc.WithdrawLine(ctx, 1) }, nil, true, false, false},
		{"withdrawal of a version not there", func(t *testing.T) error { return f.svc.WithdrawLine(ctx, 1) },
			frontline.ErrNotFound, false, false, false},
		{"demo removed", func(t *testing.T) error {
			got, err := f.svc.RemoveDemo(ctx, nil)
			if want := (frontline.DemoRemoval{Versions: []int{2}, Units: []string{"d1"}}); err == nil && !reflect.DeepEqual(got, want) {
				t.Errorf("RemoveDemo = %+v, want %+v", got, want)
			}
			return err
		}, nil, true, true, false},
		{"demo removed again: nothing left to remove", func(t *testing.T) error {
			got, err := f.svc.RemoveDemo(ctx, nil)
			if len(got.Versions)+len(got.Units) != 0 {
				t.Errorf("RemoveDemo again = %+v, want nothing", got)
			}
			return err
		}, nil, false, false, false},
	}
	parts := []struct {
		name string
		deps int
	}{{"lines", frontline.DependsOnLines}, {"units", frontline.DependsOnUnits}, {"anchors", frontline.DependsOnAnchors},
		{"all", frontline.DependsOnAll}, {"none", 0}}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := make([]string, len(parts))
			for i, p := range parts {
				before[i] = f.svc.Revisions(p.deps)
			}
			err := st.do(t)
			switch {
			case st.wantErr == nil && err != nil:
				t.Fatalf("failed: %v", err)
			case st.wantErr != nil && !errors.Is(err, st.wantErr):
				t.Fatalf("error %v, want one wrapping %v", err, st.wantErr)
			}
			for i, p := range parts {
				want := (p.deps&frontline.DependsOnLines != 0 && st.lines) || (p.deps&frontline.DependsOnUnits != 0 && st.units) ||
					(p.deps&frontline.DependsOnAnchors != 0 && st.anchors)
				after := f.svc.Revisions(p.deps)
				if changed := after != before[i]; changed != want {
					t.Errorf("Revisions(%s) %q -> %q: changed %v, want %v", p.name, before[i], after, changed, want)
				}
			}
		})
	}
	if got := versionNumbers(f.svc.Versions()); len(got) != 0 {
		t.Errorf("versions left %v, want none", got)
	}
	units, err := f.svc.Units(ctx)
	if err != nil || len(units) != 1 || units[0].ID != "t1" || units[0].Strength != 600 {
		t.Errorf("units left %v, %v; want t1 of 600", units, err)
	}
}

func TestCoverageCache(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	lineA := zigzag(t, "2024-05-01", 0)
	f.importLines(t, lineA)
	f.putUnits(t, unitsT1T2T3(t)...)
	if got, want := sectorCount(lineA, 25), 5; got != want {
		t.Fatalf("zigzag in 25 km sectors: %d sectors, want %d (the test's line is wrong)", got, want)
	}

	c := f.counts()
	first := f.coverage(t, "")
	wantChange(t, "first read", f.since(c), map[string]int{"computed zones": 1, "computed coverage": 1,
		"miss zones": 1, "miss reports": 1, "store Line": 1, "store Units": 1})
	wantStrengths(t, "first read", first, map[string]int{"S001": 300, "S002": 0, "S003": 1200, "S004": 0, "S005": 500})
	s3 := first.Sectors[2].Troops
	if s3.PerKm != 48 || s3.Ratio != 1 || s3.Status != frontline.StatusOK || first.Sectors[2].LengthKm != 25 {
		t.Errorf("S003: %+v over %g km; want 48 per km, ratio 1, ok over 25 km", s3, first.Sectors[2].LengthKm)
	}
	if first.Summary.Strength != 2000 || first.Line.Version != 1 {
		t.Errorf("summary strength %d of version %d, want 2000 of version 1", first.Summary.Strength, first.Line.Version)
	}

	c = f.counts()
	again := f.coverage(t, "")
	if again != first {
		t.Error("second read with the same settings: a new report, want the cached one")
	}
	wantChange(t, "second read", f.since(c), map[string]int{"hit zones": 1, "hit reports": 1})

	// A unit write: the report again, the zones not, the line not read.
	c = f.counts()
	if _, err := f.svc.PutUnit(ctx, troops(t, "t1", 35.02, 48.03, 600, ""), nil); err != nil {
		t.Fatal(err)
	}
	afterUnit := f.coverage(t, "")
	wantChange(t, "after a unit write", f.since(c), map[string]int{"computed coverage": 1,
		"hit zones": 1, "miss reports": 1, "store PutUnits": 1, "store Units": 1})
	wantStrengths(t, "after a unit write", afterUnit, map[string]int{"S001": 600, "S002": 0, "S003": 1200, "S004": 0, "S005": 500})
	wantStrengths(t, "the first report, after a unit write", first, map[string]int{"S001": 300, "S002": 0, "S003": 1200, "S004": 0, "S005": 500})

	// A line import: the zones again, of the new version.
	c = f.counts()
	f.importLines(t, zigzag(t, "2024-05-20", 0.02))
	afterLine := f.coverage(t, "")
	wantChange(t, "after a line import", f.since(c), map[string]int{"computed zones": 1, "computed coverage": 1,
		"miss zones": 1, "miss reports": 1, "store AddLines": 1, "store Lines": 2, "store Line": 1})
	if afterLine.Line.Version != 2 {
		t.Errorf("after a line import: report of version %d, want 2", afterLine.Line.Version)
	}

	// The first version's zones are still there for a read that names it,
	// and so is their cover by these units: the report is made anew (it
	// names version 1), the cover is not measured again.
	c = f.counts()
	v1 := f.coverage(t, "version=1")
	wantChange(t, "version=1", f.since(c), map[string]int{"hit zones": 1, "miss reports": 1})
	wantStrengths(t, "version=1", v1, map[string]int{"S001": 600, "S002": 0, "S003": 1200, "S004": 0, "S005": 500})

	// Sectors between anchors: computed once per anchor revision; an
	// anchor write leaves zones of other sectorings alone.
	if err := f.svc.SetAnchors(ctx, []geo.Anchor{{Name: "mid", Point: orb.Point{35.75, 48.07}}}); err != nil {
		t.Fatal(err)
	}
	c = f.counts()
	anchored := f.coverage(t, "sectors=anchors")
	f.coverage(t, "sectors=anchors")
	wantChange(t, "sectors=anchors twice", f.since(c), map[string]int{"computed zones": 1, "computed coverage": 1,
		"miss zones": 1, "miss reports": 1, "hit zones": 1, "hit reports": 1})
	if got, want := sectorIDs(anchored), []string{"start..mid", "mid..end"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sectors=anchors: sectors %v, want %v", got, want)
	}
	if err := f.svc.SetAnchors(ctx, []geo.Anchor{{Name: "west", Point: orb.Point{35.3, 48.07}}}); err != nil {
		t.Fatal(err)
	}
	c = f.counts()
	moved := f.coverage(t, "sectors=anchors")
	f.coverage(t, "")
	wantChange(t, "after an anchor write", f.since(c), map[string]int{"computed zones": 1, "computed coverage": 1,
		"miss zones": 1, "miss reports": 1, "hit zones": 1, "hit reports": 1})
	if got, want := sectorIDs(moved), []string{"start..west", "west..end"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after an anchor write: sectors %v, want %v", got, want)
	}
}

// sectorCount is how many sectors of km a line makes: the last one takes
// the rest.
func sectorCount(in *frontline.LineInput, km float64) int {
	return int(math.Ceil(in.Line.LengthKm() / km))
}

func wantChange(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: counters changed by %v, want %v", what, got, want)
	}
}

func wantStrengths(t *testing.T, what string, rep *frontline.Report, want map[string]int) {
	t.Helper()
	if got := strengths(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: strength by sector %v, want %v", what, got, want)
	}
}

func TestWhatIf(t *testing.T) {
	lineA := zigzag(t, "2024-05-01", 0)
	tests := []struct {
		name  string
		query string
		// zones and reports: whether they are computed anew (false: the
		// read is answered from the cache of the default read).
		zones, report bool
		check         func(t *testing.T, base, rep *frontline.Report)
	}{
		{"the defaults spelled out", "sector_km=25&depth_km=30&side=both&required_per_km=48&troops_ok=1&air_defense_ok=0.9&patrol_ok=0.9",
			false, false, nil},
		{"another order and spelling", "patrol_ok=.9&side=both&depth_km=3e1&sector_km=25.0&required_per_km=048",
			false, false, nil},
		{"sector_km", "sector_km=20", true, true, func(t *testing.T, base, rep *frontline.Report) {
			if n := sectorCount(lineA, 20); len(rep.Sectors) != n {
				t.Errorf("%d sectors, want %d", len(rep.Sectors), n)
			}
			// t3 is assigned to S003, 20 km long now.
			if s := rep.Sectors[2].Troops; s.Strength != 1200 || s.PerKm != 60 || s.Ratio != 1.25 {
				t.Errorf("S003 troops %+v, want 1200, 60 per km, ratio 1.25", s)
			}
		}},
		{"sectors", "sectors=3", true, true, func(t *testing.T, base, rep *frontline.Report) {
			wantStrengths(t, "sectors=3", rep, map[string]int{"S001": 300, "S002": 0, "S003": 1700})
		}},
		{"depth_km", "depth_km=15", true, true, func(t *testing.T, base, rep *frontline.Report) {
			wantArea(t, "depth_km=30", base, 2*30*lineA.Line.LengthKm())
			wantArea(t, "depth_km=15", rep, 2*15*lineA.Line.LengthKm())
			wantStrengths(t, "depth_km=15", rep, strengths(base))
		}},
		{"side", "side=left", true, true, func(t *testing.T, base, rep *frontline.Report) {
			wantArea(t, "side=left", rep, 30*lineA.Line.LengthKm())
		}},
		{"required_per_km", "required_per_km=24", false, true, func(t *testing.T, base, rep *frontline.Report) {
			if s := rep.Sectors[2].Troops; s.PerKm != 48 || s.RequiredPerKm != 24 || s.Ratio != 2 {
				t.Errorf("S003 troops %+v, want 48 per km of 24 required, ratio 2", s)
			}
			if math.Abs(rep.Summary.TroopsRatio-2*base.Summary.TroopsRatio) > 1e-6 {
				t.Errorf("summary ratio %g, want twice %g", rep.Summary.TroopsRatio, base.Summary.TroopsRatio)
			}
		}},
		{"troops_ok", "troops_ok=1.5", false, true, func(t *testing.T, base, rep *frontline.Report) {
			// Ratio 1 is ok at 1, thin below 1.5 but from 0.75.
			if b, s := base.Sectors[2].Troops.Status, rep.Sectors[2].Troops.Status; b != frontline.StatusOK || s != frontline.StatusThin {
				t.Errorf("S003 troops %s at troops_ok=1, %s at 1.5; want ok, thin", b, s)
			}
		}},
		{"air_defense_ok", "air_defense_ok=0.5", false, true, func(t *testing.T, base, rep *frontline.Report) {
			if rep.Params.AirDefenseOK != 0.5 || base.Params.AirDefenseOK != 0.9 {
				t.Errorf("air_defense_ok %g, %g; want 0.9, 0.5", base.Params.AirDefenseOK, rep.Params.AirDefenseOK)
			}
		}},
		{"patrol_ok", "patrol_ok=0.5", false, true, nil},
		{"rotation", "rotation=2.5", false, true, func(t *testing.T, base, rep *frontline.Report) {
			b, r := base.Summary.Force, rep.Summary.Force
			if b.Troops != 2000 || b.TroopsWithRotation != 6000 || r.Troops != 2000 || r.TroopsWithRotation != 5000 {
				t.Errorf("force %+v at rotation 3, %+v at 2.5; want 2000 troops, 6000 and 5000 with rotation", b, r)
			}
		}},
		{"posture", "posture=interposition", false, true, func(t *testing.T, base, rep *frontline.Report) {
			if rep.Params.RequiredPerKm != 80 || rep.Sectors[2].Troops.RequiredPerKm != 80 {
				t.Errorf("required_per_km %g, S003's %g; want 80", rep.Params.RequiredPerKm, rep.Sectors[2].Troops.RequiredPerKm)
			}
		}},
		// A posture is its density: the default's is the default read.
		{"the default's posture", "posture=reassurance", false, false, nil},
		{"a posture and the density that wins", "posture=defense&required_per_km=48", false, false, nil},
		{"the current version named", "version=1", false, true, func(t *testing.T, base, rep *frontline.Report) {
			if rep.Line != base.Line {
				t.Errorf("line %+v, want %+v", rep.Line, base.Line)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.importLines(t, lineA)
			f.putUnits(t, unitsT1T2T3(t)...)
			base := f.coverage(t, "")
			c := f.counts()
			rep := f.coverage(t, tt.query)
			d := f.since(c)
			if got := d["computed zones"] == 1; got != tt.zones {
				t.Errorf("zones computed: %v, want %v (%v)", got, tt.zones, d)
			}
			if got := d["miss reports"] == 1; got != tt.report {
				t.Errorf("report made: %v, want %v (%v)", got, tt.report, d)
			}
			// The cover is measured again only when the zones change: the
			// other settings only grade it.
			if got := d["computed coverage"] == 1; got != tt.zones {
				t.Errorf("cover measured: %v, want %v (%v)", got, tt.zones, d)
			}
			if (rep == base) == tt.report {
				t.Errorf("the default read's report: %v, want %v", rep == base, !tt.report)
			}
			if p := f.params(t, tt.query); !reflect.DeepEqual(rep.Params, p) {
				t.Errorf("report params %+v, want %+v", rep.Params, p)
			}
			if tt.report && reflect.DeepEqual(rep.Params, base.Params) {
				t.Errorf("report params %+v, the same as the default read's", rep.Params)
			}
			if tt.check != nil {
				tt.check(t, base, rep)
			}
			// Asked again, the what-if is cached too.
			c = f.counts()
			if again := f.coverage(t, tt.query); again != rep {
				t.Error("asked again: a new report")
			}
			wantChange(t, "asked again", f.since(c), map[string]int{"hit zones": 1, "hit reports": 1})
		})
	}
}

// wantArea checks a zone area against the band's depth times the line's
// length for each side: the band ends at the normals of the line's ends,
// and at the zigzag's two bends it gains a wedge outside and loses a
// little more inside, which stays well within 1 % (0.2 % at 30 km).
func wantArea(t *testing.T, what string, rep *frontline.Report, want float64) {
	t.Helper()
	if got := rep.Summary.ZoneAreaKm2; math.Abs(got-want) > 0.01*want {
		t.Errorf("%s: zone area %g km², want %g within 1 %%", what, got, want)
	}
}

func TestCurrentLine(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	// 1 and 2 are past; 3 is planned, valid from after now.
	ins := []*frontline.LineInput{zigzag(t, "2024-05-01", 0), zigzag(t, "2024-05-20", 0.02), zigzag(t, "2024-07-01", 0.04)}
	f.importLines(t, ins...)

	tests := []struct {
		name    string
		query   string
		version int // 0: not found
	}{
		{"current: the newest valid now", "", 2},
		{"version 1", "version=1", 1},
		{"a planned version by number", "version=3", 3},
		{"a version not there", "version=4", 0},
		{"at a time between versions", "at=2024-05-10", 1},
		{"at a valid_from exactly", "at=2024-05-20T00:00:00Z", 2},
		{"at a nanosecond before", "at=2024-05-19T23:59:59.999999999Z", 1},
		{"at a time in another zone", "at=2024-05-20T01:00:00%2B02:00", 1},
		{"at a time after the planned line", "at=2024-07-02", 3},
		{"at a time before every version", "at=2024-04-30", 0},
	}
	check := func(t *testing.T, query string, version int) {
		t.Helper()
		lv, line, err := f.svc.Line(ctx, f.params(t, query))
		if version == 0 {
			if !errors.Is(err, frontline.ErrNotFound) {
				t.Errorf("Line(%q): version %v, error %v; want ErrNotFound", query, lv, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Line(%q): %v", query, err)
		}
		in := ins[version-1]
		if lv.Version != version || lv.Hash != frontline.Hash(in.Parts) || !lv.ValidFrom.Equal(in.ValidFrom) {
			t.Errorf("Line(%q) = version %d valid from %s, want %d valid from %s", query, lv.Version, lv.ValidFrom, version, in.ValidFrom)
		}
		if line.LengthKm() != in.Line.LengthKm() {
			t.Errorf("Line(%q): %g km, want %g", query, line.LengthKm(), in.Line.LengthKm())
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.query, tt.version) })
	}

	t.Run("withdrawn", func(t *testing.T) {
		if err := f.svc.WithdrawLine(ctx, 2); err != nil {
			t.Fatal(err)
		}
		if got := versionNumbers(f.svc.Versions()); !reflect.DeepEqual(got, []int{1, 3}) {
			t.Errorf("versions %v, want [1 3]", got)
		}
		check(t, "", 1)
		check(t, "version=2", 0)
		check(t, "at=2024-05-25", 1)
		err := f.svc.WithdrawLine(ctx, 2)
		if !errors.Is(err, frontline.ErrNotFound) {
			t.Errorf("withdrawing version 2 again: %v, want ErrNotFound", err)
		}
		if _, _, err := f.svc.Coverage(ctx, f.params(t, "version=2")); !errors.Is(err, frontline.ErrNotFound) {
			t.Errorf("Coverage of the withdrawn version: %v, want ErrNotFound", err)
		}
	})

	t.Run("the clock reaches the planned line", func(t *testing.T) {
		f.clock.Set(time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC))
		defer f.clock.Set(now)
		check(t, "", 3)
	})

	t.Run("only a planned line", func(t *testing.T) {
		f := newFixture(t)
		f.importLines(t, zigzag(t, "2024-07-01", 0))
		_, _, err := f.svc.Line(ctx, f.params(t, ""))
		if !errors.Is(err, frontline.ErrNotFound) || !strings.Contains(err.Error(), "2024-07-01T00:00:00Z") {
			t.Errorf("current line with only a planned one: %v; want ErrNotFound naming its valid_from", err)
		}
		if err := f.svc.Ready(ctx); err != nil {
			t.Errorf("Ready with a planned line: %v", err)
		}
		if _, _, err := f.svc.Line(ctx, f.params(t, "version=1")); err != nil {
			t.Errorf("the planned line by number: %v", err)
		}
	})

	t.Run("no line", func(t *testing.T) {
		f := newFixture(t)
		if _, _, err := f.svc.Coverage(ctx, f.params(t, "")); !errors.Is(err, frontline.ErrNotFound) {
			t.Errorf("Coverage with no line: %v, want ErrNotFound", err)
		}
		if err := f.svc.Ready(ctx); !errors.Is(err, frontline.ErrNotFound) {
			t.Errorf("Ready with no line: %v, want ErrNotFound", err)
		}
		if got := f.storeErrors(); len(got) != 0 {
			t.Errorf("store errors %v, want none", got)
		}
	})
}

func TestImportLines(t *testing.T) {
	ctx := t.Context()
	type result struct {
		version int
		created bool
	}
	tests := []struct {
		name     string
		stored   []*frontline.LineInput // imported first
		in       []*frontline.LineInput
		opt      frontline.ImportOptions
		code     string // the refusal's code; "" for none
		at       frontline.Location
		want     []result
		versions []int // stored afterwards
	}{
		{name: "a first line",
			in:   []*frontline.LineInput{zigzag(t, "2024-05-01", 0)},
			want: []result{{1, true}}, versions: []int{1}},
		{name: "a new version",
			stored: []*frontline.LineInput{zigzag(t, "2024-05-01", 0)},
			in:     []*frontline.LineInput{zigzag(t, "2024-05-02", 0.02)},
			want:   []result{{2, true}}, versions: []int{1, 2}},
		{name: "the length cut by two thirds",
			stored: []*frontline.LineInput{zigzag(t, "2024-05-01", 0)},
			in:     []*frontline.LineInput{short(t, "2024-05-02")},
			code:   "length_change", at: frontline.Location{Feature: 0, Part: -1, Vertex: -1}, versions: []int{1}},
		{name: "the length cut by two thirds, forced",
			stored: []*frontline.LineInput{zigzag(t, "2024-05-01", 0)},
			in:     []*frontline.LineInput{short(t, "2024-05-02")}, opt: frontline.ImportOptions{Force: true},
			want: []result{{2, true}}, versions: []int{1, 2}},
		{name: "the length cut by two thirds, within a limit of 70 %",
			stored: []*frontline.LineInput{zigzag(t, "2024-05-01", 0)},
			in:     []*frontline.LineInput{short(t, "2024-05-02")}, opt: frontline.ImportOptions{MaxLengthChange: 0.7},
			want: []result{{2, true}}, versions: []int{1, 2}},
		{name: "the length tripled, against the line it precedes",
			stored: []*frontline.LineInput{short(t, "2024-05-02")},
			in:     []*frontline.LineInput{zigzag(t, "2024-05-01", 0)},
			code:   "length_change", at: frontline.Location{Feature: 0, Part: -1, Vertex: -1}, versions: []int{1}},
		{name: "a bad change second in a batch",
			stored: []*frontline.LineInput{zigzag(t, "2024-05-01", 0)},
			in:     []*frontline.LineInput{zigzag(t, "2024-05-02", 0.02), short(t, "2024-05-03")},
			code:   "length_change", at: frontline.Location{Feature: 1, Part: -1, Vertex: -1}, versions: []int{1}},
		{name: "a batch whose own lines differ by two thirds",
			in:   []*frontline.LineInput{zigzag(t, "2024-05-01", 0), short(t, "2024-05-02")},
			code: "length_change", at: frontline.Location{Feature: 0, Part: -1, Vertex: -1}, versions: []int{}},
		{name: "two lines with one valid_from",
			in:   []*frontline.LineInput{zigzag(t, "2024-05-01", 0), zigzag(t, "2024-05-02", 0), zigzag(t, "2024-05-01T00:00:00+00:00", 0.02)},
			code: "ambiguous_valid_from", at: frontline.Location{Feature: 2, Part: -1, Vertex: -1, Field: "properties.valid_from"},
			versions: []int{}},
		{name: "one line twice with one valid_from",
			in:   []*frontline.LineInput{zigzag(t, "2024-05-01", 0), zigzag(t, "2024-05-01", 0)},
			want: []result{{1, true}, {1, false}}, versions: []int{1}},
		{name: "the same line again",
			stored: []*frontline.LineInput{zigzag(t, "2024-05-01", 0)},
			in:     []*frontline.LineInput{zigzag(t, "2024-05-01", 0, `"source": "again"`)},
			want:   []result{{1, false}}, versions: []int{1}},
		{name: "the current line again without valid_from",
			stored: []*frontline.LineInput{zigzag(t, "2024-05-01", 0)},
			in:     []*frontline.LineInput{zigzag(t, "", 0)},
			want:   []result{{1, false}}, versions: []int{1}},
		{name: "an older line again without valid_from",
			stored: []*frontline.LineInput{zigzag(t, "2024-05-01", 0), zigzag(t, "2024-05-02", 0.02)},
			in:     []*frontline.LineInput{zigzag(t, "", 0)},
			want:   []result{{3, true}}, versions: []int{1, 2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if len(tt.stored) > 0 {
				f.importLines(t, tt.stored...)
			}
			rev := f.svc.Revisions(frontline.DependsOnAll)
			c := f.counts()
			res, err := f.svc.ImportLines(ctx, tt.in, tt.opt)
			if tt.code != "" {
				ie := wantCode(t, err, tt.code)
				if ie.At != tt.at {
					t.Errorf("refused at %+v, want %+v", ie.At, tt.at)
				}
				if d := f.since(c); d["store AddLines"] != 0 {
					t.Errorf("refused, yet the store was asked to add lines (%v)", d)
				}
				if after := f.svc.Revisions(frontline.DependsOnAll); after != rev {
					t.Errorf("refused, yet the revision moved from %q to %q", rev, after)
				}
			} else {
				if err != nil {
					t.Fatalf("ImportLines: %v", err)
				}
				got := make([]result, len(res))
				for i, r := range res {
					got[i] = result{r.Line.Version, r.Created}
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("results %v, want %v", got, tt.want)
				}
			}
			if got := versionNumbers(f.svc.Versions()); !reflect.DeepEqual(got, tt.versions) {
				t.Errorf("versions %v, want %v", got, tt.versions)
			}
			stored, err := f.st.Lines(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := versionNumbers(stored); !reflect.DeepEqual(got, tt.versions) {
				t.Errorf("versions in the store %v, want %v", got, tt.versions)
			}
		})
	}

	t.Run("without valid_from: valid from the clock's now", func(t *testing.T) {
		f := newFixture(t)
		res := f.importLines(t, zigzag(t, "", 0))
		if lv := res[0].Line; !lv.ValidFrom.Equal(now) || !lv.ImportedAt.Equal(now) {
			t.Errorf("valid from %s, imported at %s; want both %s", lv.ValidFrom, lv.ImportedAt, now)
		}
	})

	t.Run("audited by actor", func(t *testing.T) {
		f := newFixture(t)
		actx := frontline.WithActor(ctx, "k1")
		for range 2 {
			if _, err := f.svc.ImportLines(actx, []*frontline.LineInput{zigzag(t, "2024-05-01", 0)}, frontline.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		entries, err := f.svc.Audit(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Actor+" "+e.Action+" "+e.Target)
		}
		if want := []string{"k1 line.import unchanged 1", "k1 line.import created 1"}; !reflect.DeepEqual(got, want) {
			t.Errorf("audit %q, want %q", got, want)
		}
	})
}

func TestUnits(t *testing.T) {
	ctx := t.Context()
	errStale := errors.New("stale")
	t.Run("a precondition that refuses: nothing written", func(t *testing.T) {
		f := newFixture(t)
		f.putUnits(t, troops(t, "t1", 35, 48, 300, ""))
		rev := f.svc.Revisions(frontline.DependsOnUnits)
		c := f.counts()
		var seen *frontline.Unit
		_, err := f.svc.PutUnit(ctx, troops(t, "t1", 35, 48, 900, ""), func(cur *frontline.Unit) error {
			seen = cur
			return errStale
		})
		if !errors.Is(err, errStale) {
			t.Fatalf("PutUnit: %v, want the precondition's error", err)
		}
		if seen == nil || seen.Strength != 300 {
			t.Errorf("the precondition saw %+v, want t1 of 300", seen)
		}
		if d := f.since(c); d["store PutUnits"] != 0 {
			t.Errorf("the store was written (%v)", d)
		}
		if u, err := f.st.Unit(ctx, "t1"); err != nil || u.Strength != 300 {
			t.Errorf("stored t1 = %+v, %v; want strength 300", u, err)
		}
		if u, err := f.svc.Unit(ctx, "t1"); err != nil || u.Strength != 300 {
			t.Errorf("Unit(t1) = %+v, %v; want strength 300", u, err)
		}
		if after := f.svc.Revisions(frontline.DependsOnUnits); after != rev {
			t.Errorf("revision moved from %q to %q", rev, after)
		}
	})

	t.Run("a precondition sees nil for a new unit", func(t *testing.T) {
		f := newFixture(t)
		called := false
		created, err := f.svc.PutUnit(ctx, troops(t, "t1", 35, 48, 300, ""), func(cur *frontline.Unit) error {
			called = true
			if cur != nil {
				return fmt.Errorf("current %+v, want nil", cur)
			}
			return nil
		})
		if err != nil || !created || !called {
			t.Fatalf("PutUnit of a new unit: created %v, %v, precondition called %v; want true, nil, true", created, err, called)
		}
		created, err = f.svc.PutUnit(ctx, troops(t, "t1", 35, 48, 400, ""), nil)
		if err != nil || created {
			t.Errorf("PutUnit replacing it: created %v, %v; want false, nil", created, err)
		}
		if u, err := f.svc.Unit(ctx, "t1"); err != nil || u.Strength != 400 {
			t.Errorf("Unit(t1) = %+v, %v; want strength 400", u, err)
		}
	})

	t.Run("delete of a unit not there", func(t *testing.T) {
		f := newFixture(t)
		f.putUnits(t, troops(t, "t1", 35, 48, 300, ""))
		rev := f.svc.Revisions(frontline.DependsOnUnits)
		err := f.svc.DeleteUnit(ctx, "nope", nil)
		if !errors.Is(err, frontline.ErrNotFound) || !strings.Contains(err.Error(), `"nope"`) {
			t.Errorf("DeleteUnit(nope): %v, want ErrNotFound naming it", err)
		}
		var seen *frontline.Unit = &frontline.Unit{}
		err = f.svc.DeleteUnit(ctx, "nope", func(cur *frontline.Unit) error { seen = cur; return nil })
		if !errors.Is(err, frontline.ErrNotFound) || seen != nil {
			t.Errorf("DeleteUnit(nope) with a precondition: %v, it saw %v; want ErrNotFound, nil", err, seen)
		}
		if after := f.svc.Revisions(frontline.DependsOnUnits); after != rev {
			t.Errorf("revision moved from %q to %q", rev, after)
		}
		if _, err := f.svc.Unit(ctx, "nope"); !errors.Is(err, frontline.ErrNotFound) {
			t.Errorf("Unit(nope): %v, want ErrNotFound", err)
		}
		if got := f.storeErrors(); len(got) != 0 {
			t.Errorf("store errors %v, want none", got)
		}
	})

	t.Run("delete refused by its precondition", func(t *testing.T) {
		f := newFixture(t)
		f.putUnits(t, troops(t, "t1", 35, 48, 300, ""))
		err := f.svc.DeleteUnit(ctx, "t1", func(*frontline.Unit) error { return errStale })
		if !errors.Is(err, errStale) {
			t.Errorf("DeleteUnit: %v, want the precondition's error", err)
		}
		if units, err := f.st.Units(ctx); err != nil || len(units) != 1 {
			t.Errorf("units stored %v, %v; want t1", units, err)
		}
	})

	t.Run("create of a unit there", func(t *testing.T) {
		f := newFixture(t)
		f.putUnits(t, troops(t, "t1", 35, 48, 300, ""))
		err := f.svc.CreateUnit(ctx, troops(t, "t1", 35, 48, 900, ""))
		if !errors.Is(err, frontline.ErrConflict) {
			t.Errorf("CreateUnit: %v, want ErrConflict", err)
		}
		if u, err := f.svc.Unit(ctx, "t1"); err != nil || u.Strength != 300 {
			t.Errorf("Unit(t1) = %+v, %v; want strength 300", u, err)
		}
		if got := f.storeErrors(); len(got) != 0 {
			t.Errorf("store errors %v, want none", got)
		}
	})

	t.Run("an id twice in one write", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.svc.PutUnits(ctx, []*frontline.Unit{troops(t, "a", 35, 48, 1, ""), troops(t, "b", 35, 48, 1, ""), troops(t, "a", 35, 48, 2, "")}, false)
		ie := wantCode(t, err, "duplicate_id")
		if want := (frontline.Location{Feature: 2, Part: -1, Vertex: -1, Field: "id"}); ie.At != want {
			t.Errorf("refused at %+v, want %+v", ie.At, want)
		}
		if n := f.st.Calls("PutUnits"); n != 0 {
			t.Errorf("the store was asked to put units %d times", n)
		}
	})

	t.Run("replace all", func(t *testing.T) {
		f := newFixture(t)
		f.putUnits(t, troops(t, "a", 35, 48, 1, ""), troops(t, "b", 35, 48, 2, ""))
		written, err := f.svc.PutUnits(ctx, []*frontline.Unit{troops(t, "b", 35, 48, 3, ""), troops(t, "c", 35, 48, 4, "")}, true)
		want := frontline.UnitsWritten{New: []bool{false, true}, Created: 1, Deleted: 1, Updated: 1}
		if err != nil || !reflect.DeepEqual(written, want) {
			t.Fatalf("PutUnits(replace all) = %+v, %v; want %+v", written, err, want)
		}
		units, err := f.svc.Units(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range units {
			got = append(got, fmt.Sprintf("%s:%d", u.ID, u.Strength))
		}
		if want := []string{"b:3", "c:4"}; !reflect.DeepEqual(got, want) {
			t.Errorf("units %v, want %v", got, want)
		}
	})
}

func TestStoreFailures(t *testing.T) {
	ctx := t.Context()
	boom := errors.New("boom")
	notThere := fmt.Errorf("memstore: gone: %w", frontline.ErrNotFound)
	tests := []struct {
		name     string
		failOp   string // the store method that fails
		failWith error
		call     func(f *fixture) error
		hook     []string // the ops Hooks.StoreError reports
	}{
		{"lines of an import", "Lines", boom, func(f *fixture) error {
			_, err := f.svc.ImportLines(ctx, []*frontline.LineInput{zigzag(t, "2024-05-02", 0.02)}, frontline.ImportOptions{})
			return err
		}, []string{"lines"}},
		{"add lines", "AddLines", boom, func(f *fixture) error {
			_, err := f.svc.ImportLines(ctx, []*frontline.LineInput{zigzag(t, "2024-05-02", 0.02)}, frontline.ImportOptions{})
			return err
		}, []string{"add_lines"}},
		{"the line of a coverage", "Line", boom, func(f *fixture) error {
			_, _, err := f.svc.Coverage(ctx, frontline.DefaultParams())
			return err
		}, []string{"line"}},
		{"the units of a coverage", "Units", boom, func(f *fixture) error {
			_, _, err := f.svc.Coverage(ctx, frontline.DefaultParams())
			return err
		}, []string{"units"}},
		{"put units", "PutUnits", boom, func(f *fixture) error {
			_, err := f.svc.PutUnit(ctx, troops(t, "t9", 35, 48, 1, ""), nil)
			return err
		}, []string{"put_units"}},
		{"the unit a precondition checks", "Unit", boom, func(f *fixture) error {
			_, err := f.svc.PutUnit(ctx, troops(t, "t1", 35, 48, 1, ""), func(*frontline.Unit) error { return nil })
			return err
		}, []string{"unit"}},
		{"delete a unit", "DeleteUnit", boom, func(f *fixture) error { return f.svc.DeleteUnit(ctx, "t1", nil) },
			[]string{"delete_unit"}},
		{"anchors", "Anchors", boom, func(f *fixture) error {
			_, err := f.svc.Anchors(ctx)
			return err
		}, []string{"anchors"}},
		{"set anchors", "SetAnchors", boom, func(f *fixture) error {
			return f.svc.SetAnchors(ctx, []geo.Anchor{{Name: "a", Point: orb.Point{35.5, 48.1}}})
		}, []string{"set_anchors"}},
		{"set defaults", "SetDefaults", boom, func(f *fixture) error { return f.svc.SetDefaults(ctx, frontline.DefaultParams()) },
			[]string{"set_defaults"}},
		{"withdraw", "Withdraw", boom, func(f *fixture) error { return f.svc.WithdrawLine(ctx, 1) }, []string{"withdraw"}},
		{"ping", "Ping", boom, func(f *fixture) error { return f.svc.Ready(ctx) }, []string{"ping"}},
		{"audit", "Audit", boom, func(f *fixture) error {
			_, err := f.svc.Audit(ctx, 0, 0)
			return err
		}, []string{"audit"}},
		{"keys", "Keys", boom, func(f *fixture) error {
			_, err := f.svc.Keys(ctx)
			return err
		}, []string{"keys"}},

		// Not found is the caller's doing, not the store failing.
		{"a line not found", "Line", notThere, func(f *fixture) error {
			_, _, err := f.svc.Coverage(ctx, frontline.DefaultParams())
			return err
		}, nil},
		{"a unit not found for deletion", "DeleteUnit", notThere, func(f *fixture) error { return f.svc.DeleteUnit(ctx, "t1", nil) }, nil},
		{"a version not found for withdrawal", "Withdraw", notThere, func(f *fixture) error { return f.svc.WithdrawLine(ctx, 1) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.importLines(t, zigzag(t, "2024-05-01", 0))
			f.putUnits(t, unitsT1T2T3(t)...)
			// Open anew, so that nothing is cached yet.
			f = openFixture(t, f.st)
			revs := f.svc.Revisions(frontline.DependsOnAll)
			audit, err := f.st.Audit(ctx, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.st.SetFail(func(op string) error {
				if op == tt.failOp {
					return tt.failWith
				}
				return nil
			})
			err = tt.call(f)
			f.st.SetFail(nil)
			if !errors.Is(err, tt.failWith) {
				t.Fatalf("error %v, want %v", err, tt.failWith)
			}
			if n := f.st.Calls(tt.failOp); n == 0 {
				t.Errorf("the store's %s was not called", tt.failOp)
			}
			if got := f.storeErrors(); !reflect.DeepEqual(got, tt.hook) {
				t.Errorf("Hooks.StoreError reported %q, want %q", got, tt.hook)
			}
			if after := f.svc.Revisions(frontline.DependsOnAll); after != revs {
				t.Errorf("revision moved from %q to %q", revs, after)
			}
			if after, err := f.st.Audit(ctx, 0, 0); err != nil || len(after) != len(audit) {
				t.Errorf("audit entries %d, %v; want %d: a failed write wrote", len(after), err, len(audit))
			}
			// The failure is not cached: the same call works now.
			if err := tt.call(f); err != nil && !errors.Is(err, frontline.ErrNotFound) {
				t.Errorf("the same call once the store works: %v", err)
			}
		})
	}

	t.Run("opening on a failing store", func(t *testing.T) {
		st := memstore.New()
		st.Fail = func(op string) error { return boom }
		if _, err := frontline.NewService(ctx, st, frontline.Options{}); !errors.Is(err, boom) {
			t.Errorf("NewService: %v, want boom", err)
		}
	})
}
