// Package pgtest runs throwaway PostgreSQL clusters with PostGIS for
// tests.
//
//	dsn := pgtest.Start(t) // a database with PostGIS, gone after t
//
//	c := pgtest.StartCluster(t) // the same, with control over the server
//	c.Stop(t)                   // the database is down...
//	c.Start(t)                  // ...and back, same data, same port
//	other := c.NewDatabase(t)   // one more empty database in the cluster
//
// A cluster is initdb'd into a directory of its own under the system's
// temporary directory, with fsync on (a test of durability must test what
// production runs), listening on a free TCP port of 127.0.0.1 and on a
// Unix socket inside that directory, with trust authentication. Tests skip
// when initdb or PostGIS is not installed (on Debian: apt-get install
// postgresql-15 postgresql-15-postgis-3).
//
// PostgreSQL refuses to run as root; when the tests do, the cluster runs
// as the user postgres, owns its directory, and is the DSN's user.
//
// A test binary killed before its cleanups run (a -timeout panic, SIGKILL)
// leaves its server running, with its files in the temporary directory.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNotInstalled is wrapped by New's error when PostgreSQL or PostGIS is
// missing: tests skip rather than fail.
var ErrNotInstalled = errors.New("PostgreSQL tests skipped")

// Cluster is a running (or stopped) throwaway PostgreSQL cluster.
type Cluster struct {
	// DSN names the database made at start, with PostGIS, as
	// postgres://USER@127.0.0.1:PORT/frontline?sslmode=disable.
	DSN string

	bin  string // directory of initdb, pg_ctl
	dir  string // the temporary directory: data, socket, log
	user string // the cluster's superuser
	port int
	cred *syscall.Credential // run the server as this user (when root)

	mu      sync.Mutex
	running bool
	dbs     int // databases made by NewDatabase
}

const (
	template = "pgtest_template" // has PostGIS; NewDatabase copies it
	database = "frontline"       // the database of Cluster.DSN
)

// StartCluster starts a cluster for t, skipping t if PostgreSQL or PostGIS
// is not installed. It is stopped and removed when t ends.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	c, err := New()
	if errors.Is(err, ErrNotInstalled) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Error(err)
		}
	})
	return c
}

// Start starts a cluster for t (see StartCluster) and returns the DSN of
// its database.
func Start(t testing.TB) string {
	t.Helper()
	return StartCluster(t).DSN
}

// New starts a cluster, for a TestMain that shares one among tests; Close
// stops and removes it. Its error wraps ErrNotInstalled when PostgreSQL or
// PostGIS is missing.
func New() (_ *Cluster, err error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	if err := findPostGIS(bin); err != nil {
		return nil, err
	}
	c := &Cluster{bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("%w: running as root, and PostgreSQL will not: no user postgres to run it as (%v)", ErrNotInstalled, err)
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		c.user = "postgres"
	} else {
		u, err := user.Current()
		if err != nil {
			return nil, fmt.Errorf("pgtest: current user: %w", err)
		}
		c.user = u.Username
	}
	// Not t.TempDir: its parent is private to the user running the test,
	// and the server may run as another.
	if c.dir, err = os.MkdirTemp("", "pgtest-"); err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	if c.cred != nil {
		if err := os.Chown(c.dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return nil, fmt.Errorf("pgtest: %w", err)
		}
	}
	if err := c.run("initdb", "--pgdata", c.data(), "--username", c.user, "--auth", "trust",
		"--encoding", "UTF8", "--locale", "C"); err != nil {
		return nil, err
	}
	conf := fmt.Sprintf("\n# pgtest\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nmax_connections = 200\n", c.dir)
	if err := appendFile(filepath.Join(c.data(), "postgresql.conf"), conf); err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	// The port was free when chosen; another process may take it before
	// the server binds it. Then choose again (the last port line wins).
	for attempt := 1; ; attempt++ {
		if c.port, err = freePort(); err != nil {
			return nil, err
		}
		if err := appendFile(filepath.Join(c.data(), "postgresql.conf"), fmt.Sprintf("port = %d\n", c.port)); err != nil {
			return nil, fmt.Errorf("pgtest: %w", err)
		}
		err = c.start()
		if err == nil {
			break
		}
		if attempt == 3 || !strings.Contains(err.Error(), "already in use") {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.exec(ctx, "postgres", "CREATE DATABASE "+template); err != nil {
		return nil, err
	}
	if err := c.exec(ctx, template, "CREATE EXTENSION postgis"); err != nil {
		return nil, err
	}
	if err := c.exec(ctx, "postgres", "CREATE DATABASE "+database+" TEMPLATE "+template); err != nil {
		return nil, err
	}
	c.DSN = c.dsn(database)
	return c, nil
}

// Stop stops the server (pg_ctl stop -m fast): connections are closed
// and new ones refused until Start.
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	if err := c.stop(); err != nil {
		t.Fatal(err)
	}
}

// Start starts the server Stop stopped, on the same data and port.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	if err := c.start(); err != nil {
		t.Fatal(err)
	}
}

