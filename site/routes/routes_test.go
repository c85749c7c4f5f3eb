package routes_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/shaps-portal/shaps/site/routes"
)

func form(t *testing.T) routes.Route {
	t.Helper()
	rt, ok := routes.Match(routes.Form)
	if !ok {
		t.Fatalf("no route for %s", routes.Form)
	}
	return rt
}

func TestFillsForm(t *testing.T) {
	for query, want := range map[string]bool{"": false, "utm_source=x": false, "servizio=a/b": true, "associazione=a": true, "categoria=c": true, "tipo=segnalazione": true, "servizio=": false} {
		q, _ := url.ParseQuery(query)
		if got := form(t).Takes(q); got != want {
			t.Errorf("FillsForm(%q) = %v, want %v", query, got, want)
		}
	}
}

// TestResolve: whatever address the host hands the function, the request reaches the intake's
// route it was meant for.
func TestResolve(t *testing.T) {
	tests := []struct{ method, path, want string }{
		{"POST", "/api/requests", routes.Submit},
		{"POST", "/.netlify/functions/requests", routes.Submit},
		{"GET", "/.netlify/functions/requests", routes.Thanks},
		{"HEAD", "/.netlify/functions/requests/", routes.Thanks},
		{"GET", "/richieste/inviata/", routes.Thanks},
		{"GET", "/richieste/inviata", "/richieste/inviata"},
		{"GET", "/richieste/", routes.Form},
		{"GET", "/.netlify/functions/requests/modulo", routes.Form},
		{"GET", "/.netlify/functions/requests/cerca", routes.Search},
		{"GET", "/cerca/", routes.Search},
		{"GET", "/cerca", "/cerca"},
		{"GET", "/calendario/", routes.Calendar},
		{"GET", "/.netlify/functions/requests/calendario", routes.Calendar},
		{"PUT", "/.netlify/functions/requests", routes.Submit},
		{"GET", "/altro/", routes.Thanks},
	}
	for _, tt := range tests {
		if got := routes.Resolve(tt.method, tt.path); got != tt.want {
			t.Errorf("Resolve(%s %s): got %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}

// Each route can be reached under the function's address, where the host's rewrite sends it,
// and its patterns match its path.
func TestEveryRouteReachesTheFunction(t *testing.T) {
	for _, rt := range routes.Intake() {
		if got := routes.Resolve(rt.Methods[0], rt.FunctionTarget()); got != rt.Path {
			t.Errorf("%s: rewritten to %s, resolved to %q, want %q", rt.Path, rt.FunctionTarget(), got, rt.Path)
		}
		mux := http.NewServeMux()
		for _, p := range rt.Patterns() {
			mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
		}
		if _, pattern := mux.Handler(&http.Request{Method: rt.Methods[0], URL: &url.URL{Path: rt.Path}}); pattern == "" {
			t.Errorf("%s: patterns %q do not match the path", rt.Path, rt.Patterns())
		}
	}
}

func TestHeaderRules(t *testing.T) {
	tests := []struct {
		path, header, want string
	}{
		{"/", "X-Frame-Options", "DENY"},
		{"/", "Content-Security-Policy", routes.Policy},
		{"/eventi/calendario.ics", "Content-Type", "text/calendar; charset=utf-8"},
		{"/eventi/calendario.ics", "Content-Security-Policy", routes.Policy},
		{"/admin/", "Content-Security-Policy", routes.EditingPolicy("http://127.0.0.1:8081")},
		{"/admin/", "Cache-Control", "no-cache"},
		{"/administration/", "Content-Security-Policy", routes.Policy},
		{"/ics", "Content-Type", ""},
	}
	for _, tt := range tests {
		h := http.Header{}
		routes.SetSite(h, tt.path, "http://127.0.0.1:8081")
		if got := h.Get(tt.header); got != tt.want {
			t.Errorf("%s: %s is %q, want %q", tt.path, tt.header, got, tt.want)
		}
	}
	h := http.Header{}
	routes.SetIntake(h, "/cerca/")
	if h.Get("Referrer-Policy") != "no-referrer" || h.Get("Cache-Control") != "no-store" || h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("the search's headers %v: want no referrer, no caching and the security headers", h)
	}
}
