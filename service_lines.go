package frontline

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/paulmach/orb"

	"frontline/geo"
)

// DefaultMaxLengthChange is the largest relative change of length a new
// line version may make against the version it follows without force: a
// daily update moves the line by a few kilometres, while a wrong file (a
// stray two-point line, one region only) halves or doubles it.
const DefaultMaxLengthChange = 0.5

// ImportOptions are the checks of one line import.
type ImportOptions struct {
	// Force stores versions whose length differs from the version they
	// follow by more than MaxLengthChange.
	Force bool
	// MaxLengthChange is a fraction (0.5: 50 %); zero means
	// DefaultMaxLengthChange.
	MaxLengthChange float64
}

// ImportLines stores line versions, all or nothing, after checking them
// against each other and against the versions stored: two versions of
// one import may not share a valid_from, and a version may not change the
// length of the line by more than opt.MaxLengthChange unless forced.
func (s *Service) ImportLines(ctx context.Context, ins []*LineInput, opt ImportOptions) ([]LineResult, error) {
	if opt.MaxLengthChange == 0 {
		opt.MaxLengthChange = DefaultMaxLengthChange
	}
	if !(opt.MaxLengthChange > 0) || math.IsInf(opt.MaxLengthChange, 0) {
		return nil, invalid(CodeBadParameter, FieldAt("max_length_change"),
			"max_length_change must be a fraction above 0 (0.5 is 50 %%), got %g", opt.MaxLengthChange)
	}
	for i, in := range ins {
		if n := in.Vertices(); n > s.opt.MaxVertices {
			return nil, &InputError{Code: CodeTooManyVertices, At: Location{Feature: i, Part: -1, Vertex: -1},
				Message: fmt.Sprintf("line has %d positions, more than the limit of %d", n, s.opt.MaxVertices)}
		}
	}
	if err := sameValidFrom(ins); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	// Another process (the command line) may have written since.
	if err := s.reloadVersions(ctx); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if !opt.Force {
		if err := s.checkLengths(ins, now, opt.MaxLengthChange); err != nil {
			return nil, err
		}
	}
	res, err := s.store.AddLines(ctx, ins, now)
	err = s.storeErr("add_lines", err)
	if err != nil {
		return nil, err
	}
	if err := s.reloadVersions(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.linesRev++
	s.mu.Unlock()
	return res, nil
}

// sameValidFrom refuses an import in which two different lines carry the
// same valid_from: which of them holds from then would be a guess. The
// same line given twice is one version, and no conflict.
func sameValidFrom(ins []*LineInput) error {
	return ambiguousValidFrom(len(ins), "lines", func(i int) (time.Time, string) { return ins[i].ValidFrom, ins[i].ContentHash() })
}

// ambiguousValidFrom refuses n inputs of which two with the same
// valid_from (dated(i), zero: none) have different content hashes.
func ambiguousValidFrom(n int, what string, dated func(i int) (time.Time, string)) error {
	first := make(map[time.Time]int, n)
	for i := 0; i < n; i++ {
		at, hash := dated(i)
		if at.IsZero() {
			continue
		}
		j, seen := first[at]
		if !seen {
			first[at] = i
			continue
		}
		if _, other := dated(j); other != hash {
			return invalid(CodeAmbiguousValidFrom, Location{Feature: i, Part: -1, Vertex: -1, Field: "properties.valid_from"},
				"features %d and %d are different %s with the same valid_from %s: which one holds from then is ambiguous; give each its own time",
				j, i, what, at.Format(time.RFC3339Nano))
		}
	}
	return nil
}

// dated is a line on the time line that checkLengths walks: a stored
// version (version > 0) or a feature of the import (feature >= 0).
type dated struct {
	validFrom time.Time
	lengthKm  float64
	version   int
	feature   int
	hash      string
}

func (d dated) String() string {
	what := fmt.Sprintf("version %d", d.version)
	if d.version == 0 {
		what = fmt.Sprintf("feature %d of this import", d.feature)
	}
	return fmt.Sprintf("%s (%.3f km, valid from %s)", what, d.lengthKm, d.validFrom.Format(time.RFC3339))
}

// checkLengths compares each new line with the line it follows by
// valid_from (or, for one dated before every other, the line it
// precedes), among the stored versions and the rest of the import. Lines
// already stored (same content and valid_from) are not new and pass.
func (s *Service) checkLengths(ins []*LineInput, now time.Time, limit float64) error {
	s.mu.Lock()
	all := make([]dated, 0, len(s.versions)+len(ins))
	stored := make(map[[2]string]bool, len(s.versions))
	var current *dated
	for _, v := range s.versions {
		all = append(all, dated{validFrom: v.ValidFrom, lengthKm: v.LengthKm, version: v.Version, feature: -1, hash: v.Hash})
		stored[[2]string{v.Hash, v.ValidFrom.Format(time.RFC3339Nano)}] = true
	}
	for i := range all {
		if !all[i].validFrom.After(now) && (current == nil || !all[i].validFrom.Before(current.validFrom)) {
			current = &all[i]
		}
	}
	s.mu.Unlock()

	news := make([]dated, 0, len(ins))
	for i, in := range ins {
		d := dated{validFrom: in.ValidFrom, lengthKm: in.Line.LengthKm(), feature: i, hash: in.ContentHash()}
		if d.validFrom.IsZero() {
			if current != nil && current.hash == d.hash {
				continue // the current line again: no new version
			}
			d.validFrom = now
		}
		if stored[[2]string{d.hash, d.validFrom.Format(time.RFC3339Nano)}] {
			continue
		}
		news = append(news, d)
	}
	all = append(all, news...)
	// By time; among equal times the later import wins, as in reads.
	sort.SliceStable(all, func(i, j int) bool { return all[i].validFrom.Before(all[j].validFrom) })
	for k, d := range all {
		if d.version != 0 {
			continue
		}
		upper := sort.Search(len(all), func(i int) bool { return all[i].validFrom.After(d.validFrom) })
		var prev, next *dated
		switch {
		case upper-1 != k && upper >= 1:
			prev = &all[upper-1]
		case upper >= 2:
			prev = &all[upper-2]
		}
		if upper < len(all) {
			next = &all[upper]
		}
		ref, relation := prev, "follows"
		if ref == nil {
			ref, relation = next, "precedes"
		}
		if ref == nil || ref.lengthKm <= 0 {
			continue
		}
		change := (d.lengthKm - ref.lengthKm) / ref.lengthKm
		if math.Abs(change) <= limit {
			continue
		}
		way := "longer"
		if change < 0 {
			way = "shorter"
		}
		return &InputError{Code: CodeLengthChange, At: Location{Feature: d.feature, Part: -1, Vertex: -1},
			Message: fmt.Sprintf("the line is %.3f km long, %.1f %% %s than %s that it %s; a new version may differ by at most max_length_change=%g (%g %%): if the change is real, import it again with force=true",
				d.lengthKm, math.Abs(change)*100, way, ref, relation, limit, limit*100)}
	}
	return nil
}

// WithdrawLine takes a line version out of service: it disappears from
// every read and listing, the current line falls back to the version
// before it, and its content may be imported again. The audit log keeps
// the withdrawal.
func (s *Service) WithdrawLine(ctx context.Context, version int) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.store.Withdraw(ctx, Withdrawal{Action: "line.withdraw", Versions: []int{version}, At: s.now().UTC()})
	if err = s.storeErr("withdraw", err); err != nil {
		return err
	}
	return s.linesChanged(ctx)
}

