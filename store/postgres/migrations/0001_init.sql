-- The schema of store/sqlite's migrations 0001-0007 as it stands after
-- them, in PostgreSQL, with PostGIS geometry beside the exact coordinates
-- so that QGIS (or any PostGIS client) can open the tables as layers.
--
-- Conventions, the same in every table:
--
-- Times are text, fixed-width RFC 3339 in UTC with nanoseconds
-- ("2024-02-01T12:00:00.123456789Z"), as in SQLite: a timestamptz keeps
-- microseconds only, and the store promises that a time reads back equal
-- to the one written. Text order is time order under COLLATE "C", which
-- every time and id column uses (bytewise, as SQLite compares; the
-- database's default collation may sort ids otherwise). A reader in SQL
-- may write valid_from::timestamptz.
--
-- JSON is text, not jsonb: jsonb would rewrite numbers (1e3 becomes 1000)
-- and drop duplicate keys, and what is read back must be what was written.
--
-- geom columns are derived from the JSON coordinates, in two dimensions
-- (altitude is in the JSON), SRID 4326, with a GiST index. They are NULL
-- where the coordinates do not make a geometry PostGIS accepts (a ring not
-- closed): the JSON stays the truth, and reads never use geom.

CREATE EXTENSION IF NOT EXISTS postgis;

-- The last version number handed out, per numbered table. Updated in the
-- transaction that stores the versions, so that a number is never handed
-- out twice (even if rows were deleted) and a batch that rolls back takes
-- none (a sequence would burn them, leaving gaps).
CREATE TABLE counters (
	name text COLLATE "C" PRIMARY KEY,
	last bigint NOT NULL
);
INSERT INTO counters (name, last) VALUES ('line_versions', 0), ('area_versions', 0);

-- Line versions. A withdrawn version stays (its number is never reused and
-- the audit log can name it) but no read sees it; withdrawn_at is NULL
-- while in service. demo marks the embedded demonstration line. The
-- bounding box is stored so that listings need no geometry.
CREATE TABLE line_versions (
	version      bigint           PRIMARY KEY,
	valid_from   text COLLATE "C" NOT NULL,
	source       text             NOT NULL,
	imported_at  text COLLATE "C" NOT NULL,
	length_km    double precision NOT NULL,
	vertices     integer          NOT NULL,
	parts        integer          NOT NULL,
	hash         text COLLATE "C" NOT NULL,
	geometry     text             NOT NULL, -- JSON [][]position as given, altitude kept
	properties   text             NOT NULL, -- JSON object
	withdrawn_at text COLLATE "C",
	demo         boolean          NOT NULL DEFAULT false,
	min_lon      double precision NOT NULL,
	min_lat      double precision NOT NULL,
	max_lon      double precision NOT NULL,
	max_lat      double precision NOT NULL,
	geom         geometry(MultiLineString, 4326)
);
-- The current line: latest valid_from, highest version among equals.
CREATE INDEX line_versions_valid_from ON line_versions (valid_from, version) WHERE withdrawn_at IS NULL;
-- Idempotent import: same hash and valid_from, in service.
CREATE INDEX line_versions_hash ON line_versions (hash, valid_from) WHERE withdrawn_at IS NULL;
CREATE INDEX line_versions_geom ON line_versions USING gist (geom);

-- Areas held by the other side, numbered as line versions are.
CREATE TABLE area_versions (
	version     bigint           PRIMARY KEY,
	valid_from  text COLLATE "C" NOT NULL,
	source      text             NOT NULL,
	imported_at text COLLATE "C" NOT NULL,
	area_km2    double precision NOT NULL,
	polygons    integer          NOT NULL,
	vertices    integer          NOT NULL,
	hash        text COLLATE "C" NOT NULL,
	geometry    text             NOT NULL, -- JSON [][][]position as given, altitude kept
	properties  text             NOT NULL, -- JSON object
	geom        geometry(MultiPolygon, 4326)
);
CREATE INDEX area_versions_hash ON area_versions (hash, valid_from);
CREATE INDEX area_versions_geom ON area_versions USING gist (geom);

-- The reference territory, a GeoJSON FeatureCollection: one row at most.
CREATE TABLE territory (
	id                 integer          PRIMARY KEY CHECK (id = 1),
	feature_collection text             NOT NULL,
	updated_at         text COLLATE "C" NOT NULL
);

-- Units as their GeoJSON Feature; the derived fields are rebuilt by
-- parsing it, so there is one definition of them. geom is the Feature's
-- geometry: a Point, or a patrol's route as a LineString.
CREATE TABLE units (
	id      text COLLATE "C" PRIMARY KEY,
	kind    text             NOT NULL,
	feature text             NOT NULL,
	geom    geometry(Geometry, 4326)
);
CREATE INDEX units_geom ON units USING gist (geom);

-- Scenarios: JSON text {"name", "description", "base", "units", "remove",
-- "settings"}, read back with frontline.DecodeScenario. revision counts
-- the writes (1 when created).
CREATE TABLE scenarios (
	id         text COLLATE "C" PRIMARY KEY,
	revision   integer          NOT NULL,
	updated_at text COLLATE "C" NOT NULL,
	scenario   text             NOT NULL
);

-- Anchors, in the order they were set.
CREATE TABLE anchors (
	position integer          PRIMARY KEY,
	name     text COLLATE "C" NOT NULL UNIQUE,
	lon      double precision NOT NULL,
	lat      double precision NOT NULL,
	geom     geometry(Point, 4326) NOT NULL
);
CREATE INDEX anchors_geom ON anchors USING gist (geom);

-- API keys. A key's secret is never stored, only its SHA-256 (hash). role
-- is a frontline.Role (1 read, 2 write, 3 admin). revoked_at is NULL while
-- the key is active.
CREATE TABLE api_keys (
	id         text COLLATE "C" PRIMARY KEY,
	name       text             NOT NULL,
	role       integer          NOT NULL,
	hash       bytea            NOT NULL,
	created_at text COLLATE "C" NOT NULL,
	revoked_at text COLLATE "C"
);

-- One row per write, inserted in the write's own transaction, so an entry
-- exists exactly when its write committed. Ids come from an identity (a
-- failed write may leave a gap, which paging does not mind); the store
-- inserts entries under a lock held to commit, so that id order is commit
-- order and time order.
CREATE TABLE audit (
	id     bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at     text COLLATE "C" NOT NULL,
	actor  text             NOT NULL, -- a key id, "cli", or "anonymous"
	action text             NOT NULL, -- "line.import", "units.put", ...
	target text             NOT NULL  -- what the write touched, for people
);
CREATE INDEX audit_at ON audit (at);

-- Server-wide settings, by name, each a JSON value.
CREATE TABLE settings (
	name  text COLLATE "C" PRIMARY KEY,
	value text             NOT NULL
);

-- Change notification between the processes sharing the database: one row
-- per frontline.Changed... bit, its revision moved by every write that
-- changes what it stands for, in the write's transaction, which also
-- sends pg_notify('frontline_changes', '<what>:<rev>'). A process that
-- lost its connection compares the revisions with the ones it last saw.
CREATE TABLE revisions (
	what integer PRIMARY KEY,
	rev  bigint  NOT NULL
);
INSERT INTO revisions (what, rev) VALUES
	(1, 0),  -- ChangedLines: line and area versions
	(2, 0),  -- ChangedUnits
	(4, 0),  -- ChangedAnchors
	(8, 0),  -- ChangedScenarios
	(16, 0), -- ChangedKeys
	(32, 0), -- ChangedSettings
	(64, 0); -- ChangedTerritory
