package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

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
// transaction. A result's Area carries the version's properties and
// geometry, as Area would return them; its Coords share the input's
// Polygons (the same positions, by the hash). Each derived line is stored
// by the adder of AddLines, in the same transaction.
func (db *DB) AddAreas(ctx context.Context, items []frontline.DerivedLine, importedAt time.Time) ([]frontline.AreaResult, []frontline.LineResult, error) {
	areas := make([]frontline.AreaResult, len(items))
	lines := make([]frontline.LineResult, len(items))
	if len(items) == 0 {
		return areas, lines, nil
	}
	imported, err := stored.FormatTime(importedAt)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: add areas: imported at: %w", err)
	}
	err = db.inAuditedTx(ctx, "area.import", func(tx *sql.Tx) (string, error) {
		aa, err := prepareAreaAdder(ctx, tx)
		if err != nil {
			return "", err
		}
		defer aa.close()
		la, err := prepareAdder(ctx, tx)
		if err != nil {
			return "", err
		}
		defer la.close()
		for i, item := range items {
			if areas[i], err = aa.add(ctx, item.Area, imported); err != nil {
				return "", fmt.Errorf("item %d: area: %w", i, err)
			}
			if item.Line == nil {
				continue
			}
			derive(item.Line, areas[i].Area)
			if lines[i], err = la.add(ctx, item.Line, imported); err != nil {
				return "", fmt.Errorf("item %d: line: %w", i, err)
			}
		}
		return audit.AreaImport(areas, lines), nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: add areas: %w", err)
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

// areaAdder holds the statements AddAreas runs for every area of a batch,
// prepared once per batch.
type areaAdder struct {
	same, insert *sql.Stmt
}

func prepareAreaAdder(ctx context.Context, tx *sql.Tx) (*areaAdder, error) {
	a := &areaAdder{}
	for _, s := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&a.same, "SELECT " + areaColumns(withProperties) + " FROM area_versions WHERE hash = ? AND valid_from = ? ORDER BY version LIMIT 1"},
		{&a.insert, "INSERT INTO area_versions (valid_from, source, imported_at, area_km2, polygons, vertices, hash, geometry, properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"},
	} {
		stmt, err := tx.PrepareContext(ctx, s.query)
		if err != nil {
			a.close()
			return nil, err
		}
		*s.stmt = stmt
	}
	return a, nil
}

func (a *areaAdder) close() {
	for _, s := range []*sql.Stmt{a.same, a.insert} {
		if s != nil {
			s.Close()
		}
	}
}

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
	same, err := scanArea(a.same.QueryRowContext(ctx, hash, validFrom), withProperties)
	switch {
	case err == nil:
		same.Coords = in.Polygons
		return frontline.AreaResult{Area: same}, nil
	case !errors.Is(err, sql.ErrNoRows):
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
	res, err := a.insert.ExecContext(ctx, validFrom, av.Source, imported, av.AreaKm2, av.Polygons, av.Vertices, hash, string(geometry), string(propsJSON))
	if err != nil {
		return frontline.AreaResult{}, fmt.Errorf("insert: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return frontline.AreaResult{}, fmt.Errorf("insert: %w", err)
	}
	av.Version = int(id)
	return frontline.AreaResult{Area: av, Created: true}, nil
}

// Areas lists every area version by number, without properties or
// geometry.
func (db *DB) Areas(ctx context.Context) ([]*frontline.AreaVersion, error) {
	return queryAll(ctx, db.read, "areas", "SELECT "+areaColumns(metadata)+" FROM area_versions ORDER BY version",
		func(row scanner) (*frontline.AreaVersion, error) { return scanArea(row, metadata) })
}

// Area returns one area version with its properties and geometry.
func (db *DB) Area(ctx context.Context, version int) (*frontline.AreaVersion, error) {
	return queryOne(ctx, db.read, fmt.Sprintf("area version %d", version),
		fmt.Errorf("sqlite: area version %d not found: %w", version, frontline.ErrNotFound),
		"SELECT "+areaColumns(withGeometry)+" FROM area_versions WHERE version = ?",
		func(row scanner) (*frontline.AreaVersion, error) { return scanArea(row, withGeometry) }, version)
}

// Territory returns the stored reference territory, or nil if none was
// stored.
func (db *DB) Territory(ctx context.Context) ([]byte, error) {
	var fc string
	err := db.read.QueryRowContext(ctx, "SELECT feature_collection FROM territory WHERE id = ?", territoryID).Scan(&fc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: territory: %w", err)
	}
	return []byte(fc), nil
}

// SetTerritory stores the reference territory, or deletes it for nil (an
// empty one too). Deleting when none is stored changes nothing, and is
// recorded as it was asked for.
func (db *DB) SetTerritory(ctx context.Context, fc []byte) error {
	if len(fc) == 0 {
		err := db.inAuditedTx(ctx, "territory.delete", func(tx *sql.Tx) (string, error) {
			_, err := tx.ExecContext(ctx, "DELETE FROM territory WHERE id = ?", territoryID)
			return "", err
		})
		if err != nil {
			return fmt.Errorf("sqlite: delete territory: %w", err)
		}
		return nil
	}
	updatedAt, err := stored.FormatTime(time.Now())
	if err != nil {
		return fmt.Errorf("sqlite: set territory: %w", err)
	}
	err = db.inAuditedTx(ctx, "territory.put", func(tx *sql.Tx) (string, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO territory (id, feature_collection, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET feature_collection = excluded.feature_collection, updated_at = excluded.updated_at`,
			territoryID, string(fc), updatedAt)
		return audit.Territory(fc), err
	})
	if err != nil {
		return fmt.Errorf("sqlite: set territory: %w", err)
	}
	return nil
}
