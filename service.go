package frontline

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"frontline/geo"
	"frontline/internal/memo"
)

// Service is the product's one entry point: imports, unit management and
// coverage computations over a Store. Computations are cached: zones by
// line version and geometry settings, reports also by the units'
// revision, so a repeated or "what if" read costs nothing once computed
// and a unit change recomputes only the coverage.
type Service struct {
	store Store
	now   func() time.Time
	opt   Options

	writeMu sync.Mutex // one write at a time, so revisions follow the store

	mu        sync.Mutex
	linesRev  uint64          // bumped by line imports
	unitsRev  uint64          // bumped by unit writes
	ancRev    uint64          // bumped by anchor writes
	defaults  Params          // default coverage settings (stored, else built in)
	versions  []*LineVersion  // every version, no geometry, by version
	lines     map[int]*lineAt // loaded versions with their engine lines
	units     []*Unit         // nil until loaded
	anchors   []geo.Anchor
	ancOK     bool
	authCache sync.Map      // key id -> authEntry
	compute   chan struct{} // bounds computations running at once

	zones   *memo.Cache[zoneKey, *geo.Zones]
	reports *memo.Cache[reportKey, *Report]
	gaps    *memo.Cache[gapKey, []orb.MultiPolygon]
}

type lineAt struct {
	lv   *LineVersion
	line *geo.Line
}

// Options of a Service.
type Options struct {
	// CacheEntries bounds how many zone computations are kept (default
	// 16; each holds a few MB for a 2,100 km line) and reports (4 times as
	// many; they are small).
	CacheEntries int
	// MaxVertices bounds the positions of one line (default 1,000,000).
	MaxVertices int
	// MaxUnits bounds the units of one import (default 100,000).
	MaxUnits int
	// MaxComputations bounds the zone computations running at once
	// (default 2, the machine's cores); more wait their turn.
	MaxComputations int
	Now             func() time.Time
	// Hooks observe the service (metrics); any may be nil.
	Hooks Hooks
}

// Hooks are called as the service works, for metrics.
type Hooks struct {
	Computed   func(kind string, d time.Duration) // a computation ran (a cache miss)
	Cache      func(cache string, hit bool)       // a cache was looked up
	StoreError func(op string)                    // the store failed
}

func (h Hooks) computed(kind string, start time.Time) {
	if h.Computed != nil {
		h.Computed(kind, time.Since(start))
	}
}

func (h Hooks) cache(cache string, hit bool) {
	if h.Cache != nil {
		h.Cache(cache, hit)
	}
}

// storeErr reports a store failure that is not the caller's doing.
func (s *Service) storeErr(op string, err error) error {
	if err != nil && s.opt.Hooks.StoreError != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrInvalid) &&
		!errors.Is(err, ErrConflict) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		s.opt.Hooks.StoreError(op)
	}
	return err
}

// Defaults of Options.
const (
	DefaultMaxVertices     = 1000000
	DefaultMaxUnits        = 100000
	DefaultMaxComputations = 2
)

// NewService opens the service over a store.
func NewService(ctx context.Context, st Store, opt Options) (*Service, error) {
	if opt.CacheEntries <= 0 {
		opt.CacheEntries = 16
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MaxVertices <= 0 {
		opt.MaxVertices = DefaultMaxVertices
	}
	if opt.MaxUnits <= 0 {
		opt.MaxUnits = DefaultMaxUnits
	}
	if opt.MaxComputations <= 0 {
		opt.MaxComputations = DefaultMaxComputations
	}
	s := &Service{store: st, now: opt.Now, opt: opt, lines: map[int]*lineAt{},
		compute: make(chan struct{}, opt.MaxComputations),
		zones:   memo.New[zoneKey, *geo.Zones](opt.CacheEntries),
		reports: memo.New[reportKey, *Report](4 * opt.CacheEntries),
		gaps:    memo.New[gapKey, []orb.MultiPolygon](opt.CacheEntries)}
	if err := s.reloadVersions(ctx); err != nil {
		return nil, err
	}
	s.defaults = DefaultParams()
	d, err := st.Defaults(ctx)
	if err != nil {
		return nil, err
	}
	if d != nil {
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("frontline: stored default settings: %w", err)
		}
		s.defaults = *d
	}
	return s, nil
}

// Defaults returns the default coverage settings.
func (s *Service) Defaults() Params {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.defaults
}

// ParseParams reads a request's coverage settings over the defaults.
func (s *Service) ParseParams(q url.Values) (Params, error) {
	return ParseParamsOver(q, s.Defaults())
}

