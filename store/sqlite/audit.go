package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"frontline"
)

// Audit page sizes: the default when limit <= 0, and the most one call
// returns.
const (
	auditDefaultLimit = 100
	auditMaxLimit     = 1000
)

// Audit returns up to limit entries with ids below before (before <= 0:
// from the newest), newest first.
func (db *DB) Audit(ctx context.Context, limit int, before int64) ([]*frontline.AuditEntry, error) {
	switch {
	case limit <= 0:
		limit = auditDefaultLimit
	case limit > auditMaxLimit:
		limit = auditMaxLimit
	}
	rows, err := db.read.QueryContext(ctx,
		"SELECT id, at, actor, action, target FROM audit WHERE ? <= 0 OR id < ? ORDER BY id DESC LIMIT ?",
		before, before, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: audit: %w", err)
	}
	defer rows.Close()
	entries := []*frontline.AuditEntry{}
	for rows.Next() {
		var (
			e  frontline.AuditEntry
			at string
		)
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target); err != nil {
			return nil, fmt.Errorf("sqlite: audit: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("sqlite: audit entry %d: %w", e.ID, err)
		}
		entries = append(entries, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: audit: %w", err)
	}
	return entries, nil
}

// maxListed is how many ids an audit target names before it counts the
// rest: a replace of thousands of units must not make an entry of
// megabytes.
const maxListed = 50

// listed names items comma-separated, each once, in the order given,
// the ones past maxListed counted: "a,b ... and 3 more".
func listed(items []string) string {
	seen := make(map[string]bool, len(items))
	distinct := make([]string, 0, len(items))
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			distinct = append(distinct, it)
		}
	}
	if len(distinct) <= maxListed {
		return strings.Join(distinct, ",")
	}
	return strings.Join(distinct[:maxListed], ",") + fmt.Sprintf(" ... and %d more", len(distinct)-maxListed)
}

// target joins the parts of an audit target that are not empty with "; ".
func target(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "; ")
}

// labelled is label and the listed items, or "" for no items.
func labelled(label string, items []string) string {
	if len(items) == 0 {
		return ""
	}
	return label + " " + listed(items)
}

// lineImportTarget says which versions an import created and which it
// found already stored: "created 5,6; unchanged 2". A version a batch
// created and then met again counts as created only.
func lineImportTarget(results []frontline.LineResult) string {
	created := map[int]bool{}
	var made, kept []string
	for _, r := range results {
		if r.Created {
			created[r.Line.Version] = true
			made = append(made, strconv.Itoa(r.Line.Version))
		}
	}
	for _, r := range results {
		if !r.Created && !created[r.Line.Version] {
			kept = append(kept, strconv.Itoa(r.Line.Version))
		}
	}
	return target(labelled("created", made), labelled("unchanged", kept))
}
