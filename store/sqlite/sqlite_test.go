package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"frontline"
	"frontline/geo"
	"frontline/store/internal/stored"
	"frontline/store/storetest"
)

func openTest(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) frontline.Store {
			return openTest(t, filepath.Join(t.TempDir(), "frontline.db"))
		})
	})
	t.Run("memory", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) frontline.Store {
			return openTest(t, ":memory:")
		})
	})
}

// TestMemoryIsPrivate: two ":memory:" stores must not share a database, or
// tests (and the suite) would see each other's data.
func TestMemoryIsPrivate(t *testing.T) {
	a, b := openTest(t, ":memory:"), openTest(t, ":memory:")
	in := lineInput(t, 10, 0, "2024-01-01")
	if _, err := a.AddLines(t.Context(), []*frontline.LineInput{in}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if lines, err := b.Lines(t.Context()); err != nil || len(lines) != 0 {
		t.Errorf("second in-memory store: Lines %v, %v; want none", lines, err)
	}
}

// TestCancelKeepsMemoryDatabase: a write cancelled half-way rolls back
// and keeps the connection, which for ":memory:" is the whole database.
func TestCancelKeepsMemoryDatabase(t *testing.T) {
	db := openTest(t, ":memory:")
	anchors := []geo.Anchor{{Name: "a", Point: orb.Point{30, 48}}}
	if err := db.SetAnchors(t.Context(), anchors); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM anchors"); err != nil {
			return err
		}
		cancel()
		// database/sql reacts to the end of a transaction's own context on
		// a goroutine of its own: it rolls back and, with this driver,
		// drops the connection. Watch a while for that reaction instead of
		// sleeping and assuming it came: inTx must prevent it, and if it
		// comes, the checks below fail.
		for end := time.Now().Add(100 * time.Millisecond); time.Now().Before(end); time.Sleep(time.Millisecond) {
			var one int
			if err := tx.QueryRowContext(context.Background(), "SELECT 1").Scan(&one); err != nil {
				break // sql.ErrTxDone: database/sql has rolled back
			}
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO anchors (position, name, lon, lat) VALUES (0, 'b', 1, 2)")
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled write: %v, want context.Canceled", err)
	}
	if got, err := db.Anchors(t.Context()); err != nil || !reflect.DeepEqual(got, anchors) {
		t.Errorf("after a cancelled write: anchors %v, %v; want %v", got, err, anchors)
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "frontline.db")
	ctx := t.Context()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	in := []*frontline.LineInput{lineInput(t, 20, 0, "2024-01-01"), lineInput(t, 20, 1, "2024-01-02")}
	res, err := db.AddLines(ctx, in, time.Date(2024, 1, 3, 0, 0, 0, 1, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	unit, err := frontline.ParseUnit([]byte(`{"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [31, 48]},
		"properties": {"kind": "troops", "strength": 500, "sidc": "SFGPUCI----"}}`), -1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutUnits(ctx, []*frontline.Unit{unit}, false); err != nil {
		t.Fatal(err)
	}
	anchors := []geo.Anchor{{Name: "north", Point: orb.Point{37.6, 49.7}}, {Name: "south", Point: orb.Point{35.1, 47.8}}}
	if err := db.SetAnchors(ctx, anchors); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db = openTest(t, path)
	for _, r := range res {
		got, err := db.Line(ctx, r.Line.Version)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, r.Line) {
			t.Errorf("version %d after reopening:\n got %+v\nwant %+v", r.Line.Version, got, r.Line)
		}
	}
	if got, err := db.Unit(ctx, "a"); err != nil || !reflect.DeepEqual(got, unit) {
		t.Errorf("unit after reopening: %+v, %v; want %+v", got, err, unit)
	}
	if got, err := db.Anchors(ctx); err != nil || !reflect.DeepEqual(got, anchors) {
		t.Errorf("anchors after reopening: %v, %v; want %v", got, err, anchors)
	}
	// Numbering goes on after the stored versions.
	res, err = db.AddLines(ctx, []*frontline.LineInput{lineInput(t, 20, 2, "2024-01-03")}, time.Now())
	if err != nil || res[0].Line.Version != 3 {
		t.Errorf("import after reopening: %+v, %v; want version 3", res, err)
	}
}

// TestOddPath: a file name with the characters that mean something in a
// URI opens that very file.
func TestOddPath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "front line?v=1#a%20b.db")
	db := openTest(t, path)
	if err := db.SetAnchors(t.Context(), []geo.Anchor{{Name: "a", Point: orb.Point{30, 48}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		entries, _ := os.ReadDir(dir)
		t.Errorf("database not at %s: %v (directory holds %v)", path, err, entries)
	}
}

func schemaVersion(t *testing.T, db *DB) int {
	t.Helper()
	var v int
	if err := db.write.QueryRowContext(t.Context(), "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrations(t *testing.T) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("migrations: %v, %v", names, err)
	}
	path := filepath.Join(t.TempDir(), "frontline.db")
	for i := range 3 {
		db, err := Open(path)
		if err != nil {
			t.Fatalf("open %d: %v", i+1, err)
		}
		if v := schemaVersion(t, db); v != len(names) {
			t.Errorf("open %d: schema version %d, want %d", i+1, v, len(names))
		}
		db.Close()
	}

	t.Run("newer database", func(t *testing.T) {
		db := openTest(t, path)
		if _, err := db.write.ExecContext(t.Context(), fmt.Sprintf("PRAGMA user_version = %d", len(names)+1)); err != nil {
			t.Fatal(err)
		}
		db.Close()
		_, err := Open(path)
		if err == nil || !strings.Contains(err.Error(), "newer") {
			t.Errorf("Open of a newer database: %v, want an error saying it is newer", err)
		}
	})
}

// TestSettings checks the connection settings the durability and
// concurrency reasoning rests on, on both pools.
func TestSettings(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "frontline.db"))
	busy := strconv.FormatInt(busyTimeout.Milliseconds(), 10)
	tests := []struct {
		pool   string
		db     *sql.DB
		pragma string
		want   string
	}{
		{"write", db.write, "journal_mode", "wal"},
		{"write", db.write, "synchronous", "2"}, // FULL
		{"write", db.write, "foreign_keys", "1"},
		{"write", db.write, "busy_timeout", busy},
		{"read", db.read, "journal_mode", "wal"},
		{"read", db.read, "foreign_keys", "1"},
		{"read", db.read, "busy_timeout", busy},
		{"read", db.read, "query_only", "1"},
	}
	for _, tt := range tests {
		var got string
		if err := tt.db.QueryRowContext(t.Context(), "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatalf("%s pool: PRAGMA %s: %v", tt.pool, tt.pragma, err)
		}
		if got != tt.want {
			t.Errorf("%s pool: PRAGMA %s = %s, want %s", tt.pool, tt.pragma, got, tt.want)
		}
	}
}

