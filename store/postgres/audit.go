package postgres

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
	query, args := "SELECT id, at, actor, action, target FROM audit ORDER BY id DESC LIMIT $1", []any{limit}
	if before > 0 {
		query, args = "SELECT id, at, actor, action, target FROM audit WHERE id < $1 ORDER BY id DESC LIMIT $2", []any{before, limit}
	}
	return queryAll(ctx, db, "audit", query, func(row scanner) (*frontline.AuditEntry, error) {
		var (
			e  frontline.AuditEntry
			at string
		)
		if err := row.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target); err != nil {
			return nil, err
		}
		var err error
		if e.At, err = stored.ParseTime(at); err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", e.ID, err)
		}
		return &e, nil
	}, args...)
}
