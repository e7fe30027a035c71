package server

import (
	"io/fs"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"frontline"
	"frontline/internal/memo"
	"frontline/tiles"
)

// access says who may call a route. It is part of the route: a route
// cannot be registered without one, so no new endpoint can be open by
// omission.
type access struct {
	// role is always needed (RoleNone: no key).
	role frontline.Role
	// read: a read key when reads are closed (--closed-reads).
	read bool
	// units says whether the request shows where units are: then it
	// needs a read key when units are protected (--protect-units).
	units func(c echo.Context) bool
}

var (
	// public routes never need a key: health, the API description and
	// the map page itself (not the data it asks for).
	public = access{}
	reads  = access{read: true}
	// unitReads show unit positions whatever their parameters.
	unitReads = access{read: true, units: func(echo.Context) bool { return true }}
	writes    = access{role: frontline.RoleWrite}
	admins    = access{role: frontline.RoleAdmin}
)

// unitsWhen is a read that shows unit positions when its first path
// parameter names one of layers: the units, their air-defense rings, and
// the gaps (zones less the rings, line less the patrols' sight).
func unitsWhen(layers ...string) access {
	return access{read: true, units: func(c echo.Context) bool {
		v := c.ParamValues()
		return len(v) > 0 && slices.Contains(layers, strings.TrimSuffix(v[0], ".json"))
	}}
}

// need is the role a request on a route with this access needs.
func (a access) need(c echo.Context, cfg Config) frontline.Role {
	switch {
	case a.role != frontline.RoleNone:
		return a.role
	case a.read && cfg.ClosedReads:
		return frontline.RoleRead
	case a.units != nil && cfg.ProtectUnits && a.units(c):
		return frontline.RoleRead
	}
	return frontline.RoleNone
}

// route is one endpoint: its methods, path, who may call it and its
// handler.
type route struct {
	methods []string
	path    string
	access  access
	handle  echo.HandlerFunc
}

var (
	get  = getOrHead
	post = []string{http.MethodPost}
	put  = []string{http.MethodPut}
	del  = []string{http.MethodDelete}
)

// routes is the one table of what the server serves.
func (s *server) routes() []route {
	t := &tileHandlers{server: s, sources: memo.New[string, *tiles.Source](tileSources)}
	o := newOGCAPI(s)
	web := s.webHandler()
	return []route{
		{get, "/healthz", public, s.handleHealth},
		{get, "/readyz", public, s.handleReady},
		{get, "/openapi.json", public, s.handleOpenAPI},
		{get, "/metrics", reads, s.cfg.Metrics.handler()},
		{get, "/", public, web},
		{get, "/assets/:file", public, web},

		{get, "/v1/frontline", reads, s.handleLine},
		{get, "/v1/frontline/versions", reads, s.handleVersions},
		{post, "/v1/frontline", writes, s.handleImportLine},
		{post, "/v1/frontline/bulk", writes, s.handleImportLines},
		{del, "/v1/frontline/:version", admins, s.handleWithdrawLine},
		{del, "/v1/demo", admins, s.handleRemoveDemo},
		{get, "/v1/areas", reads, s.handleAreas},
		{post, "/v1/areas", writes, s.handleImportArea},
		{post, "/v1/areas/bulk", writes, s.handleImportAreas},
		{get, "/v1/areas/:version", reads, s.handleArea},
		{get, "/v1/territory", reads, s.handleTerritory},
		{put, "/v1/territory", admins, s.handlePutTerritory},
		{del, "/v1/territory", admins, s.handleDeleteTerritory},
		{get, "/v1/sectors", reads, s.handleSectors},
		{get, "/v1/anchors", reads, s.handleAnchors},
		{put, "/v1/anchors", writes, s.handlePutAnchors},
		{get, "/v1/units", unitReads, s.handleUnits},
		{post, "/v1/units", writes, s.handleCreateUnit},
		{post, "/v1/units/bulk", writes, s.handleImportUnits},
		{get, "/v1/units/:id", unitReads, s.handleUnit},
		{put, "/v1/units/:id", writes, s.handlePutUnit},
		{del, "/v1/units/:id", writes, s.handleDeleteUnit},
		{get, "/v1/coverage", reads, s.handleCoverage},
		{get, "/v1/coverage/history", reads, s.handleHistory},
		{get, "/v1/coverage/:sector", reads, s.handleSectorCoverage},
		{get, "/v1/requirements", reads, s.handleRequirements},
		{get, "/v1/postures", reads, s.handlePostures},
		{get, "/v1/overlays/changes", reads, s.handleChangesOverlay},
		{get, "/v1/overlays/:name", unitsWhen("air-defense", "gaps"), s.handleOverlay},
		{get, "/v1/cot", unitReads, s.handleCoT},
		{get, "/v1/export.kmz", unitReads, s.handleExportKMZ},
		{get, "/v1/changes", reads, s.handleChanges},
		{get, "/v1/compare", reads, s.handleCompare},
		{get, "/v1/recommend/air-defense", reads, s.handleRecommendAirDefense},
		{get, "/v1/recommend/patrols", reads, s.handleRecommendPatrols},
		{get, "/v1/scenarios", reads, s.handleScenarios},
		{post, "/v1/scenarios", writes, s.handleCreateScenario},
		{get, "/v1/scenarios/:id", reads, s.handleScenario},
		{put, "/v1/scenarios/:id", writes, s.handlePutScenario},
		{del, "/v1/scenarios/:id", writes, s.handleDeleteScenario},
		{get, "/v1/settings", reads, s.handleSettings},
		{put, "/v1/settings", admins, s.handlePutSettings},
		{get, "/v1/keys", admins, s.handleKeys},
		{post, "/v1/keys", admins, s.handleCreateKey},
		{del, "/v1/keys/:id", admins, s.handleRevokeKey},
		{get, "/v1/audit", admins, s.handleAudit},

		// Echo names a parameter up to the next slash, so the last ones
		// are "layer.json" and "y.mvt": the handlers check the suffixes.
		{get, "/v1/tiles/:layer.json", unitsWhen("units", "air-defense", "gaps"), t.handleTileJSON},
		{get, "/v1/tiles/:layer/:z/:x/:y.mvt", unitsWhen("units", "air-defense", "gaps"), t.handleTile},

		{get, "/ogc", reads, o.handleLanding},
		{get, "/ogc/api", reads, o.handleAPI},
		{get, "/ogc/conformance", reads, o.handleConformance},
		{get, "/ogc/collections", reads, o.handleCollections},
		{get, "/ogc/collections/:collection", unitsWhen(o.unitCollectionIDs()...), o.handleCollection},
		{get, "/ogc/collections/:collection/schema", unitsWhen(o.unitCollectionIDs()...), o.handleSchema},
		{get, "/ogc/collections/:collection/items", unitsWhen(o.unitCollectionIDs()...), o.handleItems},
		{get, "/ogc/collections/:collection/items/:feature", unitsWhen(o.unitCollectionIDs()...), o.handleItem},
	}
}

// register adds the routes, each behind the check of its access.
func (s *server) register(e *echo.Echo, routes []route) {
	for _, r := range routes {
		e.Match(r.methods, r.path, r.handle, s.authorize(r.access))
	}
}

// webHandler serves the map page at / and its assets under /assets/.
func (s *server) webHandler() echo.HandlerFunc {
	sub, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err)
	}
	assets, err := loadWeb(sub)
	if err != nil {
		// The files are embedded at compile time: a missing page is a
		// broken build, not a condition to serve around.
		panic(err)
	}
	return handleWeb(assets)
}