// linesChanged reloads the versions after a write. (Engine lines of
// withdrawn versions age out of their cache: no read resolves to them.)
func (s *Service) linesChanged(ctx context.Context) error {
	err := s.reloadVersions(ctx)
	s.mu.Lock()
	s.linesRev++
	s.mu.Unlock()
	return err
}

// Initialised reports whether the store ever held a line version,
// withdrawn ones included.
func (s *Service) Initialised(ctx context.Context) (bool, error) {
	ok, err := s.store.Initialised(ctx)
	return ok, s.storeErr("initialised", err)
}

// DemoRemoval says what RemoveDemo took out.
type DemoRemoval struct {
	Versions []int    `json:"versions"`
	Units    []string `json:"units"`
}

// RemoveDemo withdraws the demonstration line versions and deletes the
// demonstration units, in one write, so that real data is computed on
// its own. Demo data is what is marked so (properties.demo); known lists
// the demo units as they were first shipped, unmarked, so that a
// database filled then is recognised too: a stored unit equal to one of
// them counts as demo data.
func (s *Service) RemoveDemo(ctx context.Context, known []*Unit) (DemoRemoval, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	out := DemoRemoval{Versions: []int{}, Units: []string{}}
	if err := s.reloadVersions(ctx); err != nil {
		return out, err
	}
	for _, v := range s.Versions() {
		if v.Demo {
			out.Versions = append(out.Versions, v.Version)
		}
	}
	units, err := s.store.Units(ctx)
	if err = s.storeErr("units", err); err != nil {
		return out, err
	}
	shipped := make(map[string]*Unit, len(known))
	for _, u := range known {
		shipped[u.ID] = u
	}
	for _, u := range units {
		if u.IsDemo() || sameUnit(u, shipped[u.ID]) {
			out.Units = append(out.Units, u.ID)
		}
	}
	if len(out.Versions) == 0 && len(out.Units) == 0 {
		return out, nil
	}
	err = s.store.Withdraw(ctx, Withdrawal{Action: "demo.remove", Versions: out.Versions, Units: out.Units, At: s.now().UTC()})
	if err = s.storeErr("withdraw", err); err != nil {
		return DemoRemoval{Versions: []int{}, Units: []string{}}, err
	}
	s.mu.Lock()
	s.units = nil
	s.unitsRev++
	s.mu.Unlock()
	return out, s.linesChanged(ctx)
}

// sameUnit reports whether a stored unit is the shipped one: same kind,
// geometry and properties, a demo mark aside.
func sameUnit(u, shipped *Unit) bool {
	if shipped == nil || u.Kind != shipped.Kind || len(u.Coords) != len(shipped.Coords) {
		return false
	}
	for i := range u.Coords {
		if u.Coords[i].Point() != shipped.Coords[i].Point() {
			return false
		}
	}
	a, b := withoutDemo(u.Properties), withoutDemo(shipped.Properties)
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if fmt.Sprint(v) != fmt.Sprint(b[k]) {
			return false
		}
	}
	return true
}

func withoutDemo(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		if k != "demo" {
			out[k] = v
		}
	}
	return out
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
	// Loaded once for every caller waiting on it: not on the context of
	// the first, whose going away must not fail the others.
	la, err := s.lines.Get(v, func() (*lineAt, error) {
		lv, err := s.store.Line(context.WithoutCancel(ctx), v)
		if err = s.storeErr("line", err); err != nil {
			return nil, err
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
			return nil, fmt.Errorf("frontline: stored line version %d: %w", v, err)
		}
		return &lineAt{lv, line}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return la.lv, la.line, nil
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
