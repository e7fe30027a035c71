package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"frontline"
)

// defaultsName is the settings row holding the default coverage settings.
const defaultsName = "defaults"

// Defaults returns the stored default coverage settings, or nil if none
// were stored.
func (db *DB) Defaults(ctx context.Context) (*frontline.Params, error) {
	var value string
	err := db.read.QueryRowContext(ctx, "SELECT value FROM settings WHERE name = ?", defaultsName).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: defaults: %w", err)
	}
	var p frontline.Params
	if err := json.Unmarshal([]byte(value), &p); err != nil {
		return nil, fmt.Errorf("sqlite: defaults: stored value is not readable: %w", err)
	}
	return &p, nil
}

// SetDefaults stores the default coverage settings.
func (db *DB) SetDefaults(ctx context.Context, p frontline.Params) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("sqlite: set defaults: %w", err)
	}
	err = db.inAuditedTx(ctx, "settings.set", func(tx *sql.Tx) (string, error) {
		_, err := tx.ExecContext(ctx, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
			defaultsName, string(b))
		return p.Key(), err
	})
	if err != nil {
		return fmt.Errorf("sqlite: set defaults: %w", err)
	}
	return nil
}
