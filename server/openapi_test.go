package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"frontline"
	"frontline/geo"
)

// emptyStore is a Store with nothing in it, enough to build the router.
type emptyStore struct{}

func (emptyStore) AddLines(context.Context, []*frontline.LineInput, time.Time) ([]frontline.LineResult, error) {
	return nil, nil
}
func (emptyStore) Lines(context.Context) ([]*frontline.LineVersion, error) { return nil, nil }
func (emptyStore) Line(context.Context, int) (*frontline.LineVersion, error) {
	return nil, frontline.ErrNotFound
}
func (emptyStore) Initialised(context.Context) (bool, error)            { return false, nil }
func (emptyStore) Withdraw(context.Context, frontline.Withdrawal) error { return frontline.ErrNotFound }
func (emptyStore) Units(context.Context) ([]*frontline.Unit, error)     { return nil, nil }
func (emptyStore) Unit(context.Context, string) (*frontline.Unit, error) {
	return nil, frontline.ErrNotFound
}
func (emptyStore) PutUnits(context.Context, []*frontline.Unit, bool) ([]bool, error) { return nil, nil }
func (emptyStore) DeleteUnit(context.Context, string) error                          { return nil }
func (emptyStore) Anchors(context.Context) ([]geo.Anchor, error)                     { return nil, nil }
func (emptyStore) SetAnchors(context.Context, []geo.Anchor) error                    { return nil }
func (emptyStore) CreateKey(context.Context, *frontline.APIKey) error                { return nil }
func (emptyStore) Keys(context.Context) ([]*frontline.APIKey, error)                 { return nil, nil }
func (emptyStore) Key(context.Context, string) (*frontline.APIKey, error) {
	return nil, frontline.ErrNotFound
}
func (emptyStore) RevokeKey(context.Context, string, time.Time) error { return nil }
func (emptyStore) Audit(context.Context, int, int64) ([]*frontline.AuditEntry, error) {
	return nil, nil
}
func (emptyStore) Defaults(context.Context) (*frontline.Params, error) { return nil, nil }
func (emptyStore) SetDefaults(context.Context, frontline.Params) error { return nil }
func (emptyStore) Ping(context.Context) error                          { return nil }
func (emptyStore) Close() error                                        { return nil }

func (emptyStore) Scenarios(context.Context) ([]*frontline.Scenario, error) { return nil, nil }
func (emptyStore) Scenario(context.Context, string) (*frontline.Scenario, error) {
	return nil, frontline.ErrNotFound
}
func (emptyStore) PutScenario(context.Context, *frontline.Scenario, time.Time) (bool, error) {
	return false, nil
}
func (emptyStore) DeleteScenario(context.Context, string) error { return frontline.ErrNotFound }

func (emptyStore) AddAreas(context.Context, []frontline.DerivedLine, time.Time) ([]frontline.AreaResult, []frontline.LineResult, error) {
	return nil, nil, nil
}
func (emptyStore) Areas(context.Context) ([]*frontline.AreaVersion, error) { return nil, nil }
func (emptyStore) Area(context.Context, int) (*frontline.AreaVersion, error) {
	return nil, frontline.ErrNotFound
}
func (emptyStore) Territory(context.Context) ([]byte, error)  { return nil, nil }
func (emptyStore) SetTerritory(context.Context, []byte) error { return nil }

// Every route the router serves is described in openapi.json, and every
// path there is served.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	svc, err := frontline.NewService(context.Background(), emptyStore{}, frontline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := New(svc, Config{})
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	param := regexp.MustCompile(`:([a-z]+)`)
	served := map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method == "echo_route_not_found" || r.Path == "/*" || r.Method == http.MethodOptions || r.Method == http.MethodHead {
			continue
		}
		path := param.ReplaceAllString(r.Path, "{$1}")
		key := fmt.Sprintf("%s %s", strings.ToLower(r.Method), path)
		served[key] = true
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is not in openapi.json", r.Method, path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !served[method+" "+path] {
				t.Errorf("openapi.json describes %s %s, which is not served", method, path)
			}
		}
	}
}

// The reads that take the coverage settings document every one of them,
// by the names of the one settings table, in its order.
func TestOpenAPIDocumentsEverySetting(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name string `json:"name"`
				In   string `json:"in"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	want := strings.Join(frontline.SettingNames(true), ",")
	for _, path := range []string{"/v1/sectors", "/v1/coverage", "/v1/coverage/{sector}", "/v1/requirements", "/v1/overlays/{name}", "/v1/cot",
		"/v1/tiles/{layer}/{z}/{x}/{y}.mvt", "/v1/tiles/{layer}.json"} {
		var got []string
		for _, p := range doc.Paths[path]["get"].Parameters {
			if p.In == "query" && slices.Contains(frontline.SettingNames(true), p.Name) {
				got = append(got, p.Name)
			}
		}
		if strings.Join(got, ",") != want {
			t.Errorf("GET %s documents the settings %v, want %s", path, got, want)
		}
	}
}

// The posture parameter lists the postures of the one table, wherever a
// read takes it.
func TestOpenAPIDocumentsEveryPosture(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name   string `json:"name"`
				Schema struct {
					Enum []string `json:"enum"`
				} `json:"schema"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range frontline.Postures {
		want = append(want, p.Name)
	}
	n := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			for _, p := range op.Parameters {
				if p.Name != "posture" {
					continue
				}
				n++
				if !slices.Equal(p.Schema.Enum, want) {
					t.Errorf("%s %s: posture is one of %v, want %v", method, path, p.Schema.Enum, want)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no read documents the posture parameter")
	}
}
