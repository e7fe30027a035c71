package frontline

import (
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ParseParams reads coverage settings from query parameters, over the
// built-in defaults. Unknown parameters are left to the caller.
func ParseParams(q url.Values) (Params, error) { return ParseParamsOver(q, DefaultParams()) }

// ParseParamsOver reads coverage settings from query parameters over the
// given defaults: a sectorisation in the query replaces the default one.
func ParseParamsOver(q url.Values, defaults Params) (Params, error) {
	p := defaults
	p.Version, p.At = 0, time.Time{}
	if q.Has("sector_km") || q.Has("sectors") {
		p.SectorKm, p.Sectors, p.Anchors = 0, 0, false
	}
	bad := func(name, format string, args ...any) error {
		return invalid("bad_parameter", Location{Feature: -1, Part: -1, Vertex: -1, Field: name}, format, args...)
	}
	for name, vs := range q {
		if len(vs) > 1 {
			return p, bad(name, "%s is given %d times; give it once", name, len(vs))
		}
	}
	num := func(name string, dst *float64) error {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return bad(name, "%s must be a number, got %q", name, truncate(v, 40))
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
			return bad(name, "%s must be a whole number, got %q", name, truncate(v, 40))
		}
		*dst = n
		return nil
	}
	for _, f := range []struct {
		name string
		dst  *float64
	}{
		{"sector_km", &p.SectorKm}, {"depth_km", &p.DepthKm}, {"required_per_km", &p.RequiredPerKm},
		{"troops_ok", &p.TroopsOK}, {"air_defense_ok", &p.AirDefenseOK}, {"patrol_ok", &p.PatrolOK},
	} {
		if err := num(f.name, f.dst); err != nil {
			return p, err
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
		return p, bad("version", "version must be a positive whole number, got %q", q.Get("version"))
	}
	if v := q.Get("side"); v != "" {
		p.Side = v
	}
	if v := q.Get("at"); v != "" {
		t, err := ParseTime(v)
		if err != nil {
			return p, bad("at", "at must be an RFC 3339 time or a date, got %q", truncate(v, 40))
		}
		p.At = t
	}
	if p.Version != 0 && !p.At.IsZero() {
		return p, bad("version", "give version or at, not both")
	}
	if q.Get("sector_km") != "" && p.SectorKm == 0 {
		return p, bad("sector_km", "sector_km must be a positive number, got 0")
	}
	if q.Get("sectors") != "" && q.Get("sectors") != "anchors" && p.Sectors == 0 {
		return p, bad("sectors", "sectors must be between 1 and 10000, got 0")
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
	if p.Version > 0 {
		v.Set("version", strconv.Itoa(p.Version))
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
