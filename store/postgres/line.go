package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"frontline"
	"frontline/store/audit"
	"frontline/store/internal/stored"
)

// detail says how much of a version a query reads: the geometry is the
// bulk of a row, and listings leave it out.
type detail int

const (
	metadata       detail = iota
	withProperties        // metadata and properties
	withGeometry          // metadata, properties and geometry
)

func lineColumns(d detail) string {
	const meta = "version, valid_from, source, imported_at, length_km, vertices, parts, hash, demo, min_lon, min_lat, max_lon, max_lat"
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

func scanLine(row scanner, d detail) (*frontline.LineVersion, error) {
	var (
		l                     frontline.LineVersion
		validFrom, importedAt string
		props, geometry       []byte
	)
	dest := []any{&l.Version, &validFrom, &l.Source, &importedAt, &l.LengthKm, &l.Vertices, &l.Parts, &l.Hash, &l.Demo,
		&l.BBox.Min[0], &l.BBox.Min[1], &l.BBox.Max[0], &l.BBox.Max[1]}
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

// AddLines stores the lines in one transaction. A result's Line carries the version's
// properties and geometry, as Line would return them; its Coords share
// the input's Parts (the same positions, by the hash).
func (db *DB) AddLines(ctx context.Context, lines []*frontline.LineInput, importedAt time.Time) ([]frontline.LineResult, error) {
	results := make([]frontline.LineResult, len(lines))
	if len(lines) == 0 {
		return results, nil
	}
	imported, err := stored.FormatTime(importedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: add lines: imported at: %w", err)
	}
	err = db.inAuditedTx(ctx, "line.import", func(tx pgx.Tx) (string, int, error) {
		a, err := newAdder(ctx, tx)
		if err != nil {
			return "", 0, err
		}
		for i, in := range lines {
			if results[i], err = a.add(ctx, in, imported); err != nil {
				return "", 0, fmt.Errorf("line %d: %w", i, err)
			}
		}
		if err := a.done(ctx); err != nil {
			return "", 0, err
		}
		return audit.LineImport(results), a.changed(), nil
	})
	if err != nil {
		return nil, fail("add lines", err)
	}
	return results, nil
}

// counter hands out the version numbers of a table from its row in
// counters, read once per batch and written back at its end, in the same
// write transaction: writeLock makes the batch the only one numbering.
type counter struct {
	name        string
	first, next int
}

func readCounter(ctx context.Context, tx pgx.Tx, name string) (*counter, error) {
	c := &counter{name: name}
	if err := tx.QueryRow(ctx, "SELECT last FROM counters WHERE name = $1 FOR UPDATE", name).Scan(&c.first); err != nil {
		return nil, fmt.Errorf("counter %s: %w", name, err)
	}
	c.next = c.first
	return c, nil
}

func (c *counter) take() int {
	c.next++
	return c.next
}

// created reports whether the batch took a number.
func (c *counter) created() bool { return c.next != c.first }

func (c *counter) save(ctx context.Context, tx pgx.Tx) error {
	if !c.created() {
		return nil
	}
	if _, err := tx.Exec(ctx, "UPDATE counters SET last = $1 WHERE name = $2", c.next, c.name); err != nil {
		return fmt.Errorf("counter %s: %w", c.name, err)
	}
	return nil
}

// adder stores the lines of a batch, in a write transaction (which holds
// writeLock).
type adder struct {
	tx       pgx.Tx
	versions *counter
}

func newAdder(ctx context.Context, tx pgx.Tx) (*adder, error) {
	c, err := readCounter(ctx, tx, "line_versions")
	if err != nil {
		return nil, err
	}
	return &adder{tx: tx, versions: c}, nil
}

// done records the numbers the batch took.
func (a *adder) done(ctx context.Context) error { return a.versions.save(ctx, a.tx) }

// changed is what the batch changed: the lines, if it stored one.
func (a *adder) changed() int {
	if a.versions.created() {
		return frontline.ChangedLines
	}
	return 0
}

// The statements add runs for every line; pgx prepares each once per
// connection.
var (
	currentLine = "SELECT " + lineColumns(withProperties) + " FROM line_versions WHERE " + inService +
		" AND valid_from <= $1 ORDER BY valid_from DESC, version DESC LIMIT 1"
	sameLine = "SELECT " + lineColumns(withProperties) + " FROM line_versions WHERE " + inService +
		" AND hash = $1 AND valid_from = $2 ORDER BY version LIMIT 1"
)

const insertLine = `INSERT INTO line_versions (version, valid_from, source, imported_at, length_km, vertices, parts, hash, geometry, properties, demo,
		min_lon, min_lat, max_lon, max_lat, geom)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, ST_GeomFromWKB($16, 4326))`

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
		cur, err := scanLine(a.tx.QueryRow(ctx, currentLine, imported), withProperties)
		switch {
		case err == nil && cur.Hash == hash:
			cur.Coords = in.Parts
			return frontline.LineResult{Line: cur}, nil
		case err != nil && !errors.Is(err, pgx.ErrNoRows):
			return frontline.LineResult{}, fmt.Errorf("current line: %w", err)
		}
	}
	same, err := scanLine(a.tx.QueryRow(ctx, sameLine, hash, validFrom), withProperties)
	switch {
	case err == nil:
		same.Coords = in.Parts
		return frontline.LineResult{Line: same}, nil
	case !errors.Is(err, pgx.ErrNoRows):
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
	l.Version = a.versions.take()
	if _, err := a.tx.Exec(ctx, insertLine, l.Version, validFrom, l.Source, imported, l.LengthKm, l.Vertices, l.Parts, hash,
		string(geometry), string(propsJSON), l.Demo, l.BBox.Min[0], l.BBox.Min[1], l.BBox.Max[0], l.BBox.Max[1], lineWKB(in.Parts)); err != nil {
		return frontline.LineResult{}, fmt.Errorf("insert: %w", err)
	}
	return frontline.LineResult{Line: l, Created: true}, nil
}

// Lines lists every version by number, without properties or geometry.
func (db *DB) Lines(ctx context.Context) ([]*frontline.LineVersion, error) {
	return queryAll(ctx, db, "lines", "SELECT "+lineColumns(metadata)+" FROM line_versions WHERE "+inService+" ORDER BY version",
		func(row scanner) (*frontline.LineVersion, error) { return scanLine(row, metadata) })
}

// Line returns one version with its properties and geometry.
func (db *DB) Line(ctx context.Context, version int) (*frontline.LineVersion, error) {
	return queryOne(ctx, db, fmt.Sprintf("line version %d", version),
		fmt.Errorf("postgres: line version %d not found: %w", version, frontline.ErrNotFound),
		"SELECT "+lineColumns(withGeometry)+" FROM line_versions WHERE "+inService+" AND version = $1",
		func(row scanner) (*frontline.LineVersion, error) { return scanLine(row, withGeometry) }, version)
}

// Initialised reports whether a line version was ever stored.
func (db *DB) Initialised(ctx context.Context) (bool, error) {
	var ok bool
	if err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM line_versions)").Scan(&ok); err != nil {
		return false, fail("initialised", err)
	}
	return ok, nil
}

