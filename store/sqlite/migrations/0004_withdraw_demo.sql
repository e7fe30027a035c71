-- Withdrawn line versions and demonstration data.

-- A withdrawn version stays in the table (its number is never reused and
-- the audit log can name it) but no read sees it; NULL while in service.
ALTER TABLE line_versions ADD COLUMN withdrawn_at TEXT;
-- 1 for the embedded demonstration line (properties.demo).
ALTER TABLE line_versions ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;

-- Databases filled before demo data was marked: the embedded default line
-- is known by its name. (Demo units stored then are recognised by the
-- service, which compares them with the embedded ones.)
UPDATE line_versions SET demo = 1
WHERE json_extract(properties, '$.name') = 'Default line: Dnipro mouth to the Belarus-Russia-Ukraine tripoint';
UPDATE line_versions SET properties = json_set(properties, '$.demo', json('true')) WHERE demo = 1;

-- Idempotent import looks up in-service versions only.
DROP INDEX line_versions_hash;
CREATE INDEX line_versions_hash ON line_versions (hash, valid_from) WHERE withdrawn_at IS NULL;
DROP INDEX line_versions_valid_from;
CREATE INDEX line_versions_valid_from ON line_versions (valid_from, version) WHERE withdrawn_at IS NULL;
