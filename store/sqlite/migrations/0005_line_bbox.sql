-- Each version's bounding box, [minLon, minLat, maxLon, maxLat] as JSON,
-- stored at import so that listings (the OGC collections' extents) need no
-- geometry.
ALTER TABLE line_versions ADD COLUMN bbox TEXT NOT NULL DEFAULT '[]';
UPDATE line_versions SET bbox = (
	SELECT json_array(min(json_extract(p.value, '$[0]')), min(json_extract(p.value, '$[1]')),
	                  max(json_extract(p.value, '$[0]')), max(json_extract(p.value, '$[1]')))
	FROM json_each(line_versions.geometry) AS part, json_each(part.value) AS p);
