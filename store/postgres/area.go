package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"frontline"
	"frontline/store/audit"
	"frontline/store/internal/stored"
)

// territoryID is the key of the territory table's one row.
const territoryID = 1

func areaColumns(d detail) string {
	const meta = "version, valid_from, source, imported_at, area_km2, polygons, vertices, hash"
	switch d {
	case withProperties:
		return meta + ", properties"
	case withGeometry:
		return meta + ", properties, geometry"
	}
	return meta
}

func scanArea(row scanner, d detail) (*frontline.AreaVersion, error) {
	var (
		a                     frontline.AreaVersion
		validFrom, importedAt string
		props, geometry       []byte
	)
	dest := []any{&a.Version, &validFrom, &a.Source, &importedAt, &a.AreaKm2, &a.Polygons, &a.Vertices, &a.Hash}
	if d >= withProperties {
		dest = append(dest, &props)
	}
	if d >= withGeometry {
		dest = append(dest, &geometry)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if a.ValidFrom, err = stored.ParseTime(validFrom); err != nil {
		return nil, fmt.Errorf("area version %d: %w", a.Version, err)
	}
	if a.ImportedAt, err = stored.ParseTime(importedAt); err != nil {
		return nil, fmt.Errorf("area version %d: %w", a.Version, err)
	}
	if d >= withProperties {
		if a.Properties, err = stored.Properties(props); err != nil {
			return nil, fmt.Errorf("area version %d: %w", a.Version, err)
		}
	}
	if d >= withGeometry {
		if err := json.Unmarshal(geometry, &a.Coords); err != nil {
			return nil, fmt.Errorf("area version %d: geometry: %w", a.Version, err)
		}
	}
	return &a, nil
}

// AddAreas stores the areas and the lines derived from them in one
// transaction. A result's Area carries the version's properties and geometry, as Area
// would return them; its Coords share the input's Polygons (the same
// positions, by the hash). Each derived line is stored by the adder of
// AddLines, in the same transaction.
func (db *DB) AddAreas(ctx context.Context, items []frontline.DerivedLine, importedAt time.Time) ([]frontline.AreaResult, []frontline.LineResult, error) {
	areas := make([]frontline.AreaResult, len(items))
	lines := make([]frontline.LineResult, len(items))
	if len(items) == 0 {
		return areas, lines, nil
	}
	imported, err := stored.FormatTime(importedAt)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: add areas: imported at: %w", err)
	}
	err = db.inAuditedTx(ctx, "area.import", func(tx pgx.Tx) (string, int, error) {
		aa, err := newAreaAdder(ctx, tx)
		if err != nil {
			return "", 0, err
		}
		la, err := newAdder(ctx, tx)
		if err != nil {
			return "", 0, err
		}
		for i, item := range items {
			if areas[i], err = aa.add(ctx, item.Area, imported); err != nil {
				return "", 0, fmt.Errorf("item %d: area: %w", i, err)
			}
			if item.Line == nil {
				continue
			}
			derive(item.Line, areas[i].Area)
			if lines[i], err = la.add(ctx, item.Line, imported); err != nil {
				return "", 0, fmt.Errorf("item %d: line: %w", i, err)
			}
		}
		if err := errors.Join(aa.versions.save(ctx, tx), la.done(ctx)); err != nil {
			return "", 0, err
		}
		changed := la.changed()
		if aa.versions.created() {
			changed |= frontline.ChangedLines // areas are followed with the lines
		}
		return audit.AreaImport(areas, lines), changed, nil
	})
	if err != nil {
		return nil, nil, fail("add areas", err)
	}
	return areas, lines, nil
}

// derive marks a line as derived from the area version: its properties'
// "derived_from" is the version, and a line without valid_from is valid
// from the area's.
func derive(in *frontline.LineInput, area *frontline.AreaVersion) {
	if in.Properties == nil {
		in.Properties = map[string]any{}
	}
	in.Properties["derived_from"] = area.Version
	if in.ValidFrom.IsZero() {
		in.ValidFrom = area.ValidFrom
	}
}

// areaAdder stores the areas of a batch, in a write transaction (which
// holds writeLock).
type areaAdder struct {
	tx       pgx.Tx
	versions *counter
}

func newAreaAdder(ctx context.Context, tx pgx.Tx) (*areaAdder, error) {
	c, err := readCounter(ctx, tx, "area_versions")
	if err != nil {
		return nil, err
	}
	return &areaAdder{tx: tx, versions: c}, nil
}

var sameArea = "SELECT " + areaColumns(withProperties) + " FROM area_versions WHERE hash = $1 AND valid_from = $2 ORDER BY version LIMIT 1"

const insertArea = `INSERT INTO area_versions (version, valid_from, source, imported_at, area_km2, polygons, vertices, hash, geometry, properties, geom)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ST_GeomFromWKB($11, 4326))`

