// Package frontline is the domain of the front-line coverage service: what
// a line, a unit and a coverage report are, the rules they obey, and the
// Service that imports, stores and computes them over a Store.
//
// # The domain on one page
//
// A line of contact is kept as line versions (LineVersion, line.go): a
// LineString or MultiLineString with the time it describes (valid_from),
// a source and a content hash. The current line is the newest version
// valid now; versions dated later (a planned line) wait for their date,
// and every version stays readable by number or time. An import
// (LineInput, Service.ImportLines in service_lines.go) is refused when a
// part crosses itself or another, when it would change the length of the
// line by more than ImportOptions.MaxLengthChange against the version it
// follows, or when two different lines of one import share a valid_from;
// a version imported by mistake is withdrawn, never deleted.
//
// Units (unit.go) are GeoJSON Features of three kinds: troops (a strength
// at a point), air defense (a range around a point) and patrols (what a
// route or post sees). Demonstration data carries properties.demo and is
// removed with Service.RemoveDemo.
//
// A computation cuts a line version into sectors and zones (the engine,
// package geo) for a set of settings (Params, params.go: sector length or
// count or anchors, zone depth and side, the required density and the
// status thresholds; Settings is the one table of their names), and
// measures each sector's troops per km, the share of its zone under
// air-defense cover and the share of its line watched by patrols: a Report
// (coverage.go) with a status per figure and per sector, and force totals
// (force.go: troops on the line, with rotation, air defense by system,
// patrols). A Posture (postures.go) is a named preset of the required
// density; Requirements (requirements.go) are the troops each sector of a
// report needs and lacks, whole numbers rounded up exactly.
//
// The Service (service*.go) caches what it computes: zones by line version
// and geometry settings, reports also by the units' revision, so a
// repeated or "what if" read costs nothing once computed and a unit write
// recomputes only the coverage. Revisions says what a cached answer of the
// layers above depends on. Writes go one at a time through the Service, so
// its caches follow the Store, whose every write is one transaction with
// its audit entry (store.go). API keys and roles are in auth.go.
//
// Errors wrap the kinds of errors.go (ErrInvalid, ErrNotFound, ...); an
// input refused is an *InputError with a Code saying which rule broke and
// a Location saying where (feature, part, vertex, field).
//
// Input formats live in the parse_*.go files (GeoJSON, bulk collections
// and newline-delimited features, CSV units, the duplicate-name check of
// JSON objects), and the CSV output in csv.go. Presentation (styled
// overlays, vector tiles) and transport (HTTP) live in their own packages
// and depend on this one, never the other way round.
package frontline
