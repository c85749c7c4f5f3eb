package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/shaps-portal/shaps/site/routes"
)

// TestNetlifyTomlIsCurrent: the committed netlify.toml is what the routes table gives.
func TestNetlifyTomlIsCurrent(t *testing.T) {
	want := netlifyConfig()
	got, err := os.ReadFile("../" + NetlifyFile)
	if err != nil {
		t.Fatalf("%v (run go run ./generator netlify)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date; run go run ./generator netlify\ngot:\n%s\nwant:\n%s", NetlifyFile, got, want)
	}
}

// TestNetlifyRedirects: netlify.toml is TOML that sends every route of the intake, and only
// those, to the function, a route taken only with some parameters once per parameter.
func TestNetlifyRedirects(t *testing.T) {
	var cfg struct {
		Redirects []struct {
			From   string            `toml:"from"`
			To     string            `toml:"to"`
			Query  map[string]string `toml:"query"`
			Status int               `toml:"status"`
			Force  bool              `toml:"force"`
		} `toml:"redirects"`
		Functions struct{ Directory string } `toml:"functions"`
	}
	if err := toml.Unmarshal(netlifyConfig(), &cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("../" + cfg.Functions.Directory + "/" + routes.Function + "/main.go"); err != nil {
		t.Errorf("functions directory %q: %v", cfg.Functions.Directory, err)
	}
	seen := map[string]int{}
	for _, r := range cfg.Redirects {
		if r.Status != 200 || !r.Force || !strings.HasPrefix(r.To, routes.FunctionPath) {
			t.Errorf("redirect %+v: want a forced rewrite (200) to the function", r)
		}
		path := strings.TrimSuffix(r.From, "*")
		rt, ok := routes.Match(path)
		if !ok {
			t.Errorf("redirect from %s: no route of the intake", r.From)
			continue
		}
		if r.To != rt.FunctionTarget() {
			t.Errorf("redirect from %s to %s, want %s", r.From, r.To, rt.FunctionTarget())
		}
		seen[rt.Path]++
	}
	for _, rt := range routes.Intake() {
		want := 1
		if rt.Below {
			want = 2 // the path and below, and the path without its slash
		}
		if len(rt.Query) > 0 {
			want = len(rt.Query)
		}
		if seen[rt.Path] != want {
			t.Errorf("%s: %d redirects, want %d", rt.Path, seen[rt.Path], want)
		}
	}
}

// routingCases are the requests whose way the routes table decides, with where each goes,
// "intake" or "site": each route of the intake, a route taken only with parameters with and
// without them, and paths beside the routes. serve and the CloudFront function follow them.
func routingCases() map[string]string {
	cases := map[string]string{"/": "site", "/servizi/": "site", "/richieste/altro/": "site", "/api/altro": "site"}
	for _, rt := range routes.Intake() {
		path := rt.Path
		if len(rt.Query) > 0 {
			cases[path] = "site"
			cases[path+"?utm_source=x"] = "site"
			cases[path+"?"+rt.Query[0]+"="] = "site"
			for _, p := range rt.Query {
				cases[path+"?"+p+"=x"] = "intake"
			}
			continue
		}
		cases[path] = "intake"
		if rt.Below {
			cases[path+"sotto"] = "intake"
			cases[strings.TrimSuffix(path, "/")] = "intake"
		}
	}
	return cases
}

// TestServeRoutesByTheTable: serve sends each route of the intake to the intake, a route taken
// only with parameters to the site without them, and everything else to the site.
func TestServeRoutesByTheTable(t *testing.T) {
	var got string
	site := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { got = "site" })
	requests := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { got = "intake" })
	h := portalHandler(site, requests)
	for target, want := range routingCases() {
		got = ""
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(context.Background(), http.MethodGet, target, nil))
		if got != want {
			t.Errorf("GET %s: went to %q, want %q", target, got, want)
		}
	}
}
