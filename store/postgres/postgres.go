// Package postgres implements frontline.Store and frontline.Shared on a
// PostgreSQL database with PostGIS, for several processes (replicas of the
// service) sharing one database. It keeps the promises of store/sqlite,
// checked by the same conformance suite (store/storetest): the same
// tables, the same audit entries, the same errors.
//
// Every write is one transaction holding its audit entry (inAuditedTx),
// so the log holds exactly the writes that committed. Every write first
// takes a transaction-level advisory lock, so that writes through several
// processes are serialised as SQLite serialises its writers, and each
// sees what the one before stored: the idempotency checks of imports
// (same hash and valid_from, same as the current line) hold across
// processes as they do in one. Version numbers come from a counter row
// updated in the importing transaction: never handed out twice, and none
// taken by a batch that rolls back (a sequence would leave gaps).
//
// Every write also moves the revision of what it changed (the
// frontline.Changed... bits) and sends pg_notify on commit; Watch follows
// them (see watch.go). Statements run at READ COMMITTED: each sees the
// commits made before it started, which after an advisory lock includes
// the previous holder's.
//
// Times are stored as fixed-width RFC 3339 text with nanoseconds, as
// SQLite stores them, because timestamptz keeps microseconds only and the
// suite requires exact round trips; JSON is text, not jsonb, for the same
// reason. PostGIS geometry columns (SRID 4326, GiST-indexed) sit beside
// the exact coordinates for QGIS and spatial SQL; reads never use them.
//
// Errors caused by the database being unreachable (refused or lost
// connections, a server shutting down or starting) wrap
// frontline.ErrUnavailable, so that the HTTP layer answers 503.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"frontline/store/internal/stored"
	"io"
	"io/fs"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"frontline"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Advisory lock keys, database-wide: "frontln" and a number, unlikely to
// be another program's.
const (
	migrateLock int64 = 0x66726f6e746c6e01 // held (session) while migrating
	writeLock   int64 = 0x66726f6e746c6e02 // held (transaction) by every write
)

// writeIdleTimeout ends the session of a write transaction left idle this
// long (its process hung, or its network vanished without a reset), so
// that writeLock is not held for ever; a write never waits on its client
// that long between statements.
const writeIdleTimeout = "60s"

// applicationName is the pool's application_name (pg_stat_activity)
// unless the DSN sets one; the watcher's connection adds " watch".
const applicationName = "frontline"

// DB is a frontline.Store in a PostgreSQL database. It is safe for
// concurrent use.
type DB struct {
	pool  *pgxpool.Pool
	watch *pgx.ConnConfig // for Watch's own connection

	// listening, if set, is called each time Watch has connected and
	// caught up: tests wait for it before writing.
	listening func()
}

var (
	_ frontline.Store  = (*DB)(nil)
	_ frontline.Shared = (*DB)(nil)
)

// Open connects to the database dsn names (a postgres:// URL or key=value
// DSN, as libpq takes) and brings its schema up to date. Several
// processes may open the same database at once: migrations are applied by
// one of them, under an advisory lock, and the others wait for it.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx quotes the DSN with its password redacted.
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = applicationName
	}
	watch := cfg.ConnConfig.Copy()
	watch.RuntimeParams["application_name"] += " watch"
	if watch.ConnectTimeout == 0 {
		watch.ConnectTimeout = 10 * time.Second
	}
	if err := migrate(ctx, cfg.ConnConfig.Copy()); err != nil {
		return nil, fmt.Errorf("postgres: open: %w", classify(err))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", classify(err))
	}
	return &DB{pool: pool, watch: watch}, nil
}

// migrate applies the embedded migrations the database has not seen, each
// in its own transaction with its row in schema_migrations, on a
// connection of its own holding an advisory lock: another process opening
// the database at the same time waits, then finds them applied. Migration
// files are numbered 0001_..., 0002_...; the number is the schema version
// they bring the database to.
func migrate(ctx context.Context, cfg *pgx.ConnConfig) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	for i, name := range names {
		if want := fmt.Sprintf("%04d_", i+1); !strings.HasPrefix(strings.TrimPrefix(name, "migrations/"), want) {
			return fmt.Errorf("migration %s: want a name starting %s", name, want)
		}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	// Closing the connection releases the session lock, whatever happened.
	defer closeConn(conn)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer     PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied := map[int]bool{}
	rows, err := conn.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("migrate: schema version: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: schema version: %w", err)
		}
		if v > len(names) {
			rows.Close()
			return fmt.Errorf("migrate: the database has schema version %d, newer than this program's %d", v, len(names))
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate: schema version: %w", err)
	}
	for i, name := range names {
		if applied[i+1] {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", i+1, strings.TrimPrefix(name, "migrations/"))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// closeConn closes a connection of its own, waiting a little at most for
// a server that does not answer.
func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	conn.Close(ctx)
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", classify(err))
	}
	return nil
}

// Close closes the pool's connections, waiting for those in use. It does
// not end Watch, which has a connection of its own: end its context.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// rollbackTimeout bounds the wait for a rollback, which a server that went
// away may never answer.
const rollbackTimeout = 5 * time.Second

// inTx runs f in a transaction, committing if it returns nil and rolling
// back otherwise, so every write is all or nothing.
func (db *DB) inTx(ctx context.Context, f func(tx pgx.Tx) error) error {
	// READ COMMITTED whatever the server's default: each statement must
	// see what was committed before it, the previous writer's work
	// included once writeLock is taken (at REPEATABLE READ the snapshot
	// would date from before the wait for the lock).
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return err
	}
	defer func() {
		// After Commit, Rollback does nothing. After a cancelled
		// statement the connection is closed, and the server rolls back.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
		defer cancel()
		tx.Rollback(ctx)
	}()
	if err := f(tx); err != nil {
		return err
	}
	// A caller that gave up will not report success: do not commit. Once
	// the commit is sent, wait for its outcome whatever ctx does, so that
	// success is reported exactly when the write committed.
	if err := ctx.Err(); err != nil {
		return err
	}
	return tx.Commit(context.WithoutCancel(ctx))
}

