package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// process is the frontline binary running as its own process, so that it
// can be killed for real.
type process struct {
	cmd    *exec.Cmd
	url    string
	exited chan struct{} // closed once the process has exited
	err    error         // how it exited, once exited is closed
	logs   bytes.Buffer  // its standard error, complete once exited is closed
}

var builtBinary string

// binary builds the command once per test run.
func binary(t *testing.T) string {
	t.Helper()
	if builtBinary != "" {
		return builtBinary
	}
	out := filepath.Join(os.TempDir(), fmt.Sprintf("frontline-test-%d", os.Getpid()))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	builtBinary = out
	return out
}

// start runs the binary on db and waits for it to print its address. The
// process is killed when the test ends, if it still runs.
func start(t *testing.T, db string) *process {
	t.Helper()
	cmd := exec.Command(binary(t), "serve", "--empty", "--db", db, "--addr", "127.0.0.1:0", "--write-rate", "0")
	p := &process{cmd: cmd, exited: make(chan struct{})}
	cmd.Stderr = &p.logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			first <- sc.Text()
		}
		close(first)
		for sc.Scan() {
		}
		p.err = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.kill(t) })
	var line string
	select {
	case line = <-first:
	case <-time.After(patience):
		p.kill(t)
		t.Fatalf("server printed no address within %v: %s", patience, p.stderr())
	}
	if line == "" { // first closed: no line at all
		t.Fatalf("server did not start (%v): %s", p.wait(t), p.stderr())
	}
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("server printed %q, not its address", line)
	}
	p.url = strings.Fields(line[i:])[0]
	return p
}

// signal sends sig to the process.
func (p *process) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v: %v", sig, err)
	}
}

// wait waits for the process to exit and returns how it exited; after
// patience it kills the process and fails the test.
func (p *process) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-p.exited:
		return p.err
	case <-time.After(patience):
		p.kill(t)
		t.Fatalf("server still running %v later: %s", patience, p.stderr())
		return nil
	}
}

// kill ends the process with SIGKILL if it still runs, and waits for it.
func (p *process) kill(t *testing.T) {
	t.Helper()
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Kill()
	select {
	case <-p.exited:
	case <-time.After(patience):
		t.Errorf("server still running %v after SIGKILL", patience)
	}
}

// stderr is what the process wrote to its standard error, once it has
// exited (before, the buffer is still being written).
func (p *process) stderr() string {
	select {
	case <-p.exited:
		return p.logs.String()
	default:
		return "(standard error unavailable: the server still runs)"
	}
}

type versionInfo struct {
	Version int    `json:"version"`
	Hash    string `json:"hash"`
}

func versions(t *testing.T, url string) []versionInfo {
	t.Helper()
	var v struct {
		Versions []versionInfo `json:"versions"`
	}
	r := get(t, url+"/v1/frontline/versions")
	want(t, r, 200)
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatal(err)
	}
	return v.Versions
}

// bulkBody is n dated versions of a line, unique to the round.
func bulkBody(round, n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, round*n+i)
		b.Write(wiggle(2000, 0.5, day.Format(time.RFC3339), float64(round*n+i)*1e-4))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Kill the server with SIGKILL at random moments during bulk imports: after
