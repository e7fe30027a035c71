package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"frontline"
	"frontline/store/audit"
	"frontline/store/internal/stored"
)

const scenarioColumns = "id, revision, updated_at, scenario"

// Scenarios lists every scenario, by id, with its units.
func (db *DB) Scenarios(ctx context.Context) ([]*frontline.Scenario, error) {
	return queryAll(ctx, db, "scenarios", "SELECT "+scenarioColumns+" FROM scenarios ORDER BY id", scanScenario)
}

// Scenario returns one scenario.
func (db *DB) Scenario(ctx context.Context, id string) (*frontline.Scenario, error) {
	return queryOne(ctx, db, fmt.Sprintf("scenario %q", id), scenarioNotFound(id),
		"SELECT "+scenarioColumns+" FROM scenarios WHERE id = $1", scanScenario, id)
}

func scenarioNotFound(id string) error {
	return fmt.Errorf("postgres: scenario %q not found: %w", id, frontline.ErrNotFound)
}

func scanScenario(row scanner) (*frontline.Scenario, error) {
	var (
		id, updatedAt string
		revision      int
		doc           []byte
	)
	if err := row.Scan(&id, &revision, &updatedAt, &doc); err != nil {
		return nil, err
	}
	sc, err := frontline.DecodeScenario(id, doc)
	if err != nil {
		return nil, fmt.Errorf("scenario %q as stored: %w", id, err)
	}
	sc.Revision = revision
	if sc.UpdatedAt, err = stored.ParseTime(updatedAt); err != nil {
		return nil, fmt.Errorf("scenario %q: %w", id, err)
	}
	return sc, nil
}

// PutScenario stores sc in one transaction: inserted with revision 1, or
// replacing the stored one with its revision plus 1.
func (db *DB) PutScenario(ctx context.Context, sc *frontline.Scenario, at time.Time) (bool, error) {
	doc, err := frontline.EncodeScenario(sc)
	if err != nil {
		return false, fmt.Errorf("postgres: put scenario: %w", err)
	}
	// Decoded before the write, so that what would not read back is
	// never stored, and sc becomes exactly what a read returns.
	saved, err := frontline.DecodeScenario(sc.ID, doc)
	if err != nil {
		return false, fmt.Errorf("postgres: put scenario %q would not read back: %w", sc.ID, err)
	}
	for i, u := range saved.Units {
		if u.ID != sc.Units[i].ID {
			return false, fmt.Errorf("postgres: put scenario %q: unit %q reads back as %q: %w", sc.ID, sc.Units[i].ID, u.ID, frontline.ErrInvalid)
		}
	}
	updatedAt, err := stored.FormatTime(at)
	if err != nil {
		return false, fmt.Errorf("postgres: put scenario %q: updated at: %w", sc.ID, err)
	}
	if saved.UpdatedAt, err = stored.ParseTime(updatedAt); err != nil {
		return false, fmt.Errorf("postgres: put scenario %q: %w", sc.ID, err)
	}
	err = db.inAuditedTx(ctx, "scenario.put", func(tx pgx.Tx) (string, int, error) {
		// One statement: an insert, or an update of the revision it
		// counts on (the row lock orders concurrent puts).
		err := tx.QueryRow(ctx, `INSERT INTO scenarios (id, revision, updated_at, scenario) VALUES ($1, 1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET revision = scenarios.revision + 1, updated_at = excluded.updated_at, scenario = excluded.scenario
			RETURNING revision`, sc.ID, updatedAt, string(doc)).Scan(&saved.Revision)
		if err != nil {
			return "", 0, err
		}
		return audit.Scenario(sc.ID, saved.Revision), frontline.ChangedScenarios, nil
	})
	if err != nil {
		return false, fail(fmt.Sprintf("put scenario %q", sc.ID), err)
	}
	*sc = *saved
	return sc.Revision == 1, nil
}

// DeleteScenario deletes one scenario.
func (db *DB) DeleteScenario(ctx context.Context, id string) error {
	err := db.inAuditedTx(ctx, "scenario.delete", func(tx pgx.Tx) (string, int, error) {
		var revision int
		err := tx.QueryRow(ctx, "DELETE FROM scenarios WHERE id = $1 RETURNING revision", id).Scan(&revision)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return "", 0, scenarioNotFound(id) // no entry for a delete of nothing
		case err != nil:
			return "", 0, err
		}
		return audit.Scenario(id, revision), frontline.ChangedScenarios, nil
	})
	switch {
	case errors.Is(err, frontline.ErrNotFound):
		return err
	case err != nil:
		return fail(fmt.Sprintf("delete scenario %q", id), err)
	}
	return nil
}
