package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"frontline/server"
)

// exportPaths are the reads each export format is made by: the command
// asks the HTTP API in-process, so a file equals what a client downloads.
var exportPaths = map[string]string{
	"kmz": "/v1/export.kmz",
	"kml": "/v1/export.kmz", // its doc.kml
	"cot": "/v1/cot",
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", "export [--db FILE] --format kml|kmz|cot [-o FILE] [--stale D] [settings]\n\n"+
		"Writes the overlays for field clients under the settings (and --scenario, --version, --at):\n"+
		"kml, one KML document with every overlay as a folder (Google Earth, TAK); kmz, the same zipped\n"+
		"(GET /v1/export.kmz); cot, Cursor on Target events for sectors, range rings and units (GET\n"+
		"/v1/cot). To standard output without -o.", stderr)
	dbPath := fs.String("db", "frontline.db", dbHelp)
	format := fs.String("format", "", "kml, kmz or cot")
	out := fs.String("o", "", "file to write (default: standard output)")
	stale := fs.String("stale", "", "cot: how long clients keep the events (a duration such as 10m; default 10m)")
	q := settingFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	path, ok := exportPaths[*format]
	if !ok {
		fs.Usage()
		return usageError{fmt.Sprintf("format must be kml, kmz or cot, got %q", *format)}
	}
	if *stale != "" {
		if *format != "cot" {
			return usageError{"--stale is for --format cot"}
		}
		q.Set("stale", *stale)
	}
	svc, closeStore, err := openService(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer closeStore()
	h := server.New(svc, server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ReadRate: 0, WriteRate: 0})
	target := path
	if enc := q.Encode(); enc != "" {
		target += "?" + enc
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := rec.Body.Bytes()
	if rec.Code != http.StatusOK {
		return fmt.Errorf("export: %s", bytes.TrimSpace(body))
	}
	if *format == "kml" {
		if body, err = docKML(body); err != nil {
			return err
		}
	}
	if *out == "" {
		_, err := stdout.Write(body)
		return err
	}
	if err := os.WriteFile(*out, body, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s (%d bytes)\n", *out, len(body))
	return nil
}

// docKML takes the KML document out of a KMZ.
func docKML(kmz []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(kmz), int64(len(kmz)))
	if err != nil {
		return nil, fmt.Errorf("export: the KMZ: %w", err)
	}
	for _, f := range zr.File {
		if f.Name == "doc.kml" {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return io.ReadAll(rc)
		}
	}
	return nil, fmt.Errorf("export: the KMZ holds no doc.kml")
}
