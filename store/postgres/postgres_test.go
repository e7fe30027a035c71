package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/paulmach/orb"

	"frontline"
	"frontline/geo"
	"frontline/internal/pgtest"
	"frontline/store/internal/stored"
	"frontline/store/storetest"
)

// One cluster for the test binary, started by the first test that needs
// it; each test (each case of the suite) gets a database of its own.
var shared struct {
	once    sync.Once
	cluster *pgtest.Cluster
	err     error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cluster != nil {
		if err := shared.cluster.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

// cluster returns the shared cluster, skipping t when PostgreSQL or
// PostGIS is not installed.
func cluster(t testing.TB) *pgtest.Cluster {
	t.Helper()
	shared.once.Do(func() { shared.cluster, shared.err = pgtest.New() })
	if errors.Is(shared.err, pgtest.ErrNotInstalled) {
		t.Skip(shared.err)
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.cluster
}

// newDatabase returns the DSN of a new empty database.
func newDatabase(t testing.TB) string {
	t.Helper()
	return cluster(t).NewDatabase(t)
}

func openTest(t testing.TB, dsn string) *DB {
	t.Helper()
	db, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	cluster(t) // started before the clock
	start := time.Now()
	storetest.Run(t, func(t *testing.T) frontline.Store { return openTest(t, newDatabase(t)) })
	t.Logf("the suite on PostgreSQL took %v", time.Since(start).Round(time.Millisecond))
}

func TestMigrations(t *testing.T) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("migrations: %v, %v", names, err)
	}
	dsn := newDatabase(t)
	ctx := t.Context()

	// Several processes opening a new database at once: one migrates, the
	// others wait and find it done.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := Open(ctx, dsn)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent Open: %v", err)
	}

	// Opened again, with data: nothing changes.
	db := openTest(t, dsn)
	if _, err := db.AddLines(ctx, []*frontline.LineInput{lineInput(t, 10, 0, "2024-01-01")}, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openTest(t, dsn)
	rows, err := db.pool.Query(ctx, "SELECT version, name FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d %s", v, name))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var want []string
	for i, n := range names {
		want = append(want, fmt.Sprintf("%d %s", i+1, strings.TrimPrefix(n, "migrations/")))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("schema_migrations %q, want %q", got, want)
	}
	if lines, err := db.Lines(ctx); err != nil || len(lines) != 1 {
		t.Errorf("after opening again: Lines %v, %v; want 1 version", lines, err)
	}

	t.Run("newer database", func(t *testing.T) {
		if _, err := db.pool.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, 'future.sql')", len(names)+1); err != nil {
			t.Fatal(err)
		}
		_, err := Open(ctx, dsn)
		if err == nil || !strings.Contains(err.Error(), "newer") {
			t.Errorf("Open of a newer database: %v, want an error saying it is newer", err)
		}
	})
}

// TestRevisionBits: the revisions table has one row per Changed... bit.
func TestRevisionBits(t *testing.T) {
	db := openTest(t, newDatabase(t))
	rows, err := db.pool.Query(t.Context(), "SELECT what FROM revisions ORDER BY what")
	if err != nil {
		t.Fatal(err)
	}
	all := 0
	for rows.Next() {
		var what int
		if err := rows.Scan(&what); err != nil {
			t.Fatal(err)
		}
		all |= what
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []int{frontline.ChangedLines, frontline.ChangedUnits, frontline.ChangedAnchors, frontline.ChangedScenarios,
		frontline.ChangedKeys, frontline.ChangedSettings, frontline.ChangedTerritory}
	bits := 0
	for _, b := range want {
		bits |= b
	}
	if all != frontline.ChangedAll || bits != frontline.ChangedAll {
		t.Errorf("revisions rows cover %b, want %b", all, frontline.ChangedAll)
	}
}

// watching runs Watch on db until the test ends, and returns the bits of
// each call, in order, and a signal each time Watch has connected and
// caught up. It waits until Watch listens.
func watching(t *testing.T, db *DB) (calls <-chan int, listened <-chan struct{}) {
	t.Helper()
	changed := make(chan int, 100)
	listening := make(chan struct{}, 100)
	db.listening = func() { listening <- struct{}{} }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- db.Watch(ctx, func(what int) { changed <- what }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Watch returned %v, want context.Canceled", err)
		}
	})
	select {
	case <-listening:
	case <-time.After(10 * time.Second):
		t.Fatal("Watch not listening after 10 s")
	}
	return changed, listening
}

