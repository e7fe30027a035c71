// Command frontline runs the front-line coverage service and its tools.
//
//	frontline serve    run the HTTP service
//	frontline import   import line versions from files or folders
//	frontline units    import units from GeoJSON or CSV
//	frontline coverage print the coverage report
//	frontline keys     manage API keys
//
// Each command takes --help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

const usage = `frontline: how well a front line is covered by troops, air defense and patrols.

Usage:
  frontline serve    [--addr HOST:PORT] [--db FILE] [--empty]   run the HTTP service
  frontline import   [--db FILE] PATH...                         import line versions (files or folders)
  frontline import-areas [--db FILE] PATH...                     import areas held by the other side and derive their lines
  frontline units    [--db FILE] [--replace] FILE                import units (GeoJSON or .csv)
  frontline coverage [--db FILE] [--format json|csv] [settings]  print the coverage report
  frontline keys     create|list|revoke --db FILE ...            manage API keys
  frontline plan     [--db FILE] [--format table|csv|json] ...   what the line needs: troops, air defense, posts
  frontline export   [--db FILE] --format kml|kmz|cot [-o FILE]  the overlays for Google Earth and TAK clients
  frontline demo     remove [--db FILE]                          remove the demo line and units

Run "frontline COMMAND --help" for a command's flags.
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "frontline:", err)
		}
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "import":
		return runImport(ctx, rest, stdout, stderr)
	case "import-areas":
		return runImportAreas(ctx, rest, stdout, stderr)
	case "units":
		return runUnits(ctx, rest, stdout, stderr)
	case "coverage":
		return runCoverage(ctx, rest, stdout, stderr)
	case "plan":
		return runPlan(ctx, rest, stdout, stderr)
	case "export":
		return runExport(ctx, rest, stdout, stderr)
	case "demo":
		return runDemo(ctx, rest, stdout, stderr)
	case "keys":
		return runKeys(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// newFlags makes a command's flag set, printing its usage on --help.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: frontline %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}
