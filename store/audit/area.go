package audit

import (
	"fmt"
	"strconv"

	"frontline"
)

// AreaImport says which area and line versions an area import created
// and which it found already stored: "created areas 3,4; unchanged areas
// 1; created lines 7". Lines are the ones derived from the areas (nil
// where an area gave none). A version the batch created and then met
// again counts as created only.
func AreaImport(areas []frontline.AreaResult, lines []frontline.LineResult) string {
	av := make([]imported, 0, len(areas))
	for _, r := range areas {
		if r.Area != nil {
			av = append(av, imported{r.Area.Version, r.Created})
		}
	}
	lv := make([]imported, 0, len(lines))
	for _, r := range lines {
		if r.Line != nil {
			lv = append(lv, imported{r.Line.Version, r.Created})
		}
	}
	madeAreas, keptAreas := createdAndUnchanged(av)
	madeLines, keptLines := createdAndUnchanged(lv)
	return Target(Labelled("created areas", madeAreas), Labelled("unchanged areas", keptAreas),
		Labelled("created lines", madeLines), Labelled("unchanged lines", keptLines))
}

// imported is the outcome of storing one version.
type imported struct {
	version int
	created bool
}

// createdAndUnchanged splits versions into those created and those found
// stored, as LineImport does.
func createdAndUnchanged(results []imported) (made, kept []string) {
	created := map[int]bool{}
	for _, r := range results {
		if r.created {
			created[r.version] = true
			made = append(made, strconv.Itoa(r.version))
		}
	}
	for _, r := range results {
		if !r.created && !created[r.version] {
			kept = append(kept, strconv.Itoa(r.version))
		}
	}
	return made, kept
}

// Territory describes a stored reference territory by its size: "1234
// bytes".
func Territory(featureCollection []byte) string {
	return fmt.Sprintf("%d bytes", len(featureCollection))
}
