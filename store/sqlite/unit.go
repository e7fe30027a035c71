package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"frontline"
	"frontline/store/audit"
)

// Units returns every unit, by id.
func (db *DB) Units(ctx context.Context) ([]*frontline.Unit, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT id, feature FROM units ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("sqlite: units: %w", err)
	}
	defer rows.Close()
	units := []*frontline.Unit{}
	for rows.Next() {
		var id string
		var feature []byte
		if err := rows.Scan(&id, &feature); err != nil {
			return nil, fmt.Errorf("sqlite: units: %w", err)
		}
		u, err := parseUnit(id, feature)
		if err != nil {
			return nil, fmt.Errorf("sqlite: units: %w", err)
		}
		units = append(units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: units: %w", err)
	}
	return units, nil
}

// Unit returns one unit.
func (db *DB) Unit(ctx context.Context, id string) (*frontline.Unit, error) {
	var feature []byte
	err := db.read.QueryRowContext(ctx, "SELECT feature FROM units WHERE id = ?", id).Scan(&feature)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, unitNotFound(id)
	case err != nil:
		return nil, fmt.Errorf("sqlite: unit %q: %w", id, err)
	}
	u, err := parseUnit(id, feature)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return u, nil
}

func unitNotFound(id string) error {
	return fmt.Errorf("sqlite: unit %q not found: %w", id, frontline.ErrNotFound)
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
	ids := make([]string, len(units))
	features := make([]string, len(units)) // string: JSON is TEXT, a []byte would bind as a BLOB
	kinds := make([]string, len(units))
	// Encode and check before taking the write lock.
	for i, u := range units {
		if u == nil || len(u.Coords) == 0 {
			return nil, fmt.Errorf("sqlite: put units: unit %d has no geometry: %w", i, frontline.ErrInvalid)
		}
		feature, err := json.Marshal(u)
		if err != nil {
			return nil, fmt.Errorf("sqlite: put units: unit %q: %w", u.ID, err)
		}
		back, err := frontline.ParseUnit(feature, i)
		if err != nil {
			return nil, fmt.Errorf("sqlite: put units: unit %q would not read back: %w", u.ID, err)
		}
		if back.ID != u.ID {
			return nil, fmt.Errorf("sqlite: put units: unit %q reads back as %q: %w", u.ID, back.ID, frontline.ErrInvalid)
		}
		ids[i], features[i], kinds[i] = u.ID, string(feature), back.Kind
	}
	action := "units.put"
	if replaceAll {
		action = "units.replace"
	}
	err := db.inAuditedTx(ctx, action, func(tx *sql.Tx) (string, error) {
		// Insert-or-ignore then update tells new from replaced in at
		// most two statements, without a read first.
		insert, err := tx.PrepareContext(ctx, "INSERT INTO units (id, kind, feature) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")
		if err != nil {
			return "", err
		}
		defer insert.Close()
		update, err := tx.PrepareContext(ctx, "UPDATE units SET kind = ?, feature = ? WHERE id = ?")
		if err != nil {
			return "", err
		}
		defer update.Close()
		for i := range units {
			res, err := insert.ExecContext(ctx, ids[i], kinds[i], features[i])
			if err != nil {
				return "", fmt.Errorf("unit %q: %w", ids[i], err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return "", fmt.Errorf("unit %q: %w", ids[i], err)
			}
			if created[i] = n == 1; created[i] {
				continue
			}
			if _, err := update.ExecContext(ctx, kinds[i], features[i], ids[i]); err != nil {
				return "", fmt.Errorf("unit %q: %w", ids[i], err)
			}
		}
		if !replaceAll {
			return audit.Listed(ids), nil
		}
		keep, err := json.Marshal(ids)
		if err != nil {
			return "", err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM units WHERE id NOT IN (SELECT value FROM json_each(?))", string(keep))
		if err != nil {
			return "", err
		}
		deleted, err := res.RowsAffected()
		if err != nil {
			return "", err
		}
		var gone string
		if deleted > 0 {
			gone = fmt.Sprintf("deleted %d", deleted)
		}
		return audit.Target(audit.Listed(ids), gone), nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: put units: %w", err)
	}
	return created, nil
}

// DeleteUnit deletes one unit.
func (db *DB) DeleteUnit(ctx context.Context, id string) error {
	err := db.inAuditedTx(ctx, "unit.delete", func(tx *sql.Tx) (string, error) {
		res, err := tx.ExecContext(ctx, "DELETE FROM units WHERE id = ?", id)
		if err != nil {
			return "", err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return "", err
		}
		if n == 0 {
			return "", unitNotFound(id) // no entry for a delete of nothing
		}
		return id, nil
	})
	switch {
	case errors.Is(err, frontline.ErrNotFound):
		return err
	case err != nil:
		return fmt.Errorf("sqlite: delete unit %q: %w", id, err)
	}
	return nil
}