// each restart, every acknowledged import is there, and each interrupted
// one is there whole or not at all.
func TestKillDuringBulkImport(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the server 50 times")
	}
	const rounds, perImport = 50, 20
	db := filepath.Join(t.TempDir(), "f.db")
	key := makeKey(t, db, "write")
	var acked []versionInfo // what the server acknowledged, in order
	pending := 0            // versions of the import interrupted last round
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < rounds; round++ {
		p := start(t, db)
		got := versions(t, p.url)
		switch {
		case len(got) == len(acked):
		case len(got) == len(acked)+pending:
			acked = got // the interrupted import had committed in full
		default:
			t.Fatalf("round %d: %d versions after restart; acknowledged %d, interrupted import had %d", round, len(got), len(acked), pending)
		}
		for i, v := range acked {
			if got[i] != v {
				t.Fatalf("round %d: version %d is %+v, was acknowledged as %+v", round, i+1, got[i], v)
			}
		}
		req, err := newRequest("POST", p.url+"/v1/frontline/bulk", "application/x-ndjson", bytes.NewReader(bulkBody(round, perImport)), "Authorization", "Bearer "+key)
		if err != nil {
			t.Fatal(err)
		}
		res := make(chan result, 1)
		go func() {
			r, err := send(req)
			res <- result{r, err} // an error is expected: the server may die mid-request
		}()
		// Any moment will do (before, during or after the import): the
		// checks above hold whichever it is.
		time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
		p.signal(t, syscall.SIGKILL)
		p.wait(t)
		pending = perImport
		if r := within(t, res, fmt.Sprintf("round %d: the import's answer or failure after SIGKILL", round)); r.err == nil && r.status == 201 {
			// Acknowledged before the kill: it must survive as answered.
			var out struct {
				Versions []versionInfo `json:"versions"`
			}
			if err := json.Unmarshal(r.body, &out); err != nil {
				t.Fatal(err)
			}
			acked = append(acked, out.Versions...)
			pending = 0
		}
	}
	t.Logf("%d rounds, %d versions stored", rounds, len(acked))
}

// SIGTERM during an import lets the import finish before the server stops:
// it is acknowledged, and stored when the server starts again.
func TestGracefulShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	key := makeKey(t, db, "write")
	p := start(t, db)
	body := bulkBody(0, 40)

	// The body goes through a pipe, so the request cannot end before the
	// test has written all of it. "Expect: 100-continue" holds the body
	// back until the handler starts reading it: once the first part is
	// written, the import is in the server's hands.
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(errors.New("the test is over")) }) // frees a blocked write
	req, err := newRequest("POST", p.url+"/v1/frontline/bulk", "application/x-ndjson", pr,
		"Authorization", "Bearer "+key, "Expect", "100-continue")
	if err != nil {
		t.Fatal(err)
	}
	res := make(chan result, 1)
	go func() {
		r, err := send(req)
		res <- result{r, err}
	}()
	write := func(what string, b []byte) {
		t.Helper()
		wrote := make(chan error, 1)
		go func() {
			_, err := pw.Write(b)
			wrote <- err
		}()
		select {
		case err := <-wrote:
			if err != nil {
				r := within(t, res, "the end of the request whose body was cut")
				t.Fatalf("writing %s of the body: %v; the request ended with status %d, %v", what, err, r.status, r.err)
			}
		case r := <-res:
			t.Fatalf("the request ended before %s of the body was read: status %d, %v: %.300s", what, r.status, r.err, r.body)
		case <-time.After(patience):
			t.Fatalf("%s of the body not read within %v", what, patience)
		}
	}
	write("the first half", body[:len(body)/2])

	p.signal(t, syscall.SIGTERM)
	// Go on only once the server acts on it: the first thing it does is
	// close its listener.
	waitRefused(t, p.url)

	write("the second half", body[len(body)/2:])
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	r := within(t, res, "the answer to the import")
	if r.err != nil {
		t.Fatalf("import during shutdown: %v", r.err)
	}
	want(t, r.response, 201)
	if err := p.wait(t); err != nil {
		t.Errorf("server exited with %v after SIGTERM: %s", err, p.stderr())
	}

	p = start(t, db)
	if n := len(versions(t, p.url)); n != 40 {
		t.Errorf("%d versions after a graceful stop, want 40", n)
	}
	p.signal(t, syscall.SIGTERM)
	if err := p.wait(t); err != nil {
		t.Errorf("server exited with %v after SIGTERM: %s", err, p.stderr())
	}
}

// waitRefused waits until the server at base (http://HOST:PORT) refuses
// connections.
func waitRefused(t *testing.T, base string) {
	t.Helper()
	addr := strings.TrimPrefix(base, "http://")
	deadline := time.Now().Add(patience)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if errors.Is(err, syscall.ECONNREFUSED) {
			return
		}
		if err == nil {
			c.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still accepts connections %v after SIGTERM", addr, patience)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
