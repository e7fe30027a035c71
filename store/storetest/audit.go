package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"frontline"
	"frontline/geo"
)

// entry is what a test expects of an audit entry; the id and time are
// checked apart.
type entry struct{ actor, action, target string }

// wantAudit checks the whole log, newest first, against want given oldest
// first (the order the test wrote them), and that every entry was made
// between from and to.
func wantAudit(t *testing.T, s frontline.Store, from, to time.Time, want ...entry) []*frontline.AuditEntry {
	t.Helper()
	got := must(s.Audit(t.Context(), 0, 0)).get(t)
	if len(got) != len(want) {
		for _, e := range got {
			t.Logf("entry %d: %s %s %q", e.ID, e.Actor, e.Action, e.Target)
		}
		t.Fatalf("Audit: %d entries, want %d", len(got), len(want))
	}
	for i, e := range got {
		w := want[len(want)-1-i]
		if e.Actor != w.actor || e.Action != w.action || e.Target != w.target {
			t.Errorf("Audit[%d] (id %d): %s %s %q; want %s %s %q", i, e.ID, e.Actor, e.Action, e.Target, w.actor, w.action, w.target)
		}
		if e.At.Before(from) || e.At.After(to) {
			t.Errorf("Audit[%d] (%s %q): at %v, not between %v and %v", i, e.Action, e.Target, e.At, from, to)
		}
		if _, offset := e.At.Zone(); offset != 0 {
			t.Errorf("Audit[%d]: at %v not in UTC", i, e.At)
		}
		if i > 0 && (e.ID >= got[i-1].ID || e.At.After(got[i-1].At)) {
			t.Errorf("Audit[%d]: id %d at %v after Audit[%d]: id %d at %v; want newest first",
				i, e.ID, e.At, i-1, got[i-1].ID, got[i-1].At)
		}
	}
	return got
}

// testAudit makes one write of every kind and checks the entry each
// leaves: who (the actor of the context), what and which.
func testAudit(t *testing.T, s frontline.Store) {
	base := t.Context()
	ctx := frontline.WithActor(base, "k1")
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	l1, l2, l3 := testLine(t, 1, "2024-01-01"), testLine(t, 2, "2024-01-02"), testLine(t, 3, "2024-01-03")
	a, b, c, d := troops(t, "a", 1), troops(t, "b", 2), troops(t, "c", 3), troops(t, "d", 4)
	key := testKey("kkkkkkkkkk", "ops", frontline.RoleWrite, date("2024-01-01"))
	anchors := []geo.Anchor{{Name: "north", Point: orb.Point{37.6, 49.7}}, {Name: "south", Point: orb.Point{35.1, 47.8}}}

	wantAudit(t, s, time.Time{}, time.Time{})
	from := time.Now()
	_, err := s.AddLines(ctx, []*frontline.LineInput{l1, l2}, imported)
	check("AddLines(1, 2)", err)
	_, err = s.AddLines(ctx, []*frontline.LineInput{l1, l3, l3}, imported)
	check("AddLines(1, 3, 3)", err)
	_, err = s.AddLines(ctx, []*frontline.LineInput{l2, l1}, imported)
	check("AddLines(2, 1)", err)
	_, err = s.PutUnits(ctx, []*frontline.Unit{b, a, b}, false)
	check("PutUnits(b, a, b)", err)
	_, err = s.PutUnits(ctx, []*frontline.Unit{a, c}, true)
	check("PutUnits(a, c, replace)", err)
	_, err = s.PutUnits(ctx, []*frontline.Unit{a, c}, true)
	check("PutUnits(a, c, replace) again", err)
	check("DeleteUnit(c)", s.DeleteUnit(ctx, "c"))
	check("SetAnchors", s.SetAnchors(ctx, anchors))
	check("CreateKey", s.CreateKey(ctx, key))
	check("RevokeKey", s.RevokeKey(ctx, key.ID, date("2024-02-01")))
	check("RevokeKey again", s.RevokeKey(ctx, key.ID, date("2024-03-01")))
	check("SetAnchors()", s.SetAnchors(frontline.WithActor(base, "cli"), nil))
	_, err = s.PutUnits(base, []*frontline.Unit{d}, false)
	check("PutUnits(d) without an actor", err)
	_, err = s.PutUnits(frontline.WithActor(base, ""), nil, true)
	check("PutUnits(replace with none) with an empty actor", err)
	to := time.Now()

	wantAudit(t, s, from, to,
		entry{"k1", "line.import", "created 1,2"},
		// A line met again in the batch that created it is created only.
		entry{"k1", "line.import", "created 3; unchanged 1"},
		entry{"k1", "line.import", "unchanged 2,1"},
		entry{"k1", "units.put", "b,a"},
		entry{"k1", "units.replace", "a,c; deleted 1"},
		entry{"k1", "units.replace", "a,c"},
		entry{"k1", "unit.delete", "c"},
		entry{"k1", "anchors.set", "north,south"},
		entry{"k1", "key.create", "kkkkkkkkkk (write)"},
		entry{"k1", "key.revoke", "kkkkkkkkkk"},
		// Revoking again changes nothing but was asked for.
		entry{"k1", "key.revoke", "kkkkkkkkkk"},
		entry{"cli", "anchors.set", ""},
		entry{"anonymous", "units.put", "d"},
		entry{"anonymous", "units.replace", "deleted 2"},
	)
}