// SetDefaults validates and stores new default coverage settings; every
// read that does not give a setting uses them from now on.
func (s *Service) SetDefaults(ctx context.Context, p Params) error {
	p.Version, p.At = 0, time.Time{}
	if err := p.Validate(); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.storeErr("set_defaults", s.store.SetDefaults(ctx, p)); err != nil {
		return err
	}
	s.mu.Lock()
	s.defaults = p
	s.linesRev++ // the line-only reads that take settings, too
	s.mu.Unlock()
	return nil
}

// What a result depends on, for Revisions.
const (
	DependsOnLines = 1 << iota
	DependsOnUnits
	DependsOnAnchors
	DependsOnAll = DependsOnLines | DependsOnUnits | DependsOnAnchors
)

// Revisions returns a text that changes whenever the stored data a
// result depends on changes, so a cache of lines-only results survives
// unit writes.
func (s *Service) Revisions(deps int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b []byte
	for _, d := range []struct {
		flag int
		rev  uint64
	}{{DependsOnLines, s.linesRev}, {DependsOnUnits, s.unitsRev}, {DependsOnAnchors, s.ancRev}} {
		if deps&d.flag != 0 {
			b = strconv.AppendUint(append(b, '.'), d.rev, 10)
		} else {
			b = append(b, ".-"...)
		}
	}
	return string(b)
}

func (s *Service) reloadVersions(ctx context.Context) error {
	vs, err := s.store.Lines(ctx)
	err = s.storeErr("lines", err)
	if err != nil {
		return err
	}
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Version < vs[j].Version })
	s.mu.Lock()
	s.versions = vs
	s.mu.Unlock()
	return nil
}

// Versions lists every line version, without geometry.
func (s *Service) Versions() []*LineVersion {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*LineVersion(nil), s.versions...)
}

// Line returns the line version a computation's settings select: Version
// if set, else the one valid at At if set, else the current one.
func (s *Service) Line(ctx context.Context, p Params) (*LineVersion, *geo.Line, error) {
	v, err := s.resolve(p)
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	la := s.lines[v]
	s.mu.Unlock()
	if la != nil {
		return la.lv, la.line, nil
	}
	lv, err := s.store.Line(ctx, v)
	err = s.storeErr("line", err)
	if err != nil {
		return nil, nil, err
	}
	pts := make([][]orb.Point, len(lv.Coords))
	for i, part := range lv.Coords {
		pts[i] = make([]orb.Point, len(part))
		for j, q := range part {
			pts[i][j] = q.Point()
		}
	}
	line, err := geo.NewLine(pts)
	if err != nil {
		return nil, nil, fmt.Errorf("frontline: stored line version %d: %w", v, err)
	}
	s.mu.Lock()
	if len(s.lines) > 64 {
		s.lines = map[int]*lineAt{}
	}
	s.lines[v] = &lineAt{lv, line}
	s.mu.Unlock()
	return lv, line, nil
}

func (s *Service) resolve(p Params) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.versions) == 0 {
		return 0, fmt.Errorf("%w: no line stored yet", ErrNotFound)
	}
	if p.Version > 0 {
		i := sort.Search(len(s.versions), func(i int) bool { return s.versions[i].Version >= p.Version })
		if i == len(s.versions) || s.versions[i].Version != p.Version {
			return 0, fmt.Errorf("%w: line version %d not found", ErrNotFound, p.Version)
		}
		return p.Version, nil
	}
	// Without a time, the current line: the newest valid now. A version
	// dated later (a planned or negotiated line) waits for its date.
	at, current := p.At, p.At.IsZero()
	if current {
		at = s.now()
	}
	best := -1
	for i, v := range s.versions {
		if v.ValidFrom.After(at) {
			continue
		}
		if best < 0 || !v.ValidFrom.Before(s.versions[best].ValidFrom) {
			best = i
		}
	}
	if best < 0 {
		first := s.earliest()
		if current {
			return 0, fmt.Errorf("%w: no line is valid yet: the first version is valid from %s; ask for it with version= or at=", ErrNotFound,
				first.UTC().Format(time.RFC3339))
		}
		return 0, fmt.Errorf("%w: no line valid at %s (the first is valid from %s)", ErrNotFound,
			at.UTC().Format(time.RFC3339), first.UTC().Format(time.RFC3339))
	}
	return s.versions[best].Version, nil
}

func (s *Service) earliest() time.Time {
	t := s.versions[0].ValidFrom
	for _, v := range s.versions {
		if v.ValidFrom.Before(t) {
			t = v.ValidFrom
		}
	}
	return t
}

