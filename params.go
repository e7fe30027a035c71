package frontline

import (
	"encoding/json"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"frontline/geo"
)

// Default settings of a coverage computation.
const (
	DefaultSectorKm      = 25.0
	DefaultDepthKm       = 30.0
	DefaultRequiredPerKm = 48.0 // about 100,000 troops over about 2,100 km
	DefaultTroopsOK      = 1.0
	DefaultAirDefenseOK  = 0.9
	DefaultPatrolOK      = 0.9
	// DefaultRotation: for each soldier on duty on the line, one preparing
	// and one recovering.
	DefaultRotation = 3.0
)

// Bounds of settings beyond which a figure means nothing, and would
// overflow the exact whole numbers of troops derived from it
// (Requirements, Force).
const (
	maxRequiredPerKm = 100000 // 100 troops per metre of line
	maxRotation      = 100
)

// Params are the settings of one coverage computation. Every coverage read
// takes them, so an analyst can ask "what if" without changing anything
// stored.
type Params struct {
	SectorKm      float64 `json:"sector_km,omitempty"`
	Sectors       int     `json:"sectors,omitempty"`
	Anchors       bool    `json:"anchors,omitempty"` // sectors between the stored anchors
	DepthKm       float64 `json:"depth_km"`
	Side          string  `json:"side"`
	RequiredPerKm float64 `json:"required_per_km"`
	TroopsOK      float64 `json:"troops_ok"`
	AirDefenseOK  float64 `json:"air_defense_ok"`
	PatrolOK      float64 `json:"patrol_ok"`
	// Rotation is how many troops a force needs for each one on the
	// line: troops_with_rotation in a report's force totals.
	Rotation float64 `json:"rotation"`

	Version int       `json:"version,omitempty"` // a line version; 0: as of At
	At      time.Time `json:"at,omitzero"`       // zero: the current line
	// Scenario names the stored scenario whose units (and settings, by
	// Service.ParseParams) the computation uses; "": the stored units.
	Scenario string `json:"scenario,omitempty"`

	valid bool // Validate passed, and nothing changed the settings since
}

// DefaultParams returns the default settings.
func DefaultParams() Params {
	return Params{SectorKm: DefaultSectorKm, DepthKm: DefaultDepthKm, Side: "both",
		RequiredPerKm: DefaultRequiredPerKm, TroopsOK: DefaultTroopsOK,
		AirDefenseOK: DefaultAirDefenseOK, PatrolOK: DefaultPatrolOK, Rotation: DefaultRotation}
}

// Validate refuses settings out of range, naming the parameter.
func (p *Params) Validate() error {
	set := 0
	if p.SectorKm != 0 {
		set++
	}
	if p.Sectors != 0 {
		set++
	}
	if p.Anchors {
		set++
	}
	switch {
	case set > 1:
		return BadParameter("sector_km", "give only one of sector_km, sectors and anchors")
	case set == 0:
		p.SectorKm = DefaultSectorKm
	}
	if p.Rotation == 0 {
		// Settings stored before rotation was one.
		p.Rotation = DefaultRotation
	}
	switch {
	case p.SectorKm < 0 || math.IsNaN(p.SectorKm) || math.IsInf(p.SectorKm, 0):
		return BadParameter("sector_km", "sector_km must be a positive number, got %g", p.SectorKm)
	case p.SectorKm != 0 && p.SectorKm < 0.1:
		return BadParameter("sector_km", "sector_km must be at least 0.1, got %g", p.SectorKm)
	case p.Sectors < 0 || p.Sectors > geo.MaxSectors:
		return BadParameter("sectors", "sectors must be between 1 and %d, got %d", geo.MaxSectors, p.Sectors)
	case !(p.DepthKm > 0) || p.DepthKm > geo.MaxDepthKm:
		return BadParameter("depth_km", "depth_km must be above 0 and at most %g, got %g", geo.MaxDepthKm, p.DepthKm)
	case !(p.RequiredPerKm > 0) || math.IsInf(p.RequiredPerKm, 0):
		return BadParameter("required_per_km", "required_per_km must be a positive number, got %g", p.RequiredPerKm)
	case p.RequiredPerKm > maxRequiredPerKm:
		return BadParameter("required_per_km", "required_per_km must be at most %d, got %g", maxRequiredPerKm, p.RequiredPerKm)
	case !(p.Rotation >= 1) || p.Rotation > maxRotation:
		return BadParameter("rotation", "rotation must be at least 1 and at most %d, got %g", maxRotation, p.Rotation)
	case p.Version < 0:
		return BadParameter("version", "version must be a positive integer, got %d", p.Version)
	}
	for _, t := range []struct {
		name string
		v    float64
	}{{"troops_ok", p.TroopsOK}, {"air_defense_ok", p.AirDefenseOK}, {"patrol_ok", p.PatrolOK}} {
		if !(t.v > 0) || t.v > 100 {
			return BadParameter(t.name, "%s must be above 0, got %g", t.name, t.v)
		}
	}
	if _, err := geo.ParseSide(p.Side); err != nil {
		return BadParameter("side", "side must be both, left or right, got %q", p.Side)
	}
	p.valid = true
	return nil
}

