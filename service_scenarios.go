package frontline

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// Scenarios lists every stored scenario, by id.
func (s *Service) Scenarios(ctx context.Context) ([]*Scenario, error) {
	list, err := s.store.Scenarios(ctx)
	return list, s.storeErr("scenarios", err)
}

// Scenario returns one stored scenario, kept in memory until a scenario
// is written.
func (s *Service) Scenario(ctx context.Context, id string) (*Scenario, error) {
	s.mu.Lock()
	sc, rev := s.scenarios[id], s.scenRev
	s.mu.Unlock()
	if sc != nil {
		return sc, nil
	}
	sc, err := s.store.Scenario(ctx, id)
	if err = s.storeErr("scenario", err); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.scenRev == rev { // no write overtook the read
		s.scenarios[id] = sc
	}
	s.mu.Unlock()
	return sc, nil
}

// PutScenario creates or replaces a scenario if check (when not nil)
// accepts the one stored now (nil when there is none). It reports whether
// the scenario is new; sc gets its stored revision and time.
func (s *Service) PutScenario(ctx context.Context, sc *Scenario, check Precondition[*Scenario]) (bool, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.checkScenario(ctx, sc.ID, check); err != nil {
		return false, err
	}
	created, err := s.store.PutScenario(ctx, sc, s.now().UTC())
	if err = s.storeErr("put_scenario", err); err != nil {
		return false, err
	}
	s.scenariosChanged()
	return created, nil
}

// DeleteScenario deletes a scenario if check (when not nil) accepts it.
func (s *Service) DeleteScenario(ctx context.Context, id string, check Precondition[*Scenario]) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.checkScenario(ctx, id, check); err != nil {
		return err
	}
	if err := s.storeErr("delete_scenario", s.store.DeleteScenario(ctx, id)); err != nil {
		return err
	}
	s.scenariosChanged()
	return nil
}

func (s *Service) checkScenario(ctx context.Context, id string, check Precondition[*Scenario]) error {
	if check == nil {
		return nil
	}
	cur, err := s.store.Scenario(ctx, id)
	if errors.Is(err, ErrNotFound) {
		cur, err = nil, nil
	}
	if err = s.storeErr("scenario", err); err != nil {
		return err
	}
	return check(cur)
}

// scenariosChanged forgets the scenarios read and moves their revision,
// which every result computed under a scenario is keyed on (a scenario
// deleted and made again starts at revision 1: the store's revision alone
// would not do). The caller holds writeMu.
func (s *Service) scenariosChanged() {
	s.mu.Lock()
	s.scenarios = map[string]*Scenario{}
	s.scenRev++
	s.mu.Unlock()
}

// UnitsFor returns the units a computation uses: the stored ones, or
// those of the named scenario ("" and LiveScenario: the stored ones),
// with a text that changes whenever they may have.
func (s *Service) UnitsFor(ctx context.Context, scenario string) ([]*Unit, string, error) {
	if scenario == "" || scenario == LiveScenario {
		units, rev, err := s.loadUnits(ctx)
		return units, "u" + strconv.FormatUint(rev, 10), err
	}
	s.mu.Lock()
	scenRev := s.scenRev
	s.mu.Unlock()
	sc, err := s.Scenario(ctx, scenario)
	if err != nil {
		return nil, "", err
	}
	var stored []*Unit
	key := fmt.Sprintf("s%d/%s/%d", scenRev, sc.ID, sc.Revision)
	if sc.Base == BaseLive {
		units, rev, err := s.loadUnits(ctx)
		if err != nil {
			return nil, "", err
		}
		stored, key = units, key+"/u"+strconv.FormatUint(rev, 10)
	}
	return sc.ApplyUnits(stored), key, nil
}

// Compare computes the coverage under options a and b (scenario ids or
// LiveScenario) with the same query settings, each over its scenario's
// own, and puts them side by side.
func (s *Service) Compare(ctx context.Context, q url.Values, a, b string) (*Comparison, error) {
	if q.Has("scenario") {
		return nil, BadParameter("scenario", "a comparison names its scenarios as a and b, not scenario")
	}
	var reps [2]*Report
	for i, id := range [2]string{a, b} {
		side := url.Values{}
		for k, v := range q {
			side[k] = v
		}
		side.Set("scenario", id)
		p, err := s.ParseParams(ctx, side)
		if err != nil {
			return nil, err
		}
		if reps[i], _, err = s.Coverage(ctx, p); err != nil {
			return nil, err
		}
	}
	return Compare(a, reps[0], b, reps[1]), nil
}
