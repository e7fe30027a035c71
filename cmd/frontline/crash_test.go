package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
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
	cmd  *exec.Cmd
	url  string
	done chan error
}

var builtBinary string

// binary builds the command once per test run.
func binary(t *testing.T) string {
	t.Helper()
	if builtBinary != "" {
		return builtBinary
	}
	out := filepath.Join(os.TempDir(), fmt.Sprintf("frontline-test-%d", os.Getpid()))
	cmd := exec.Command("go", "build", "-o", out, ".")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	builtBinary = out
	return out
}

func start(t *testing.T, db string) *process {
	t.Helper()
	cmd := exec.Command(binary(t), "serve", "--empty", "--db", db, "--addr", "127.0.0.1:0", "--write-rate", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, done: make(chan error, 1)}
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		cmd.Process.Kill()
		t.Fatalf("server did not start: %s", logs.String())
	}
	line := sc.Text()
	p.url = strings.Fields(line[strings.Index(line, "http://"):])[0]
	go func() {
		for sc.Scan() {
		}
		p.done <- cmd.Wait()
	}()
	return p
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
		body := bulkBody(round, perImport)
		res := make(chan response, 1)
		go func() {
			defer func() {
				if recover() != nil {
					res <- response{status: -1} // the server died mid-request
				}
			}()
			res <- do(&quietT{t}, "POST", p.url+"/v1/frontline/bulk", "application/x-ndjson", body, "Authorization", "Bearer "+key)
		}()
		time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
		p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
		pending = perImport
		if r := <-res; r.status == 201 {
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

// quietT turns a failed request into a panic the caller recovers from,
// since a request to a server being killed is expected to fail.
type quietT struct{ testing.TB }

func (q *quietT) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (q *quietT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (q *quietT) Helper()                           {}

// SIGTERM lets the request in flight finish before the server stops.
func TestGracefulShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	key := makeKey(t, db, "write")
	p := start(t, db)
	res := make(chan response, 1)
	go func() {
		res <- do(t, "POST", p.url+"/v1/frontline/bulk", "application/x-ndjson", bulkBody(0, 40), "Authorization", "Bearer "+key)
	}()
	time.Sleep(50 * time.Millisecond)
	p.cmd.Process.Signal(syscall.SIGTERM)
	r := <-res
	want(t, r, 201)
	if err := <-p.done; err != nil {
		t.Errorf("server exited with %v after SIGTERM", err)
	}
	p = start(t, db)
	defer func() { p.cmd.Process.Signal(syscall.SIGTERM); <-p.done }()
	if n := len(versions(t, p.url)); n != 40 {
		t.Errorf("%d versions after a graceful stop, want 40", n)
	}
}
