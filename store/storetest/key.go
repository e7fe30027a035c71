package storetest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"frontline"
)

// testKey returns a key with a hash of its own, created at createdAt.
func testKey(id, name string, role frontline.Role, createdAt time.Time) *frontline.APIKey {
	sum := sha256.Sum256([]byte("secret of " + id))
	return &frontline.APIKey{ID: id, Name: name, Role: role, RoleName: role.String(), Hash: sum[:], CreatedAt: createdAt}
}

// wantKey compares a key read back with the one stored.
func wantKey(t *testing.T, what string, got, want *frontline.APIKey) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: nil key", what)
		return
	}
	if got.ID != want.ID || got.Name != want.Name || got.Role != want.Role || got.RoleName != want.Role.String() {
		t.Errorf("%s: id %q, name %q, role %d %q; want %q, %q, %d %q",
			what, got.ID, got.Name, got.Role, got.RoleName, want.ID, want.Name, want.Role, want.Role.String())
	}
	if !bytes.Equal(got.Hash, want.Hash) {
		t.Errorf("%s: hash %x, want %x", what, got.Hash, want.Hash)
	}
	if !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("%s: created at %v, want %v", what, got.CreatedAt, want.CreatedAt)
	}
	if !got.RevokedAt.Equal(want.RevokedAt) {
		t.Errorf("%s: revoked at %v, want %v", what, got.RevokedAt, want.RevokedAt)
	}
	for _, tm := range []time.Time{got.CreatedAt, got.RevokedAt} {
		if _, offset := tm.Zone(); offset != 0 {
			t.Errorf("%s: time %v not in UTC", what, tm)
		}
	}
}

func keyIDs(keys []*frontline.APIKey) []string {
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	return ids
}

func wantKeys(t *testing.T, s frontline.Store, want ...*frontline.APIKey) {
	t.Helper()
	got := must(s.Keys(t.Context())).get(t)
	if !equalStrings(keyIDs(got), keyIDs(want)) {
		t.Fatalf("Keys: %v, want %v", keyIDs(got), keyIDs(want))
	}
	for i := range got {
		wantKey(t, "Keys: key "+want[i].ID, got[i], want[i])
	}
}

func createKey(t *testing.T, s frontline.Store, k *frontline.APIKey) {
	t.Helper()
	if err := s.CreateKey(t.Context(), k); err != nil {
		t.Fatalf("CreateKey(%s): %v", k.ID, err)
	}
}

func testKeys(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	t0 := date("2024-05-01T08:00:00Z")
	// created_at in a zone other than UTC with nanoseconds; c before a
	// and b though made after them; a and b at the same time, by id.
	b := testKey("bbbbbbbbbb", "reader", frontline.RoleRead, t0.In(time.FixedZone("UTC+3", 3*3600)).Add(7))
	a := testKey("aaaaaaaaaa", "writer", frontline.RoleWrite, t0.Add(7))
	c := testKey("cccccccccc", "", frontline.RoleAdmin, t0.Add(-time.Hour))
	wantKeys(t, s)
	createKey(t, s, b)
	createKey(t, s, a)
	createKey(t, s, c)
	wantKeys(t, s, c, a, b)
	wantKey(t, "Key(a)", must(s.Key(ctx, a.ID)).get(t), a)

	_, err := s.Key(ctx, "nope")
	wantNotFound(t, `Key("nope")`, err, `"nope"`)

	// An id taken: refused, and the stored key stays as it was.
	again := testKey(a.ID, "impostor", frontline.RoleAdmin, t0)
	if err := s.CreateKey(ctx, again); !errors.Is(err, frontline.ErrConflict) {
		t.Errorf("CreateKey of an id taken: %v, want an error wrapping ErrConflict", err)
	}
	wantKeys(t, s, c, a, b)

	invalid := map[string]*frontline.APIKey{
		"nil key":    nil,
		"no id":      testKey("", "x", frontline.RoleRead, t0),
		"no role":    testKey("dddddddddd", "x", frontline.RoleNone, t0),
		"role 4":     testKey("dddddddddd", "x", frontline.RoleAdmin+1, t0),
		"role -1":    testKey("dddddddddd", "x", -1, t0),
		"no hash":    {ID: "dddddddddd", Role: frontline.RoleRead, CreatedAt: t0},
		"empty hash": {ID: "dddddddddd", Role: frontline.RoleRead, Hash: []byte{}, CreatedAt: t0},
	}
	for name, k := range invalid {
		if err := s.CreateKey(ctx, k); !errors.Is(err, frontline.ErrInvalid) {
			t.Errorf("CreateKey with %s: %v, want an error wrapping ErrInvalid", name, err)
		}
	}
	wantKeys(t, s, c, a, b)

	// Revoked once: the first time stays, and revoked keys are listed.
	revoked := date("2024-06-01T12:00:00.000000001+02:00")
	if err := s.RevokeKey(ctx, a.ID, revoked); err != nil {
		t.Fatalf("RevokeKey(a): %v", err)
	}
	a.RevokedAt = revoked
	got := must(s.Key(ctx, a.ID)).get(t)
	wantKey(t, "Key(a) after revoking it", got, a)
	if got.Active() {
		t.Error("Key(a) after revoking it: still active")
	}
	if err := s.RevokeKey(ctx, a.ID, revoked.Add(time.Hour)); err != nil {
		t.Errorf("RevokeKey(a) again: %v, want no error", err)
	}
	wantKey(t, "Key(a) after revoking it twice", must(s.Key(ctx, a.ID)).get(t), a)
	wantNotFound(t, `RevokeKey("nope")`, s.RevokeKey(ctx, "nope", revoked), `"nope"`)
	wantKeys(t, s, c, a, b)
	if !must(s.Key(ctx, b.ID)).get(t).Active() {
		t.Error("Key(b): revoked with a")
	}
}

// testKeyHashRoundTrip checks that a hash reads back byte for byte, zero
// bytes and bytes that are not UTF-8 included, and that a key made by
// frontline.NewAPIKey still matches its secret when read back.
func testKeyHashRoundTrip(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	odd := testKey("0000000000", "odd bytes", frontline.RoleRead, date("2024-01-01"))
	odd.Hash = []byte{0, 0xff, 0xfe, 0, 'a', 0x80, 0xc3, 0x28, 0}
	createKey(t, s, odd)
	wantKey(t, "odd bytes", must(s.Key(ctx, odd.ID)).get(t), odd)

	k, token, err := frontline.NewAPIKey(frontline.RoleWrite, "made", date("2024-01-02T03:04:05.123456789Z"))
	if err != nil {
		t.Fatal(err)
	}
	createKey(t, s, k)
	got := must(s.Key(ctx, k.ID)).get(t)
	wantKey(t, "NewAPIKey", got, k)
	id, secret, ok := frontline.SplitToken(token)
	if !ok || id != k.ID {
		t.Fatalf("SplitToken(%q) = %q, %v", token, id, ok)
	}
	if !got.Matches(secret) {
		t.Error("key read back does not match its secret")
	}
	if got.Matches(secret + "x") {
		t.Error("key read back matches another secret")
	}
}
