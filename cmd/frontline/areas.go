package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"frontline"
)

// areaDate finds a date in a file name: YYYYMMDD (DeepStateMap's daily
// files, deepstatemap_data_20250325.geojson) or YYYY-MM-DD.
var areaDate = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?:[^0-9]|$)`)

func runImportAreas(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import-areas", "import-areas [--db FILE] [--source TEXT] [--border append|none] [--tolerance-km K] [--min-part-km K] [--force] [--max-length-change F] PATH...\n\n"+
		"Imports areas held by the other side (a Polygon or MultiPolygon geometry, a Feature or a\n"+
		"FeatureCollection of one per file) from files and from folders of dated files\n"+
		"(*YYYYMMDD*.geojson or *YYYY-MM-DD*.geojson, as DeepStateMap's daily files are named), and\n"+
		"derives each one's line of contact, stored as a line version. An area without valid_from\n"+
		"is dated by its file name. Everything is stored in one transaction: all or nothing.\n"+
		"Run it while the server is stopped, or post to /v1/areas/bulk instead.", stderr)
	dbPath := fs.String("db", "frontline.db", dbHelp)
	source := fs.String("source", "", "source text for areas that have none")
	border := fs.String("border", "", "append (default): the line runs on along the land border the area does not touch; none: the line of contact alone")
	tolerance := fs.Float64("tolerance-km", 0, "the area's edge is contact where it runs farther than this from the territory's border or coast (default 2)")
	minPart := fs.Float64("min-part-km", 0, "stretches of contact shorter than this are dropped (default 5)")
	force := fs.Bool("force", false, "store lines whose length differs from the version they follow by more than --max-length-change")
	maxChange := fs.Float64("max-length-change", frontline.DefaultMaxLengthChange, "largest change of length from the version a new one follows, as a fraction")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{"no file or folder given"}
	}
	files, err := lineFiles(fs.Args())
	if err != nil {
		return err
	}
	start := time.Now()
	ins := make([]*frontline.AreaInput, 0, len(files))
	bar := newProgress(stderr, "reading", len(files))
	for i, f := range files {
		in, err := readAreaFile(f)
		if err != nil {
			bar.done()
			return fmt.Errorf("%s: %w", f, err)
		}
		if in.Source == "" {
			in.Source = *source
		}
		ins = append(ins, in)
		bar.set(i + 1)
	}
	bar.done()
	svc, closeStore, err := openService(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer closeStore()
	derive := newProgress(stderr, "deriving lines", len(ins))
	res, err := svc.ImportAreas(frontline.WithActor(ctx, "cli"), ins, frontline.DeriveOptions{
		ToleranceKm: *tolerance, MinPartKm: *minPart, Border: *border,
		Import: frontline.ImportOptions{Force: *force, MaxLengthChange: *maxChange},
	}, func(done, _ int) { derive.set(done) })
	derive.done()
	if err != nil {
		var ie *frontline.InputError
		if errors.As(err, &ie) && ie.At.Feature >= 0 && ie.At.Feature < len(files) {
			return fmt.Errorf("%s: %w", files[ie.At.Feature], err)
		}
		return err
	}
	fmt.Fprintf(stdout, "imported %d new areas, %d unchanged, from %d files in %.1f s; %d line versions derived\n",
		res.Imported, res.Unchanged, len(files), time.Since(start).Seconds(), len(res.Lines))
	if lv, _, err := svc.Line(ctx, frontline.Params{}); err == nil {
		fmt.Fprintf(stdout, "current line: version %d, valid from %s, %.3f km, %d parts\n",
			lv.Version, lv.ValidFrom.Format(time.RFC3339), lv.LengthKm, lv.Parts)
	}
	return nil
}

// readAreaFile reads one area, dated by its file name when it has no
// valid_from.
func readAreaFile(path string) (*frontline.AreaInput, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	in, err := frontline.ParseArea(b)
	if err != nil {
		return nil, err
	}
	if in.ValidFrom.IsZero() {
		if m := areaDate.FindStringSubmatch(filepath.Base(path)); m != nil {
			if t, err := time.Parse("2006-01-02", m[1]+"-"+m[2]+"-"+m[3]); err == nil {
				in.ValidFrom = t
			}
		}
	}
	return in, nil
}
