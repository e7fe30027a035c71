package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"frontline"
)

// Watch's timings.
const (
	// watchRetry is the wait between attempts to (re)connect.
	watchRetry = 500 * time.Millisecond
	// watchPing bounds the ping of a silent connection.
	watchPing = 10 * time.Second
)

// watchIdle is how long the connection may be silent before Watch checks
// it with a ping: a connection whose peer vanished (a host down, a
// network partition) would otherwise wait for ever. A variable for tests.
var watchIdle = 30 * time.Second

// Watch calls changed with the frontline.Changed... bits of every write
// committed to the database, by any process (this one's included), until
// ctx ends; it then returns ctx's error.
//
// It listens on a connection of its own, not one of the pool's: a LISTEN
// lasts as long as its session, and a pool (or a transaction-mode pooler
// such as PgBouncer in front of the database) hands sessions around; the
// DSN must reach PostgreSQL itself, or a session-mode pooler. On
// connecting, after LISTEN, it reads the revisions table; on reconnecting
// it calls changed once with the bits of every revision that moved
// meanwhile, so nothing committed while it was away is missed. A notice
// for a revision it has already seen (committed between LISTEN and that
// read) is not passed on again. When the connection is lost or cannot be
// made, it tries again every 500 ms.
//
// It is written on pgx directly rather than with github.com/jackc/pgxlisten:
// there is one channel, the catch-up needs the state of the notices
// before it (the revisions last seen), and the silent-connection check
// and the retry delay are a few lines here; one dependency fewer.
//
// Close does not end Watch, which does not use the pool: end ctx.
func (db *DB) Watch(ctx context.Context, changed func(what int)) error {
	w := &watcher{cfg: db.watch, changed: changed, listening: db.listening}
	for {
		_ = w.session(ctx) // lost or not made: try again
		if err := ctx.Err(); err != nil {
			return err
		}
		t := time.NewTimer(watchRetry)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// watcher is the state of a Watch: the revisions it has seen, nil before
// its first connection.
type watcher struct {
	cfg       *pgx.ConnConfig
	changed   func(what int)
	listening func() // DB.listening
	seen      map[int]int64
}

// session connects, catches up and passes notices on until the
// connection fails or ctx ends, and returns why it ended.
func (w *watcher) session(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, w.cfg.Copy())
	if err != nil {
		return err
	}
	defer closeConn(conn)
	return w.listen(ctx, conn)
}

func (w *watcher) listen(ctx context.Context, conn *pgx.Conn) error {
	// LISTEN before reading the revisions: a write committed after the
	// read is then notified, and one committed before is in the read.
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	revs, err := readRevisions(ctx, conn)
	if err != nil {
		return err
	}
	if w.seen != nil {
		moved := 0
		for what, rev := range revs {
			if last, ok := w.seen[what]; !ok || last != rev {
				moved |= what
			}
		}
		if moved != 0 {
			w.changed(moved)
		}
	}
	w.seen = revs
	if w.listening != nil {
		w.listening()
	}
	for {
		wait, cancel := context.WithTimeout(ctx, watchIdle)
		n, err := conn.WaitForNotification(wait)
		cancel()
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return ctx.Err()
		case pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded):
			// Silent a while: make sure the server is still there.
			ping, cancel := context.WithTimeout(ctx, watchPing)
			err := conn.Ping(ping)
			cancel()
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
			continue
		default:
			return fmt.Errorf("wait: %w", err)
		}
		what, rev, ok := parseNotice(n.Payload)
		if !ok {
			// Not a notice of this program's: assume everything moved.
			w.changed(frontline.ChangedAll)
			continue
		}
		if last, ok := w.seen[what]; ok && rev <= last {
			continue // reported by the catch-up already
		}
		w.seen[what] = rev
		w.changed(what)
	}
}

// readRevisions reads the revisions table: what -> rev.
func readRevisions(ctx context.Context, conn *pgx.Conn) (map[int]int64, error) {
	rows, err := conn.Query(ctx, "SELECT what, rev FROM revisions")
	if err != nil {
		return nil, fmt.Errorf("revisions: %w", err)
	}
	defer rows.Close()
	revs := map[int]int64{}
	for rows.Next() {
		var what int
		var rev int64
		if err := rows.Scan(&what, &rev); err != nil {
			return nil, fmt.Errorf("revisions: %w", err)
		}
		revs[what] = rev
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("revisions: %w", err)
	}
	return revs, nil
}

// parseNotice reads a payload "<what>:<rev>".
func parseNotice(payload string) (what int, rev int64, ok bool) {
	w, r, found := strings.Cut(payload, ":")
	if !found {
		return 0, 0, false
	}
	what, err1 := strconv.Atoi(w)
	rev, err2 := strconv.ParseInt(r, 10, 64)
	if err1 != nil || err2 != nil || what <= 0 || what&^frontline.ChangedAll != 0 {
		return 0, 0, false
	}
	return what, rev, true
}