// TestStoredForm checks the columns other tools (sqlite3, a backup
// script) rely on: times sort as text, geometry and properties are JSON.
func TestStoredForm(t *testing.T) {
	db := openTest(t, ":memory:")
	ctx := t.Context()
	in := []*frontline.LineInput{
		lineInput(t, 10, 0, "2024-01-01T00:00:00.5Z"),
		lineInput(t, 10, 1, "2024-01-01T00:00:00Z"),
		lineInput(t, 10, 2, "2024-01-01T00:00:00.05Z"),
	}
	if _, err := db.AddLines(ctx, in, time.Date(2024, 2, 1, 0, 0, 0, 0, time.FixedZone("", -5*3600))); err != nil {
		t.Fatal(err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT version, valid_from, imported_at, typeof(geometry) || typeof(properties), json_valid(geometry), json_type(properties),
		json_array_length(geometry), json_extract(geometry, '$[0][0][2]') FROM line_versions ORDER BY valid_from`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var order []int
	for rows.Next() {
		var (
			v, valid, parts int
			validFrom       string
			importedAt      string
			propsType       string
			types           string
			altitude        float64
		)
		if err := rows.Scan(&v, &validFrom, &importedAt, &types, &valid, &propsType, &parts, &altitude); err != nil {
			t.Fatal(err)
		}
		order = append(order, v)
		if len(validFrom) != len(stored.TimeLayout) || importedAt != "2024-02-01T05:00:00.000000000Z" {
			t.Errorf("version %d: times %q, %q: want fixed-width UTC", v, validFrom, importedAt)
		}
		if types != "texttext" {
			t.Errorf("version %d: geometry and properties stored as %s, want text", v, types)
		}
		if valid != 1 || propsType != "object" || parts != 1 || altitude != 100.5 {
			t.Errorf("version %d: geometry valid %d, %d parts, first altitude %g, properties %s", v, valid, parts, altitude, propsType)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(order, []int{2, 3, 1}) {
		t.Errorf("versions by valid_from as text: %v, want [2 3 1]", order)
	}
}

// TestTimeRange: times outside the four-digit years would sort wrong as
// text, so they are refused on write and bounded on read.
func TestTimeRange(t *testing.T) {
	db := openTest(t, ":memory:")
	ctx := t.Context()
	in := lineInput(t, 10, 0, "")
	in.ValidFrom = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := db.AddLines(ctx, []*frontline.LineInput{lineInput(t, 10, 1, "2024-01-01"), in}, time.Now())
	if !errors.Is(err, frontline.ErrInvalid) {
		t.Errorf("valid_from in year 10000: %v, want an error wrapping ErrInvalid", err)
	}
	if _, err := db.AddLines(ctx, []*frontline.LineInput{lineInput(t, 10, 2, "")}, time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)); !errors.Is(err, frontline.ErrInvalid) {
		t.Errorf("imported in year -1: %v, want an error wrapping ErrInvalid", err)
	}
	if lines, err := db.Lines(ctx); err != nil || len(lines) != 0 {
		t.Fatalf("after refused imports: %v, %v", lines, err)
	}
	if _, err := db.AddLines(ctx, []*frontline.LineInput{lineInput(t, 10, 3, "9999-12-31")}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if l, err := db.Line(ctx, 1); err != nil || !l.ValidFrom.Equal(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Line(1) valid from the year 9999: %v, %v", l, err)
	}
}

func TestNotFoundMessages(t *testing.T) {
	db := openTest(t, ":memory:")
	ctx := t.Context()
	_, errLine := db.Line(ctx, 7)
	_, errUnit := db.Unit(ctx, "x")
	_, errKey := db.Key(ctx, "x")
	tests := []struct {
		err  error
		want string
	}{
		{errLine, "sqlite: line version 7 not found: frontline: not found"},
		{errUnit, `sqlite: unit "x" not found: frontline: not found`},
		{db.DeleteUnit(ctx, "x"), `sqlite: unit "x" not found: frontline: not found`},
		{db.Withdraw(ctx, frontline.Withdrawal{Action: "line.withdraw", Versions: []int{3}, At: time.Now()}), "sqlite: withdraw: line version 3 not found: frontline: not found"},
		{errKey, `sqlite: key "x" not found: frontline: not found`},
		{db.RevokeKey(ctx, "x", time.Now()), `sqlite: key "x" not found: frontline: not found`},
	}
	for _, tt := range tests {
		if tt.err == nil || tt.err.Error() != tt.want || !errors.Is(tt.err, frontline.ErrNotFound) {
			t.Errorf("error %v, want %q wrapping ErrNotFound", tt.err, tt.want)
		}
	}
}

func TestKeyErrorMessages(t *testing.T) {
	db := openTest(t, ":memory:")
	ctx := t.Context()
	k := &frontline.APIKey{ID: "x", Role: frontline.RoleRead, Hash: []byte{1}, CreatedAt: time.Now()}
	if err := db.CreateKey(ctx, k); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		err  error
		kind error
		want string
	}{
		{db.CreateKey(ctx, k), frontline.ErrConflict, `sqlite: key "x" exists: frontline: conflict`},
		{db.CreateKey(ctx, &frontline.APIKey{Role: frontline.RoleRead, Hash: []byte{1}}), frontline.ErrInvalid,
			"sqlite: create key: no id: frontline: invalid input"},
		{db.CreateKey(ctx, &frontline.APIKey{ID: "y", Role: 7, Hash: []byte{1}}), frontline.ErrInvalid,
			`sqlite: create key "y": no such role 7: frontline: invalid input`},
		{db.CreateKey(ctx, &frontline.APIKey{ID: "y", Role: frontline.RoleAdmin}), frontline.ErrInvalid,
			`sqlite: create key "y": no hash: frontline: invalid input`},
	}
	for _, tt := range tests {
		if tt.err == nil || tt.err.Error() != tt.want || !errors.Is(tt.err, tt.kind) {
			t.Errorf("error %v, want %q wrapping %v", tt.err, tt.want, tt.kind)
		}
	}
}

// TestKeyAuditStoredForm checks the columns other tools rely on: the hash
// is a BLOB, times are fixed-width UTC text.
func TestKeyAuditStoredForm(t *testing.T) {
	db := openTest(t, ":memory:")
	ctx := t.Context()
	k := &frontline.APIKey{ID: "k", Role: frontline.RoleWrite, Hash: []byte{0, 1, 2},
		CreatedAt: time.Date(2024, 2, 1, 0, 0, 0, 0, time.FixedZone("", -5*3600))}
	if err := db.CreateKey(ctx, k); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeKey(ctx, "k", time.Date(2024, 3, 1, 0, 0, 0, 5, time.UTC)); err != nil {
		t.Fatal(err)
	}
	var hashType, createdAt, revokedAt string
	var role int
	if err := db.read.QueryRowContext(ctx, "SELECT typeof(hash), role, created_at, revoked_at FROM api_keys").Scan(&hashType, &role, &createdAt, &revokedAt); err != nil {
		t.Fatal(err)
	}
	if hashType != "blob" || role != 2 || createdAt != "2024-02-01T05:00:00.000000000Z" || revokedAt != "2024-03-01T00:00:00.000000005Z" {
		t.Errorf("api_keys row: hash %s, role %d, created %q, revoked %q", hashType, role, createdAt, revokedAt)
	}
	rows, err := db.read.QueryContext(ctx, "SELECT at FROM audit")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var at string
		if err := rows.Scan(&at); err != nil {
			t.Fatal(err)
		}
		if _, err := time.Parse(stored.TimeLayout, at); err != nil || len(at) != len(stored.TimeLayout) {
			t.Errorf("audit at %q: want fixed-width UTC (%v)", at, err)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != 2 {
		t.Errorf("%d audit rows (%v), want 2", n, err)
	}
}

// TestAuditInSameTransaction: a write whose audit entry cannot be
// written is not made. The audit table is dropped, so every write fails
// at its last step, after changing what it writes.
func TestAuditInSameTransaction(t *testing.T) {
	db := openTest(t, ":memory:")
	ctx := t.Context()
	unit, err := frontline.ParseUnit([]byte(`{"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [31, 48]},
		"properties": {"kind": "troops", "strength": 500}}`), -1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutUnits(ctx, []*frontline.Unit{unit}, false); err != nil {
		t.Fatal(err)
	}
	key := &frontline.APIKey{ID: "k", Role: frontline.RoleRead, Hash: []byte{1}, CreatedAt: time.Now()}
	if err := db.CreateKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, "DROP TABLE audit"); err != nil {
		t.Fatal(err)
	}
	_, errLines := db.AddLines(ctx, []*frontline.LineInput{lineInput(t, 10, 0, "2024-01-01")}, time.Now())
	_, errPut := db.PutUnits(ctx, nil, true)
	writes := map[string]error{
		"AddLines":   errLines,
		"PutUnits":   errPut,
		"DeleteUnit": db.DeleteUnit(ctx, "a"),
		"SetAnchors": db.SetAnchors(ctx, []geo.Anchor{{Name: "a", Point: orb.Point{30, 48}}}),
		"CreateKey":  db.CreateKey(ctx, &frontline.APIKey{ID: "j", Role: frontline.RoleRead, Hash: []byte{1}}),
		"RevokeKey":  db.RevokeKey(ctx, "k", time.Now()),
	}
	for name, err := range writes {
		if err == nil || !strings.Contains(err.Error(), "audit") {
			t.Errorf("%s without an audit table: %v, want an audit error", name, err)
		}
	}
	lines, errL := db.Lines(ctx)
	units, errU := db.Units(ctx)
	anchors, errA := db.Anchors(ctx)
	keys, errK := db.Keys(ctx)
	if err := errors.Join(errL, errU, errA, errK); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 0 || len(units) != 1 || len(anchors) != 0 || len(keys) != 1 {
		t.Fatalf("after failed writes: %d lines, %d units, %d anchors, %d keys; want 0, 1, 0, 1",
			len(lines), len(units), len(anchors), len(keys))
	}
	if !keys[0].Active() {
		t.Error("after a failed RevokeKey: key revoked")
	}
}

// TestAuditLimit: one call returns at most 1000 entries.
func TestAuditLimit(t *testing.T) {
	db := openTest(t, ":memory:")
	ctx := t.Context()
	if _, err := db.write.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1100)
		INSERT INTO audit (at, actor, action, target) SELECT '2024-01-01T00:00:00.000000000Z', 'cli', 'anchors.set', i FROM n`); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ limit, want int }{{0, 100}, {999, 999}, {1000, 1000}, {1001, 1000}, {1 << 40, 1000}} {
		got, err := db.Audit(ctx, tt.limit, 0)
		if err != nil || len(got) != tt.want {
			t.Errorf("Audit(%d, 0): %d entries, %v; want %d", tt.limit, len(got), err, tt.want)
		}
	}
}