// notifyChannel is the channel of pg_notify that Watch listens on.
const notifyChannel = "frontline_changes"

// inAuditedTx runs f as inTx does and, in the same transaction, records
// the audit entry of the write (action, the target f returns, the actor
// of ctx and the time) and moves the revisions of what f says it changed
// (frontline.Changed... bits), notifying the other processes on commit.
// Every method that writes goes through here, so none can forget either.
//
// It first takes writeLock, held to the end of the transaction: writes
// are serialised across every process using the database, as SQLite
// serialises its writers. Under READ COMMITTED each statement then sees
// everything the previous writer committed, so that:
//   - an import's idempotency checks (same hash and valid_from, same as
//     the current line) and version numbers see every other import;
//   - a replace of all units or anchors deletes what another process
//     inserted just before (its DELETE would otherwise not see rows
//     committed after it started, and a replace of the anchors would
//     fail on their positions);
//   - audit entries are numbered, timed and committed in one order: id
//     order is time order, and a reader paging by id never meets an entry
//     committed behind one it read;
//   - no two writes wait on each other's row locks (no deadlock).
//
// Writes are rare and short next to reads, which take no lock.
func (db *DB) inAuditedTx(ctx context.Context, action string, f func(tx pgx.Tx) (target string, changed int, err error)) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1), set_config('idle_in_transaction_session_timeout', $2, true)",
			writeLock, writeIdleTimeout); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		what, changed, err := f(tx)
		if err != nil {
			return err
		}
		// Taken under the lock, so entries in id order are in time
		// order (as far as the clocks of the processes allow).
		at, err := stored.FormatTime(time.Now())
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		batch := &pgx.Batch{}
		batch.Queue("INSERT INTO audit (at, actor, action, target) VALUES ($1, $2, $3, $4)",
			at, frontline.ActorFrom(ctx), action, what)
		if changed != 0 {
			// Payload "<what>:<rev>": revision numbers, never data.
			batch.Queue(`WITH moved AS (UPDATE revisions SET rev = rev + 1 WHERE what & $1 <> 0 RETURNING what, rev)
				SELECT pg_notify('`+notifyChannel+`', what || ':' || rev) FROM moved`, changed)
		}
		results := tx.SendBatch(ctx, batch)
		if _, err := results.Exec(); err != nil {
			results.Close()
			return fmt.Errorf("audit: %w", err)
		}
		if changed != 0 {
			if _, err := results.Exec(); err != nil {
				results.Close()
				return fmt.Errorf("revisions: %w", err)
			}
		}
		return results.Close()
	})
}

// classify marks err as frontline.ErrUnavailable when it comes from the
// database being unreachable, and maps the text PostgreSQL cannot hold to
// frontline.ErrInvalid; other errors are returned as they are.
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case unreachable(err):
		return fmt.Errorf("%w: %w", frontline.ErrUnavailable, err)
	case unstorable(err):
		return fmt.Errorf("%w: %w", frontline.ErrInvalid, err)
	}
	return err
}

// unreachable reports whether err says the database cannot be reached:
// no connection could be made, the one in use broke, or the server is
// shutting down or starting (SQLSTATE class 08, 57P01-57P03), or has no
// connection left (53300). A cancelled or timed-out context is the
// caller's doing, not the database's.
func unreachable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P01", "57P02", "57P03", "53300": // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
			return true
		}
		return strings.HasPrefix(pgErr.Code, "08") // connection_exception
	}
	var netErr net.Error
	return errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, pgconn.ErrConnClosed)
}

// unstorable reports whether err is PostgreSQL refusing text it cannot
// hold (a NUL character, bytes that are not UTF-8), which SQLite stores:
// the input is at fault, as for frontline.ErrInvalid.
func unstorable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "22021" || pgErr.Code == "22P05") // character_not_in_repertoire, untranslatable_character
}

// fail wraps the error of an operation: "postgres: what: err", classified.
// Errors that are already the store's (not found, conflict: they name what
// was looked for) keep their message.
func fail(what string, err error) error {
	return fmt.Errorf("postgres: %s: %w", what, classify(err))
}

type scanner interface{ Scan(dest ...any) error }

// queryAll reads every row a query selects with scan; errors name what
// was read.
func queryAll[T any](ctx context.Context, db *DB, what, query string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fail(what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fail(what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(what, err)
	}
	return out, nil
}

// queryOne reads the one row a query selects with scan; no row is the
// notFound error (wrapping frontline.ErrNotFound).
func queryOne[T any](ctx context.Context, db *DB, what string, notFound error, query string, scan func(scanner) (T, error), args ...any) (T, error) {
	v, err := scan(db.pool.QueryRow(ctx, query, args...))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		var zero T
		return zero, notFound
	case err != nil:
		var zero T
		return zero, fail(what, err)
	}
	return v, nil
}

// execOne runs a statement that must change exactly one row; changing
// none fails with ErrNotFound and the notFound message.
func execOne(ctx context.Context, tx pgx.Tx, notFound, query string, args ...any) error {
	tag, err := tx.Exec(ctx, query, args...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s: %w", notFound, frontline.ErrNotFound)
	}
	return nil
}
