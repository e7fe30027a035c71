package postgres

import (
	"context"
	"errors"
	"fmt"
	"frontline/store/internal/stored"
	"time"

	"github.com/jackc/pgx/v5"

	"frontline"
)

// CreateKey stores a new key. A key the table cannot hold sensibly (no
// id, no role, no hash) is refused wrapping frontline.ErrInvalid; an id
// already stored, wrapping frontline.ErrConflict.
func (db *DB) CreateKey(ctx context.Context, k *frontline.APIKey) error {
	switch {
	case k == nil:
		return fmt.Errorf("postgres: create key: nil key: %w", frontline.ErrInvalid)
	case k.ID == "":
		return fmt.Errorf("postgres: create key: no id: %w", frontline.ErrInvalid)
	case k.Role < frontline.RoleRead || k.Role > frontline.RoleAdmin:
		return fmt.Errorf("postgres: create key %q: no such role %d: %w", k.ID, k.Role, frontline.ErrInvalid)
	case len(k.Hash) == 0:
		return fmt.Errorf("postgres: create key %q: no hash: %w", k.ID, frontline.ErrInvalid)
	}
	created, err := stored.FormatTime(k.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create key %q: created at: %w", k.ID, err)
	}
	errExists := fmt.Errorf("postgres: key %q exists: %w", k.ID, frontline.ErrConflict)
	err = db.inAuditedTx(ctx, "key.create", func(tx pgx.Tx) (string, int, error) {
		tag, err := tx.Exec(ctx,
			"INSERT INTO api_keys (id, name, role, hash, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
			k.ID, k.Name, int(k.Role), k.Hash, created)
		if err != nil {
			return "", 0, err
		}
		if tag.RowsAffected() == 0 {
			return "", 0, errExists
		}
		return fmt.Sprintf("%s (%s)", k.ID, k.Role), frontline.ChangedKeys, nil
	})
	switch {
	case errors.Is(err, errExists):
		return err
	case err != nil:
		return fail(fmt.Sprintf("create key %q", k.ID), err)
	}
	return nil
}

const keyColumns = "id, name, role, hash, created_at, revoked_at"

func scanKey(row scanner) (*frontline.APIKey, error) {
	var (
		k         frontline.APIKey
		role      int
		createdAt string
		revokedAt *string
	)
	if err := row.Scan(&k.ID, &k.Name, &role, &k.Hash, &createdAt, &revokedAt); err != nil {
		return nil, err
	}
	k.Role = frontline.Role(role)
	k.RoleName = k.Role.String()
	var err error
	if k.CreatedAt, err = stored.ParseTime(createdAt); err != nil {
		return nil, fmt.Errorf("key %q: %w", k.ID, err)
	}
	if revokedAt != nil {
		if k.RevokedAt, err = stored.ParseTime(*revokedAt); err != nil {
			return nil, fmt.Errorf("key %q: %w", k.ID, err)
		}
	}
	return &k, nil
}

// Keys lists every key, revoked ones too, by creation time and then id.
func (db *DB) Keys(ctx context.Context) ([]*frontline.APIKey, error) {
	return queryAll(ctx, db, "keys", "SELECT "+keyColumns+" FROM api_keys ORDER BY created_at, id", scanKey)
}

// Key returns one key.
func (db *DB) Key(ctx context.Context, id string) (*frontline.APIKey, error) {
	return queryOne(ctx, db, fmt.Sprintf("key %q", id), keyNotFound(id),
		"SELECT "+keyColumns+" FROM api_keys WHERE id = $1", scanKey, id)
}

func keyNotFound(id string) error {
	return fmt.Errorf("postgres: key %q not found: %w", id, frontline.ErrNotFound)
}

// RevokeKey marks a key revoked at the given time. A key revoked already
// keeps its first time; the call still succeeds and is recorded, as an
// admin did ask for it.
func (db *DB) RevokeKey(ctx context.Context, id string, at time.Time) error {
	revoked, err := stored.FormatTime(at)
	if err != nil {
		return fmt.Errorf("postgres: revoke key %q: %w", id, err)
	}
	err = db.inAuditedTx(ctx, "key.revoke", func(tx pgx.Tx) (string, int, error) {
		// PostgreSQL counts a matched row as updated even when COALESCE
		// keeps its value, so no row means only that there is no such key.
		tag, err := tx.Exec(ctx, "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2", revoked, id)
		if err != nil {
			return "", 0, err
		}
		if tag.RowsAffected() == 0 {
			return "", 0, keyNotFound(id)
		}
		return id, frontline.ChangedKeys, nil
	})
	switch {
	case errors.Is(err, frontline.ErrNotFound):
		return err
	case err != nil:
		return fail(fmt.Sprintf("revoke key %q", id), err)
	}
	return nil
}
