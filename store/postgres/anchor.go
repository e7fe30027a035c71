package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"frontline"
	"frontline/geo"
	"frontline/store/audit"
)

// Anchors returns the anchors in the order they were set.
func (db *DB) Anchors(ctx context.Context) ([]geo.Anchor, error) {
	return queryAll(ctx, db, "anchors", "SELECT name, lon, lat FROM anchors ORDER BY position", func(row scanner) (geo.Anchor, error) {
		var a geo.Anchor
		err := row.Scan(&a.Name, &a.Point[0], &a.Point[1])
		return a, err
	})
}

// SetAnchors replaces the anchors in one transaction. Anchors the table
// cannot hold (no name, a name twice, a coordinate that is not a finite
// number) are refused wrapping frontline.ErrInvalid rather than as a
// constraint failure.
func (db *DB) SetAnchors(ctx context.Context, anchors []geo.Anchor) error {
	seen := make(map[string]bool, len(anchors))
	names := make([]string, len(anchors))
	lons := make([]float64, len(anchors))
	lats := make([]float64, len(anchors))
	for i, a := range anchors {
		switch {
		case a.Name == "":
			return fmt.Errorf("postgres: set anchors: anchor %d has no name: %w", i, frontline.ErrInvalid)
		case seen[a.Name]:
			return fmt.Errorf("postgres: set anchors: anchor name %q used twice: %w", a.Name, frontline.ErrInvalid)
		case !finitePoint(a.Point):
			return fmt.Errorf("postgres: set anchors: anchor %q: coordinates are not finite numbers: %w", a.Name, frontline.ErrInvalid)
		}
		seen[a.Name] = true
		names[i], lons[i], lats[i] = a.Name, a.Point[0], a.Point[1]
	}
	err := db.inAuditedTx(ctx, "anchors.set", func(tx pgx.Tx) (string, int, error) {
		if _, err := tx.Exec(ctx, "DELETE FROM anchors"); err != nil {
			return "", 0, err
		}
		// All in one statement, positions from 0 in the order given.
		if _, err := tx.Exec(ctx, `INSERT INTO anchors (position, name, lon, lat, geom)
			SELECT n - 1, name, lon, lat, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
			FROM unnest($1::text[], $2::float8[], $3::float8[]) WITH ORDINALITY AS a (name, lon, lat, n)`,
			names, lons, lats); err != nil {
			return "", 0, err
		}
		return audit.Listed(names), frontline.ChangedAnchors, nil
	})
	if err != nil {
		return fail("set anchors", err)
	}
	return nil
}

func finitePoint(p orb.Point) bool { return finite(p[0]) && finite(p[1]) }
