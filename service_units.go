package frontline

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"frontline/geo"
)

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

// UnitsWritten says what a write of many units did.
type UnitsWritten struct {
	New     []bool `json:"-"` // for each unit given, whether it was new
	Created int    `json:"created"`
	Deleted int    `json:"deleted"` // by replaceAll
	Updated int    `json:"updated"`
}

// PutUnits stores units, all or nothing; replaceAll deletes the others.
// The counts are taken under the write lock, so a concurrent write cannot
// make them wrong.
func (s *Service) PutUnits(ctx context.Context, units []*Unit, replaceAll bool) (UnitsWritten, error) {
	var out UnitsWritten
	if len(units) > s.opt.MaxUnits {
		return out, &InputError{Code: CodeTooManyFeatures, At: Nowhere,
			Message: fmt.Sprintf("%d units in one import, more than the limit of %d", len(units), s.opt.MaxUnits)}
	}
	seen := make(map[string]int, len(units))
	for i, u := range units {
		if j, dup := seen[u.ID]; dup {
			return out, invalid(CodeDuplicateID, Location{Feature: i, Part: -1, Vertex: -1, Field: "id"}, "id %q is also used by feature %d", u.ID, j)
		}
		seen[u.ID] = i
	}
	_, err := s.writeUnits(func() ([]bool, error) {
		before := 0
		if replaceAll {
			stored, err := s.store.Units(ctx)
			if err = s.storeErr("units", err); err != nil {
				return nil, err
			}
			before = len(stored)
		}
		created, err := s.store.PutUnits(ctx, units, replaceAll)
		if err = s.storeErr("put_units", err); err != nil {
			return nil, err
		}
		out.New = created
		for _, c := range created {
			if c {
				out.Created++
			}
		}
		out.Updated = len(created) - out.Created
		if replaceAll {
			out.Deleted = before - out.Updated
		}
		return created, nil
	})
	if err != nil {
		return UnitsWritten{}, err
	}
	return out, nil
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
			return invalid(CodeBadAnchor, at, "anchor names must be given and unique, got %q", a.Name)
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