// NewDatabase makes another empty database with PostGIS in the cluster
// and returns its DSN. Copying a template, it takes a fraction of a
// second.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	c.mu.Lock()
	c.dbs++
	name := fmt.Sprintf("db%d", c.dbs)
	c.mu.Unlock()
	if err := c.exec(t.Context(), "postgres", "CREATE DATABASE "+name+" TEMPLATE "+template+" STRATEGY FILE_COPY"); err != nil {
		t.Fatal(err)
	}
	return c.dsn(name)
}

// Close stops the server and removes its files.
func (c *Cluster) Close() error {
	err := c.stop()
	if c.dir != "" {
		err = errors.Join(err, os.RemoveAll(c.dir))
	}
	return err
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

func (c *Cluster) dsn(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", c.user, c.port, db)
}

func (c *Cluster) start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return nil
	}
	if err := c.run("pg_ctl", "start", "--wait", "--timeout", "60", "--pgdata", c.data(),
		"--log", filepath.Join(c.dir, "server.log")); err != nil {
		return fmt.Errorf("%w\nserver log:\n%s", err, c.tail())
	}
	c.running = true
	return nil
}

func (c *Cluster) stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.running {
		return nil
	}
	if err := c.run("pg_ctl", "stop", "--wait", "--timeout", "60", "--mode", "fast", "--pgdata", c.data()); err != nil {
		return err
	}
	c.running = false
	return nil
}

// run runs one of the cluster's programs as the cluster's user.
func (c *Cluster) run(program string, args ...string) error {
	cmd := exec.Command(filepath.Join(c.bin, program), args...)
	cmd.Dir = c.dir
	// Nothing of the caller's PG* settings or locale.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C"}
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
		cmd.Env = append(cmd.Env, "HOME="+c.dir)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pgtest: %s %s: %v\n%s", program, strings.Join(args, " "), err, out)
	}
	return nil
}

// exec runs one statement in database db.
func (c *Cluster) exec(ctx context.Context, db, sql string) error {
	conn, err := pgx.Connect(ctx, c.dsn(db))
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("pgtest: %s: %w", sql, err)
	}
	return nil
}

// tail returns the end of the server's log, to explain a failed start.
func (c *Cluster) tail() string {
	b, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// findBin returns the directory of initdb and pg_ctl: from PATH, else
// Debian's PostgreSQL 15.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	const debian = "/usr/lib/postgresql/15/bin"
	if _, err := os.Stat(filepath.Join(debian, "initdb")); err == nil {
		return debian, nil
	}
	return "", fmt.Errorf("%w: initdb not found (apt-get install postgresql-15 postgresql-15-postgis-3)", ErrNotInstalled)
}

// findPostGIS checks that the server in bin has the PostGIS extension:
// Debian's place for PostgreSQL 15, or the share directory beside bin.
func findPostGIS(bin string) error {
	places := []string{
		"/usr/share/postgresql/15/extension/postgis.control",
		filepath.Join(bin, "..", "share", "extension", "postgis.control"),
		filepath.Join(bin, "..", "share", "postgresql", "extension", "postgis.control"),
	}
	if out, err := exec.Command(filepath.Join(bin, "pg_config"), "--sharedir").Output(); err == nil {
		places = append(places, filepath.Join(strings.TrimSpace(string(out)), "extension", "postgis.control"))
	}
	for _, p := range places {
		if _, err := os.Stat(p); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%w: PostGIS not found (no %s; apt-get install postgresql-15-postgis-3)", ErrNotInstalled, places[0])
}

// freePort returns a TCP port of 127.0.0.1 that nothing listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func appendFile(name, text string) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
