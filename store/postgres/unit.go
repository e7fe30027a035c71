package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"frontline"
	"frontline/store/audit"
)

// Units returns every unit, by id (bytewise: the column is COLLATE "C").
func (db *DB) Units(ctx context.Context) ([]*frontline.Unit, error) {
	return queryAll(ctx, db, "units", "SELECT id, feature FROM units ORDER BY id", func(row scanner) (*frontline.Unit, error) {
		var (
			id      string
			feature []byte
		)
		if err := row.Scan(&id, &feature); err != nil {
			return nil, err
		}
		return parseUnit(id, feature)
	})
}

// Unit returns one unit.
func (db *DB) Unit(ctx context.Context, id string) (*frontline.Unit, error) {
	var feature []byte
	err := db.pool.QueryRow(ctx, "SELECT feature FROM units WHERE id = $1", id).Scan(&feature)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, unitNotFound(id)
	case err != nil:
		return nil, fail(fmt.Sprintf("unit %q", id), err)
	}
	u, err := parseUnit(id, feature)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return u, nil
}

func unitNotFound(id string) error {
	return fmt.Errorf("postgres: unit %q not found: %w", id, frontline.ErrNotFound)
}

// parseUnit rebuilds a unit from its stored Feature, so that the derived
// fields (strength, range, ...) have one definition: frontline.ParseUnit.
func parseUnit(id string, feature []byte) (*frontline.Unit, error) {
	u, err := frontline.ParseUnit(feature, -1)
	if err != nil {
		return nil, fmt.Errorf("unit %q as stored: %w", id, err)
	}
	return u, nil
}

// PutUnits stores the units in one transaction. A unit given twice is
// stored as last given and reported new only the first time. A unit whose
// Feature would not parse back is refused (wrapping frontline.ErrInvalid),
// because it would make every later read of the units fail.
func (db *DB) PutUnits(ctx context.Context, units []*frontline.Unit, replaceAll bool) ([]bool, error) {
	created := make([]bool, len(units))
	if len(units) == 0 && !replaceAll {
		return created, nil
	}
	// Not nil even when empty: a nil slice is bound as NULL, and
	// "id <> ALL (NULL)" deletes nothing.
	ids := make([]string, len(units))
	features := make([]string, len(units))
	kinds := make([]string, len(units))
	geoms := make([][]byte, len(units))
	// Encode and check before the transaction.
	for i, u := range units {
		if u == nil || len(u.Coords) == 0 {
			return nil, fmt.Errorf("postgres: put units: unit %d has no geometry: %w", i, frontline.ErrInvalid)
		}
		feature, err := json.Marshal(u)
		if err != nil {
			return nil, fmt.Errorf("postgres: put units: unit %q: %w", u.ID, err)
		}
		back, err := frontline.ParseUnit(feature, i)
		if err != nil {
			return nil, fmt.Errorf("postgres: put units: unit %q would not read back: %w", u.ID, err)
		}
		if back.ID != u.ID {
			return nil, fmt.Errorf("postgres: put units: unit %q reads back as %q: %w", u.ID, back.ID, frontline.ErrInvalid)
		}
		ids[i], features[i], kinds[i], geoms[i] = u.ID, string(feature), back.Kind, unitWKB(back)
	}
	action := "units.put"
	if replaceAll {
		action = "units.replace"
	}
	err := db.inAuditedTx(ctx, action, func(tx pgx.Tx) (string, int, error) {
		// Insert-or-ignore then update tells new from replaced in at
		// most two statements, without a read first.
		for i := range units {
			tag, err := tx.Exec(ctx, "INSERT INTO units (id, kind, feature, geom) VALUES ($1, $2, $3, ST_GeomFromWKB($4, 4326)) ON CONFLICT (id) DO NOTHING",
				ids[i], kinds[i], features[i], geoms[i])
			if err != nil {
				return "", 0, fmt.Errorf("unit %q: %w", ids[i], err)
			}
			if created[i] = tag.RowsAffected() == 1; created[i] {
				continue
			}
			if _, err := tx.Exec(ctx, "UPDATE units SET kind = $1, feature = $2, geom = ST_GeomFromWKB($3, 4326) WHERE id = $4",
				kinds[i], features[i], geoms[i], ids[i]); err != nil {
				return "", 0, fmt.Errorf("unit %q: %w", ids[i], err)
			}
		}
		if !replaceAll {
			return audit.Listed(ids), frontline.ChangedUnits, nil
		}
		tag, err := tx.Exec(ctx, "DELETE FROM units WHERE id <> ALL ($1::text[])", ids)
		if err != nil {
			return "", 0, err
		}
		var gone string
		if n := tag.RowsAffected(); n > 0 {
			gone = fmt.Sprintf("deleted %d", n)
		}
		return audit.Target(audit.Listed(ids), gone), frontline.ChangedUnits, nil
	})
	if err != nil {
		return nil, fail("put units", err)
	}
	return created, nil
}

// DeleteUnit deletes one unit.
func (db *DB) DeleteUnit(ctx context.Context, id string) error {
	err := db.inAuditedTx(ctx, "unit.delete", func(tx pgx.Tx) (string, int, error) {
		tag, err := tx.Exec(ctx, "DELETE FROM units WHERE id = $1", id)
		if err != nil {
			return "", 0, err
		}
		if tag.RowsAffected() == 0 {
			return "", 0, unitNotFound(id) // no entry for a delete of nothing
		}
		return id, frontline.ChangedUnits, nil
	})
	switch {
	case errors.Is(err, frontline.ErrNotFound):
		return err
	case err != nil:
		return fail(fmt.Sprintf("delete unit %q", id), err)
	}
	return nil
}