// Computation is the zones of one line version for one set of settings.
type Computation struct {
	Line    *LineVersion
	Params  Params
	Zones   *geo.Zones
	Sectors []geo.Sector
	key     zoneKey
}

type zoneKey struct {
	version int
	sectors string
	depth   float64
	side    string
	anchors uint64
}

// Zones computes (or returns the cached) sectors and zones for p.
func (s *Service) Zones(ctx context.Context, p Params) (*Computation, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	lv, line, err := s.Line(ctx, p)
	if err != nil {
		return nil, err
	}
	var anchors []geo.Anchor
	key := zoneKey{version: lv.Version, depth: p.DepthKm, side: p.Side}
	switch {
	case p.Anchors:
		// The anchors and their revision together, so zones are never
		// cached under a revision they were not built from.
		if anchors, key.anchors, err = s.loadAnchors(ctx); err != nil {
			return nil, err
		}
		if len(anchors) == 0 {
			return nil, invalid("no_anchors", Location{Feature: -1, Part: -1, Vertex: -1, Field: "sectors"}, "sectors=anchors, but no anchors are stored")
		}
		key.sectors = "anchors"
	case p.Sectors > 0:
		key.sectors = fmt.Sprintf("n%d", p.Sectors)
	default:
		key.sectors = fmt.Sprintf("km%g", p.SectorKm)
	}
	hit := true
	z, err := s.zones.Get(key, func() (*geo.Zones, error) {
		hit = false
		release, err := s.slot(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		defer s.opt.Hooks.computed("zones", time.Now())
		sectors, err := line.Sectors(p.Sectoring(anchors))
		if err != nil {
			field := "sectors"
			if p.SectorKm > 0 {
				field = "sector_km"
			}
			return nil, invalid("bad_parameter", Location{Feature: -1, Part: -1, Vertex: -1, Field: field}, "%s",
				strings.TrimPrefix(err.Error(), geo.ErrInvalidSectoring.Error()+": "))
		}
		return geo.NewZones(line, sectors, p.ZoneOptions())
	})
	s.opt.Hooks.cache("zones", hit)
	if err != nil {
		return nil, err
	}
	return &Computation{Line: lv, Params: p, Zones: z, Sectors: z.Sectors(), key: key}, nil
}

// slot waits for a turn to compute: computations are CPU-bound, and
// running more than the cores at once only makes each one slower. Only
// leaf computations take a slot (none holds one while waiting for
// another), so slots cannot deadlock.
//
// The wait does not end with the request that started it: a computation
// is shared by every request for the same result, so one client going
// away must not fail the others; it gives up after slotWait instead.
func (s *Service) slot(_ context.Context) (release func(), err error) {
	t := time.NewTimer(slotWait)
	defer t.Stop()
	select {
	case s.compute <- struct{}{}:
		return func() { <-s.compute }, nil
	case <-t.C:
		return nil, fmt.Errorf("%w: no computation slot free for %s; try again", ErrBusy, slotWait)
	}
}

// slotWait bounds the wait for a computation slot.
const slotWait = 60 * time.Second

// polygons returns the zones' polygons, drawn in a computation slot the
// first time.
func (s *Service) polygons(ctx context.Context, c *Computation) ([]orb.MultiPolygon, error) {
	release, err := s.slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return c.Zones.Polygons(), nil
}

type reportKey struct {
	zones    zoneKey
	params   string
	unitsRev uint64
}

// Coverage computes (or returns the cached) coverage report for p.
func (s *Service) Coverage(ctx context.Context, p Params) (*Report, *Computation, error) {
	c, err := s.Zones(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	units, rev, err := s.loadUnits(ctx)
	if err != nil {
		return nil, nil, err
	}
	key := reportKey{zones: c.key, params: p.Key(), unitsRev: rev}
	hit := true
	rep, err := s.reports.Get(key, func() (*Report, error) {
		hit = false
		release, err := s.slot(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		defer s.opt.Hooks.computed("coverage", time.Now())
		return NewReport(c.Line, p, c.Zones.Coverage(GeoUnits(units))), nil
	})
	s.opt.Hooks.cache("reports", hit)
	if err != nil {
		return nil, nil, err
	}
	return rep, c, nil
}

func (s *Service) loadUnits(ctx context.Context) ([]*Unit, uint64, error) {
	s.mu.Lock()
	units, rev := s.units, s.unitsRev
	s.mu.Unlock()
	if units != nil {
		return units, rev, nil
	}
	units, err := s.store.Units(ctx)
	err = s.storeErr("units", err)
	if err != nil {
		return nil, 0, err
	}
	if units == nil {
		units = []*Unit{}
	}
	s.mu.Lock()
	if s.unitsRev == rev {
		s.units = units
	}
	s.mu.Unlock()
	return units, rev, nil
}

// Units returns every unit, by id.
func (s *Service) Units(ctx context.Context) ([]*Unit, error) {
	u, _, err := s.loadUnits(ctx)
	return u, err
}

// Unit returns one unit.
func (s *Service) Unit(ctx context.Context, id string) (*Unit, error) {
	units, _, err := s.loadUnits(ctx)
	if err != nil {
		return nil, err
	}
	i := sort.Search(len(units), func(i int) bool { return units[i].ID >= id })
	if i < len(units) && units[i].ID == id {
		return units[i], nil
	}
	return nil, fmt.Errorf("%w: unit %q not found", ErrNotFound, id)
}

// PutUnits stores units, all or nothing; replaceAll deletes the others.
// It reports for each unit whether it is new.
func (s *Service) PutUnits(ctx context.Context, units []*Unit, replaceAll bool) ([]bool, error) {
	if len(units) > s.opt.MaxUnits {
		return nil, &InputError{Code: "too_many_features", At: Nowhere,
			Message: fmt.Sprintf("%d units in one import, more than the limit of %d", len(units), s.opt.MaxUnits)}
	}
	seen := make(map[string]int, len(units))
	for i, u := range units {
		if j, dup := seen[u.ID]; dup {
			return nil, invalid("duplicate_id", Location{Feature: i, Part: -1, Vertex: -1, Field: "id"}, "id %q is also used by feature %d", u.ID, j)
		}
		seen[u.ID] = i
	}
	return s.writeUnits(func() ([]bool, error) {
		created, err := s.store.PutUnits(ctx, units, replaceAll)
		return created, s.storeErr("put_units", err)
	})
}

// CreateUnit stores a new unit; one with its id already stored is a
// conflict. The check and the write happen under the write lock, so two
// creations of one id cannot both succeed.
func (s *Service) CreateUnit(ctx context.Context, u *Unit) error {
	_, err := s.writeUnits(func() ([]bool, error) {
		if _, err := s.store.Unit(ctx, u.ID); err == nil {
			return nil, fmt.Errorf("%w: unit %q exists already (PUT /v1/units/%s replaces it)", ErrConflict, u.ID, u.ID)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, s.storeErr("unit", err)
		}
		created, err := s.store.PutUnits(ctx, []*Unit{u}, false)
		return created, s.storeErr("put_units", err)
	})
	return err
}

// Precondition checks the stored state of a resource before a write of
// it goes ahead (HTTP If-Match); it runs under the write lock, so nothing
// changes between the check and the write. current is nil when the
// resource does not exist.
type Precondition[T any] func(current T) error

// PutUnit stores one unit, inserting or replacing it by id, if check
// (when not nil) accepts the unit stored now. It reports whether the
// unit is new.
func (s *Service) PutUnit(ctx context.Context, u *Unit, check Precondition[*Unit]) (bool, error) {
	created, err := s.writeUnits(func() ([]bool, error) {
		if err := s.checkUnit(ctx, u.ID, check); err != nil {
			return nil, err
		}
		created, err := s.store.PutUnits(ctx, []*Unit{u}, false)
		return created, s.storeErr("put_units", err)
	})
	if err != nil {
		return false, err
	}
	return created[0], nil
}

// DeleteUnit deletes one unit if check (when not nil) accepts it.
func (s *Service) DeleteUnit(ctx context.Context, id string, check Precondition[*Unit]) error {
	_, err := s.writeUnits(func() ([]bool, error) {
		if err := s.checkUnit(ctx, id, check); err != nil {
			return nil, err
		}
		return nil, s.storeErr("delete_unit", s.store.DeleteUnit(ctx, id))
	})
	return err
}

func (s *Service) checkUnit(ctx context.Context, id string, check Precondition[*Unit]) error {
	if check == nil {
		return nil
	}
	cur, err := s.store.Unit(ctx, id)
	if errors.Is(err, ErrNotFound) {
		cur, err = nil, nil
	}
	if err = s.storeErr("unit", err); err != nil {
		return err
	}
	return check(cur)
}

func (s *Service) writeUnits(write func() ([]bool, error)) ([]bool, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	created, err := write()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.units = nil
	s.unitsRev++
	s.mu.Unlock()
	return created, nil
}

// Anchors returns the stored anchors.
func (s *Service) Anchors(ctx context.Context) ([]geo.Anchor, error) {
	a, _, err := s.loadAnchors(ctx)
	return a, err
}

// loadAnchors returns the anchors with the revision they belong to,
// loading them once; a load that a write overtook is not kept.
func (s *Service) loadAnchors(ctx context.Context) ([]geo.Anchor, uint64, error) {
	s.mu.Lock()
	a, ok, rev := s.anchors, s.ancOK, s.ancRev
	s.mu.Unlock()
	if ok {
		return a, rev, nil
	}
	a, err := s.store.Anchors(ctx)
	if err = s.storeErr("anchors", err); err != nil {
		return nil, 0, err
	}
	s.mu.Lock()
	if s.ancRev == rev {
		s.anchors, s.ancOK = a, true
	}
	s.mu.Unlock()
	return a, rev, nil
}

// SetAnchors replaces the anchors.
func (s *Service) SetAnchors(ctx context.Context, anchors []geo.Anchor) error {
	seen := map[string]bool{}
	for i, a := range anchors {
		at := Location{Feature: i, Part: -1, Vertex: -1}
		if a.Name == "" || seen[a.Name] {
			return invalid("bad_anchor", at, "anchor names must be given and unique, got %q", a.Name)
		}
		seen[a.Name] = true
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.storeErr("set_anchors", s.store.SetAnchors(ctx, anchors)); err != nil {
		return err
	}
	s.mu.Lock()
	s.anchors, s.ancOK = anchors, true
	s.ancRev++
	s.mu.Unlock()
	return nil
}

// Ready reports whether the store answers and a line is loaded.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.storeErr("ping", s.store.Ping(ctx)); err != nil {
		return err
	}
	s.mu.Lock()
	n := len(s.versions)
	s.mu.Unlock()
	if n == 0 {
		return fmt.Errorf("%w: no line stored yet", ErrNotFound)
	}
	return nil
}

// CreateKey makes and stores an API key; the token is shown only now.
func (s *Service) CreateKey(ctx context.Context, role Role, name string) (*APIKey, string, error) {
	k, token, err := NewAPIKey(role, name, s.now())
	if err != nil {
		return nil, "", err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.storeErr("create_key", s.store.CreateKey(ctx, k)); err != nil {
		return nil, "", err
	}
	return k, token, nil
}

// Keys lists every API key (no secrets).
func (s *Service) Keys(ctx context.Context) ([]*APIKey, error) {
	keys, err := s.store.Keys(ctx)
	return keys, s.storeErr("keys", err)
}

// RevokeKey revokes a key at once, for this process and every other.
func (s *Service) RevokeKey(ctx context.Context, id string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.storeErr("revoke_key", s.store.RevokeKey(ctx, id, s.now())); err != nil {
		return err
	}
	s.authCache.Delete(id)
	return nil
}

// Audit returns the audit log, newest first.
func (s *Service) Audit(ctx context.Context, limit int, before int64) ([]*AuditEntry, error) {
	entries, err := s.store.Audit(ctx, limit, before)
	return entries, s.storeErr("audit", err)
}

// ErrUnauthorized is wrapped by errors about a missing or bad API key.
var ErrUnauthorized = errors.New("frontline: unauthorized")

// authTTL bounds how long a verified key is trusted without looking at
// the store again, so a key revoked from another process (the command
// line) stops working within it.
const authTTL = 5 * time.Second

type authEntry struct {
	key     *APIKey
	checked time.Time
}

// Authenticate returns the active key a token names, or an error wrapping
// ErrUnauthorized. The error never contains the token.
func (s *Service) Authenticate(ctx context.Context, token string) (*APIKey, error) {
	id, secret, ok := SplitToken(token)
	if !ok {
		return nil, fmt.Errorf("%w: malformed API key", ErrUnauthorized)
	}
	if v, ok := s.authCache.Load(id); ok {
		e := v.(authEntry)
		if s.now().Sub(e.checked) < authTTL && e.key.Matches(secret) {
			return e.key, nil
		}
	}
	k, err := s.store.Key(ctx, id)
	err = s.storeErr("key", err)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w: unknown API key", ErrUnauthorized)
	}
	if err != nil {
		return nil, err
	}
	if !k.Matches(secret) {
		return nil, fmt.Errorf("%w: unknown API key", ErrUnauthorized)
	}
	if !k.Active() {
		return nil, fmt.Errorf("%w: API key %s was revoked", ErrUnauthorized, k.ID)
	}
	s.authCache.Store(id, authEntry{key: k, checked: s.now()})
	return k, nil
}
