package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"frontline"
)

// defaultsName is the settings row holding the default coverage settings.
const defaultsName = "defaults"

// Defaults returns the stored default coverage settings, or nil if none
// were stored.
func (db *DB) Defaults(ctx context.Context) (*frontline.Params, error) {
	var value []byte
	err := db.pool.QueryRow(ctx, "SELECT value FROM settings WHERE name = $1", defaultsName).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fail("defaults", err)
	}
	var p frontline.Params
	if err := json.Unmarshal(value, &p); err != nil {
		return nil, fmt.Errorf("postgres: defaults: stored value is not readable: %w", err)
	}
	return &p, nil
}

// SetDefaults stores the default coverage settings.
func (db *DB) SetDefaults(ctx context.Context, p frontline.Params) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("postgres: set defaults: %w", err)
	}
	err = db.inAuditedTx(ctx, "settings.set", func(tx pgx.Tx) (string, int, error) {
		_, err := tx.Exec(ctx, "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
			defaultsName, string(b))
		return p.Key(), frontline.ChangedSettings, err
	})
	if err != nil {
		return fail("set defaults", err)
	}
	return nil
}
