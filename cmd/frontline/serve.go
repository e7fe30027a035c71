package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"frontline"
	"frontline/data"
	"frontline/server"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve [--addr HOST:PORT] [--db FILE] [--empty]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dbPath := fs.String("db", "frontline.db", dbHelp+" (created if missing)")
	empty := fs.Bool("empty", false, "start with no data: do not load the embedded default line and demo units into a new database")
	maxBody := fs.Int64("max-body", server.DefaultMaxBodyBytes, "largest request body accepted, in bytes (413 beyond)")
	closedReads := fs.Bool("closed-reads", false, "every read needs an API key with role read (reads are open by default)")
	protectUnits := fs.Bool("protect-units", false, "unit positions (units, air-defense rings) need a read key; the line and sector overlays stay open")
	readRate := fs.Float64("read-rate", server.DefaultReadRate, "reads per second per client (API key, or address without one); 0: no limit")
	writeRate := fs.Float64("write-rate", server.DefaultWriteRate, "writes per second per client; 0: no limit")
	trustProxy := fs.Bool("trust-proxy", false, "take client addresses from X-Forwarded-For (only behind a reverse proxy)")
	maxVertices := fs.Int("max-vertices", frontline.DefaultMaxVertices, "most positions in one line")
	maxUnits := fs.Int("max-units", frontline.DefaultMaxUnits, "most units in one import")
	maxCompute := fs.Int("max-computations", frontline.DefaultMaxComputations, "zone computations running at once; more wait")
	readTimeout := fs.Duration("read-timeout", 5*time.Minute, "longest time to read a request (large bulk imports need minutes)")
	writeTimeout := fs.Duration("write-timeout", 5*time.Minute, "longest time to handle a request and write its response")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	metrics := server.NewMetrics()

	svc, closeStore, err := openServiceWith(ctx, *dbPath, frontline.Options{MaxVertices: *maxVertices, MaxUnits: *maxUnits,
		MaxComputations: *maxCompute, Hooks: metrics.Hooks()})
	if err != nil {
		return err
	}
	defer closeStore()
	// Only a new database gets the demo data: one whose lines were all
	// withdrawn (the demo removed, say) stays as its owner left it.
	initialised, err := svc.Initialised(ctx)
	if err != nil {
		return err
	}
	if !initialised && !*empty {
		if err := loadDefaults(frontline.WithActor(ctx, "defaults"), svc); err != nil {
			return fmt.Errorf("loading the embedded default data: %w", err)
		}
		log.Info("loaded the embedded default line and demo units; remove them with DELETE /v1/demo or frontline demo remove", "db", redactDB(*dbPath))
	}
	demoUnits, err := frontline.ParseUnits(data.Units())
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler: server.New(svc, server.Config{MaxBodyBytes: *maxBody, Logger: log, Metrics: metrics,
			ClosedReads: *closedReads, ProtectUnits: *protectUnits, ReadRate: *readRate, WriteRate: *writeRate,
			TrustProxy: *trustProxy, DemoUnits: demoUnits}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       *readTimeout,
		WriteTimeout:      *writeTimeout,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(stdout, "frontline: serving on http://%s (database %s)\n", ln.Addr(), redactDB(*dbPath))

	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Finish the requests in flight, then stop.
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// loadDefaults stores the embedded default line, demo units and anchors.
func loadDefaults(ctx context.Context, svc *frontline.Service) error {
	// Units first: the line is what marks the database as loaded, so a
	// crash between the two loads both again on the next start.
	units, err := frontline.ParseUnits(data.Units())
	if err != nil {
		return err
	}
	if _, err := svc.PutUnits(ctx, units, true); err != nil {
		return err
	}
	anchors, err := frontline.ParseAnchors(data.Anchors())
	if err != nil {
		return err
	}
	if err := svc.SetAnchors(ctx, anchors); err != nil {
		return err
	}
	in, err := frontline.ParseLine(data.Line())
	if err != nil {
		return err
	}
	_, err = svc.ImportLines(ctx, []*frontline.LineInput{in}, frontline.ImportOptions{})
	return err
}
