package frontline

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
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
	linesRev  uint64                    // bumped by line imports
	unitsRev  uint64                    // bumped by unit writes
	ancRev    uint64                    // bumped by anchor writes
	defaults  Params                    // default coverage settings (stored, else built in)
	versions  []*LineVersion            // every version, no geometry, by version
	lines     *memo.Cache[int, *lineAt] // loaded versions with their engine lines
	units     []*Unit                   // nil until loaded
	anchors   []geo.Anchor
	scenRev   uint64               // bumped by scenario writes
	scenarios map[string]*Scenario // read since the last scenario write
	territory *Territory           // the reference territory, once read
	ancOK     bool
	authCache sync.Map           // key id -> authEntry
	compute   chan struct{}      // bounds computations running at once
	stop      context.CancelFunc // ends following a Shared store

	zones    *memo.Cache[zoneKey, *geo.Zones]
	reports  *memo.Cache[reportKey, *Report]
	measures *memo.Cache[measureKey, []geo.SectorCoverage]
	gaps     *memo.Cache[gapKey, []orb.MultiPolygon]
}

// maxLines bounds the line versions kept loaded, each with its engine
// line (a few MB for a long line); the least recently used go first.
const maxLines = 64

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
	// Territory is the built-in reference territory lines of contact are
	// derived against (a GeoJSON FeatureCollection, see ParseTerritory),
	// used while none is stored.
	Territory []byte
	Now       func() time.Time
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
	s := &Service{store: st, now: opt.Now, opt: opt, lines: memo.New[int, *lineAt](maxLines), scenarios: map[string]*Scenario{},
		compute:  make(chan struct{}, opt.MaxComputations),
		zones:    memo.New[zoneKey, *geo.Zones](opt.CacheEntries),
		reports:  memo.New[reportKey, *Report](4 * opt.CacheEntries),
		measures: memo.New[measureKey, []geo.SectorCoverage](4 * opt.CacheEntries),
		gaps:     memo.New[gapKey, []orb.MultiPolygon](opt.CacheEntries)}
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
	if sh, ok := st.(Shared); ok {
		follow, stop := context.WithCancel(context.WithoutCancel(ctx))
		s.stop = stop
		go s.follow(follow, sh)
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
// A scenario's own settings come between the defaults and the query.
// The scenario must exist (ErrNotFound otherwise).
func (s *Service) ParseParams(ctx context.Context, q url.Values) (Params, error) {
	defaults := s.Defaults()
	if id := q.Get("scenario"); id != "" && id != LiveScenario && CheckScenarioID(id) == nil {
		sc, err := s.Scenario(ctx, id)
		if err != nil {
			return Params{}, err
		}
		if defaults, err = sc.Params(defaults); err != nil {
			return Params{}, fmt.Errorf("frontline: scenario %s: %w", id, err)
		}
	}
	return ParseParamsOver(q, defaults)
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
	if deps&DependsOnUnits != 0 {
		// The units under a scenario change with it too.
		b = strconv.AppendUint(append(b, 's'), s.scenRev, 10)
	}
	return string(b)
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
