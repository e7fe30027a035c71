package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"frontline"
	"frontline/store/audit"
	"frontline/store/internal/stored"
)

// detail says how much of a line version a query reads: the geometry is
// the bulk of a row, and listings leave it out.
type detail int

const (
	metadata       detail = iota
	withProperties        // metadata and properties
	withGeometry          // metadata, properties and geometry
)

func lineColumns(d detail) string {
	const meta = "version, valid_from, source, imported_at, length_km, vertices, parts, hash, demo, bbox"
	switch d {
	case withProperties:
		return meta + ", properties"
	case withGeometry:
		return meta + ", properties, geometry"
	}
	return meta
}

// inService selects the versions that were not withdrawn.
const inService = "withdrawn_at IS NULL"

type scanner interface{ Scan(dest ...any) error }

func scanLine(row scanner, d detail) (*frontline.LineVersion, error) {
	var (
		l                     frontline.LineVersion
		validFrom, importedAt string
		props, geometry, bbox []byte
	)
	dest := []any{&l.Version, &validFrom, &l.Source, &importedAt, &l.LengthKm, &l.Vertices, &l.Parts, &l.Hash, &l.Demo, &bbox}
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
	if l.ValidFrom, err = stored.ParseTime(validFrom); err != nil {
		return nil, fmt.Errorf("line version %d: %w", l.Version, err)
	}
	var b [4]float64
	if err := json.Unmarshal(bbox, &b); err != nil {
		return nil, fmt.Errorf("line version %d: bbox %q: %w", l.Version, bbox, err)
	}
	l.BBox = orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}}
	if l.ImportedAt, err = stored.ParseTime(importedAt); err != nil {
		return nil, fmt.Errorf("line version %d: %w", l.Version, err)
	}
	if d >= withProperties {
		if l.Properties, err = stored.Properties(props); err != nil {
			return nil, fmt.Errorf("line version %d: %w", l.Version, err)
		}
	}
	if d >= withGeometry {
		if err := json.Unmarshal(geometry, &l.Coords); err != nil {
			return nil, fmt.Errorf("line version %d: geometry: %w", l.Version, err)
		}
	}
	return &l, nil
}

