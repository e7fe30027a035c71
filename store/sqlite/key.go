package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"frontline/store/internal/stored"
	"time"

	"frontline"
)

// CreateKey stores a new key. A key the table cannot hold sensibly (no
// id, no role, no hash) is refused wrapping frontline.ErrInvalid; an id
// already stored, wrapping frontline.ErrConflict.
func (db *DB) CreateKey(ctx context.Context, k *frontline.APIKey) error {
	switch {
	case k == nil:
		return fmt.Errorf("sqlite: create key: nil key: %w", frontline.ErrInvalid)
	case k.ID == "":
		return fmt.Errorf("sqlite: create key: no id: %w", frontline.ErrInvalid)
	case k.Role < frontline.RoleRead || k.Role > frontline.RoleAdmin:
		return fmt.Errorf("sqlite: create key %q: no such role %d: %w", k.ID, k.Role, frontline.ErrInvalid)
	case len(k.Hash) == 0:
		return fmt.Errorf("sqlite: create key %q: no hash: %w", k.ID, frontline.ErrInvalid)
	}
	created, err := stored.FormatTime(k.CreatedAt)
	if err != nil {
		return fmt.Errorf("sqlite: create key %q: created at: %w", k.ID, err)
	}
	errExists := fmt.Errorf("sqlite: key %q exists: %w", k.ID, frontline.ErrConflict)
	err = db.inAuditedTx(ctx, "key.create", func(tx *sql.Tx) (string, error) {
		res, err := tx.ExecContext(ctx,
			"INSERT INTO api_keys (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
			k.ID, k.Name, int(k.Role), k.Hash, created)
		if err != nil {
			return "", err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return "", err
		}
		if n == 0 {
			return "", errExists
		}
		return fmt.Sprintf("%s (%s)", k.ID, k.Role), nil
	})
	switch {
	case errors.Is(err, errExists):
		return err
	case err != nil:
		return fmt.Errorf("sqlite: create key %q: %w", k.ID, err)
	}
	return nil
}

const keyColumns = "id, name, role, hash, created_at, revoked_at"

func scanKey(row scanner) (*frontline.APIKey, error) {
	var (
		k         frontline.APIKey
		role      int
		createdAt string
		revokedAt sql.NullString
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
	if revokedAt.Valid {
		if k.RevokedAt, err = stored.ParseTime(revokedAt.String); err != nil {
			return nil, fmt.Errorf("key %q: %w", k.ID, err)
		}
	}
	return &k, nil
}

// Keys lists every key, revoked ones too, by creation time and then id.
func (db *DB) Keys(ctx context.Context) ([]*frontline.APIKey, error) {
	return queryAll(ctx, db.read, "keys", "SELECT "+keyColumns+" FROM api_keys ORDER BY created_at, id", scanKey)
}

// Key returns one key.
func (db *DB) Key(ctx context.Context, id string) (*frontline.APIKey, error) {
	return queryOne(ctx, db.read, fmt.Sprintf("key %q", id), keyNotFound(id),
		"SELECT "+keyColumns+" FROM api_keys WHERE id = ?", scanKey, id)
}

func keyNotFound(id string) error {
	return fmt.Errorf("sqlite: key %q not found: %w", id, frontline.ErrNotFound)
}

// RevokeKey marks a key revoked at the given time. A key revoked already
// keeps its first time; the call still succeeds and is recorded, as an
// admin did ask for it.
func (db *DB) RevokeKey(ctx context.Context, id string, at time.Time) error {
	revoked, err := stored.FormatTime(at)
	if err != nil {
		return fmt.Errorf("sqlite: revoke key %q: %w", id, err)
	}
	err = db.inAuditedTx(ctx, "key.revoke", func(tx *sql.Tx) (string, error) {
		// SQLite counts a matched row as changed even when COALESCE keeps
		// its value, so n == 0 means only that there is no such key.
		res, err := tx.ExecContext(ctx, "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", revoked, id)
		if err != nil {
			return "", err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return "", err
		}
		if n == 0 {
			return "", keyNotFound(id)
		}
		return id, nil
	})
	switch {
	case errors.Is(err, frontline.ErrNotFound):
		return err
	case err != nil:
		return fmt.Errorf("sqlite: revoke key %q: %w", id, err)
	}
	return nil
}
