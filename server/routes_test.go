package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"frontline"
)

// Every route is served through the table, and each carries the access a
// route of its kind must have: a new endpoint cannot be open by mistake.
func TestRoutesCarryTheirAccess(t *testing.T) {
	svc, err := frontline.NewService(context.Background(), emptyStore{}, frontline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := &server{svc: svc, cfg: Config{Metrics: NewMetrics()}}
	table := s.routes()

	// The router serves exactly the table's routes.
	e := New(svc, Config{})
	var served, listed []string
	for _, r := range e.Routes() {
		if r.Method == "echo_route_not_found" || r.Path == "/*" {
			continue
		}
		served = append(served, r.Method+" "+r.Path)
	}
	for _, r := range table {
		for _, m := range r.methods {
			listed = append(listed, m+" "+r.path)
		}
	}
	slices.Sort(served)
	slices.Sort(listed)
	if !slices.Equal(served, listed) {
		t.Errorf("served routes differ from the table:\nserved %v\ntable  %v", served, listed)
	}

	// The few routes that never need a key.
	public := []string{"/healthz", "/readyz", "/openapi.json", "/", "/assets/:file"}
	// Routes that need an admin key whatever the settings.
	admin := []string{"GET /v1/keys", "HEAD /v1/keys", "POST /v1/keys", "DELETE /v1/keys/:id", "GET /v1/audit", "HEAD /v1/audit", "PUT /v1/settings",
		"DELETE /v1/frontline/:version", "DELETE /v1/demo", "PUT /v1/territory", "DELETE /v1/territory"}
	// Reads that show where units are, with the path that shows them.
	units := map[string]string{
		"/v1/units":                                   "/v1/units",
		"/v1/units/:id":                               "/v1/units/AD-1",
		"/v1/overlays/:name":                          "/v1/overlays/gaps",
		"/v1/cot":                                     "/v1/cot",
		"/v1/export.kmz":                              "/v1/export.kmz",
		"/v1/tiles/:layer.json":                       "/v1/tiles/units.json",
		"/v1/tiles/:layer/:z/:x/:y.mvt":               "/v1/tiles/air-defense/1/1/1.mvt",
		"/ogc/collections/:collection":                "/ogc/collections/units",
		"/ogc/collections/:collection/items":          "/ogc/collections/units/items",
		"/ogc/collections/:collection/items/:feature": "/ogc/collections/units/items/AD-1",
	}
	// The router matches paths; the access alone decides, so one router
	// serves every setting.
	need := func(r route, path string, cfg Config) frontline.Role {
		c := e.NewContext(httptest.NewRequest(r.methods[0], path, nil), httptest.NewRecorder())
		e.Router().Find(r.methods[0], path, c)
		return r.access.need(c, cfg)
	}
	for _, r := range table {
		for _, m := range r.methods {
			name := m + " " + r.path
			example := strings.NewReplacer(":file", "app.js", ":version", "1", ":id", "x", ":sector", "S001",
				":name", "sectors", ":layer", "sectors", ":z", "1", ":x", "1", ":y", "1", ":collection", "sectors", ":feature", "1").Replace(r.path)
			open, closed := need(r, example, Config{}), need(r, example, Config{ClosedReads: true})
			switch {
			case slices.Contains(public, r.path):
				if closed != frontline.RoleNone {
					t.Errorf("%s needs %v with closed reads; it is public", name, closed)
				}
			case slices.Contains(admin, name):
				if open != frontline.RoleAdmin {
					t.Errorf("%s needs %v; want admin", name, open)
				}
			case m != http.MethodGet && m != http.MethodHead:
				if open < frontline.RoleWrite {
					t.Errorf("%s is a write that needs only %v", name, open)
				}
			default:
				if open != frontline.RoleNone || closed != frontline.RoleRead {
					t.Errorf("%s: needs %v with open reads and %v with closed ones; want none and read", name, open, closed)
				}
			}
			if path, ok := units[r.path]; ok && m == http.MethodGet {
				if got := need(r, path, Config{ProtectUnits: true}); got != frontline.RoleRead {
					t.Errorf("%s with units protected needs %v; want read", path, got)
				}
				// Routes that show units whatever their parameters have no
				// example without them.
				always := r.path == "/v1/units" || r.path == "/v1/units/:id" || r.path == "/v1/cot" || r.path == "/v1/export.kmz"
				if got := need(r, example, Config{ProtectUnits: true}); got != frontline.RoleNone && !always {
					t.Errorf("%s with units protected needs %v; it shows no unit", example, got)
				}
			}
		}
	}
}
