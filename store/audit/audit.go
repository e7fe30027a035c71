// Package audit writes the targets of audit entries, the words that say
// what a write touched, the same in every store.
package audit

import (
	"fmt"
	"strconv"
	"strings"

	"frontline"
)

// maxListed is how many ids an audit target names before it counts the
// rest: a replace of thousands of units must not make an entry of
// megabytes.
const maxListed = 50

// Listed names items comma-separated, each once, in the order given,
// the ones past maxListed counted: "a,b ... and 3 more".
func Listed(items []string) string {
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

// Target joins the parts of an audit target that are not empty with "; ".
func Target(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "; ")
}

// Labelled is label and the listed items, or "" for no items.
func Labelled(label string, items []string) string {
	if len(items) == 0 {
		return ""
	}
	return label + " " + Listed(items)
}

// LineImport says which versions an import created and which it
// found already stored: "created 5,6; unchanged 2". A version a batch
// created and then met again counts as created only.
func LineImport(results []frontline.LineResult) string {
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
	return Target(Labelled("created", made), Labelled("unchanged", kept))
}

// Scenario names a scenario and the revision a write made or deleted:
// "north-1 (revision 2)", so the log tells which of its versions a
// cached result was computed on.
func Scenario(id string, revision int) string {
	return fmt.Sprintf("%s (revision %d)", id, revision)
}
