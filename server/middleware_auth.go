package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"frontline"
)

const ctxKey = "frontline.key"

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

// authenticate checks the key a request carries, if any: a bad key is
// refused with 401 even where none is needed, so a client learns its key
// is wrong. Writes are attributed to the key in the audit log. Whether
// the request needs a key is its route's to say (authorize).
func (s *server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
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
			c.Set(ctxKey, k)
			c.SetRequest(r.WithContext(frontline.WithActor(r.Context(), k.ID)))
		}
		return next(c)
	}
}

// authorize lets a request through when its key has the role the route's
// access needs: 401 without a key, 403 with a key whose role is too low.
func (s *server) authorize(a access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			need := a.need(c, s.cfg)
			if need == frontline.RoleNone {
				return next(c)
			}
			key := keyOf(c)
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
}

// keyOf returns the key that authenticated the request, if any.
func keyOf(c echo.Context) *frontline.APIKey {
	k, _ := c.Get(ctxKey).(*frontline.APIKey)
	return k
}
