-- Areas held by the other side (DeepStateMap, ISW), from which lines of
-- contact are derived, and the reference territory.

-- Area versions, numbered as line versions are: AUTOINCREMENT so that a
-- number is never handed out twice. Times as in 0001: fixed-width RFC
-- 3339 UTC with nanoseconds.
CREATE TABLE area_versions (
	version     INTEGER PRIMARY KEY AUTOINCREMENT,
	valid_from  TEXT    NOT NULL,
	source      TEXT    NOT NULL,
	imported_at TEXT    NOT NULL,
	area_km2    REAL    NOT NULL,
	polygons    INTEGER NOT NULL,
	vertices    INTEGER NOT NULL,
	hash        TEXT    NOT NULL,
	geometry    TEXT    NOT NULL, -- JSON [][][]position as given, altitude kept
	properties  TEXT    NOT NULL  -- JSON object
) STRICT;

-- Idempotent import: same hash and valid_from.
CREATE INDEX area_versions_hash ON area_versions (hash, valid_from);

-- The reference territory, a GeoJSON FeatureCollection: one row at most.
CREATE TABLE territory (
	id                 INTEGER PRIMARY KEY CHECK (id = 1),
	feature_collection TEXT    NOT NULL,
	updated_at         TEXT    NOT NULL
) STRICT;
