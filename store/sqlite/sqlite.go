// Package sqlite implements frontline.Store on an SQLite database with
// mattn/go-sqlite3.
//
// The database runs in WAL mode with synchronous=FULL: the service
// promises that an acknowledged import survives a crash, and WAL with
// synchronous=NORMAL survives a crash of the process but may lose the
// last commits on power loss or an OS crash. FULL costs one fsync of the
// WAL per commit, and imports are one transaction per batch, so the cost
// is one fsync per request.
//
// SQLite allows one writer at a time. Writes go through a pool of one
// connection, so writers queue in Go (honouring their contexts) rather
// than spinning on SQLITE_BUSY, and they begin with BEGIN IMMEDIATE so a
// transaction never fails half-way on upgrading its lock when another
// process (a command-line import) writes too. Reads use their own pool:
// WAL readers see the last commit and block neither the writer nor each
// other. An in-memory database exists only inside its connection, so
// ":memory:" uses one connection for everything.
//
// Every write inserts its audit entry in its own transaction
// (inAuditedTx), so the log holds exactly the writes that committed.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"frontline/store/internal/stored"
	"io/fs"
	"net/url"
	"runtime"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"frontline"
)

// busyTimeout is how long a statement waits for another process's lock
// (a command-line import while the server runs) before failing.
const busyTimeout = 5 * time.Second

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a frontline.Store in an SQLite database. It is safe for
// concurrent use.
type DB struct {
	write *sql.DB // one connection: SQLite has one writer
	// read is the same as write for ":memory:", so nothing may read
	// through it inside a write transaction: that would wait for itself.
	read *sql.DB
}

var _ frontline.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path, or a private
// in-memory one for ":memory:", and brings its schema up to date.
func Open(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: no database path")
	}
	memory := path == ":memory:"
	write, err := sql.Open("sqlite3", dsn(path, url.Values{
		"_txlock":       {"immediate"},
		"_journal_mode": {"WAL"},
		"_synchronous":  {"FULL"},
		"_foreign_keys": {"1"},
		"_busy_timeout": {fmt.Sprint(busyTimeout.Milliseconds())},
	}))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	// Never let the pool drop the one connection: for ":memory:" it is the
	// database.
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	db := &DB{write: write, read: write}
	if err := migrate(context.Background(), write); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if memory {
		return db, nil
	}
	// Opened after the migrations, so the file exists and is in WAL mode.
	read, err := sql.Open("sqlite3", dsn(path, url.Values{
		"_query_only":   {"1"},
		"_foreign_keys": {"1"},
		"_busy_timeout": {fmt.Sprint(busyTimeout.Milliseconds())},
	}))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	db.read = read
	if err := read.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// dsn makes a SQLite URI, so that the path may hold any character and
// the driver's options ride along as query parameters.
func dsn(path string, params url.Values) string {
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + escaped + "?" + params.Encode()
}

// migrate applies the embedded migrations the database has not seen, in
// one transaction, and records how many it has in PRAGMA user_version.
// Migration files are numbered 0001_..., 0002_...; the number is the
// schema version they bring the database to.
func migrate(ctx context.Context, db *sql.DB) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	for i, name := range names {
		if want := fmt.Sprintf("%04d_", i+1); !strings.HasPrefix(strings.TrimPrefix(name, "migrations/"), want) {
			return fmt.Errorf("migration %s: want a name starting %s", name, want)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("migrate: schema version: %w", err)
	}
	if version > len(names) {
		return fmt.Errorf("migrate: the database has schema version %d, newer than this program's %d", version, len(names))
	}
	if version == len(names) {
		return nil
	}
	for _, name := range names[version:] {
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	// PRAGMA takes no bound parameters; len(names) is our own integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(names))); err != nil {
		return fmt.Errorf("migrate: set schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Ping checks that the database answers on both pools.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close closes the database. Calls in flight finish first.
func (db *DB) Close() error {
	var errs []error
	if db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// inTx runs f in a write transaction, committing if it returns nil and
// rolling back otherwise, so every write is all or nothing.
func (db *DB) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	// Wait for the writer's connection only as long as ctx allows...
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// ...but do not give ctx to the transaction itself: database/sql
	// throws away the connection of a transaction whose context ends
	// (this driver cannot reset a session), and for ":memory:" that
	// connection is the database. f's statements take ctx, so a
	// cancellation still interrupts them, and their error rolls back.
	tx, err := conn.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	// A caller that gave up will not report success: do not commit.
	if err := ctx.Err(); err != nil {
		return err
	}
	return tx.Commit()
}

// inAuditedTx runs f as inTx does and, in the same transaction, records
// the audit entry of the write: action, the target f returns, the actor
// of ctx and the time. The entry commits with the write or not at all.
// Every method that writes goes through here, so none can forget it.
func (db *DB) inAuditedTx(ctx context.Context, action string, f func(tx *sql.Tx) (target string, err error)) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		what, err := f(tx)
		if err != nil {
			return err
		}
		// Taken under the write lock, so entries in id order are in time
		// order (as far as the clock allows).
		at, err := stored.FormatTime(time.Now())
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO audit (at, actor, action, target) VALUES (?, ?, ?, ?)",
			at, frontline.ActorFrom(ctx), action, what); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		return nil
	})
}

// queryAll reads every row a query selects with scan; errors name what
// was read.
func queryAll[T any](ctx context.Context, db *sql.DB, what, query string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return out, nil
}

// queryOne reads the one row a query selects with scan; no row is the
// notFound error (wrapping frontline.ErrNotFound).
func queryOne[T any](ctx context.Context, db *sql.DB, what string, notFound error, query string, scan func(scanner) (T, error), args ...any) (T, error) {
	v, err := scan(db.QueryRowContext(ctx, query, args...))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var zero T
		return zero, notFound
	case err != nil:
		var zero T
		return zero, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return v, nil
}