// lineInput returns a line of n vertices, shifted by k so that different
// k give different lines, with altitude on the first vertex.
func lineInput(t testing.TB, n, k int, validFrom string) *frontline.LineInput {
	t.Helper()
	in, err := frontline.ParseLine(lineJSON(n, k, validFrom))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// lineJSON is a Feature with a LineString of n vertices running east
// with a small zigzag, like a digitised front line.
func lineJSON(n, k int, validFrom string) []byte {
	b := []byte(`{"type": "Feature", "properties": {"source": "bench"`)
	if validFrom != "" {
		b = fmt.Appendf(b, `, "valid_from": %q`, validFrom)
	}
	b = append(b, `}, "geometry": {"type": "LineString", "coordinates": [`...)
	step := 20.0 / float64(n)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		lon := 30 + float64(i)*step + float64(k)*1e-6
		lat := 48 + 0.01*float64(i%5)
		b = fmt.Appendf(b, "[%s,%s", strconv.FormatFloat(lon, 'f', -1, 64), strconv.FormatFloat(lat, 'f', -1, 64))
		if i == 0 {
			b = append(b, ",100.5"...)
		}
		b = append(b, ']')
	}
	return append(b, "]}}"...)
}

var (
	benchOnce  sync.Map // name -> func() []*frontline.LineInput, built once
	benchDays  = 365
	benchStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
)

