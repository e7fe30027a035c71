-- API keys and the audit log.

-- A key's secret is never stored, only its SHA-256 (hash). role is a
-- frontline.Role (1 read, 2 write, 3 admin). revoked_at is NULL while the
-- key is active. Times as in 0001: fixed-width RFC 3339 UTC.
CREATE TABLE api_keys (
	id         TEXT    PRIMARY KEY,
	name       TEXT    NOT NULL,
	role       INTEGER NOT NULL,
	hash       BLOB    NOT NULL,
	created_at TEXT    NOT NULL,
	revoked_at TEXT
) STRICT;

-- One row per write, inserted in the write's own transaction, so an entry
-- exists exactly when its write committed. AUTOINCREMENT so an id is never
-- reused: ids order the log and page it (id < before).
CREATE TABLE audit (
	id     INTEGER PRIMARY KEY AUTOINCREMENT,
	at     TEXT    NOT NULL,
	actor  TEXT    NOT NULL, -- a key id, "cli", or "anonymous"
	action TEXT    NOT NULL, -- "line.import", "units.put", ...
	target TEXT    NOT NULL  -- what the write touched, for people
) STRICT;

-- Reading the log by time.
CREATE INDEX audit_at ON audit (at);
