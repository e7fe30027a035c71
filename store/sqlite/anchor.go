package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"frontline"
	"frontline/geo"
	"frontline/store/audit"
)

// Anchors returns the anchors in the order they were set.
func (db *DB) Anchors(ctx context.Context) ([]geo.Anchor, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT name, lon, lat FROM anchors ORDER BY position")
	if err != nil {
		return nil, fmt.Errorf("sqlite: anchors: %w", err)
	}
	defer rows.Close()
	anchors := []geo.Anchor{}
	for rows.Next() {
		var a geo.Anchor
		if err := rows.Scan(&a.Name, &a.Point[0], &a.Point[1]); err != nil {
			return nil, fmt.Errorf("sqlite: anchors: %w", err)
		}
		anchors = append(anchors, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: anchors: %w", err)
	}
	return anchors, nil
}

// SetAnchors replaces the anchors in one transaction. Anchors the table
// cannot hold (no name, a name twice, a coordinate that is not a finite
// number: SQLite would store NaN as NULL) are refused wrapping
// frontline.ErrInvalid rather than as a constraint failure.
func (db *DB) SetAnchors(ctx context.Context, anchors []geo.Anchor) error {
	seen := make(map[string]bool, len(anchors))
	for i, a := range anchors {
		switch {
		case a.Name == "":
			return fmt.Errorf("sqlite: set anchors: anchor %d has no name: %w", i, frontline.ErrInvalid)
		case seen[a.Name]:
			return fmt.Errorf("sqlite: set anchors: anchor name %q used twice: %w", a.Name, frontline.ErrInvalid)
		case !finite(a.Point):
			return fmt.Errorf("sqlite: set anchors: anchor %q: coordinates are not finite numbers: %w", a.Name, frontline.ErrInvalid)
		}
		seen[a.Name] = true
	}
	err := db.inAuditedTx(ctx, "anchors.set", func(tx *sql.Tx) (string, error) {
		if _, err := tx.ExecContext(ctx, "DELETE FROM anchors"); err != nil {
			return "", err
		}
		insert, err := tx.PrepareContext(ctx, "INSERT INTO anchors (position, name, lon, lat) VALUES (?, ?, ?, ?)")
		if err != nil {
			return "", err
		}
		defer insert.Close()
		names := make([]string, len(anchors))
		for i, a := range anchors {
			if _, err := insert.ExecContext(ctx, i, a.Name, a.Point[0], a.Point[1]); err != nil {
				return "", fmt.Errorf("anchor %q: %w", a.Name, err)
			}
			names[i] = a.Name
		}
		return audit.Listed(names), nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: set anchors: %w", err)
	}
	return nil
}

func finite(p orb.Point) bool {
	for _, c := range p {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return false
		}
	}
	return true
}