// Sectoring returns the engine's sectorisation for the settings.
func (p *Params) Sectoring(anchors []geo.Anchor) geo.Sectoring {
	switch {
	case p.Anchors:
		return geo.Sectoring{Anchors: anchors}
	case p.Sectors > 0:
		return geo.Sectoring{Count: p.Sectors}
	}
	return geo.Sectoring{SectorKm: p.SectorKm}
}

// ZoneOptions returns the engine's zone settings.
func (p *Params) ZoneOptions() geo.ZoneOptions {
	side, _ := geo.ParseSide(p.Side)
	return geo.ZoneOptions{DepthKm: p.DepthKm, Side: side}
}

// Setting is one coverage setting. Its Name is the query parameter, the
// key of the stored defaults (PUT /v1/settings), the command-line flag
// (with - for _) and the parameter of the OpenAPI document: this table is
// the one list all of them read.
type Setting struct {
	Name string
	Help string
	// Line settings pick the line version (version, at); they have no
	// stored default.
	Line bool
	// number points at the field of a setting read as a plain number.
	number func(p *Params) *float64
}

// Settings lists the coverage settings, in the order documents show them.
var Settings = []Setting{
	{Name: "sector_km", Help: "sectors of this length along the line, in km, from its first vertex (default 25)",
		number: func(p *Params) *float64 { return &p.SectorKm }},
	{Name: "sectors", Help: "N sectors of equal length, or anchors for sectors between the stored anchors"},
	{Name: "depth_km", Help: "the zone is the band within this geodesic distance of the line, in km (default 30)",
		number: func(p *Params) *float64 { return &p.DepthKm }},
	{Name: "side", Help: "both, left or right of the line's direction (default both)"},
	{Name: "required_per_km", Help: "troops needed per km of line (default 48)",
		number: func(p *Params) *float64 { return &p.RequiredPerKm }},
	{Name: "posture", Help: "sets required_per_km to a named preset, unless required_per_km is given: " + postureNames()},
	{Name: "troops_ok", Help: "troop ratio from which a sector's troops are ok (default 1)",
		number: func(p *Params) *float64 { return &p.TroopsOK }},
	{Name: "air_defense_ok", Help: "share of the zone under air defense from which it is ok (default 0.9)",
		number: func(p *Params) *float64 { return &p.AirDefenseOK }},
	{Name: "patrol_ok", Help: "share of the line watched by patrols from which it is ok (default 0.9)",
		number: func(p *Params) *float64 { return &p.PatrolOK }},
	{Name: "rotation", Help: "troops a force needs for each one on the line: on duty, preparing, recovering (default 3; at least 1)",
		number: func(p *Params) *float64 { return &p.Rotation }},
	{Name: "version", Help: "the line version by number (default: the current one)", Line: true},
	{Name: "at", Help: "the line version valid at this RFC 3339 time or date", Line: true},
	{Name: "scenario", Help: "the units and settings of a stored scenario (default live: the stored units)", Line: true},
}

// SettingNames lists the names of the settings; without line, those that
// can have a stored default.
func SettingNames(line bool) []string {
	var names []string
	for _, s := range Settings {
		if line || !s.Line {
			names = append(names, s.Name)
		}
	}
	return names
}

// Settings returns p's settings that can be stored (all but the line and
// scenario they select), by their names, so that they can be given back
// as they are (PUT /v1/settings, a scenario's settings).
func (p Params) Settings() map[string]any {
	out := map[string]any{"depth_km": p.DepthKm, "side": p.Side, "required_per_km": p.RequiredPerKm,
		"troops_ok": p.TroopsOK, "air_defense_ok": p.AirDefenseOK, "patrol_ok": p.PatrolOK, "rotation": p.Rotation}
	switch {
	case p.Anchors:
		out["sectors"] = "anchors"
	case p.Sectors > 0:
		out["sectors"] = p.Sectors
	default:
		out["sector_km"] = p.SectorKm
	}
	return out
}

func isSetting(name string, line bool) bool {
	for _, s := range Settings {
		if s.Name == name && (line || !s.Line) {
			return true
		}
	}
	return false
}

// settingsQuery turns settings given as a JSON object (numbers and
// strings, by the query parameters' names) into a query, so that they are
// read by the same rules.
func settingsQuery(obj map[string]any) (url.Values, error) {
	q := url.Values{}
	for k, v := range obj {
		switch v := v.(type) {
		case float64:
			q.Set(k, strconv.FormatFloat(v, 'g', -1, 64))
		case json.Number:
			q.Set(k, v.String())
		case int:
			q.Set(k, strconv.Itoa(v))
		case string:
			q.Set(k, v)
		default:
			return nil, BadParameter(k, "%s must be a number or a string", k)
		}
	}
	return q, nil
}