// Withdraw withdraws line versions and deletes units in one transaction.
func (db *DB) Withdraw(ctx context.Context, w frontline.Withdrawal) error {
	at, err := stored.FormatTime(w.At)
	if err != nil {
		return fmt.Errorf("postgres: withdraw: %w", err)
	}
	err = db.inAuditedTx(ctx, w.Action, func(tx pgx.Tx) (string, int, error) {
		changed := 0
		versions := make([]string, len(w.Versions))
		for i, v := range w.Versions {
			versions[i] = strconv.Itoa(v)
			if err := execOne(ctx, tx, fmt.Sprintf("line version %d not found", v),
				"UPDATE line_versions SET withdrawn_at = $1 WHERE version = $2 AND "+inService, at, v); err != nil {
				return "", 0, err
			}
			changed |= frontline.ChangedLines
		}
		for _, id := range w.Units {
			if err := execOne(ctx, tx, fmt.Sprintf("unit %q not found", id), "DELETE FROM units WHERE id = $1", id); err != nil {
				return "", 0, err
			}
			changed |= frontline.ChangedUnits
		}
		return audit.Target(audit.Labelled("versions", versions), audit.Labelled("units", w.Units)), changed, nil
	})
	if err != nil {
		return fail("withdraw", err)
	}
	return nil
}
