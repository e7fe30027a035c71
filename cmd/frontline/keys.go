package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"frontline"
)

func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, keysUsage)
		return usageError{"keys needs a subcommand: create, list or revoke"}
	}
	ctx = frontline.WithActor(ctx, "cli")
	switch args[0] {
	case "create":
		fs := newFlags("keys create", "keys create --db FILE --role read|write|admin [--name TEXT]\n\n"+
			"Makes an API key and prints it as the last line of the output. It is shown only once:\n"+
			"the database keeps only its hash.", stderr)
		dbPath := fs.String("db", "frontline.db", dbHelp)
		roleName := fs.String("role", "", "read, write or admin")
		name := fs.String("name", "", "who or what the key is for")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		role, err := frontline.ParseRole(*roleName)
		if err != nil {
			return usageError{err.Error()}
		}
		svc, closeStore, err := openService(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer closeStore()
		k, token, err := svc.CreateKey(ctx, role, *name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s key %s (%s); use it as: Authorization: Bearer KEY\n%s\n", k.Role, k.ID, k.Name, token)
		return nil
	case "list":
		fs := newFlags("keys list", "keys list --db FILE", stderr)
		dbPath := fs.String("db", "frontline.db", dbHelp)
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		svc, closeStore, err := openService(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer closeStore()
		keys, err := svc.Keys(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tROLE\tNAME\tCREATED\tREVOKED")
		for _, k := range keys {
			revoked := ""
			if !k.Active() {
				revoked = k.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Role, k.Name, k.CreatedAt.Format(time.RFC3339), revoked)
		}
		return w.Flush()
	case "revoke":
		fs := newFlags("keys revoke", "keys revoke --db FILE ID", stderr)
		dbPath := fs.String("db", "frontline.db", dbHelp)
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return usageError{"give the id of the key to revoke"}
		}
		svc, closeStore, err := openService(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer closeStore()
		if err := svc.RevokeKey(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked key %s\n", fs.Arg(0))
		return nil
	}
	fmt.Fprint(stderr, keysUsage)
	return usageError{fmt.Sprintf("unknown keys subcommand %q", args[0])}
}

const keysUsage = `Usage:
  frontline keys create --db FILE --role read|write|admin [--name TEXT]
  frontline keys list   --db FILE
  frontline keys revoke --db FILE ID
`
