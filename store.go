package frontline

import (
	"context"
	"time"

	"frontline/geo"
)

// Store keeps line versions, area versions, the reference territory,
// units, scenarios, anchors, API keys and the audit log.
// Every method that writes is atomic: it stores all it was given or
// nothing, and in the same transaction an audit entry saying who
// (ActorFrom(ctx)), when and what. Implementations return errors wrapping
// ErrNotFound for what is not there.
type Store interface {
	// AddLines stores line versions, all or nothing, numbering them in
	// the order given after the existing ones. A line whose hash and
	// valid_from equal a stored version's is not stored again: its result
	// is that version with Created false. A line without valid_from (zero)
	// is valid from importedAt, unless it has the same hash as the current
	// line, which it then is.
	AddLines(ctx context.Context, lines []*LineInput, importedAt time.Time) ([]LineResult, error)
	// Lines lists every version, without geometry, by version number.
	// Withdrawn versions are left out of this and every other read.
	Lines(ctx context.Context) ([]*LineVersion, error)
	// Line returns one version with its geometry.
	Line(ctx context.Context, version int) (*LineVersion, error)
	// Initialised reports whether a line version was ever stored,
	// withdrawn ones included: a database that had data and lost it all
	// to withdrawals is not filled with the defaults again.
	Initialised(ctx context.Context) (bool, error)
	// Withdraw takes line versions out of service and deletes units, all
	// or nothing, in one audited transaction. A withdrawn version's number
	// is never handed out again, and its content may be imported anew.
	// Naming a version or unit that is not there (or withdrawn already)
	// fails with ErrNotFound and changes nothing.
	Withdraw(ctx context.Context, w Withdrawal) error

	// AddAreas stores area versions and the lines derived from them, all
	// or nothing, in one audited transaction (action "area.import"),
	// numbering the areas in the order given after the existing ones. An
	// area whose hash and valid_from equal a stored version's is not
	// stored again: its result is that version with Created false. Each
	// derived line (if not nil) gets properties["derived_from"] = its
	// area's version and is then stored as AddLines would (idempotent by
	// hash and valid_from; a zero valid_from takes the area's). Areas
	// without valid_from are valid from importedAt. Both results have one
	// entry per item (a LineResult with a nil Line where the item had no
	// line).
	AddAreas(ctx context.Context, items []DerivedLine, importedAt time.Time) ([]AreaResult, []LineResult, error)
	// Areas lists every area version, without geometry, by version number.
	Areas(ctx context.Context) ([]*AreaVersion, error)
	// Area returns one area version with its geometry.
	Area(ctx context.Context, version int) (*AreaVersion, error)
	// Territory returns the stored reference territory (a GeoJSON
	// FeatureCollection), or nil if none was stored.
	Territory(ctx context.Context) ([]byte, error)
	// SetTerritory stores the reference territory (audited
	// "territory.put"); nil deletes it (audited "territory.delete").
	SetTerritory(ctx context.Context, fc []byte) error
	// Units returns every unit, by id.
	Units(ctx context.Context) ([]*Unit, error)
	// Unit returns one unit.
	Unit(ctx context.Context, id string) (*Unit, error)
	// PutUnits stores units (inserting or replacing by id), all or
	// nothing; with replaceAll, every unit not in units is deleted. It
	// reports for each unit whether it was new.
	PutUnits(ctx context.Context, units []*Unit, replaceAll bool) ([]bool, error)
	// DeleteUnit deletes one unit.
	DeleteUnit(ctx context.Context, id string) error

	// Scenarios lists every scenario, by id, with its units.
	Scenarios(ctx context.Context) ([]*Scenario, error)
	// Scenario returns one scenario (ErrNotFound if there is none).
	Scenario(ctx context.Context, id string) (*Scenario, error)
	// PutScenario creates a scenario or replaces the one with its id, in one
	// audited transaction (action "scenario.put"). The stored Revision is the
	// replaced one's plus 1 (1 when new) and UpdatedAt is at; sc is updated to
	// what was stored. It reports whether the scenario is new.
	PutScenario(ctx context.Context, sc *Scenario, at time.Time) (created bool, err error)
	// DeleteScenario deletes one scenario (ErrNotFound if there is none;
	// audited "scenario.delete").
	DeleteScenario(ctx context.Context, id string) error

	// Anchors returns the named points anchor sectors run between.
	Anchors(ctx context.Context) ([]geo.Anchor, error)
	// SetAnchors replaces the anchors.
	SetAnchors(ctx context.Context, anchors []geo.Anchor) error

	// CreateKey stores a new API key.
	CreateKey(ctx context.Context, k *APIKey) error
	// Keys lists every key (revoked ones too), by creation time.
	Keys(ctx context.Context) ([]*APIKey, error)
	// Key returns one key by id.
	Key(ctx context.Context, id string) (*APIKey, error)
	// RevokeKey marks a key revoked at the given time; revoking a revoked
	// key changes nothing.
	RevokeKey(ctx context.Context, id string, at time.Time) error

	// Defaults returns the stored default coverage settings (nil if none
	// were stored); SetDefaults replaces them.
	Defaults(ctx context.Context) (*Params, error)
	SetDefaults(ctx context.Context, p Params) error

	// Audit returns the audit log, newest first: at most limit entries
	// with ids below before (0: from the newest).
	Audit(ctx context.Context, limit int, before int64) ([]*AuditEntry, error)

	// Ping checks that the store can be reached.
	Ping(ctx context.Context) error
	Close() error
}

// What a committed write changed, for Shared stores to tell the other
// processes that use them.
const (
	ChangedLines     = DependsOnLines   // line versions and area versions
	ChangedUnits     = DependsOnUnits   // units
	ChangedAnchors   = DependsOnAnchors // anchors
	ChangedScenarios = 1 << 3
	ChangedKeys      = 1 << 4 // API keys created or revoked
	ChangedSettings  = 1 << 5 // the default settings
	ChangedTerritory = 1 << 6 // the reference territory
	ChangedAll       = ChangedLines | ChangedUnits | ChangedAnchors | ChangedScenarios | ChangedKeys | ChangedSettings | ChangedTerritory
)

// Shared is a Store that several processes (replicas behind a load
// balancer) use at once. It tells each of them of the writes the others
// commit, so that their caches follow.
type Shared interface {
	// Watch calls changed with the Changed... bits of every write any
	// process commits (this one's included), soon after the commit, until
	// ctx ends; it then returns ctx's error. Notices carry revision
	// numbers, never data. When its connection is lost and regained, it
	// compares the stored revisions with the last ones it saw and calls
	// changed with everything that moved meanwhile, so nothing is missed.
	Watch(ctx context.Context, changed func(what int)) error
}

// Withdrawal names stored data to take out of service at once.
type Withdrawal struct {
	Action   string // the audit action: "line.withdraw", "demo.remove"
	Versions []int  // line versions to withdraw
	Units    []string
	At       time.Time
}

// LineResult is the outcome of storing one line.
type LineResult struct {
	Line    *LineVersion
	Created bool
}