// add stores one area unless it is already there. It sees the areas
// stored before it in the same batch, so a batch repeating an area stores
// it once.
func (a *areaAdder) add(ctx context.Context, in *frontline.AreaInput, imported string) (frontline.AreaResult, error) {
	if in == nil {
		return frontline.AreaResult{}, fmt.Errorf("nil area: %w", frontline.ErrInvalid)
	}
	if len(in.Polygons) == 0 {
		return frontline.AreaResult{}, fmt.Errorf("no polygons: %w", frontline.ErrInvalid)
	}
	hash := in.ContentHash()
	validFrom := imported
	if !in.ValidFrom.IsZero() {
		var err error
		if validFrom, err = stored.FormatTime(in.ValidFrom); err != nil {
			return frontline.AreaResult{}, fmt.Errorf("valid_from: %w", err)
		}
	}
	same, err := scanArea(a.tx.QueryRow(ctx, sameArea, hash, validFrom), withProperties)
	switch {
	case err == nil:
		same.Coords = in.Polygons
		return frontline.AreaResult{Area: same}, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return frontline.AreaResult{}, fmt.Errorf("same area: %w", err)
	}

	geometry, propsJSON, err := stored.Version(in.Polygons, in.Properties)
	if err != nil {
		return frontline.AreaResult{}, err
	}
	av := &frontline.AreaVersion{
		Source:   in.Source,
		AreaKm2:  in.AreaKm2,
		Polygons: len(in.Polygons),
		Vertices: in.Vertices(),
		Hash:     hash,
		Coords:   in.Polygons,
	}
	// Read back what is stored rather than keep the inputs, so the result
	// equals what Area returns later (UTC, no monotonic clock, JSON
	// numbers).
	if av.ValidFrom, err = stored.ParseTime(validFrom); err != nil {
		return frontline.AreaResult{}, err
	}
	if av.ImportedAt, err = stored.ParseTime(imported); err != nil {
		return frontline.AreaResult{}, err
	}
	if av.Properties, err = stored.Properties(propsJSON); err != nil {
		return frontline.AreaResult{}, err
	}
	av.Version = a.versions.take()
	if _, err := a.tx.Exec(ctx, insertArea, av.Version, validFrom, av.Source, imported, av.AreaKm2, av.Polygons, av.Vertices, hash,
		string(geometry), string(propsJSON), areaWKB(in.Polygons)); err != nil {
		return frontline.AreaResult{}, fmt.Errorf("insert: %w", err)
	}
	return frontline.AreaResult{Area: av, Created: true}, nil
}

// Areas lists every area version by number, without properties or
// geometry.
func (db *DB) Areas(ctx context.Context) ([]*frontline.AreaVersion, error) {
	return queryAll(ctx, db, "areas", "SELECT "+areaColumns(metadata)+" FROM area_versions ORDER BY version",
		func(row scanner) (*frontline.AreaVersion, error) { return scanArea(row, metadata) })
}

// Area returns one area version with its properties and geometry.
func (db *DB) Area(ctx context.Context, version int) (*frontline.AreaVersion, error) {
	return queryOne(ctx, db, fmt.Sprintf("area version %d", version),
		fmt.Errorf("postgres: area version %d not found: %w", version, frontline.ErrNotFound),
		"SELECT "+areaColumns(withGeometry)+" FROM area_versions WHERE version = $1",
		func(row scanner) (*frontline.AreaVersion, error) { return scanArea(row, withGeometry) }, version)
}

// Territory returns the stored reference territory, or nil if none was
// stored.
func (db *DB) Territory(ctx context.Context) ([]byte, error) {
	var fc string
	err := db.pool.QueryRow(ctx, "SELECT feature_collection FROM territory WHERE id = $1", territoryID).Scan(&fc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fail("territory", err)
	}
	return []byte(fc), nil
}

// SetTerritory stores the reference territory, or deletes it for nil (an
// empty one too). Deleting when none is stored changes nothing, and is
// recorded as it was asked for.
func (db *DB) SetTerritory(ctx context.Context, fc []byte) error {
	if len(fc) == 0 {
		err := db.inAuditedTx(ctx, "territory.delete", func(tx pgx.Tx) (string, int, error) {
			_, err := tx.Exec(ctx, "DELETE FROM territory WHERE id = $1", territoryID)
			return "", frontline.ChangedTerritory, err
		})
		if err != nil {
			return fail("delete territory", err)
		}
		return nil
	}
	updatedAt, err := stored.FormatTime(time.Now())
	if err != nil {
		return fmt.Errorf("postgres: set territory: %w", err)
	}
	err = db.inAuditedTx(ctx, "territory.put", func(tx pgx.Tx) (string, int, error) {
		_, err := tx.Exec(ctx, `INSERT INTO territory (id, feature_collection, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET feature_collection = excluded.feature_collection, updated_at = excluded.updated_at`,
			territoryID, string(fc), updatedAt)
		return audit.Territory(fc), frontline.ChangedTerritory, err
	})
	if err != nil {
		return fail("set territory", err)
	}
	return nil
}