// AddLines stores the lines in one transaction. A result's Line carries
// the version's properties and geometry, as Line would return them; its
// Coords share the input's Parts (the same positions, by the hash).
func (db *DB) AddLines(ctx context.Context, lines []*frontline.LineInput, importedAt time.Time) ([]frontline.LineResult, error) {
	results := make([]frontline.LineResult, len(lines))
	if len(lines) == 0 {
		return results, nil
	}
	imported, err := stored.FormatTime(importedAt)
	if err != nil {
		return nil, fmt.Errorf("sqlite: add lines: imported at: %w", err)
	}
	err = db.inAuditedTx(ctx, "line.import", func(tx *sql.Tx) (string, error) {
		a, err := prepareAdder(ctx, tx)
		if err != nil {
			return "", err
		}
		defer a.close()
		for i, in := range lines {
			if results[i], err = a.add(ctx, in, imported); err != nil {
				return "", fmt.Errorf("line %d: %w", i, err)
			}
		}
		return audit.LineImport(results), nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: add lines: %w", err)
	}
	return results, nil
}

// adder holds the statements AddLines runs for every line of a batch,
// prepared once per batch.
type adder struct {
	current, same, insert *sql.Stmt
}

func prepareAdder(ctx context.Context, tx *sql.Tx) (*adder, error) {
	a := &adder{}
	for _, s := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&a.current, "SELECT " + lineColumns(withProperties) + " FROM line_versions WHERE " + inService + " AND valid_from <= ? ORDER BY valid_from DESC, version DESC LIMIT 1"},
		{&a.same, "SELECT " + lineColumns(withProperties) + " FROM line_versions WHERE " + inService + " AND hash = ? AND valid_from = ? ORDER BY version LIMIT 1"},
		{&a.insert, "INSERT INTO line_versions (valid_from, source, imported_at, length_km, vertices, parts, hash, geometry, properties, demo, bbox) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
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

func (a *adder) close() {
	for _, s := range []*sql.Stmt{a.current, a.same, a.insert} {
		if s != nil {
			s.Close()
		}
	}
}

// add stores one line unless it is already there. It sees the lines
// stored before it in the same batch, so a batch repeating a line stores
// it once.
func (a *adder) add(ctx context.Context, in *frontline.LineInput, imported string) (frontline.LineResult, error) {
	if in == nil {
		return frontline.LineResult{}, fmt.Errorf("nil line: %w", frontline.ErrInvalid)
	}
	if in.Line == nil {
		return frontline.LineResult{}, fmt.Errorf("no validated line (LineInput.Line is nil): %w", frontline.ErrInvalid)
	}
	if len(in.Parts) == 0 {
		return frontline.LineResult{}, fmt.Errorf("no parts: %w", frontline.ErrInvalid)
	}
	hash := in.ContentHash()
	validFrom := imported
	if !in.ValidFrom.IsZero() {
		var err error
		if validFrom, err = stored.FormatTime(in.ValidFrom); err != nil {
			return frontline.LineResult{}, fmt.Errorf("valid_from: %w", err)
		}
	} else {
		cur, err := scanLine(a.current.QueryRowContext(ctx, imported), withProperties)
		switch {
		case err == nil && cur.Hash == hash:
			cur.Coords = in.Parts
			return frontline.LineResult{Line: cur}, nil
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return frontline.LineResult{}, fmt.Errorf("current line: %w", err)
		}
	}
	same, err := scanLine(a.same.QueryRowContext(ctx, hash, validFrom), withProperties)
	switch {
	case err == nil:
		same.Coords = in.Parts
		return frontline.LineResult{Line: same}, nil
	case !errors.Is(err, sql.ErrNoRows):
		return frontline.LineResult{}, fmt.Errorf("same line: %w", err)
	}

	geometry, propsJSON, err := stored.Version(in.Parts, in.Properties)
	if err != nil {
		return frontline.LineResult{}, err
	}
	l := &frontline.LineVersion{
		Source:   in.Source,
		LengthKm: in.Line.LengthKm(),
		Vertices: in.Vertices(),
		Parts:    len(in.Parts),
		Hash:     hash,
		Demo:     in.IsDemo(),
		BBox:     in.Bound(),
		Coords:   in.Parts,
	}
	bbox, err := json.Marshal([4]float64{l.BBox.Min[0], l.BBox.Min[1], l.BBox.Max[0], l.BBox.Max[1]})
	if err != nil {
		return frontline.LineResult{}, fmt.Errorf("bbox: %w", err)
	}
	// Read back what is stored rather than keep the inputs, so the result
	// equals what Line returns later (UTC, no monotonic clock, JSON
	// numbers).
	if l.ValidFrom, err = stored.ParseTime(validFrom); err != nil {
		return frontline.LineResult{}, err
	}
	if l.ImportedAt, err = stored.ParseTime(imported); err != nil {
		return frontline.LineResult{}, err
	}
	if l.Properties, err = stored.Properties(propsJSON); err != nil {
		return frontline.LineResult{}, err
	}
	res, err := a.insert.ExecContext(ctx, validFrom, l.Source, imported, l.LengthKm, l.Vertices, l.Parts, hash, string(geometry), string(propsJSON), l.Demo, string(bbox))
	if err != nil {
		return frontline.LineResult{}, fmt.Errorf("insert: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return frontline.LineResult{}, fmt.Errorf("insert: %w", err)
	}
	l.Version = int(id)
	return frontline.LineResult{Line: l, Created: true}, nil
}

// Lines lists every version by number, without properties or geometry.
func (db *DB) Lines(ctx context.Context) ([]*frontline.LineVersion, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+lineColumns(metadata)+" FROM line_versions WHERE "+inService+" ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("sqlite: lines: %w", err)
	}
	defer rows.Close()
	lines := []*frontline.LineVersion{}
	for rows.Next() {
		l, err := scanLine(rows, metadata)
		if err != nil {
			return nil, fmt.Errorf("sqlite: lines: %w", err)
		}
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: lines: %w", err)
	}
	return lines, nil
}

// Line returns one version with its properties and geometry.
func (db *DB) Line(ctx context.Context, version int) (*frontline.LineVersion, error) {
	return db.oneLine(ctx, fmt.Sprintf("line version %d not found", version),
		"WHERE "+inService+" AND version = ?", version)
}

// oneLine reads the first line version the clause selects, or fails with
// the notFound message.
func (db *DB) oneLine(ctx context.Context, notFound, clause string, args ...any) (*frontline.LineVersion, error) {
	row := db.read.QueryRowContext(ctx, "SELECT "+lineColumns(withGeometry)+" FROM line_versions "+clause, args...)
	l, err := scanLine(row, withGeometry)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("sqlite: %s: %w", notFound, frontline.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("sqlite: read line: %w", err)
	}
	return l, nil
}

// Initialised reports whether a line version was ever stored.
func (db *DB) Initialised(ctx context.Context) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM line_versions LIMIT 1)").Scan(&n); err != nil {
		return false, fmt.Errorf("sqlite: initialised: %w", err)
	}
	return n > 0, nil
}

// Withdraw withdraws line versions and deletes units in one transaction.
func (db *DB) Withdraw(ctx context.Context, w frontline.Withdrawal) error {
	at, err := stored.FormatTime(w.At)
	if err != nil {
		return fmt.Errorf("sqlite: withdraw: %w", err)
	}
	err = db.inAuditedTx(ctx, w.Action, func(tx *sql.Tx) (string, error) {
		versions := make([]string, len(w.Versions))
		for i, v := range w.Versions {
			versions[i] = strconv.Itoa(v)
			if err := execOne(ctx, tx, fmt.Sprintf("line version %d not found", v),
				"UPDATE line_versions SET withdrawn_at = ? WHERE version = ? AND "+inService, at, v); err != nil {
				return "", err
			}
		}
		for _, id := range w.Units {
			if err := execOne(ctx, tx, fmt.Sprintf("unit %q not found", id), "DELETE FROM units WHERE id = ?", id); err != nil {
				return "", err
			}
		}
		return audit.Target(audit.Labelled("versions", versions), audit.Labelled("units", w.Units)), nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: withdraw: %w", err)
	}
	return nil
}

// execOne runs a statement that must change exactly one row; changing
// none fails with ErrNotFound and the notFound message.
func execOne(ctx context.Context, tx *sql.Tx, notFound, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", notFound, frontline.ErrNotFound)
	}
	return nil
}