// ParseParams reads coverage settings from query parameters, over the
// built-in defaults. Unknown parameters are left to the caller.
func ParseParams(q url.Values) (Params, error) { return ParseParamsOver(q, DefaultParams()) }

// ParseParamsOver reads coverage settings from query parameters over the
// given defaults: a sectorisation in the query replaces the default one.
func ParseParamsOver(q url.Values, defaults Params) (Params, error) {
	p := defaults
	p.Version, p.At, p.Scenario, p.valid = 0, time.Time{}, "", false
	if q.Has("sector_km") || q.Has("sectors") {
		p.SectorKm, p.Sectors, p.Anchors = 0, 0, false
	}
	// Only the settings are this parser's: other names are the caller's
	// to take or refuse.
	for name, vs := range q {
		if len(vs) > 1 && isSetting(name, true) {
			return p, BadParameter(name, "%s is given %d times; give it once", name, len(vs))
		}
	}
	num := func(name string, dst *float64) error {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return BadParameter(name, "%s must be a number, got %q", name, truncate(v, 40))
		}
		*dst = f
		return nil
	}
	integer := func(name string, dst *int) error {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return BadParameter(name, "%s must be a whole number, got %q", name, truncate(v, 40))
		}
		*dst = n
		return nil
	}
	for _, s := range Settings {
		if s.number == nil {
			continue
		}
		if err := num(s.Name, s.number(&p)); err != nil {
			return p, err
		}
	}
	if name := q.Get("posture"); name != "" {
		posture, err := PostureNamed(name)
		if err != nil {
			return p, err
		}
		// An explicit required_per_km wins over the preset.
		if q.Get("required_per_km") == "" {
			p.RequiredPerKm = posture.RequiredPerKm
		}
	}
	if q.Get("sectors") == "anchors" {
		p.Anchors = true
	} else if err := integer("sectors", &p.Sectors); err != nil {
		return p, err
	}
	if err := integer("version", &p.Version); err != nil {
		return p, err
	}
	if q.Get("version") != "" && p.Version < 1 {
		return p, BadParameter("version", "version must be a positive whole number, got %q", q.Get("version"))
	}
	if v := q.Get("side"); v != "" {
		p.Side = v
	}
	if v := q.Get("scenario"); v != "" && v != LiveScenario {
		if err := CheckScenarioID(v); err != nil {
			return p, BadParameter("scenario", "scenario must be live or a scenario id (1 to 64 of a-z, 0-9 and -), got %q", truncate(v, 70))
		}
		p.Scenario = v
	}
	if v := q.Get("at"); v != "" {
		t, err := ParseTime(v)
		if err != nil {
			return p, BadParameter("at", "at must be an RFC 3339 time or a date, got %q", truncate(v, 40))
		}
		p.At = t
	}
	if p.Version != 0 && !p.At.IsZero() {
		return p, BadParameter("version", "give version or at, not both")
	}
	if q.Get("sector_km") != "" && p.SectorKm == 0 {
		return p, BadParameter("sector_km", "sector_km must be a positive number, got 0")
	}
	if q.Get("rotation") != "" && p.Rotation == 0 {
		// Validate would read 0 as "not set": a query must not.
		return p, BadParameter("rotation", "rotation must be at least 1 and at most %d, got 0", maxRotation)
	}
	if q.Get("sectors") != "" && q.Get("sectors") != "anchors" && p.Sectors == 0 {
		return p, BadParameter("sectors", "sectors must be between 1 and %d, got 0", geo.MaxSectors)
	}
	return p, p.Validate()
}

// Key is a canonical text of the settings, the same for the same
// computation whatever order or spelling the query had.
func (p Params) Key() string {
	v := url.Values{}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	switch {
	case p.Anchors:
		v.Set("sectors", "anchors")
	case p.Sectors > 0:
		v.Set("sectors", strconv.Itoa(p.Sectors))
	default:
		v.Set("sector_km", f(p.SectorKm))
	}
	v.Set("depth_km", f(p.DepthKm))
	v.Set("side", p.Side)
	v.Set("required_per_km", f(p.RequiredPerKm))
	v.Set("troops_ok", f(p.TroopsOK))
	v.Set("air_defense_ok", f(p.AirDefenseOK))
	v.Set("patrol_ok", f(p.PatrolOK))
	// Rotation changes a report's force totals. A posture is no part of
	// the key: it only sets required_per_km, which is.
	v.Set("rotation", f(p.Rotation))
	if p.Version > 0 {
		v.Set("version", strconv.Itoa(p.Version))
	}
	if p.Scenario != "" {
		v.Set("scenario", p.Scenario)
	}
	if !p.At.IsZero() {
		v.Set("at", p.At.UTC().Format("2006-01-02T15:04:05.999999999Z"))
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + v.Get(k) + "&")
	}
	return b.String()
}
