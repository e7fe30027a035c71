package frontline

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Role is what an API key may do; each role may do all a lower one may.
type Role int

const (
	RoleNone  Role = iota
	RoleRead       // read everything, unit positions included
	RoleWrite      // import lines, write units and anchors
	RoleAdmin      // manage keys and read the audit log
)

func (r Role) String() string {
	switch r {
	case RoleRead:
		return "read"
	case RoleWrite:
		return "write"
	case RoleAdmin:
		return "admin"
	}
	return "none"
}

// ParseRole reads "read", "write" or "admin".
func ParseRole(s string) (Role, error) {
	switch s {
	case "read":
		return RoleRead, nil
	case "write":
		return RoleWrite, nil
	case "admin":
		return RoleAdmin, nil
	}
	return RoleNone, invalid(CodeBadRole, FieldAt("role"), "role must be read, write or admin, got %q", s)
}

// APIKey is a stored key: its public id, role and the SHA-256 of its
// secret. The secret itself is shown once, when the key is made, and never
// stored or logged. Keys are random 160-bit secrets, so a plain hash is
// as strong as a slow one.
type APIKey struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"-"`
	RoleName  string    `json:"role"`
	Hash      []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Active reports whether the key has not been revoked.
func (k *APIKey) Active() bool { return k.RevokedAt.IsZero() }

const tokenPrefix = "fl_"

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewAPIKey makes a key with a fresh secret and returns it with the token
// to give its holder: "fl_<id>_<secret>".
func NewAPIKey(role Role, name string, now time.Time) (*APIKey, string, error) {
	if role < RoleRead || role > RoleAdmin {
		return nil, "", fmt.Errorf("%w: no such role %d", ErrInvalid, role)
	}
	var idb [5]byte
	var secret [20]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return nil, "", err
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return nil, "", err
	}
	id := hex.EncodeToString(idb[:])
	s := strings.ToLower(b32.EncodeToString(secret[:]))
	sum := sha256.Sum256([]byte(s))
	k := &APIKey{ID: id, Name: name, Role: role, RoleName: role.String(), Hash: sum[:], CreatedAt: now.UTC()}
	return k, tokenPrefix + id + "_" + s, nil
}

// SplitToken returns the key id and secret of a token.
func SplitToken(token string) (id, secret string, ok bool) {
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return "", "", false
	}
	id, secret, ok = strings.Cut(rest, "_")
	return id, secret, ok && len(id) == 10 && secret != ""
}

// Matches reports, in constant time, whether secret is the key's.
func (k *APIKey) Matches(secret string) bool {
	sum := sha256.Sum256([]byte(secret))
	return subtle.ConstantTimeCompare(sum[:], k.Hash) == 1
}

// AuditEntry records one write: who made it (a key id, or "cli" for the
// command line), when, and what it changed.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Target string    `json:"target"`
}

type actorKey struct{}

// WithActor marks writes made with ctx as made by actor, for the audit
// log the store keeps with each write.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the actor of ctx ("anonymous" if none).
func ActorFrom(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "anonymous"
}
