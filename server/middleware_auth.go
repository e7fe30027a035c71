package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"frontline"
)

const ctxKey = "frontline.key"

// requiredRole is the role a request needs. Writes always need a write
// key and key management an admin key; reads need a read key only when
// reads are closed, or, for unit positions, when units are protected.
func (s *server) requiredRole(r *http.Request) frontline.Role {
	path := r.URL.Path
	switch {
	case path == "/healthz" || path == "/readyz" || path == "/openapi.json" || path == "/" || strings.HasPrefix(path, "/assets/"):
		// The map page itself is public; the data it asks for is not
		// when reads are closed.
		return frontline.RoleNone
	case strings.HasPrefix(path, "/v1/keys") || path == "/v1/audit" || path == "/v1/demo",
		path == "/v1/settings" && r.Method != http.MethodGet && r.Method != http.MethodHead,
		strings.HasPrefix(path, "/v1/frontline/") && r.Method == http.MethodDelete:
		return frontline.RoleAdmin
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		return frontline.RoleWrite
	}
	if s.cfg.ClosedReads {
		return frontline.RoleRead
	}
	// Unit positions, and what gives them away: air-defense rings, and
	// the gaps (zones less the rings, line less the patrols' sight).
	if s.cfg.ProtectUnits && (strings.HasPrefix(path, "/v1/units") || path == "/v1/overlays/air-defense" ||
		path == "/v1/overlays/gaps" || strings.HasPrefix(path, "/ogc/collections/units") ||
		strings.HasPrefix(path, "/v1/tiles/units") || strings.HasPrefix(path, "/v1/tiles/air-defense") ||
		strings.HasPrefix(path, "/v1/tiles/gaps")) {
		return frontline.RoleRead
	}
	return frontline.RoleNone
}

// bearer returns the API key a request carries: "Authorization: Bearer
// KEY" or "X-API-Key: KEY".
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		// Other schemes (a proxy's Basic auth) are not ours to judge.
		if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
	}
	return r.Header.Get("X-API-Key")
}

// authenticate checks the key a request carries (a bad key is refused
// even where none is needed, so a client learns its key is wrong), then
// the role the request needs: 401 without a valid key, 403 with a key
// whose role is too low. Writes are attributed to the key in the audit
// log.
func (s *server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		need := s.requiredRole(r)
		var key *frontline.APIKey
		if tok := bearer(r); tok != "" {
			k, err := s.svc.Authenticate(r.Context(), tok)
			if err != nil {
				// A failed key counts against the address's read budget, so
				// guessing keys cannot hammer the store unlimited.
				if s.readLimit != nil {
					if d := s.readLimit.wait("addr:"+c.RealIP(), time.Now()); d > 0 {
						return tooMany(c, d)
					}
				}
				return err
			}
			key = k
			c.Set(ctxKey, k)
			c.SetRequest(r.WithContext(frontline.WithActor(r.Context(), k.ID)))
		}
		if need == frontline.RoleNone {
			return next(c)
		}
		if key == nil {
			return &apiError{status: http.StatusUnauthorized, code: codeUnauthorized,
				msg: "this request needs an API key with role " + need.String() + " (Authorization: Bearer KEY)"}
		}
		if key.Role < need {
			return &apiError{status: http.StatusForbidden, code: codeForbidden,
				msg: "API key " + key.ID + " has role " + key.Role.String() + "; this request needs " + need.String()}
		}
		return next(c)
	}
}

// keyOf returns the key that authenticated the request, if any.
func keyOf(c echo.Context) *frontline.APIKey {
	k, _ := c.Get(ctxKey).(*frontline.APIKey)
	return k
}