// benchInputs builds inputs once per process: parsing and validating the
// lines is not what the benchmarks time.
func benchInputs(name string, build func() []*frontline.LineInput) []*frontline.LineInput {
	f, _ := benchOnce.LoadOrStore(name, sync.OnceValue(build))
	return f.(func() []*frontline.LineInput)()
}

func benchmarkAddLines(b *testing.B, lines []*frontline.LineInput) {
	dir := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := Open(filepath.Join(dir, fmt.Sprintf("bench-%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := db.AddLines(context.Background(), lines, benchStart)
		if err != nil || len(res) != len(lines) || !res[len(res)-1].Created {
			b.Fatalf("AddLines: %v", err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// BenchmarkAddLinesYear imports a year of daily versions of a 3,000-vertex
// line in one batch, as a history import does.
func BenchmarkAddLinesYear(b *testing.B) {
	lines := benchInputs("year", func() []*frontline.LineInput {
		lines := make([]*frontline.LineInput, benchDays)
		for d := range lines {
			day := benchStart.AddDate(0, 0, d).Format(time.DateOnly)
			in, err := frontline.ParseLine(lineJSON(3000, d, day))
			if err != nil {
				panic(err)
			}
			lines[d] = in
		}
		return lines
	})
	benchmarkAddLines(b, lines)
}

// BenchmarkLineLarge reads back one 100,000-vertex line with its geometry.
func BenchmarkLineLarge(b *testing.B) {
	lines := benchInputs("large", largeLine)
	db := openTest(b, filepath.Join(b.TempDir(), "bench.db"))
	if _, err := db.AddLines(context.Background(), lines, benchStart); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if l, err := db.Line(context.Background(), 1); err != nil || len(l.Coords[0]) != 100000 {
			b.Fatalf("Line: %v", err)
		}
	}
}

func largeLine() []*frontline.LineInput {
	in, err := frontline.ParseLine(lineJSON(100000, 0, "2024-01-01"))
	if err != nil {
		panic(err)
	}
	return []*frontline.LineInput{in}
}

// BenchmarkAddLinesLarge imports one 100,000-vertex line.
func BenchmarkAddLinesLarge(b *testing.B) {
	benchmarkAddLines(b, benchInputs("large", largeLine))
}

// TestMigrateMarksDemoLine upgrades a database made before demo data was
// marked and bounds were stored: the embedded default line in it becomes a demo version, another
// line does not, and nothing else changes.
func TestMigrateMarksDemoLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	for _, name := range names[:3] {
		body, _ := migrations.ReadFile(name)
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	const row = `INSERT INTO line_versions (valid_from, source, imported_at, length_km, vertices, parts, hash, geometry, properties)
		VALUES ('2025-12-15T00:00:00.000000000Z', 's', '2026-01-01T00:00:00.000000000Z', 1, 2, 1, ?, '[[[30,48],[31,48]]]', ?)`
	for _, props := range []string{
		`{"name":"Default line: Dnipro mouth to the Belarus-Russia-Ukraine tripoint","valid_from":"2025-12-15"}`,
		`{"name":"An analyst's line"}`,
	} {
		if _, err := raw.Exec(row, props, props); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw.Exec("PRAGMA user_version = 3"); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db := openTest(t, path)
	lines, err := db.Lines(t.Context())
	if err != nil || len(lines) != 2 {
		t.Fatalf("Lines = %v, %v; want 2", lines, err)
	}
	if !lines[0].Demo || lines[1].Demo {
		t.Errorf("demo marks %v, %v; want true, false", lines[0].Demo, lines[1].Demo)
	}
	// Migration 0005 computes the bounds of versions stored before it.
	if want := (orb.Bound{Min: orb.Point{30, 48}, Max: orb.Point{31, 48}}); lines[1].BBox != want {
		t.Errorf("bbox of an old version %v, want %v", lines[1].BBox, want)
	}
	l, err := db.Line(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if l.Properties["demo"] != true || l.Properties["valid_from"] != "2025-12-15" {
		t.Errorf("properties of the old default line after the migration: %v", l.Properties)
	}
}
