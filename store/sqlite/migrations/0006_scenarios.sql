-- Scenarios (SPEC 9): named options over the stored units.

-- scenario is JSON text, {"name", "description", "base", "units", "remove",
-- "settings"}, with the units as their GeoJSON Features: reading rebuilds
-- each with frontline.ParseUnit, as for the units table, so the derived
-- fields have one definition. revision counts the writes (1 when created);
-- updated_at as in 0001: fixed-width RFC 3339 UTC.
CREATE TABLE scenarios (
	id         TEXT    PRIMARY KEY,
	revision   INTEGER NOT NULL,
	updated_at TEXT    NOT NULL,
	scenario   TEXT    NOT NULL
) STRICT;
