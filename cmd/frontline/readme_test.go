package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// shellBlocks returns the ```sh blocks of a Markdown file, in order.
func shellBlocks(t *testing.T, path string) []string {
	t.Helper()
	md, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllSubmatch(md, -1) {
		blocks = append(blocks, string(m[1]))
	}
	return blocks
}

// TestReadmeExamples runs the README's shell examples as written, against
// a server on the embedded default data, as a new user would after the
// set-up commands: every command must succeed, and every curl must get a
// success status. Only the address, the way the command line is run (a
// built binary for `go run ./cmd/frontline`) and the folder differ: the
// examples run in a fresh folder holding the database and the examples.
func TestReadmeExamples(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the README's examples need %s, which is not installed", tool)
		}
	}
	blocks := shellBlocks(t, "../../README.md")
	var script strings.Builder
	for i, b := range blocks {
		if strings.Contains(b, "go test ./...") {
			continue // the set-up commands: this test is one of them
		}
		fmt.Fprintf(&script, "echo '### README example %d'\n%s\n", i+1, b)
	}
	if script.Len() == 0 {
		t.Fatal("the README has no shell examples")
	}

	dir := t.TempDir()
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(examples, filepath.Join(dir, "examples")); err != nil {
		t.Fatal(err)
	}
	s := serve(t, filepath.Join(dir, "frontline.db"))
	host := strings.TrimPrefix(s.url, "http://")
	body := strings.ReplaceAll(script.String(), "localhost:8080", host)
	body = strings.ReplaceAll(body, "go run ./cmd/frontline", binary(t))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// curl reports HTTP errors as failures, so that an example answered
	// 4xx fails here as it would fail its reader.
	cmd := exec.CommandContext(ctx, "bash", "-c", "set -euo pipefail\ncurl() { command curl --fail-with-body --show-error \"$@\"; }\n"+body)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("the README's examples failed: %v\n%s", err, tail(out.String(), 4000))
	}
	if n := strings.Count(out.String(), "### README example"); n == 0 {
		t.Fatalf("no example ran:\n%s", out.String())
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
