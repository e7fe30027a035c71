package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `frontline import` with its standard error in a file, a pipe or a
// buffer (a CI log, `2>import.log`, `| tee`): plain progress lines, at the
// start, each further tenth and the end, then the summary; no \r frames
// and no escape codes.
func TestImportProgressNotTerminal(t *testing.T) {
	const files = 25
	lines := filepath.Join(t.TempDir(), "lines")
	if err := os.Mkdir(lines, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range files {
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(time.DateOnly)
		line := wiggle(50, 0.5, day+"T00:00:00Z", float64(i)*1e-4)
		if err := os.WriteFile(filepath.Join(lines, day+".geojson"), line, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantProgress := []string{
		"reading: 0/25 (0%)",
		"reading: 3/25 (12%)",
		"reading: 5/25 (20%)",
		"reading: 8/25 (32%)",
		"reading: 10/25 (40%)",
		"reading: 13/25 (52%)",
		"reading: 15/25 (60%)",
		"reading: 18/25 (72%)",
		"reading: 20/25 (80%)",
		"reading: 23/25 (92%)",
		"reading: 25/25 (100%)",
	}

	for _, tc := range []struct {
		name string
		// stderr returns the writer to give the command and a function
		// that returns what was written, once the command is done.
		stderr func(t *testing.T) (io.Writer, func() string)
	}{
		{"file", func(t *testing.T) (io.Writer, func() string) {
			f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f, func() string {
				b, err := os.ReadFile(f.Name())
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
		}},
		{"pipe", func(t *testing.T) (io.Writer, func() string) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close(); w.Close() })
			read := make(chan string, 1)
			go func() {
				b, _ := io.ReadAll(r) // ends when w is closed
				read <- string(b)
			}()
			return w, func() string {
				w.Close()
				return within(t, read, "the command's standard error through the pipe")
			}
		}},
		{"buffer", func(t *testing.T) (io.Writer, func() string) {
			var b bytes.Buffer
			return &b, b.String
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "f.db")
			stderr, written := tc.stderr(t)
			var stdout bytes.Buffer
			if err := run(context.Background(), []string{"import", "--db", db, lines}, &stdout, stderr); err != nil {
				t.Fatalf("import: %v (%s)", err, written())
			}
			got := written()
			if strings.ContainsAny(got, "\r\x1b") {
				t.Errorf("terminal control characters in output that is not a terminal: %q", got)
			}
			var progress []string
			for _, l := range strings.Split(got, "\n") {
				if strings.HasPrefix(l, "reading") {
					progress = append(progress, l)
				}
			}
			if strings.Join(progress, "\n") != strings.Join(wantProgress, "\n") {
				t.Errorf("progress lines:\n%s\nwant:\n%s", strings.Join(progress, "\n"), strings.Join(wantProgress, "\n"))
			}
			if !strings.Contains(got, fmt.Sprintf("storing %d line versions", files)) {
				t.Errorf("no line about storing: %q", got)
			}
			if want := fmt.Sprintf("imported %d new line versions, 0 unchanged, from %d files", files, files); !strings.Contains(stdout.String(), want) {
				t.Errorf("summary %q does not say %q", stdout.String(), want)
			}
		})
	}
}

// On a terminal the bar is redrawn in place, and done ends its line.
func TestProgressBarOnTerminal(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, label: "reading", total: 3, tty: true, last: -1}
	for n := range 4 {
		p.set(n)
	}
	p.done()
	want := "\rreading [..............................] 0/3" +
		"\rreading [##########....................] 1/3" +
		"\rreading [####################..........] 2/3" +
		"\rreading [##############################] 3/3\n"
	if b.String() != want {
		t.Errorf("bar:\n%q\nwant\n%q", b.String(), want)
	}
}
