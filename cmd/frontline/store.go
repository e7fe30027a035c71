package main

import (
	"context"
	"net/url"
	"strings"

	"frontline"
	"frontline/data"
	"frontline/store/postgres"
	"frontline/store/sqlite"
)

// dbHelp is the --db flag's help, the same in every command.
const dbHelp = "SQLite database file, or a PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DB) shared by several servers"

// isPostgres says whether --db names a PostgreSQL database.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

func openService(ctx context.Context, path string) (*frontline.Service, func(), error) {
	return openServiceWith(ctx, path, frontline.Options{})
}

// openServiceWith opens the store --db names (PostgreSQL for a URL, else
// SQLite) and the service over it; the function it returns closes both.
func openServiceWith(ctx context.Context, path string, opt frontline.Options) (*frontline.Service, func(), error) {
	var st frontline.Store
	if isPostgres(path) {
		db, err := postgres.Open(ctx, path)
		if err != nil {
			return nil, nil, err
		}
		st = db
	} else {
		db, err := sqlite.Open(path)
		if err != nil {
			return nil, nil, err
		}
		st = db
	}
	if opt.Territory == nil {
		opt.Territory = data.Territory()
	}
	svc, err := frontline.NewService(ctx, st, opt)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return svc, func() {
		svc.Close()
		st.Close()
	}, nil
}

// redactDB is --db as logs may show it: a PostgreSQL URL without its
// password.
func redactDB(db string) string {
	if !isPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://(unreadable URL)"
	}
	return u.Redacted()
}
