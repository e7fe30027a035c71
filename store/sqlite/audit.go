package sqlite

import (
	"context"
	"fmt"
	"frontline/store/internal/stored"

	"frontline"
)

// Audit page sizes: the default when limit <= 0, and the most one call
// returns.
const (
	auditDefaultLimit = 100
	auditMaxLimit     = 1000
)

// Audit returns up to limit entries with ids below before (before <= 0:
// from the newest), newest first.
func (db *DB) Audit(ctx context.Context, limit int, before int64) ([]*frontline.AuditEntry, error) {
	switch {
	case limit <= 0:
		limit = auditDefaultLimit
	case limit > auditMaxLimit:
		limit = auditMaxLimit
	}
	rows, err := db.read.QueryContext(ctx,
		"SELECT id, at, actor, action, target FROM audit WHERE ? <= 0 OR id < ? ORDER BY id DESC LIMIT ?",
		before, before, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: audit: %w", err)
	}
	defer rows.Close()
	entries := []*frontline.AuditEntry{}
	for rows.Next() {
		var (
			e  frontline.AuditEntry
			at string
		)
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target); err != nil {
			return nil, fmt.Errorf("sqlite: audit: %w", err)
		}
		if e.At, err = stored.ParseTime(at); err != nil {
			return nil, fmt.Errorf("sqlite: audit entry %d: %w", e.ID, err)
		}
		entries = append(entries, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: audit: %w", err)
	}
	return entries, nil
}
