package frontline

import (
	"context"
	"time"
)

// follow keeps the service's caches in step with the writes that other
// processes commit to a Shared store (replicas of the service on one
// database), until ctx ends.
func (s *Service) follow(ctx context.Context, sh Shared) {
	for ctx.Err() == nil {
		if err := sh.Watch(ctx, func(what int) { s.changedElsewhere(ctx, what) }); err != nil && ctx.Err() == nil {
			// Watch retries its own connection; an error here is
			// unexpected, so wait a little and watch again, assuming
			// everything moved meanwhile.
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			s.changedElsewhere(ctx, ChangedAll)
		}
	}
}

// changedElsewhere forgets what a committed write (by any process) may
// have made stale, and moves the revisions the caches are keyed on.
func (s *Service) changedElsewhere(ctx context.Context, what int) {
	if what&ChangedLines != 0 {
		// Versions and areas; a reload that fails (the database just
		// went away) leaves the list as it was, and the next notice or
		// reconnection brings it.
		_ = s.linesChanged(ctx)
	}
	var defaults *Params
	if what&ChangedSettings != 0 {
		if d, err := s.store.Defaults(ctx); err == nil && d != nil && d.Validate() == nil {
			defaults = d
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if what&ChangedUnits != 0 {
		s.units = nil
		s.unitsRev++
	}
	if what&ChangedAnchors != 0 {
		s.anchors, s.ancOK = nil, false
		s.ancRev++
	}
	if what&ChangedScenarios != 0 {
		s.scenarios = map[string]*Scenario{}
		s.scenRev++
	}
	if what&ChangedSettings != 0 {
		if defaults != nil {
			s.defaults = *defaults
		}
		s.linesRev++
	}
	if what&ChangedTerritory != 0 {
		s.territory = nil
	}
	if what&ChangedKeys != 0 {
		s.authCache.Range(func(k, _ any) bool {
			s.authCache.Delete(k)
			return true
		})
	}
}

// Close stops following other processes' writes.
func (s *Service) Close() {
	if s.stop != nil {
		s.stop()
	}
}
