package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"frontline"
)

var datePrefix = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})`)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", "import [--db FILE] [--source TEXT] [--force] [--max-length-change F] PATH...\n\n"+
		"Imports line versions from GeoJSON files (a geometry, a Feature, a FeatureCollection of one\n"+
		"line or of many dated lines, or newline-delimited Features) and from folders of such files,\n"+
		"taken in name order. A line without valid_from is dated by a YYYY-MM-DD prefix of its file\n"+
		"name, else by the import time. Everything is stored in one transaction: all or nothing.\n"+
		"A version whose length differs from the one it follows by more than --max-length-change\n"+
		"is refused (a wrong file must not replace the line) unless --force is given.\n"+
		"Run it while the server is stopped, or post to /v1/frontline/bulk instead.", stderr)
	dbPath := fs.String("db", "frontline.db", dbHelp)
	source := fs.String("source", "", "source text for lines that have none")
	force := fs.Bool("force", false, "store versions whose length differs from the version they follow by more than --max-length-change")
	maxChange := fs.Float64("max-length-change", frontline.DefaultMaxLengthChange, "largest change of length from the version a new one follows, as a fraction (0.5: 50 %)")
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
	var ins []*frontline.LineInput
	bar := newProgress(stderr, "reading", len(files))
	for i, f := range files {
		got, err := readLineFile(f)
		if err != nil {
			bar.done()
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, in := range got {
			if in.Source == "" {
				in.Source = *source
			}
		}
		ins = append(ins, got...)
		bar.set(i + 1)
	}
	bar.done()
	svc, closeStore, err := openService(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer closeStore()
	fmt.Fprintf(stderr, "storing %d line versions in one transaction...\n", len(ins))
	res, err := svc.ImportLines(frontline.WithActor(ctx, "cli"), ins, frontline.ImportOptions{Force: *force, MaxLengthChange: *maxChange})
	if err != nil {
		return err
	}
	created := 0
	for i, r := range res {
		if !r.Created {
			continue
		}
		created++
		if f, ok := svc.AlongBoundary(ctx, ins[i].Line); ok && f >= frontline.AlongBoundaryWarning {
			fmt.Fprintf(stderr, "warning: %.0f %% of version %d (%.0f km) runs along the reference territory's border or coast: "+
				"if it is the outline of an area held by the other side, import the polygon with frontline import-areas instead\n",
				f*100, r.Line.Version, r.Line.LengthKm)
		}
	}
	fmt.Fprintf(stdout, "imported %d new line versions, %d unchanged, from %d files in %.1f s\n",
		created, len(res)-created, len(files), time.Since(start).Seconds())
	if lv, _, err := svc.Line(ctx, frontline.Params{}); err == nil {
		fmt.Fprintf(stdout, "current line: version %d, valid from %s, %.3f km, %d vertices\n",
			lv.Version, lv.ValidFrom.Format(time.RFC3339), lv.LengthKm, lv.Vertices)
	}
	return nil
}

// lineFiles expands folders to their GeoJSON files, in name order.
func lineFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		var found []string
		for _, e := range entries {
			switch strings.ToLower(filepath.Ext(e.Name())) {
			case ".geojson", ".json", ".ndjson", ".geojsonl", ".geojsons":
				if !e.IsDir() {
					found = append(found, filepath.Join(p, e.Name()))
				}
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no .geojson, .json or .ndjson files", p)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func readLineFile(path string) ([]*frontline.LineInput, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	in, err := frontline.ParseLine(b)
	var ie *frontline.InputError
	if errors.As(err, &ie) && (ie.Code == "not_one_line" || ie.Code == "not_json") {
		// Many lines: a FeatureCollection or newline-delimited Features.
		return frontline.ParseLines(b)
	}
	if err != nil {
		return nil, err
	}
	if in.ValidFrom.IsZero() {
		if m := datePrefix.FindString(filepath.Base(path)); m != "" {
			if t, err := time.Parse("2006-01-02", m); err == nil {
				in.ValidFrom = t
			}
		}
	}
	return []*frontline.LineInput{in}, nil
}

// progress shows how far a step has come: on a terminal, a bar redrawn in
// place; elsewhere (a file, a pipe, a CI log) a plain line at the start,
// at each further tenth and at the end, since \r frames would pile up there.
type progress struct {
	w     io.Writer
	label string
	total int
	tty   bool
	last  int // bar: filled width drawn last; lines: tenth printed last
}

func newProgress(w io.Writer, label string, total int) *progress {
	p := &progress{w: w, label: label, total: total, tty: isTerminal(w), last: -1}
	p.set(0)
	return p
}

// isTerminal reports whether w is a terminal, where \r redraws the line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func (p *progress) set(n int) {
	if !p.tty {
		tenth, pct := 10, 100
		if p.total > 0 {
			tenth, pct = 10*n/p.total, 100*n/p.total
		}
		if tenth == p.last {
			return
		}
		p.last = tenth
		fmt.Fprintf(p.w, "%s: %d/%d (%d%%)\n", p.label, n, p.total, pct)
		return
	}
	const width = 30
	filled := width
	if p.total > 0 {
		filled = width * n / p.total
	}
	if filled == p.last && n != p.total {
		return
	}
	p.last = filled
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d", p.label, strings.Repeat("#", filled), strings.Repeat(".", width-filled), n, p.total)
}

// done ends the bar's line; plain lines are already ended.
func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

func runUnits(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("units", "units [--db FILE] [--replace] FILE\n\n"+
		"Imports units from a GeoJSON FeatureCollection or, for a .csv file, CSV with id, kind, lon\n"+
		"and lat columns. All or nothing; with --replace, units not in FILE are deleted.", stderr)
	dbPath := fs.String("db", "frontline.db", dbHelp)
	replace := fs.Bool("replace", false, "replace all units by those in FILE")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"give one file"}
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	var units []*frontline.Unit
	if strings.EqualFold(filepath.Ext(fs.Arg(0)), ".csv") {
		units, err = frontline.ParseUnitsCSV(b)
	} else {
		units, err = frontline.ParseUnits(b)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	svc, closeStore, err := openService(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer closeStore()
	w, err := svc.PutUnits(frontline.WithActor(ctx, "cli"), units, *replace)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d units: %d new, %d updated", len(units), w.Created, w.Updated)
	if *replace {
		fmt.Fprintf(stdout, ", %d deleted", w.Deleted)
	}
	fmt.Fprintln(stdout)
	return nil
}

func runCoverage(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("coverage", "coverage [--db FILE] [--format json|csv] [settings]\n\n"+
		"Prints the coverage report of the current (or chosen) line version.", stderr)
	dbPath := fs.String("db", "frontline.db", dbHelp)
	format := fs.String("format", "json", "json or csv")
	q := settingFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "json" && *format != "csv" {
		return usageError{fmt.Sprintf("format must be json or csv, got %q", *format)}
	}
	svc, closeStore, err := openService(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer closeStore()
	// Over the stored default settings, as the API reads them.
	p, err := svc.ParseParams(ctx, q)
	if err != nil {
		return err
	}
	rep, _, err := svc.Coverage(ctx, p)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "csv":
		_, err := stdout.Write(rep.CSV())
		return err
	}
	return usageError{fmt.Sprintf("format must be json or csv, got %q", *format)}
}

// settingFlags adds a flag for every coverage setting (sector_km as
// --sector-km, ...) and returns the query they fill in as they are parsed.
func settingFlags(fs *flag.FlagSet) url.Values {
	q := url.Values{}
	for _, st := range frontline.Settings {
		fs.Func(strings.ReplaceAll(st.Name, "_", "-"), st.Help, func(v string) error {
			q.Set(st.Name, v)
			return nil
		})
	}
	return q
}
