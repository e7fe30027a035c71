package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"frontline"
)

func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("plan", "plan [--db FILE] [--format table|csv|json] [--system S] [--observe-km K] [settings]\n\n"+
		"Prints what the line needs under the settings (and --scenario): per sector the troops needed,\n"+
		"present and short, the totals with rotation, and how many air-defense units of --system and\n"+
		"observation posts the recommendations place to bring every sector to the thresholds of ok.", stderr)
	dbPath := fs.String("db", "frontline.db", dbHelp)
	format := fs.String("format", "table", "table, csv or json")
	system := fs.String("system", "nasams", "air-defense system the air-defense need is counted in")
	observeKm := fs.Float64("observe-km", frontline.DefaultObserveKm, "how far an observation post sees, in km")
	q := settingFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return usageError{fmt.Sprintf("format must be table, csv or json, got %q", *format)}
	}
	svc, closeStore, err := openService(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer closeStore()
	p, err := svc.ParseParams(ctx, q)
	if err != nil {
		return err
	}
	// Placing units along a long line takes a moment: say what runs.
	start := time.Now()
	fmt.Fprintln(stderr, "computing the zones and coverage, then placing air defense and observation posts...")
	req, err := svc.Requirements(ctx, p, *system, *observeKm)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "done in %.1f s\n", time.Since(start).Seconds())
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(req)
	case "csv":
		_, err := stdout.Write(req.CSV())
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "sector\tlength_km\tneeded\tpresent\tshortfall\t")
	for _, s := range req.Sectors {
		fmt.Fprintf(w, "%s\t%.3f\t%d\t%d\t%d\t\n", s.ID, s.LengthKm, s.Troops.Needed, s.Troops.Present, s.Troops.Shortfall)
	}
	t := req.Totals
	fmt.Fprintf(w, "total\t\t%d\t%d\t%d\t\n", t.Needed, t.Present, t.Shortfall)
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\ntroops short: %d on the line, %d with rotation (x%g)\n", t.Shortfall, t.ShortfallWithRotation, req.Params.Rotation)
	reached := map[bool]string{true: "reach", false: "do not reach"}
	if a := req.AirDefense; a != nil {
		fmt.Fprintf(stdout, "air defense: %d more %s units (%g km) %s %g in every sector\n", a.Needed, a.System, a.RangeKm, reached[a.Reached], a.Target)
	}
	if pt := req.Patrols; pt != nil {
		fmt.Fprintf(stdout, "patrols: %d observation posts (%g km sight) %s %g in every sector\n", pt.Needed, pt.ObserveKm, reached[pt.Reached], pt.Target)
	}
	return nil
}
