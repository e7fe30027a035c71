package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"frontline"
	"frontline/geo"
)

// gatedStore holds one line version and no units; its reads of the line's
// geometry and of the units wait at a gate until the test opens it, or
// until their context ends, as a database read does.
type gatedStore struct {
	frontline.Store // the rest: not called
	lv              *frontline.LineVersion
	entered         chan struct{} // closed when the first read waits
	enterOnce       sync.Once
	open            chan struct{}
}

func newGatedStore() *gatedStore {
	coords := [][]frontline.Position{{{30, 48}, {31, 48.5}, {32, 48}}}
	return &gatedStore{
		lv: &frontline.LineVersion{Version: 1, ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Vertices: 3, Parts: 1,
			Coords: coords, Properties: map[string]any{}},
		entered: make(chan struct{}), open: make(chan struct{}),
	}
}

func (s *gatedStore) wait(ctx context.Context) error {
	s.enterOnce.Do(func() { close(s.entered) })
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-s.open:
		return nil
	}
}

func (s *gatedStore) Lines(context.Context) ([]*frontline.LineVersion, error) {
	v := *s.lv
	v.Coords = nil
	return []*frontline.LineVersion{&v}, nil
}

func (s *gatedStore) Line(ctx context.Context, version int) (*frontline.LineVersion, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	return s.lv, nil
}

func (s *gatedStore) Units(ctx context.Context) ([]*frontline.Unit, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	return []*frontline.Unit{}, nil
}

func (s *gatedStore) Anchors(context.Context) ([]geo.Anchor, error)       { return nil, nil }
func (s *gatedStore) Defaults(context.Context) (*frontline.Params, error) { return nil, nil }

// inMemo counts the goroutines inside a memo cache lookup: computing a
// value, or waiting for another goroutine's computation of it.
func inMemo() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "frontline/internal/memo.(*Cache[") {
			n++
		}
	}
	return n
}

// A read's result is built once for every request waiting on it, so the
// build must not end with the request that started it: here the first
// request goes away while the build waits on the store, and the second,
// waiting for the same result, still gets it.
func TestBuildOutlivesFirstRequest(t *testing.T) {
	for _, path := range []string{
		"/v1/coverage",
		"/v1/coverage/S001",
		"/v1/sectors?geometry=zone",
		"/v1/overlays/gaps",
		"/v1/tiles/zones/0/0/0.mvt",
		"/v1/tiles/frontline.json",
		"/v1/units",
		"/ogc/collections/units/items",
		"/ogc/collections/sectors/items",
	} {
		t.Run(path, func(t *testing.T) {
			st := newGatedStore()
			svc, err := frontline.NewService(context.Background(), st, frontline.Options{})
			if err != nil {
				t.Fatal(err)
			}
			e := New(svc, Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			serve := func(ctx context.Context) <-chan int {
				done := make(chan int, 1)
				go func() {
					rec := httptest.NewRecorder()
					e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx))
					done <- rec.Code
				}()
				return done
			}
			within := func(what string, cond func() bool) {
				t.Helper()
				for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("still waiting after 30 s for %s", what)
					}
				}
			}

			ctx1, cancel1 := context.WithCancel(context.Background())
			defer cancel1()
			first := serve(ctx1)
			<-st.entered // the first request's build waits on the store
			second := serve(context.Background())
			within("the second request to wait for the first one's build", func() bool { return inMemo() >= 2 })
			cancel1()
			close(st.open)

			select {
			case code := <-second:
				if code != http.StatusOK {
					t.Errorf("second request: status %d, want 200", code)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("second request still running after 30 s")
			}
			select {
			case <-first:
			case <-time.After(30 * time.Second):
				t.Fatal("first request still running after 30 s")
			}
		})
	}
}
