-- STRICT, so that a value of the wrong type (a []byte bound as a BLOB
-- where JSON text belongs) is refused instead of stored.

-- Line versions. AUTOINCREMENT so that a version number is never handed
-- out twice, even if the newest version were ever deleted. Times are
-- fixed-width RFC 3339 UTC with nanoseconds, so text order is time order.
CREATE TABLE line_versions (
	version     INTEGER PRIMARY KEY AUTOINCREMENT,
	valid_from  TEXT    NOT NULL,
	source      TEXT    NOT NULL,
	imported_at TEXT    NOT NULL,
	length_km   REAL    NOT NULL,
	vertices    INTEGER NOT NULL,
	parts       INTEGER NOT NULL,
	hash        TEXT    NOT NULL,
	geometry    TEXT    NOT NULL, -- JSON [][]position as given, altitude kept
	properties  TEXT    NOT NULL  -- JSON object
) STRICT;

-- LineAt and CurrentLine: latest valid_from, highest version among equals.
CREATE INDEX line_versions_valid_from ON line_versions (valid_from, version);
-- Idempotent import: same hash and valid_from.
CREATE INDEX line_versions_hash ON line_versions (hash, valid_from);

-- Units as their GeoJSON Feature; the derived fields are rebuilt by
-- parsing it, so there is one definition of them.
CREATE TABLE units (
	id      TEXT PRIMARY KEY,
	kind    TEXT NOT NULL,
	feature TEXT NOT NULL
) STRICT;

CREATE TABLE anchors (
	position INTEGER PRIMARY KEY,
	name     TEXT NOT NULL UNIQUE,
	lon      REAL NOT NULL,
	lat      REAL NOT NULL
) STRICT;
