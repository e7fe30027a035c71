package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"frontline"
)

// A panic in a handler never reaches the client as a dropped connection:
// it gets the error JSON with 500, and the log gets the stack.
func TestPanicAnswers500AndLogsStack(t *testing.T) {
	svc, err := frontline.NewService(context.Background(), emptyStore{}, frontline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	e := New(svc, Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	e.GET("/boom", func(echo.Context) error { panic("boom") })
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != "internal" {
		t.Errorf("body %s, want the error JSON with code internal", rec.Body)
	}
	if strings.Contains(rec.Body.String(), "boom") {
		t.Error("the panic's text leaked to the client")
	}
	if !strings.Contains(logs.String(), `"msg":"panic"`) || !strings.Contains(logs.String(), "recover_test.go") {
		t.Errorf("the log lacks the panic and its stack: %.300s", logs.String())
	}
	if rec.Header().Get(echo.HeaderXRequestID) == "" {
		t.Error("no request id")
	}
}

// /metrics exposes the request counters by route pattern.
func TestMetrics(t *testing.T) {
	svc, _ := frontline.NewService(context.Background(), emptyStore{}, frontline.Options{})
	e := New(svc, Config{Logger: slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil))})
	for _, p := range []string{"/healthz", "/v1/units/a", "/v1/units/b"} {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil))
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	out := rec.Body.String()
	for _, want := range []string{
		`frontline_http_requests_total{code="200",method="GET",route="/healthz"} 1`,
		`frontline_http_requests_total{code="404",method="GET",route="/v1/units/:id"} 2`,
		"frontline_http_request_duration_seconds_bucket",
		"go_goroutines",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
