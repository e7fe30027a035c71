package frontline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"frontline/geo"
)

// Codes of areas from which no line can be derived.
const (
	// CodeNoContact: the area's edge runs along the territory's boundary
	// everywhere (within the tolerance), so it has no line of contact.
	CodeNoContact Code = "no_contact"
	// CodeOutsideTerritory: no part of the area lies in the reference
	// territory.
	CodeOutsideTerritory Code = "outside_territory"
	// CodeNoTerritory: there is no reference territory to derive against.
	CodeNoTerritory Code = "no_territory"
)

// Border settings of a derivation.
const (
	BorderAppend = "append"
	BorderNone   = "none"
)

// DeriveOptions are the parameters of deriving lines of contact from
// areas (SPEC 10) and the checks of the line versions they make.
type DeriveOptions struct {
	ToleranceKm float64 // 0: 2 km
	MinPartKm   float64 // 0: 5 km
	// Border is "append" (the default where the territory has a land
	// border) or "none".
	Border string
	Import ImportOptions
}

func (o *DeriveOptions) check(t *Territory) error {
	if o.ToleranceKm == 0 {
		o.ToleranceKm = geo.DefaultToleranceKm
	}
	if o.MinPartKm == 0 {
		o.MinPartKm = geo.DefaultMinPartKm
	}
	if !(o.ToleranceKm >= 0.1 && o.ToleranceKm <= 50) {
		return BadParameter("tolerance_km", "tolerance_km must be from 0.1 to 50 km, got %g", o.ToleranceKm)
	}
	if !(o.MinPartKm >= 0.01 && o.MinPartKm <= 1000) {
		return BadParameter("min_part_km", "min_part_km must be from 0.01 to 1000 km, got %g", o.MinPartKm)
	}
	switch o.Border {
	case "":
		o.Border = BorderNone
		if t.HasBorder() {
			o.Border = BorderAppend
		}
	case BorderAppend, BorderNone:
	default:
		return BadParameter("border", "border must be append or none, got %q", truncate(o.Border, 40))
	}
	return nil
}

// AreaImport is the outcome of an area import: the area versions and the
// line versions derived from them.
type AreaImport struct {
	Imported  int            `json:"imported"`
	Unchanged int            `json:"unchanged"`
	Areas     []*AreaVersion `json:"areas"`
	Lines     []*LineVersion `json:"lines"`
}

// Territory returns the reference territory lines are derived against:
// the stored one, else the built-in one (Options.Territory), else an error
// wrapping ErrNotFound.
func (s *Service) Territory(ctx context.Context) (*Territory, error) {
	s.mu.Lock()
	t := s.territory
	s.mu.Unlock()
	if t != nil {
		return t, nil
	}
	raw, err := s.store.Territory(ctx)
	if err = s.storeErr("territory", err); err != nil {
		return nil, err
	}
	if raw == nil {
		raw = s.opt.Territory
	}
	if raw == nil {
		return nil, fmt.Errorf("%w: no reference territory: store one with PUT /v1/territory", ErrNotFound)
	}
	if t, err = ParseTerritory(raw); err != nil {
		return nil, fmt.Errorf("frontline: the reference territory: %w", err)
	}
	s.mu.Lock()
	s.territory = t
	s.mu.Unlock()
	return t, nil
}

// SetTerritory replaces the reference territory (nil: back to the
// built-in one). Lines derived before keep their geometry.
func (s *Service) SetTerritory(ctx context.Context, raw []byte) (*Territory, error) {
	var t *Territory
	if raw != nil {
		var err error
		if t, err = ParseTerritory(raw); err != nil {
			return nil, err
		}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.storeErr("set_territory", s.store.SetTerritory(ctx, raw)); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.territory = t
	s.mu.Unlock()
	if t == nil {
		return s.Territory(ctx)
	}
	return t, nil
}

// Areas lists the area versions.
func (s *Service) Areas(ctx context.Context) ([]*AreaVersion, error) {
	as, err := s.store.Areas(ctx)
	return as, s.storeErr("areas", err)
}

// Area returns one area version with its geometry.
func (s *Service) Area(ctx context.Context, version int) (*AreaVersion, error) {
	a, err := s.store.Area(ctx, version)
	return a, s.storeErr("area", err)
}

// ImportAreas derives the line of contact of each area and stores the
// areas with their lines, all or nothing: a line that cannot be derived,
// or that changes the line's length by more than allowed, refuses the
// whole import. progress, if not nil, hears of each derivation.
func (s *Service) ImportAreas(ctx context.Context, ins []*AreaInput, opt DeriveOptions, progress func(done, total int)) (*AreaImport, error) {
	t, err := s.Territory(ctx)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, invalid(CodeNoTerritory, Nowhere, "%v", err)
		}
		return nil, err
	}
	if err := opt.check(t); err != nil {
		return nil, err
	}
	for i, in := range ins {
		if n := in.Vertices(); n > s.opt.MaxVertices {
			return nil, &InputError{Code: CodeTooManyVertices, At: Location{Feature: i, Part: -1, Vertex: -1},
				Message: fmt.Sprintf("area has %d positions, more than the limit of %d", n, s.opt.MaxVertices)}
		}
	}
	if err := sameAreaValidFrom(ins); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	for _, in := range ins {
		if in.ValidFrom.IsZero() {
			in.ValidFrom = now
		}
	}
	lines, err := s.deriveAll(ctx, t, ins, opt, progress)
	if err != nil {
		return nil, err
	}
	items := make([]DerivedLine, len(ins))
	for i := range ins {
		items[i] = DerivedLine{Area: ins[i], Line: lines[i]}
	}

	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.reloadVersions(ctx); err != nil {
		return nil, err
	}
	if opt.Import.MaxLengthChange == 0 {
		opt.Import.MaxLengthChange = DefaultMaxLengthChange
	}
	if !opt.Import.Force {
		if err := s.checkLengths(lines, now, opt.Import.MaxLengthChange); err != nil {
			return nil, err
		}
	}
	areas, lres, err := s.store.AddAreas(ctx, items, now)
	if err = s.storeErr("add_areas", err); err != nil {
		return nil, err
	}
	if err := s.reloadVersions(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.linesRev++
	s.mu.Unlock()
	out := &AreaImport{Areas: make([]*AreaVersion, len(areas)), Lines: make([]*LineVersion, 0, len(lres))}
	for i, a := range areas {
		out.Areas[i] = a.Area
		if a.Created {
			out.Imported++
		} else {
			out.Unchanged++
		}
	}
	for _, l := range lres {
		if l.Line != nil {
			out.Lines = append(out.Lines, l.Line)
		}
	}
	return out, nil
}

