package routes_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/site/languages"
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
		{"POST", "/api/valutazioni", routes.Feedback},
		{"POST", "/.netlify/functions/requests/valutazione", routes.Feedback},
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
		{"/associazioni/la-rondine/eventi.atom", "Content-Type", "application/atom+xml; charset=utf-8"},
		{"/associazioni/la-rondine/eventi.atom", "Content-Security-Policy", routes.Policy},
		{"/widget/associazioni/la-rondine/", "Content-Security-Policy", routes.WidgetPolicy(routes.WidgetAncestors)},
		{"/widget/categorie/salute/scuro/", "Content-Security-Policy", routes.WidgetPolicy(routes.WidgetAncestors)},
		{"/widgets/", "Content-Security-Policy", routes.Policy},
		{"/associazioni/widget/", "Content-Security-Policy", routes.Policy},
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

// frameAncestors is the frame-ancestors directive's source list of a policy.
func frameAncestors(policy string) string {
	for _, d := range strings.Split(policy, ";") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(d), "frame-ancestors "); ok {
			return rest
		}
	}
	return ""
}

// TestOnlyWidgetsMayBeFramed: every path of the portal, static or the intake's, answers with
// frame-ancestors 'none', but the widgets, which answer with the widgets' list.
func TestOnlyWidgetsMayBeFramed(t *testing.T) {
	if got := frameAncestors(routes.WidgetPolicy(routes.WidgetAncestors)); got != routes.WidgetAncestors || got == "'none'" {
		t.Fatalf("the widgets' frame-ancestors: got %q, want %q", got, routes.WidgetAncestors)
	}
	paths := []string{"/", "/associazioni/la-rondine/", "/categorie/anziani/", "/admin/", "/admin/config.yml",
		"/eventi/calendario.ics", "/associazioni/la-rondine/eventi.atom", "/css/widget.css", "/widget", "/widgets/", "/x/widget/"}
	for _, rt := range routes.Intake() {
		paths = append(paths, rt.Path)
	}
	for _, path := range paths {
		h := http.Header{}
		routes.SetSite(h, path, "http://127.0.0.1:8081")
		if got := frameAncestors(h.Get("Content-Security-Policy")); got != "'none'" {
			t.Errorf("%s: frame-ancestors %q, want 'none'", path, got)
		}
		if got := h.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%s: X-Frame-Options %q, want DENY", path, got)
		}
		h = http.Header{}
		routes.SetIntake(h, path)
		if got := frameAncestors(h.Get("Content-Security-Policy")); got != "'none'" {
			t.Errorf("the intake's %s: frame-ancestors %q, want 'none'", path, got)
		}
	}
	for _, path := range []string{"/widget/associazioni/la-rondine/", "/widget/associazioni/la-rondine/eventi/scuro/", "/widget/categorie/salute/servizi/"} {
		h := http.Header{}
		routes.SetSite(h, path, "")
		if got := frameAncestors(h.Get("Content-Security-Policy")); got != routes.WidgetAncestors {
			t.Errorf("%s: frame-ancestors %q, want %q", path, got, routes.WidgetAncestors)
		}
		if csp := h.Get("Content-Security-Policy"); strings.Contains(csp, "script-src") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: policy %q, want nothing but the stylesheet allowed", path, csp)
		}
	}
	// The portal's pages may frame its own widgets (the previews), and nothing else.
	if !strings.Contains(routes.Policy, "frame-src 'self';") {
		t.Errorf("the portal's policy %q: want frame-src 'self'", routes.Policy)
	}
}

// TestPagesInEveryLanguage: the thanks page, the status page, the filled-in form and the search
// are pages in every language of the portal, under its prefix, and reach the function under an
// alias of their own; the submission, the answers and the calendar are in no language.
func TestPagesInEveryLanguage(t *testing.T) {
	for _, l := range languages.All() {
		for _, base := range []string{routes.Thanks, routes.Status, routes.Form, routes.Search} {
			path := routes.InLanguage(l.Code, base)
			if want := strings.TrimSuffix(l.Home(), "/") + base; path != want {
				t.Errorf("InLanguage(%s, %s): got %q, want %q", l.Code, base, path, want)
			}
			rt, ok := routes.Match(path)
			if !ok || rt.Path != path || rt.Base != base || rt.Lang != l.Code {
				t.Errorf("Match(%s): got %+v, %v, want the route of %s in %s", path, rt, ok, base, l.Code)
				continue
			}
			if got := routes.Resolve(http.MethodGet, rt.FunctionTarget()); got != path {
				t.Errorf("%s: rewritten to %s, resolved to %q, want %q", path, rt.FunctionTarget(), got, path)
			}
		}
	}
	for _, path := range []string{"/ro/richieste/stato/x", "/ro/richieste/stato"} {
		if rt, ok := routes.Match(path); !ok || rt.Lang != "ro" || rt.Base != routes.Status {
			t.Errorf("Match(%s): got %+v, %v, want the status page in ro", path, rt, ok)
		}
	}
	for _, path := range []string{"/en/api/requests", "/en/richieste/risposta/", "/en/calendario/", "/fr/cerca/", "/en/servizi/"} {
		if rt, ok := routes.Match(path); ok {
			t.Errorf("Match(%s): got %+v, want no route", path, rt)
		}
	}
	for _, tc := range []struct{ lang, want string }{{"it", routes.Status}, {"", routes.Status}, {"fr", routes.Status}, {"../x", routes.Status}, {"zh-hans", "/zh-hans" + routes.Status}} {
		if got := routes.InLanguage(tc.lang, routes.Status); got != tc.want {
			t.Errorf("InLanguage(%q): got %q, want %q", tc.lang, got, tc.want)
		}
	}
}
