package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"frontline"
	"frontline/data"
)

const demoUsage = `Usage: frontline demo remove [--db FILE]

A new database starts with the embedded default line and a demo set of invented units, so
that the service shows something at once. They are marked as demo data ("demo": true). Once
real lines and units are imported, remove them: the demo line is withdrawn (it disappears
from every read; the audit log keeps it) and the demo units are deleted, in one transaction.
The server does the same on DELETE /v1/demo with an admin key.
`

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "remove" {
		fmt.Fprint(stderr, demoUsage)
		if len(args) == 0 {
			return usageError{"demo needs a subcommand: remove"}
		}
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			return nil
		}
		return usageError{fmt.Sprintf("unknown demo subcommand %q", args[0])}
	}
	fs := newFlags("demo remove", "demo remove [--db FILE]\n\n"+
		"Withdraws the demo line and deletes the demo units, in one transaction.", stderr)
	dbPath := fs.String("db", "frontline.db", dbHelp)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	known, err := frontline.ParseUnits(data.Units())
	if err != nil {
		return err
	}
	svc, closeStore, err := openService(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer closeStore()
	removed, err := svc.RemoveDemo(frontline.WithActor(ctx, "cli"), known)
	if err != nil {
		return err
	}
	versions := make([]string, len(removed.Versions))
	for i, v := range removed.Versions {
		versions[i] = fmt.Sprint(v)
	}
	fmt.Fprintf(stdout, "removed the demo data: %d line versions withdrawn (%s), %d units deleted\n",
		len(removed.Versions), strings.Join(versions, ", "), len(removed.Units))
	if len(svc.Versions()) == 0 {
		fmt.Fprintln(stdout, "no line is left: import one (frontline import, or POST /v1/frontline)")
	}
	return nil
}
