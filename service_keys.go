package frontline

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// CreateKey makes and stores an API key; the token is shown only now.
func (s *Service) CreateKey(ctx context.Context, role Role, name string) (*APIKey, string, error) {
	k, token, err := NewAPIKey(role, name, s.now())
	if err != nil {
		return nil, "", err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.storeErr("create_key", s.store.CreateKey(ctx, k)); err != nil {
		return nil, "", err
	}
	return k, token, nil
}

// Keys lists every API key (no secrets).
func (s *Service) Keys(ctx context.Context) ([]*APIKey, error) {
	keys, err := s.store.Keys(ctx)
	return keys, s.storeErr("keys", err)
}

// RevokeKey revokes a key at once, for this process and every other.
func (s *Service) RevokeKey(ctx context.Context, id string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.storeErr("revoke_key", s.store.RevokeKey(ctx, id, s.now())); err != nil {
		return err
	}
	s.authCache.Delete(id)
	return nil
}

// Audit returns the audit log, newest first.
func (s *Service) Audit(ctx context.Context, limit int, before int64) ([]*AuditEntry, error) {
	entries, err := s.store.Audit(ctx, limit, before)
	return entries, s.storeErr("audit", err)
}

// ErrUnauthorized is wrapped by errors about a missing or bad API key.
var ErrUnauthorized = errors.New("frontline: unauthorized")

// authTTL bounds how long a verified key is trusted without looking at
// the store again, so a key revoked from another process (the command
// line) stops working within it.
const authTTL = 5 * time.Second

type authEntry struct {
	key     *APIKey
	checked time.Time
}

// Authenticate returns the active key a token names, or an error wrapping
// ErrUnauthorized. The error never contains the token.
func (s *Service) Authenticate(ctx context.Context, token string) (*APIKey, error) {
	id, secret, ok := SplitToken(token)
	if !ok {
		return nil, fmt.Errorf("%w: malformed API key", ErrUnauthorized)
	}
	if v, ok := s.authCache.Load(id); ok {
		e := v.(authEntry)
		if s.now().Sub(e.checked) < authTTL && e.key.Matches(secret) {
			return e.key, nil
		}
	}
	k, err := s.store.Key(ctx, id)
	err = s.storeErr("key", err)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w: unknown API key", ErrUnauthorized)
	}
	if err != nil {
		return nil, err
	}
	if !k.Matches(secret) {
		return nil, fmt.Errorf("%w: unknown API key", ErrUnauthorized)
	}
	if !k.Active() {
		return nil, fmt.Errorf("%w: API key %s was revoked", ErrUnauthorized, k.ID)
	}
	s.authCache.Store(id, authEntry{key: k, checked: s.now()})
	return k, nil
}