// testAuditLongTargets: a target names at most 50 ids and counts the
// rest, so a write of thousands of units does not make a huge entry.
func testAuditLongTargets(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	var units []*frontline.Unit
	var anchors []geo.Anchor
	var names []string
	for i := range 53 {
		id := fmt.Sprintf("u%02d", i)
		units = append(units, troops(t, id, i+1))
		anchors = append(anchors, geo.Anchor{Name: id, Point: orb.Point{30 + float64(i)/100, 48}})
		names = append(names, id)
	}
	first50 := strings.Join(names[:50], ",")
	from := time.Now()
	if _, err := s.PutUnits(ctx, units, false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAnchors(ctx, anchors); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutUnits(ctx, units[:1], true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutUnits(ctx, units[:51], true); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, s, from, time.Now(),
		entry{"anonymous", "units.put", first50 + " ... and 3 more"},
		entry{"anonymous", "anchors.set", first50 + " ... and 3 more"},
		entry{"anonymous", "units.replace", "u00; deleted 52"},
		entry{"anonymous", "units.replace", first50 + " ... and 1 more"},
	)
}

// testAuditPaging reads the log in pages: newest first, before excluding
// ids from before on, limit <= 0 meaning 100.
func testAuditPaging(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	const n = 105
	for i := range n {
		a := []geo.Anchor{{Name: fmt.Sprintf("a%03d", i), Point: orb.Point{30, 48}}}
		if err := s.SetAnchors(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// name is the anchor the i-th entry from the newest set.
	name := func(i int) string { return fmt.Sprintf("a%03d", n-1-i) }
	all := must(s.Audit(ctx, 0, 0)).get(t)
	if len(all) != 100 {
		t.Fatalf("Audit(0, 0): %d entries, want the default 100", len(all))
	}
	for i, e := range all {
		if e.Target != name(i) {
			t.Fatalf("Audit(0, 0)[%d]: target %q, want %q", i, e.Target, name(i))
		}
	}
	if got := must(s.Audit(ctx, -3, 0)).get(t); len(got) != 100 {
		t.Errorf("Audit(-3, 0): %d entries, want the default 100", len(got))
	}
	newest := all[0].ID

	// Pages of 7 down to the first entry, each before the last one read.
	var paged []*frontline.AuditEntry
	before := int64(0)
	for range n {
		page := must(s.Audit(ctx, 7, before)).get(t)
		if len(page) == 0 {
			break
		}
		if len(page) > 7 {
			t.Fatalf("Audit(7, %d): %d entries", before, len(page))
		}
		paged = append(paged, page...)
		before = page[len(page)-1].ID
	}
	if len(paged) != n {
		t.Fatalf("paged through %d entries, want %d", len(paged), n)
	}
	for i, e := range paged {
		if e.Target != name(i) {
			t.Errorf("paged[%d]: target %q, want %q", i, e.Target, name(i))
		}
		if i > 0 && e.ID >= paged[i-1].ID {
			t.Errorf("paged[%d]: id %d after id %d; want newest first", i, e.ID, paged[i-1].ID)
		}
	}

	tests := []struct {
		name   string
		limit  int
		before int64
		want   []string
	}{
		{"the newest", 2, 0, []string{name(0), name(1)}},
		{"before the newest", 2, newest, []string{name(1), name(2)}},
		{"before one past the newest", 1, newest + 1, []string{name(0)}},
		{"before far past the newest", 1, newest + 1000, []string{name(0)}},
		{"before the oldest", 5, paged[n-1].ID, nil},
		{"before a negative id: from the newest", 1, -1, []string{name(0)}},
	}
	for _, tt := range tests {
		got := must(s.Audit(ctx, tt.limit, tt.before)).get(t)
		var targets []string
		for _, e := range got {
			targets = append(targets, e.Target)
		}
		if !equalStrings(targets, tt.want) {
			t.Errorf("%s: Audit(%d, %d): %v, want %v", tt.name, tt.limit, tt.before, targets, tt.want)
		}
	}
}

// testAuditFailedWrites: a write that fails, before or after it started
// writing, leaves no entry, and one that succeeds after it leaves one.
func testAuditFailedWrites(t *testing.T, s frontline.Store) {
	ctx := frontline.WithActor(t.Context(), "k1")
	key := testKey("kkkkkkkkkk", "ops", frontline.RoleAdmin, date("2024-01-01"))
	from := time.Now()
	if _, err := s.AddLines(ctx, []*frontline.LineInput{testLine(t, 1, "2024-01-01")}, imported); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutUnits(ctx, []*frontline.Unit{troops(t, "a", 1)}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	written := []entry{
		{"k1", "line.import", "created 1"},
		{"k1", "units.put", "a"},
		{"k1", "key.create", "kkkkkkkkkk (admin)"},
	}
	wantAudit(t, s, from, time.Now(), written...)

	noLine := *testLine(t, 9, "2024-01-09")
	noLine.Line = nil
	failures := []struct {
		name  string
		write func() error
	}{
		{"AddLines failing after storing lines", func() error {
			_, err := s.AddLines(ctx, []*frontline.LineInput{testLine(t, 2, "2024-01-02"), testLine(t, 3, "2024-01-03"), &noLine}, imported)
			return err
		}},
		{"AddLines with a nil line", func() error {
			_, err := s.AddLines(ctx, []*frontline.LineInput{testLine(t, 2, "2024-01-02"), nil}, imported)
			return err
		}},
		{"AddLines with a cancelled context", func() error {
			_, err := s.AddLines(cancelled(ctx), []*frontline.LineInput{testLine(t, 2, "2024-01-02")}, imported)
			return err
		}},
		{"PutUnits with a nil unit", func() error {
			_, err := s.PutUnits(ctx, []*frontline.Unit{troops(t, "b", 1), nil}, true)
			return err
		}},
		{"PutUnits with a cancelled context", func() error {
			_, err := s.PutUnits(cancelled(ctx), []*frontline.Unit{troops(t, "b", 1)}, false)
			return err
		}},
		{"DeleteUnit of no unit", func() error { return s.DeleteUnit(ctx, "nope") }},
		{"DeleteUnit with a cancelled context", func() error { return s.DeleteUnit(cancelled(ctx), "a") }},
		{"SetAnchors with a name twice", func() error {
			return s.SetAnchors(ctx, []geo.Anchor{{Name: "x", Point: orb.Point{30, 48}}, {Name: "x", Point: orb.Point{31, 48}}})
		}},
		{"SetAnchors with a cancelled context", func() error { return s.SetAnchors(cancelled(ctx), nil) }},
		{"CreateKey of an id taken", func() error {
			return s.CreateKey(ctx, testKey(key.ID, "again", frontline.RoleRead, date("2024-01-02")))
		}},
		{"CreateKey of no role", func() error {
			return s.CreateKey(ctx, testKey("xxxxxxxxxx", "x", frontline.RoleNone, date("2024-01-02")))
		}},
		{"RevokeKey of no key", func() error { return s.RevokeKey(ctx, "nope", date("2024-01-02")) }},
		{"RevokeKey with a cancelled context", func() error { return s.RevokeKey(cancelled(ctx), key.ID, date("2024-01-02")) }},
	}
	for _, f := range failures {
		if err := f.write(); err == nil {
			t.Errorf("%s: succeeded", f.name)
		}
		if got := must(s.Audit(ctx, 0, 0)).get(t); len(got) != len(written) {
			t.Fatalf("after %s: %d audit entries, want %d", f.name, len(got), len(written))
		}
	}
	if k := must(s.Key(ctx, key.ID)).get(t); !k.Active() {
		t.Error("key revoked by a cancelled RevokeKey")
	}

	// The log goes on from where it was.
	if err := s.DeleteUnit(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	written = append(written, entry{"k1", "unit.delete", "a"})
	wantAudit(t, s, from, time.Now(), written...)
}
