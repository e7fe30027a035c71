package frontline

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// MaxHistoryVersions bounds the line versions one history covers.
const MaxHistoryVersions = 2000

// History is the coverage of every line version in a range (SPEC 10), for
// charts of coverage over time.
type History struct {
	Params   Params         `json:"params"`
	Versions []HistoryEntry `json:"versions"`
}

// HistoryEntry is one version's coverage: its summary and, per sector,
// the figures a chart plots.
type HistoryEntry struct {
	Line    LineRef         `json:"line"`
	Summary Summary         `json:"summary"`
	Sectors []HistorySector `json:"sectors"`
}

// HistorySector is one sector of one version.
type HistorySector struct {
	ID                        string  `json:"id"`
	Status                    string  `json:"status"`
	TroopsRatio               float64 `json:"troops_ratio"`
	AirDefenseCoveredFraction float64 `json:"air_defense_covered_fraction"`
	PatrolCoveredFraction     float64 `json:"patrol_covered_fraction"`
}

// historyBound reads from= or to= of a history: a version number (its
// valid_from) or a time; "" is open.
func (s *Service) historyBound(name, v string, open time.Time) (time.Time, error) {
	if v == "" {
		return open, nil
	}
	if n, err := strconv.Atoi(v); err == nil {
		for _, lv := range s.Versions() {
			if lv.Version == n {
				return lv.ValidFrom, nil
			}
		}
		return time.Time{}, BadParameter(name, "%s: line version %d not found", name, n)
	}
	t, err := ParseTime(v)
	if err != nil {
		return time.Time{}, BadParameter(name, "%s must be a line version (a number) or an RFC 3339 time or date, got %q", name, truncate(v, 40))
	}
	return t, nil
}

// History computes the coverage of every line version valid from within
// [from, to] (versions or times; open ends: every version) under the
// settings of q, in time order, on every core.
func (s *Service) History(ctx context.Context, q url.Values, from, to string) (*History, error) {
	for _, name := range []string{"version", "at"} {
		if q.Has(name) {
			return nil, BadParameter(name, "a history names its range as from and to, not %s", name)
		}
	}
	lo, err := s.historyBound("from", from, time.Time{})
	if err != nil {
		return nil, err
	}
	hi, err := s.historyBound("to", to, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	if hi.Before(lo) {
		return nil, BadParameter("to", "to (%s) is before from (%s)", hi.Format(time.RFC3339), lo.Format(time.RFC3339))
	}
	var versions []*LineVersion
	for _, lv := range s.Versions() {
		if !lv.ValidFrom.Before(lo) && !lv.ValidFrom.After(hi) {
			versions = append(versions, lv)
		}
	}
	sort.SliceStable(versions, func(i, j int) bool {
		if !versions[i].ValidFrom.Equal(versions[j].ValidFrom) {
			return versions[i].ValidFrom.Before(versions[j].ValidFrom)
		}
		return versions[i].Version < versions[j].Version
	})
	if len(versions) > MaxHistoryVersions {
		return nil, BadParameter("from", "the range holds %d line versions, more than the %d one history covers: narrow from and to", len(versions), MaxHistoryVersions)
	}
	// The settings are checked once, on the first version (or the current
	// line when the range is empty), so a bad one is refused either way.
	params := func(v int) (Params, error) {
		side := url.Values{}
		for k, vals := range q {
			side[k] = vals
		}
		if v > 0 {
			side.Set("version", strconv.Itoa(v))
		}
		return s.ParseParams(ctx, side)
	}
	first := 0
	if len(versions) > 0 {
		first = versions[0].Version
	}
	p0, err := params(first)
	if err != nil {
		return nil, err
	}
	h := &History{Params: p0, Versions: make([]HistoryEntry, len(versions))}
	h.Params.Version = 0
	err = onEveryCore(ctx, len(versions), func(i int) error {
		p, err := params(versions[i].Version)
		if err != nil {
			return err
		}
		rep, _, err := s.Coverage(ctx, p)
		if err != nil {
			return err
		}
		h.Versions[i] = historyEntry(rep)
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	return h, nil
}

func historyEntry(rep *Report) HistoryEntry {
	e := HistoryEntry{Line: rep.Line, Summary: rep.Summary, Sectors: make([]HistorySector, len(rep.Sectors))}
	for i, sc := range rep.Sectors {
		e.Sectors[i] = HistorySector{ID: sc.ID, Status: sc.Status, TroopsRatio: sc.Troops.Ratio,
			AirDefenseCoveredFraction: sc.AirDefense.CoveredFraction, PatrolCoveredFraction: sc.Patrol.CoveredFraction}
	}
	return e
}