// deriveAll derives the areas' lines on every core.
func (s *Service) deriveAll(ctx context.Context, t *Territory, ins []*AreaInput, opt DeriveOptions, progress func(done, total int)) ([]*LineInput, error) {
	lines := make([]*LineInput, len(ins))
	err := onEveryCore(ctx, len(ins), func(i int) error {
		var err error
		lines[i], err = deriveLine(t, ins[i], i, opt)
		return err
	}, progress)
	if err != nil {
		return nil, err
	}
	return lines, nil
}

// deriveLine derives one area's line of contact as a line version to
// store.
func deriveLine(t *Territory, in *AreaInput, i int, opt DeriveOptions) (*LineInput, error) {
	at := Location{Feature: i, Part: -1, Vertex: -1}
	area := in.MultiPolygon()
	if !t.contains(area) {
		return nil, invalid(CodeOutsideTerritory, at, "the area lies outside the reference territory: no line of contact to derive (is it the right territory, and longitude before latitude?)")
	}
	c, err := t.geo.ContactLine(area, geo.ContactOptions{
		ToleranceKm: opt.ToleranceKm, MinPartKm: opt.MinPartKm, AppendBorder: opt.Border == BorderAppend})
	if errors.Is(err, geo.ErrNoContact) {
		return nil, invalid(CodeNoContact, at, "the area's edge runs within %g km of the territory's border or coast everywhere: it has no line of contact", opt.ToleranceKm)
	}
	if err != nil {
		return nil, err
	}
	parts := make([][]Position, len(c.Parts))
	for k, part := range c.Parts {
		parts[k] = make([]Position, len(part))
		for j, p := range part {
			parts[k][j] = Position{round6(p[0]), round6(p[1])}
		}
	}
	l, err := validLine(parts, at)
	if err != nil {
		return nil, fmt.Errorf("the line derived from this area: %w", err)
	}
	props := map[string]any{
		"derivation": map[string]any{
			"tolerance_km": opt.ToleranceKm, "snap_km": math.Min(geo.DefaultSnapKm, opt.ToleranceKm),
			"min_part_km": opt.MinPartKm, "border": opt.Border, "territory": t.Hash[:16],
		},
		"contact_km":    round3(c.ContactKm),
		"border_km":     round3(c.BorderKm),
		"contact_parts": c.ContactParts,
		"dropped_parts": c.Dropped,
		"orientation":   "the area (the other side) on the right of each part",
	}
	// The licence of what the line is made of: the area's, and the
	// territory's where its border was appended.
	var lic []string
	if l, ok := in.Properties["license"].(string); ok && l != "" {
		lic = append(lic, l)
	}
	if c.BorderKm > 0 && t.License != "" {
		lic = append(lic, "the appended land border: "+t.License+" ("+t.Source+")")
	}
	if len(lic) > 0 {
		props["license"] = strings.Join(lic, "; ")
	}
	source := in.Source
	if source == "" {
		source = "derived from an area of the other side"
	}
	return &LineInput{Parts: parts, ValidFrom: in.ValidFrom, Source: source, Properties: props, Line: l}, nil
}

func round3(x float64) float64 { return math.Round(x*1e3) / 1e3 }

// sameAreaValidFrom refuses two different areas with one valid_from.
func sameAreaValidFrom(ins []*AreaInput) error {
	return ambiguousValidFrom(len(ins), "areas", func(i int) (time.Time, string) { return ins[i].ValidFrom, ins[i].ContentHash() })
}

// AlongBoundaryWarning is the share of a posted line along the reference
// territory's border and coast from which imports warn that it looks like
// an area's outline posted as a line.
const AlongBoundaryWarning = 0.5

// AlongBoundary says how much of a line runs along the reference
// territory's boundary (within the derivation's default tolerance): a line
// that mostly does is likely an area's outline posted as a line.
func (s *Service) AlongBoundary(ctx context.Context, l *geo.Line) (fraction float64, ok bool) {
	t, err := s.Territory(ctx)
	if err != nil {
		return 0, false
	}
	return t.geo.AlongBoundary(l.Parts(), geo.DefaultToleranceKm), true
}