// next returns the bits of the next call within limit, or fails.
func next(t *testing.T, calls <-chan int, limit time.Duration, after string) int {
	t.Helper()
	select {
	case what := <-calls:
		return what
	case <-time.After(limit):
		t.Fatalf("%s: no notice within %v", after, limit)
	}
	return 0
}

// quiet checks that no call comes for a while.
func quiet(t *testing.T, calls <-chan int, after string) {
	t.Helper()
	select {
	case what := <-calls:
		t.Errorf("%s: notice %b, want none", after, what)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestWatch: a write through one handle reaches another's Watch within
// a second, with the bits of what it changed; a failed write or an
// import that stores nothing sends none.
func TestWatch(t *testing.T) {
	dsn := newDatabase(t)
	a, b := openTest(t, dsn), openTest(t, dsn)
	calls, _ := watching(t, b)
	ctx := t.Context()
	unit := troops(t, "u1")
	sc := &frontline.Scenario{ID: "north", Base: frontline.BaseEmpty}
	key := &frontline.APIKey{ID: "k", Role: frontline.RoleRead, Hash: []byte{1}, CreatedAt: time.Now()}
	writes := []struct {
		name  string
		write func() error
		want  []int // the calls, in order
	}{
		{"AddLines", func() error {
			_, err := a.AddLines(ctx, []*frontline.LineInput{lineInput(t, 10, 0, "2024-01-01"), lineInput(t, 10, 1, "2024-01-02")}, time.Now())
			return err
		}, []int{frontline.ChangedLines}},
		{"AddAreas", func() error {
			_, _, err := a.AddAreas(ctx, []frontline.DerivedLine{{Area: areaInput(0)}}, time.Now())
			return err
		}, []int{frontline.ChangedLines}},
		{"PutUnits", func() error { _, err := a.PutUnits(ctx, []*frontline.Unit{unit, troops(t, "u2")}, false); return err },
			[]int{frontline.ChangedUnits}},
		{"DeleteUnit", func() error { return a.DeleteUnit(ctx, "u2") }, []int{frontline.ChangedUnits}},
		{"Withdraw", func() error {
			return a.Withdraw(ctx, frontline.Withdrawal{Action: "demo.remove", Versions: []int{1}, Units: []string{"u1"}, At: time.Now()})
		}, []int{frontline.ChangedLines, frontline.ChangedUnits}},
		{"SetAnchors", func() error { return a.SetAnchors(ctx, []geo.Anchor{{Name: "a", Point: orb.Point{30, 48}}}) },
			[]int{frontline.ChangedAnchors}},
		{"PutScenario", func() error { _, err := a.PutScenario(ctx, sc, time.Now()); return err }, []int{frontline.ChangedScenarios}},
		{"DeleteScenario", func() error { return a.DeleteScenario(ctx, "north") }, []int{frontline.ChangedScenarios}},
		{"CreateKey", func() error { return a.CreateKey(ctx, key) }, []int{frontline.ChangedKeys}},
		{"RevokeKey", func() error { return a.RevokeKey(ctx, "k", time.Now()) }, []int{frontline.ChangedKeys}},
		{"SetDefaults", func() error { return a.SetDefaults(ctx, frontline.DefaultParams()) }, []int{frontline.ChangedSettings}},
		{"SetTerritory", func() error { return a.SetTerritory(ctx, []byte(`{"type":"FeatureCollection","features":[]}`)) },
			[]int{frontline.ChangedTerritory}},
		{"SetTerritory(nil)", func() error { return a.SetTerritory(ctx, nil) }, []int{frontline.ChangedTerritory}},
		// Failed writes and writes that store nothing new: no notice.
		{"DeleteUnit of no unit", func() error {
			if err := a.DeleteUnit(ctx, "nope"); !errors.Is(err, frontline.ErrNotFound) {
				return fmt.Errorf("DeleteUnit(nope): %v, want ErrNotFound", err)
			}
			return nil
		}, nil},
		{"AddLines of a stored line", func() error {
			res, err := a.AddLines(ctx, []*frontline.LineInput{lineInput(t, 10, 1, "2024-01-02")}, time.Now())
			if err == nil && res[0].Created {
				return errors.New("stored again")
			}
			return err
		}, nil},
	}
	for _, w := range writes {
		start := time.Now()
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		for _, want := range w.want {
			if got := next(t, calls, time.Second, w.name); got != want {
				t.Errorf("%s: notice %b, want %b", w.name, got, want)
			}
		}
		if len(w.want) > 0 {
			t.Logf("%s: notified after %v", w.name, time.Since(start).Round(time.Microsecond))
		}
		quiet(t, calls, w.name)
	}
}

// TestWatchReconnect: writes committed while the watcher's connection is
// down are reported, all at once, when it is back.
func TestWatchReconnect(t *testing.T) {
	dsn := newDatabase(t)
	a, b := openTest(t, dsn), openTest(t, dsn)
	listened := make(chan time.Time, 100)
	calls := make(chan int, 100)
	b.listening = func() { listened <- time.Now() }
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.Watch(ctx, func(what int) { calls <- what }) }()
	defer func() {
		cancel()
		<-done
	}()
	<-listened

	var pid int
	if err := a.pool.QueryRow(t.Context(), `SELECT pg_terminate_backend(pid)::int * pid FROM pg_stat_activity
		WHERE application_name = $1 AND datname = current_database()`, applicationName+" watch").Scan(&pid); err != nil || pid == 0 {
		t.Fatalf("terminating the watcher's backend: pid %d, %v", pid, err)
	}
	if err := a.SetAnchors(t.Context(), []geo.Anchor{{Name: "a", Point: orb.Point{30, 48}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.PutUnits(t.Context(), []*frontline.Unit{troops(t, "u1")}, false); err != nil {
		t.Fatal(err)
	}
	written := time.Now()
	var back time.Time
	select {
	case back = <-listened:
	case <-time.After(10 * time.Second):
		t.Fatal("Watch did not reconnect within 10 s")
	}
	if back.Before(written) {
		t.Fatalf("Watch reconnected before the writes were made (%v before); the test proves nothing", written.Sub(back))
	}
	// One call, from the catch-up: the notices of the writes went to
	// the terminated session.
	if got, want := next(t, calls, time.Second, "reconnecting"), frontline.ChangedAnchors|frontline.ChangedUnits; got != want {
		t.Errorf("after reconnecting: notice %b, want %b", got, want)
	}
	t.Logf("reconnected %v after the writes", back.Sub(written).Round(time.Millisecond))
	quiet(t, calls, "reconnecting")

	// Notices flow again.
	if err := a.SetDefaults(t.Context(), frontline.DefaultParams()); err != nil {
		t.Fatal(err)
	}
	if got := next(t, calls, time.Second, "SetDefaults"); got != frontline.ChangedSettings {
		t.Errorf("SetDefaults after reconnecting: notice %b, want %b", got, frontline.ChangedSettings)
	}
}

// TestWatchIdle: a silent connection is pinged, and stays: notices go
// on without reconnecting.
func TestWatchIdle(t *testing.T) {
	// Restored after the watcher ends: cleanups run last first.
	saved := watchIdle
	t.Cleanup(func() { watchIdle = saved })
	watchIdle = 50 * time.Millisecond
	dsn := newDatabase(t)
	a, b := openTest(t, dsn), openTest(t, dsn)
	calls, reconnected := watching(t, b)
	time.Sleep(500 * time.Millisecond) // several pings
	if err := a.SetAnchors(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	if got := next(t, calls, time.Second, "SetAnchors after silence"); got != frontline.ChangedAnchors {
		t.Errorf("notice %b, want %b", got, frontline.ChangedAnchors)
	}
	select {
	case <-reconnected:
		t.Error("Watch reconnected after a silence")
	default:
	}
}

// TestUnavailable stops the database: Ping, reads and writes fail
// wrapping ErrUnavailable, and once it is started again everything works
// within 10 s, Watch included. It runs a cluster of its own.
func TestUnavailable(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and stops a PostgreSQL cluster")
	}
	c := pgtest.StartCluster(t)
	db := openTest(t, c.DSN)
	ctx := t.Context()
	calls, _ := watching(t, db)
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddLines(ctx, []*frontline.LineInput{lineInput(t, 10, 0, "2024-01-01")}, time.Now()); err != nil {
		t.Fatal(err)
	}
	next(t, calls, time.Second, "AddLines")

	c.Stop(t)
	_, errLines := db.Lines(ctx)
	_, errLine := db.Line(ctx, 1)
	_, errPut := db.PutUnits(ctx, []*frontline.Unit{troops(t, "u1")}, false)
	for name, err := range map[string]error{
		"Ping":       db.Ping(ctx),
		"Lines":      errLines,
		"Line":       errLine,
		"PutUnits":   errPut,
		"SetAnchors": db.SetAnchors(ctx, nil),
	} {
		if !errors.Is(err, frontline.ErrUnavailable) {
			t.Errorf("%s with the database down: %v, want an error wrapping ErrUnavailable", name, err)
		} else {
			t.Logf("%s with the database down: %v", name, err)
		}
	}

	c.Start(t)
	back := time.Now()
	for {
		_, err := db.Lines(ctx)
		if err == nil && db.Ping(ctx) == nil {
			break
		}
		if time.Since(back) > 10*time.Second {
			t.Fatalf("10 s after the database was back: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("reads work %v after the database was back", time.Since(back).Round(time.Millisecond))
	if _, err := db.PutUnits(ctx, []*frontline.Unit{troops(t, "u1")}, false); err != nil {
		t.Fatalf("PutUnits after the database was back: %v", err)
	}
	// Watch reconnects (the write may be reported by its catch-up or by
	// its notice).
	if got := next(t, calls, 10*time.Second, "PutUnits after the restart"); got&frontline.ChangedUnits == 0 {
		t.Errorf("after the restart: notice %b, want the units bit", got)
	}
}

// TestClassify: only errors of an unreachable database are
// ErrUnavailable.
func TestClassify(t *testing.T) {
	tests := []struct {
		err         error
		unavailable bool
	}{
		{&pgconn.PgError{Code: "57P01"}, true},
		{&pgconn.PgError{Code: "57P03"}, true},
		{&pgconn.PgError{Code: "08006"}, true},
		{fmt.Errorf("query: %w", &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}), true},
		{fmt.Errorf("x: %w", pgconn.ErrConnClosed), true},
		{&pgconn.PgError{Code: "23505"}, false},
		{&pgconn.PgError{Code: "42P01"}, false},
		{&pgconn.PgError{Code: "57014"}, false}, // query_canceled
		{context.Canceled, false},
		{fmt.Errorf("timeout: %w", context.DeadlineExceeded), false},
		{pgx.ErrNoRows, false},
		{errors.New("something else"), false},
	}
	for _, tt := range tests {
		if got := errors.Is(classify(tt.err), frontline.ErrUnavailable); got != tt.unavailable {
			t.Errorf("classify(%v) unavailable %v, want %v", tt.err, got, tt.unavailable)
		}
	}
	// A connection refused, for real.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = Open(t.Context(), "postgres://nobody@"+addr+"/db?sslmode=disable&connect_timeout=5")
	if !errors.Is(err, frontline.ErrUnavailable) {
		t.Errorf("Open of a port nothing listens on: %v, want ErrUnavailable", err)
	}
}

// TestGeometryColumns: QGIS finds the four geometry columns in
// geometry_columns with SRID 4326, and writes fill them with valid
// geometries that match the stored coordinates in two dimensions.
func TestGeometryColumns(t *testing.T) {
	db := openTest(t, newDatabase(t))
	ctx := t.Context()
	rows, err := db.pool.Query(ctx, `SELECT f_table_name::text, f_geometry_column::text, type, srid, coord_dimension
		FROM geometry_columns WHERE f_table_schema = current_schema() ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var table, column, typ string
		var srid, dim int
		if err := rows.Scan(&table, &column, &typ, &srid, &dim); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s.%s %s %d %dD", table, column, typ, srid, dim))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"anchors.geom POINT 4326 2D",
		"area_versions.geom MULTIPOLYGON 4326 2D",
		"line_versions.geom MULTILINESTRING 4326 2D",
		"units.geom GEOMETRY 4326 2D",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("geometry_columns:\n got %q\nwant %q", got, want)
	}
	var gist int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()
		AND indexdef LIKE '%USING gist (geom)%'`).Scan(&gist); err != nil || gist != 4 {
		t.Errorf("%d GiST indexes on geom (%v), want 4", gist, err)
	}

	line := lineInput(t, 5, 0, "2024-01-01") // altitude on its first vertex
	if _, err := db.AddLines(ctx, []*frontline.LineInput{line}, time.Now()); err != nil {
		t.Fatal(err)
	}
	route, err := frontline.ParseUnit([]byte(`{"type": "Feature", "id": "p", "geometry": {"type": "LineString", "coordinates": [[36, 49], [36.1, 49.05, 3]]},
		"properties": {"kind": "patrol"}}`), -1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutUnits(ctx, []*frontline.Unit{troops(t, "t"), route}, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AddAreas(ctx, []frontline.DerivedLine{{Area: areaInput(0)}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.SetAnchors(ctx, []geo.Anchor{{Name: "a", Point: orb.Point{37.6, 49.7}}}); err != nil {
		t.Fatal(err)
	}
	checks := []struct{ query, want string }{
		{"SELECT ST_AsText(geom) FROM line_versions", "MULTILINESTRING((30 48,34 48.01,38 48.02,42 48.03,46 48.04))"},
		{"SELECT string_agg(id || ' ' || ST_AsText(geom), '; ' ORDER BY id) FROM units", "p LINESTRING(36 49,36.1 49.05); t POINT(31.2 48.4)"},
		{"SELECT ST_AsText(geom) FROM area_versions", "MULTIPOLYGON(((30 48,31 48,31 49,30 49,30 48)))"},
		{"SELECT ST_AsText(geom) FROM anchors", "POINT(37.6 49.7)"},
	}
	for _, c := range checks {
		var got string
		if err := db.pool.QueryRow(ctx, c.query).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if got != c.want {
			t.Errorf("%s = %s, want %s", c.query, got, c.want)
		}
	}
	for _, table := range []string{"line_versions", "units", "area_versions", "anchors"} {
		var n, valid int
		if err := db.pool.QueryRow(ctx, "SELECT count(*), count(*) FILTER (WHERE ST_IsValid(geom) AND ST_SRID(geom) = 4326) FROM "+table).Scan(&n, &valid); err != nil {
			t.Fatal(err)
		}
		if n == 0 || valid != n {
			t.Errorf("%s: %d rows, %d with a valid geometry in SRID 4326", table, n, valid)
		}
	}

	// An area PostGIS would refuse (a ring not closed) is stored, with no
	// geometry: the coordinates are what the store keeps.
	open := areaInput(1)
	open.Polygons[0][0] = open.Polygons[0][0][:4]
	res, _, err := db.AddAreas(ctx, []frontline.DerivedLine{{Area: open}}, time.Now())
	if err != nil {
		t.Fatalf("AddAreas of a ring not closed: %v", err)
	}
	var isNull bool
	if err := db.pool.QueryRow(ctx, "SELECT geom IS NULL FROM area_versions WHERE version = $1", res[0].Area.Version).Scan(&isNull); err != nil || !isNull {
		t.Errorf("geometry of a ring not closed: null %v, %v; want null", isNull, err)
	}
	if a, err := db.Area(ctx, res[0].Area.Version); err != nil || !reflect.DeepEqual(a.Coords, open.Polygons) {
		t.Errorf("Area of a ring not closed: %v, %v", a, err)
	}
}

// TestStoredForm checks the columns other tools rely on: times are
// fixed-width UTC text, JSON is text as written, altitude kept.
func TestStoredForm(t *testing.T) {
	db := openTest(t, newDatabase(t))
	ctx := t.Context()
	in := []*frontline.LineInput{
		lineInput(t, 10, 0, "2024-01-01T00:00:00.5Z"),
		lineInput(t, 10, 1, "2024-01-01T00:00:00Z"),
		lineInput(t, 10, 2, "2024-01-01T00:00:00.05Z"),
	}
	if _, err := db.AddLines(ctx, in, time.Date(2024, 2, 1, 0, 0, 0, 0, time.FixedZone("", -5*3600))); err != nil {
		t.Fatal(err)
	}
	rows, err := db.pool.Query(ctx, `SELECT version, valid_from, imported_at, geometry::json #>> '{0,0,2}', json_typeof(properties::json)
		FROM line_versions ORDER BY valid_from`)
	if err != nil {
		t.Fatal(err)
	}
	var order []int
	for rows.Next() {
		var (
			v                               int
			validFrom, importedAt, altitude string
			propsType                       string
		)
		if err := rows.Scan(&v, &validFrom, &importedAt, &altitude, &propsType); err != nil {
			t.Fatal(err)
		}
		order = append(order, v)
		if len(validFrom) != len(stored.TimeLayout) || importedAt != "2024-02-01T05:00:00.000000000Z" {
			t.Errorf("version %d: times %q, %q: want fixed-width UTC", v, validFrom, importedAt)
		}
		if altitude != "100.5" || propsType != "object" {
			t.Errorf("version %d: first altitude %q, properties %s", v, altitude, propsType)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(order, []int{2, 3, 1}) {
		t.Errorf("versions by valid_from as text: %v, want [2 3 1]", order)
	}
}

// TestConcurrentImports imports the same lines through several handles
// (processes, as far as the database can tell) at once: each line is
// stored once, numbered without gaps, and every handle's result names
// the stored version.
func TestConcurrentImports(t *testing.T) {
	dsn := newDatabase(t)
	const handles, lines = 4, 10
	batch := func() []*frontline.LineInput {
		var in []*frontline.LineInput
		for k := range lines {
			in = append(in, lineInput(t, 10, k, fmt.Sprintf("2024-01-%02d", k+1)))
		}
		return in
	}
	dbs := make([]*DB, handles)
	for i := range dbs {
		dbs[i] = openTest(t, dsn)
	}
	results := make([][]frontline.LineResult, handles)
	errs := make([]error, handles)
	var wg sync.WaitGroup
	for i, db := range dbs {
		in := batch()
		wg.Go(func() { results[i], errs[i] = db.AddLines(t.Context(), in, time.Now()) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	stored, err := dbs[0].Lines(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != lines {
		t.Fatalf("%d versions stored, want %d", len(stored), lines)
	}
	for k := range lines {
		created := 0
		for i := range handles {
			r := results[i][k]
			if r.Line.Version != stored[k].Version || r.Line.Hash != stored[k].Hash {
				t.Errorf("handle %d, line %d: version %d, want %d", i, k, r.Line.Version, stored[k].Version)
			}
			if r.Created {
				created++
			}
		}
		if created != 1 {
			t.Errorf("line %d created by %d handles, want 1", k, created)
		}
	}
	for i, l := range stored {
		if l.Version != i+1 {
			t.Errorf("versions %v: not 1..%d", l.Version, lines)
		}
	}
}

// TestConcurrentReplaces replaces the anchors and all units through
// several handles at once, with overlapping ids in different orders:
// every write succeeds, and what is stored is exactly one of them.
func TestConcurrentReplaces(t *testing.T) {
	dsn := newDatabase(t)
	const handles, rounds = 4, 10
	unitSets := make([][]*frontline.Unit, handles)
	anchorSets := make([][]geo.Anchor, handles)
	for h := range handles {
		for i := range 6 {
			id := fmt.Sprintf("u%d", (i*(h+1)+h)%8) // overlapping, in different orders
			if !slices.ContainsFunc(unitSets[h], func(u *frontline.Unit) bool { return u.ID == id }) {
				unitSets[h] = append(unitSets[h], troops(t, id))
			}
			anchorSets[h] = append(anchorSets[h], geo.Anchor{Name: fmt.Sprintf("a%d-%d", h, i), Point: orb.Point{30 + float64(i), 48}})
		}
		unitSets[h] = append(unitSets[h], troops(t, fmt.Sprintf("only-%d", h)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*handles*rounds)
	for h := range handles {
		db := openTest(t, dsn)
		wg.Go(func() {
			for range rounds {
				if _, err := db.PutUnits(t.Context(), unitSets[h], true); err != nil {
					errs <- fmt.Errorf("handle %d: PutUnits: %w", h, err)
				}
				if err := db.SetAnchors(t.Context(), anchorSets[h]); err != nil {
					errs <- fmt.Errorf("handle %d: SetAnchors: %w", h, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	db := openTest(t, dsn)
	units, err := db.Units(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	anchors, err := db.Anchors(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ids := func(us []*frontline.Unit) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.ID)
		}
		slices.Sort(out)
		return out
	}
	if !slices.ContainsFunc(unitSets, func(set []*frontline.Unit) bool { return slices.Equal(ids(set), ids(units)) }) {
		t.Errorf("units %v: not one of the sets written", ids(units))
	}
	if !slices.ContainsFunc(anchorSets, func(set []geo.Anchor) bool { return slices.Equal(set, anchors) }) {
		t.Errorf("anchors %v: not one of the sets written", anchors)
	}
}

// TestInvalidText: text PostgreSQL cannot hold (a NUL character) is
// refused as invalid input, and nothing is stored.
func TestInvalidText(t *testing.T) {
	db := openTest(t, newDatabase(t))
	in := lineInput(t, 10, 0, "2024-01-01")
	in.Source = "a\x00b"
	if _, err := db.AddLines(t.Context(), []*frontline.LineInput{in}, time.Now()); !errors.Is(err, frontline.ErrInvalid) {
		t.Errorf("a source with a NUL: %v, want ErrInvalid", err)
	}
	if lines, err := db.Lines(t.Context()); err != nil || len(lines) != 0 {
		t.Errorf("after a refused import: %v, %v", lines, err)
	}
}

func TestNotFoundMessages(t *testing.T) {
	db := openTest(t, newDatabase(t))
	ctx := t.Context()
	_, errLine := db.Line(ctx, 7)
	_, errUnit := db.Unit(ctx, "x")
	_, errKey := db.Key(ctx, "x")
	tests := []struct {
		err  error
		want string
	}{
		{errLine, "postgres: line version 7 not found: frontline: not found"},
		{errUnit, `postgres: unit "x" not found: frontline: not found`},
		{db.DeleteUnit(ctx, "x"), `postgres: unit "x" not found: frontline: not found`},
		{db.Withdraw(ctx, frontline.Withdrawal{Action: "line.withdraw", Versions: []int{3}, At: time.Now()}), "postgres: withdraw: line version 3 not found: frontline: not found"},
		{errKey, `postgres: key "x" not found: frontline: not found`},
		{db.RevokeKey(ctx, "x", time.Now()), `postgres: key "x" not found: frontline: not found`},
	}
	for _, tt := range tests {
		if tt.err == nil || tt.err.Error() != tt.want || !errors.Is(tt.err, frontline.ErrNotFound) || errors.Is(tt.err, frontline.ErrUnavailable) {
			t.Errorf("error %v, want %q wrapping ErrNotFound", tt.err, tt.want)
		}
	}
}

// TestTimeRange: times outside the four-digit years would sort wrong as
// text, so they are refused.
func TestTimeRange(t *testing.T) {
	db := openTest(t, newDatabase(t))
	ctx := t.Context()
	in := lineInput(t, 10, 0, "")
	in.ValidFrom = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.AddLines(ctx, []*frontline.LineInput{lineInput(t, 10, 1, "2024-01-01"), in}, time.Now()); !errors.Is(err, frontline.ErrInvalid) {
		t.Errorf("valid_from in year 10000: %v, want an error wrapping ErrInvalid", err)
	}
	if lines, err := db.Lines(ctx); err != nil || len(lines) != 0 {
		t.Fatalf("after a refused import: %v, %v", lines, err)
	}
}

// TestAuditInSameTransaction: a write whose audit entry cannot be
// written is not made, and tells no one.
func TestAuditInSameTransaction(t *testing.T) {
	dsn := newDatabase(t)
	db, other := openTest(t, dsn), openTest(t, dsn)
	calls, _ := watching(t, other)
	ctx := t.Context()
	if _, err := db.PutUnits(ctx, []*frontline.Unit{troops(t, "a")}, false); err != nil {
		t.Fatal(err)
	}
	next(t, calls, time.Second, "PutUnits")
	if _, err := db.pool.Exec(ctx, "DROP TABLE audit"); err != nil {
		t.Fatal(err)
	}
	_, errLines := db.AddLines(ctx, []*frontline.LineInput{lineInput(t, 10, 0, "2024-01-01")}, time.Now())
	_, errPut := db.PutUnits(ctx, nil, true)
	writes := map[string]error{
		"AddLines":   errLines,
		"PutUnits":   errPut,
		"DeleteUnit": db.DeleteUnit(ctx, "a"),
		"SetAnchors": db.SetAnchors(ctx, []geo.Anchor{{Name: "a", Point: orb.Point{30, 48}}}),
	}
	for name, err := range writes {
		if err == nil || !strings.Contains(err.Error(), "audit") {
			t.Errorf("%s without an audit table: %v, want an audit error", name, err)
		}
	}
	lines, errL := db.Lines(ctx)
	units, errU := db.Units(ctx)
	anchors, errA := db.Anchors(ctx)
	if err := errors.Join(errL, errU, errA); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 0 || len(units) != 1 || len(anchors) != 0 {
		t.Errorf("after failed writes: %d lines, %d units, %d anchors; want 0, 1, 0", len(lines), len(units), len(anchors))
	}
	quiet(t, calls, "failed writes")
}

// lineInput returns a line of n vertices, shifted by k so that different
// k give different lines, with altitude on the first vertex.
func lineInput(t testing.TB, n, k int, validFrom string) *frontline.LineInput {
	t.Helper()
	b := []byte(`{"type": "Feature", "properties": {"source": "test"`)
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
	in, err := frontline.ParseLine(append(b, "]}}"...))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// areaInput returns a square area, different for each k.
func areaInput(k int) *frontline.AreaInput {
	x := 30 + float64(k)
	return &frontline.AreaInput{
		Polygons:  [][][]frontline.Position{{{{x, 48, 5}, {x + 1, 48}, {x + 1, 49}, {x, 49}, {x, 48, 5}}}},
		ValidFrom: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Source:    "test",
		AreaKm2:   8000,
	}
}

func troops(t testing.TB, id string) *frontline.Unit {
	t.Helper()
	u, err := frontline.ParseUnit([]byte(`{"type": "Feature", "id": "`+id+`", "geometry": {"type": "Point", "coordinates": [31.2, 48.4]},
		"properties": {"kind": "troops", "strength": 500}}`), -1)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
