package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/shaps-portal/shaps/generator/cms"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/intake/status/folder"
	"github.com/shaps-portal/shaps/site/routes"
	"golang.org/x/net/html"
)

// The weight limits of a public-administration page on a poor connection, and of a widget,
// which other sites add to their own pages: its HTML and its stylesheet, uncompressed.
const (
	maxHTMLGzip = 14 << 10
	maxPageGzip = 60 << 10
	maxWidget   = 10 << 10
	// The stylesheet and the fonts it declares, as a first visit loads them.
	maxStyleGzip = 100 << 10
)

// cssURL finds the files a stylesheet refers to (its fonts).
var cssURL = regexp.MustCompile(`url\(([^)]+)\)`)

// isWidget reports whether rel, a built page's path, is a widget, in any language.
func isWidget(rel string) bool {
	return strings.HasPrefix(italianPath(filepath.ToSlash(rel)), "/widget/")
}

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Len()
}

// resources lists what a page loads: stylesheets, scripts, icons and images, with their kinds.
func resources(n *html.Node) (out [][2]string) {
	if n.Type == html.ElementNode {
		attr := map[string]string{}
		for _, a := range n.Attr {
			attr[a.Key] = a.Val
		}
		switch {
		case n.Data == "link" && (attr["rel"] == "stylesheet" || attr["rel"] == "icon" || attr["rel"] == "preload"):
			out = append(out, [2]string{"link", attr["href"]})
		case n.Data == "script" && attr["src"] != "":
			out = append(out, [2]string{"script", attr["src"]})
		case n.Data == "script" && attr["type"] != "application/ld+json":
			out = append(out, [2]string{"inline-script", ""})
		case n.Data == "img" || n.Data == "iframe" || n.Data == "video" || n.Data == "audio" || n.Data == "source":
			out = append(out, [2]string{n.Data, attr["src"]})
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, resources(c)...)
	}
	return out
}

// htmlPages lists the portal's pages: all but the editing interface at /admin/, a JavaScript
// application for editors that is tested on its own (cms_test.go).
func htmlPages(t *testing.T, out string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && path == filepath.Join(out, "admin") {
			return filepath.SkipDir
		}
		if err == nil && strings.HasSuffix(path, ".html") {
			pages = append(pages, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func TestPagesAreLightAndSelfContained(t *testing.T) {
	out := buildSite(t, "../data")
	heaviest, heaviestPage, heaviestStyle := 0, "", 0
	heaviestWidget, heaviestWidgetPage := 0, ""
	for _, path := range htmlPages(t, out) {
		rel, _ := filepath.Rel(out, path)
		b := []byte(readFile(t, path))
		total := gzipSize(t, b)
		widget := len(b)
		if n := gzipSize(t, b); n > maxHTMLGzip {
			t.Errorf("%s: %d bytes of HTML gzipped, want at most %d", rel, n, maxHTMLGzip)
		}
		doc, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range resources(doc) {
			kind, src := r[0], r[1]
			switch {
			case kind == "inline-script":
				t.Errorf("%s: an inline script, which the CSP forbids", rel)
				continue
			case kind == "iframe" && !strings.HasPrefix(src, "/widget/"):
				t.Errorf("%s: frames %q, want only the portal's own widgets", rel, src)
				continue
			case kind == "video" || kind == "audio":
				t.Errorf("%s: embeds an %s", rel, kind)
				continue
			}
			u, err := url.Parse(src)
			if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") {
				t.Errorf("%s: loads %q, want only files of the portal itself", rel, src)
				continue
			}
			if kind == "script" && (isWidget(rel) || !strings.HasPrefix(u.Path, "/js/request") && !strings.HasPrefix(u.Path, "/js/area")) {
				t.Errorf("%s: loads script %s; pages must work without JavaScript, the form's and the personal area's enhancements aside, and widgets have none", rel, src)
			}
			if strings.HasPrefix(u.Path, "/loghi/") {
				continue // the associations' own logos do not count
			}
			file := filepath.Join(out, filepath.FromSlash(u.Path))
			if kind == "iframe" {
				file = filepath.Join(file, "index.html")
			}
			rb, err := os.ReadFile(file)
			if err != nil {
				t.Errorf("%s: %s is missing", rel, src)
				continue
			}
			total += gzipSize(t, rb)
			widget += len(rb)
			if strings.HasSuffix(u.Path, ".css") {
				style := gzipSize(t, rb)
				for _, m := range cssURL.FindAllStringSubmatch(string(rb), -1) {
					ref := strings.Trim(m[1], `"'`)
					if strings.HasPrefix(ref, "data:") {
						continue // within the stylesheet, counted with it
					}
					fb, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(ref)))
					if err != nil {
						t.Errorf("%s: the stylesheet's %s is missing", rel, m[1])
						continue
					}
					style += gzipSize(t, fb)
				}
				if style > maxStyleGzip {
					t.Errorf("%s: %d bytes gzipped of stylesheet and fonts, want at most %d", rel, style, maxStyleGzip)
				}
				if style > heaviestStyle {
					heaviestStyle = style
				}
			}
		}
		if isWidget(rel) {
			if widget > maxWidget {
				t.Errorf("%s: %d bytes with its stylesheet, want at most %d", rel, widget, maxWidget)
			}
			if widget > heaviestWidget {
				heaviestWidget, heaviestWidgetPage = widget, rel
			}
			checkWidgetLinks(t, rel, doc)
			continue // a widget has no footer: it links to the portal instead
		}
		if total > maxPageGzip {
			t.Errorf("%s: %d bytes gzipped in all, want at most %d", rel, total, maxPageGzip)
		}
		if total > heaviest {
			heaviest, heaviestPage = total, rel
		}
		page := string(b)
		home := languageOf(filepath.ToSlash(rel)).Home()
		for _, want := range []string{`href="` + home + `privacy/"`, `href="` + home + `note-legali/"`, `data-element="accessibility-link"`, `href="` + home + `richieste/?tipo=segnalazione"`, `data-element="faq"`, `data-element="report-inefficiency"`, "Comune di Voghera"} {
			if italianPath(filepath.ToSlash(rel)) != "/404.html" && !strings.Contains(page, want) {
				t.Errorf("%s: the footer lacks %s", rel, want)
			}
		}
		if strings.Count(page, "<h1") != 1 {
			t.Errorf("%s: got %d h1, want exactly one", rel, strings.Count(page, "<h1"))
		}
	}
	t.Logf("heaviest page: %s, %d bytes gzipped with its CSS and JS; stylesheet and fonts: %d bytes gzipped", heaviestPage, heaviest, heaviestStyle)
	t.Logf("heaviest widget: %s, %d bytes with its CSS", heaviestWidgetPage, heaviestWidget)
	if heaviestWidget == 0 {
		t.Errorf("no widget among the built pages")
	}
}

// netlifyHeaders returns the headers netlify.toml gives a path: every rule that matches it, in
// order, a later rule overriding the same header of an earlier one.
func netlifyHeaders(t *testing.T, path string) map[string]string {
	t.Helper()
	var cfg struct {
		Headers []struct {
			For    string            `toml:"for"`
			Values map[string]string `toml:"values"`
		} `toml:"headers"`
	}
	if err := toml.Unmarshal([]byte(readFile(t, "../netlify.toml")), &cfg); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, h := range cfg.Headers {
		prefix, suffix, _ := strings.Cut(h.For, "*")
		if strings.HasPrefix(path, prefix) && strings.HasSuffix(path, suffix) {
			maps.Copy(out, h.Values)
		}
	}
	if len(out) == 0 {
		t.Fatalf("netlify.toml gives %s no headers", path)
	}
	return out
}

// TestEditingInterfaceHeaders checks that /admin/ gets its own policy, on Netlify and in serve,
// and every other header of the site.
func TestEditingInterfaceHeaders(t *testing.T) {
	site, admin := netlifyHeaders(t, "/"), netlifyHeaders(t, "/admin/")
	if got, want := admin["Content-Security-Policy"], cms.ContentSecurityPolicy(""); got != want {
		t.Errorf("netlify.toml: /admin/ policy %q, want %q", got, want)
	}
	for k, v := range site {
		if k != "Content-Security-Policy" && admin[k] != v {
			t.Errorf("netlify.toml: /admin/ header %s is %q, want the site's %q", k, admin[k], v)
		}
	}
	out := buildSite(t, "../data")
	resp, err := http.Get(portalServer(t, out) + "/admin/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for k, v := range admin {
		if k == "Content-Security-Policy" {
			// serve adds the local backend, which only an editor's machine runs.
			v = cms.ContentSecurityPolicy("http://127.0.0.1:8081")
		}
		if got := resp.Header.Get(k); got != v {
			t.Errorf("serve /admin/: header %s is %q, want %q", k, got, v)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	want := netlifyHeaders(t, "/")
	csp := want["Content-Security-Policy"]
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("CSP %q holds %s", csp, bad)
		}
	}
	for _, need := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, need) {
			t.Errorf("CSP %q lacks %s", csp, need)
		}
	}
	hsts := want["Strict-Transport-Security"]
	age, _ := strconv.Atoi(strings.TrimPrefix(strings.Split(hsts, ";")[0], "max-age="))
	if age < 31536000 {
		t.Errorf("HSTS %q: want a max-age of at least a year", hsts)
	}
	if want["X-Content-Type-Options"] != "nosniff" || want["Referrer-Policy"] == "" || want["Permissions-Policy"] == "" {
		t.Errorf("netlify.toml headers %v: want nosniff, a Referrer-Policy and a Permissions-Policy", want)
	}

	// serve and the intake answer with the same headers, and set no cookie.
	out := buildSite(t, "../data")
	srv := portalServer(t, out)
	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodGet, srv+"/", nil),
		httptest.NewRequest(http.MethodGet, srv+"/non-esiste/", nil),
		httptest.NewRequest(http.MethodGet, srv+"/richieste/inviata/?codice=VG-7K4M-Q2", nil),
		httptest.NewRequest(http.MethodGet, srv+"/richieste/?servizio=filo-d-argento-iriense/telefono-amico", nil),
		httptest.NewRequest(http.MethodGet, srv+"/cerca/?q=spesa", nil),
		httptest.NewRequest(http.MethodGet, srv+statusPaths[2], nil),
		httptest.NewRequest(http.MethodPost, srv+"/api/requests", strings.NewReader("{}")),
	} {
		req.RequestURI = ""
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for k, v := range want {
			if rt, ok := routes.Match(req.URL.Path); ok {
				for _, h := range rt.Headers { // the route's own, e.g. no referrer from the search's results
					if h.Name == k {
						v = h.Value
					}
				}
			}
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s %s: header %s is %q, want %q as in netlify.toml", req.Method, req.URL.Path, k, got, v)
			}
		}
		if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("%s %s: sets cookies %v, want none", req.Method, req.URL.Path, c)
		}
	}
}

// testSigningKey signs the requests' keys of the portal these tests serve.
const testSigningKey = "the signing key of the generator's tests"

// testStatusCode is a request whose status portalServer publishes: routed and closed, with the
// office's note for the citizen.
const testStatusCode = "VG-7K4M-Q2"

// statusPaths are the status page's views — the form, a code with a key that is not its own, the
// steps of testStatusCode — and an association's answer pages.
var statusPaths = func() []string {
	signer, err := status.NewSigner([]byte(testSigningKey))
	if err != nil {
		panic(err)
	}
	key := signer.Key(testStatusCode, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	answer := status.Answer{Code: testStatusCode, Association: "croce-azzurra-oltrepo", Action: status.AnswerTakenUp, Expires: testNow().Add(status.LinkLife)}
	return []string{"/richieste/stato/", "/richieste/stato/?codice=" + testStatusCode + "&chiave=0000000000000000",
		"/richieste/stato/?codice=" + testStatusCode + "&chiave=" + key,
		// An association's answer link: the confirmation, and a link changed by hand.
		office.AnswerURL("", answer, signer),
		"/richieste/risposta/?codice=" + testStatusCode + "&associazione=croce-azzurra-oltrepo&azione=risolta&scade=1&firma=x"}
}()

// intakeLanguagePaths are pages the intake renders in other languages than Italian: Arabic's
// right to left among them.
var intakeLanguagePaths = []string{"/ar/richieste/inviata/?codice=VG-7K4M-Q2", "/ar/richieste/?servizio=filo-d-argento-iriense/telefono-amico",
	"/ar/cerca/?q=pacco", "/ro/cerca/?q=pachet+alimentar", "/uk/richieste/stato/", "/zh-hans/cerca/?q=parola-che-non-esiste", "/en/richieste/stato/?codice=VG-7K4M-Q2&chiave=0000000000000000"}

// publishTestStatus writes testStatusCode's status where the admin command would.
func publishTestStatus(t *testing.T, dir string) {
	t.Helper()
	b, err := folder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Put(context.Background(), status.Record{Version: status.Version, Code: testStatusCode, Kind: "richiesta", Category: "trasporto-sociale",
		Received: "2026-11-20", Steps: []status.Step{{Step: status.Received, Date: "2026-11-20"}, {Step: status.Read, Date: "2026-11-20"},
			{Step: status.Forwarded, Date: "2026-11-21"}, {Step: status.Closed, Date: "2026-11-24"}},
		Outcome: "resolved", Note: "Il trasporto è fissato per martedì alle 8.", Associations: []string{"croce-azzurra-oltrepo"}})
	if err != nil {
		t.Fatal(err)
	}
}

// portalServer serves a built site with the intake on a spool, as "serve" does, on 127.0.0.1.
func portalServer(t *testing.T, out string) string {
	t.Helper()
	return portalServerFor(t, out, "../data")
}

// portalServerFor is portalServer for the site built from another data folder.
func portalServerFor(t *testing.T, out, data string) string {
	t.Helper()
	return portalServerWrapped(t, out, data, nil)
}

// portalServerWrapped is portalServerFor with the portal's handler handed to wrap, for stubs of
// what the portal will answer.
func portalServerWrapped(t *testing.T, out, data string, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	return startPortal(t, out, data, wrap).URL
}

// servedPortal is a portal served for a test, and the folders its intake writes and reads.
type servedPortal struct {
	URL    string // the origin, http://127.0.0.1:port
	Spool  string // the queue the intake puts requests and answers on
	Status string // the status board the status page reads
}

// startPortal serves the site built in out from data, with the intake on a spool, signing with
// testSigningKey, as "serve" does; wrap, when not nil, wraps the portal's handler.
func startPortal(t *testing.T, out, data string, wrap func(http.Handler) http.Handler) servedPortal {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	origin := "http://" + ln.Addr().String()
	spoolDir, statusDir := t.TempDir(), t.TempDir()
	env := map[string]string{"SHAPS_SPOOL_DIR": spoolDir, "SHAPS_RATE_LIMIT": "0", "SHAPS_QUEUE": "spool",
		"SHAPS_STATUS_DIR": statusDir, "SHAPS_SIGNING_KEY": testSigningKey}
	c := config{Data: data, Site: "../site", Content: "../content"}
	publishTestStatus(t, statusDir)
	cfg, err := setup.Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The intake runs on the real clock: the browser stamps the form with it, and a form that
	// seems to come from days ahead is treated as automated.
	requests, _, _, err := intakeHandler(context.Background(), c, cfg, origin, io.Discard, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	h := portalHandler(newSiteHandler(out, "http://127.0.0.1:8081"), requests)
	if wrap != nil {
		h = wrap(h)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return servedPortal{URL: origin, Spool: spoolDir, Status: statusDir}
}

// npmTools is the folder the test tools are installed in by .ci/run.
func npmTools(t *testing.T, pkg string) string {
	t.Helper()
	dir, _ := filepath.Abs(filepath.Join("..", ".ci", "node_modules"))
	if _, err := os.Stat(filepath.Join(dir, pkg)); err != nil {
		skipOrFail(t, pkg+" in .ci/node_modules")
	}
	return dir
}

func skipOrFail(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; .ci/run installs it", what)
	}
	t.Skipf("%s is not installed (bash .ci/run installs it)", what)
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		skipOrFail(t, name)
	}
	return p
}

type browserReport struct {
	RTL      []rtlReport    `json:"rtl"`
	Switcher []switchReport `json:"switcher"`
	Axe      []struct {
		Page       string `json:"page"`
		Violations []struct {
			ID     string   `json:"id"`
			Impact string   `json:"impact"`
			Help   string   `json:"help"`
			Nodes  []string `json:"nodes"`
		} `json:"violations"`
	} `json:"axe"`
	Keyboard struct {
		FirstFocus     string `json:"firstFocus"`
		FocusVisible   bool   `json:"focusVisible"`
		ReachedMessage bool   `json:"reachedMessage"`
		ErrorFocus     string `json:"errorFocus"`
		Invalid        []struct {
			ID          string `json:"id"`
			DescribedBy int    `json:"describedBy"`
		} `json:"invalid"`
		SummaryLinks []bool `json:"summaryLinks"`
		MessageKept  string `json:"messageKept"`
		ThanksURL    string `json:"thanksURL"`
		ThanksCode   string `json:"thanksCode"`
	} `json:"keyboard"`
	Framing struct {
		Frames map[string]struct {
			URL   string   `json:"url"`
			H1    string   `json:"h1"`
			Links []string `json:"links"`
		} `json:"frames"`
		ClickedHref string `json:"clickedHref"`
		TopURL      string `json:"topURL"`
		TopH1       string `json:"topH1"`
	} `json:"framing"`
	Search struct {
		URL, Title, First, Suggestion, Status, Focus, Value string
	} `json:"search"`
	Area     areaReport `json:"area"`
	Feedback struct {
		Before, AfterTwo, AfterFour, Focused, FocusOutline, H1, Back string
		Filled                                                       []bool
	} `json:"feedback"`
}

func runBrowser(t *testing.T, task, base, pages string, env ...string) browserReport {
	t.Helper()
	node := lookPath(t, "node")
	lookPath(t, "chromium")
	modules := npmTools(t, "playwright-core")
	npmTools(t, "axe-core")
	cmd := exec.Command(node, "testdata/browser.mjs", task)
	cmd.Env = append(append(os.Environ(), "SHAPS_BASE="+base, "SHAPS_PAGES="+pages, "SHAPS_NODE_MODULES="+modules), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("browser %s: %v\n%s", task, err, stderr.String())
	}
	var r browserReport
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("browser %s output: %v\n%s", task, err, out)
	}
	return r
}

func checkAxe(t *testing.T, r browserReport, wantPages int) {
	t.Helper()
	if len(r.Axe) < wantPages {
		t.Errorf("axe ran on %d pages, want %d", len(r.Axe), wantPages)
	}
	for _, p := range r.Axe {
		for _, v := range p.Violations {
			t.Errorf("%s: %s (%s): %s at %v", p.Page, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
}

// TestAccessibility runs axe-core in Chromium on every page of the demo build, the thanks page
// and the 404; TestKeyboard covers the form, its error state and its thanks page.
func TestAccessibility(t *testing.T) {
	out := buildSite(t, "../data")
	base := portalServer(t, out)
	var paths []string
	for _, p := range htmlPages(t, out) {
		rel, _ := filepath.Rel(out, p)
		rel = "/" + strings.TrimSuffix(filepath.ToSlash(rel), "index.html")
		if rel == "/404.html" {
			rel = "/non-esiste/"
		}
		paths = append(paths, rel)
	}
	paths = append(paths, "/richieste/inviata/?codice=VG-7K4M-Q2", "/richieste/?servizio=filo-d-argento-iriense/telefono-amico",
		"/cerca/", "/cerca/?q=compagnia", "/cerca/?q=parola-che-non-esiste")
	paths = append(paths, statusPaths...)
	paths = append(paths, intakeLanguagePaths...)
	list := filepath.Join(t.TempDir(), "pages.txt")
	if err := os.WriteFile(list, []byte(strings.Join(paths, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	checkAxe(t, runBrowser(t, "axe", base, list), len(paths))
}

func TestKeyboard(t *testing.T) {
	out := buildSite(t, "../data")
	base := portalServer(t, out)
	r := runBrowser(t, "keyboard", base, "")
	k := r.Keyboard
	if k.FirstFocus != "skip|#contenuto" {
		t.Errorf("first Tab: got %q, want the skip link to the content", k.FirstFocus)
	}
	if !k.FocusVisible {
		t.Errorf("the focused skip link has no visible outline")
	}
	if !k.ReachedMessage {
		t.Errorf("the message field cannot be reached with Tab")
	}
	if k.ErrorFocus != "errori" {
		t.Errorf("after a failed submission the focus is on %q, want the error summary", k.ErrorFocus)
	}
	if len(k.Invalid) < 2 {
		t.Errorf("got %d fields marked aria-invalid, want at least the category and the message", len(k.Invalid))
	}
	for _, f := range k.Invalid {
		if f.DescribedBy == 0 {
			t.Errorf("field %s is invalid but not described by its error", f.ID)
		}
	}
	for i, ok := range k.SummaryLinks {
		if !ok {
			t.Errorf("error summary link %d points at no field", i)
		}
	}
	if k.MessageKept != "aiuto" {
		t.Errorf("after the error the message field holds %q, want what was typed", k.MessageKept)
	}
	if !strings.Contains(k.ThanksURL, "/richieste/inviata/?codice=VG-") || !strings.HasPrefix(k.ThanksCode, "VG-") {
		t.Errorf("after a good submission: got %q with code %q, want the thanks page with the code", k.ThanksURL, k.ThanksCode)
	}
	checkAxe(t, r, 2)
}

// TestSearchWhileTyping: with JavaScript, the search page shows the results of the words as they
// are typed, the same HTML the intake sends for the form, and keeps the focus in the field.
func TestSearchWhileTyping(t *testing.T) {
	out := buildSite(t, "../data")
	base := portalServer(t, out)
	r := runBrowser(t, "search", base, "")
	s := r.Search
	for _, c := range []struct{ what, got, want string }{
		{"address", s.URL, base + "/cerca/?q=doposcula"},
		{"title", s.Title, "Risultati per «doposcula» – SHAPS per Voghera"},
		{"first result", s.First, "/servizi/ponte-sullo-staffora/doposcuola/"},
		{"suggestion", s.Suggestion, "Forse cercavi: doposcuola"},
		{"status", s.Status, "Risultati trovati: 2"},
		{"focus", s.Focus + "|" + s.Value, "cerca-pagina|doposcula"},
	} {
		if c.got != c.want {
			t.Errorf("after typing: %s %q, want %q", c.what, c.got, c.want)
		}
	}
	checkAxe(t, r, 1)
}

// TestValidHTML checks every page, and the pages the intake renders, with the Nu HTML Checker.
func TestValidHTML(t *testing.T) {
	java := lookPath(t, "java")
	jar := filepath.Join(npmTools(t, "vnu-jar"), "vnu-jar", "build", "dist", "vnu.jar")
	out := buildSite(t, "../data")
	files := htmlPages(t, out)
	base := portalServer(t, out)
	extra := t.TempDir()
	save := func(name string, resp *http.Response, err error) {
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		p := filepath.Join(extra, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	resp, err := http.Get(base + "/richieste/inviata/?codice=VG-7K4M-Q2")
	save("thanks.html", resp, err)
	resp, err = http.Post(base+"/api/requests", "application/x-www-form-urlencoded", strings.NewReader("message=aiuto&email=x%40"))
	save("errors.html", resp, err)
	resp, err = http.Get(base + "/richieste/?servizio=filo-d-argento-iriense/telefono-amico&tipo=segnalazione")
	save("filled.html", resp, err)
	resp, err = http.Get(base + "/cerca/?q=compagnia")
	save("search.html", resp, err)
	resp, err = http.Get(base + "/cerca/?q=parola-che-non-esiste")
	save("search-none.html", resp, err)
	resp, err = http.Post(base+"/api/requests", "text/plain", strings.NewReader("x"))
	save("refused.html", resp, err)
	for i, p := range statusPaths {
		resp, err = http.Get(base + p)
		save(fmt.Sprintf("status-%d.html", i), resp, err)
	}
	for i, p := range intakeLanguagePaths {
		resp, err = http.Get(base + p)
		save(fmt.Sprintf("language-%d.html", i), resp, err)
	}
	resp, err = http.Post(base+"/api/requests", "application/x-www-form-urlencoded", strings.NewReader("message=aiuto&email=x%40&lang=ar"))
	save("errors-ar.html", resp, err)
	cmd := exec.Command(java, append([]string{"-jar", jar, "--errors-only", "--format", "json"}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	_ = cmd.Run() // exits 1 when it finds errors: the report says which
	var report struct {
		Messages []struct {
			Type, URL, Message string
			LastLine           int
		} `json:"messages"`
	}
	if err := json.Unmarshal(stderr.Bytes(), &report); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, stderr.String())
	}
	for _, m := range report.Messages {
		t.Errorf("%s:%d: %s: %s", strings.TrimPrefix(m.URL, "file:"), m.LastLine, m.Type, m.Message)
	}
	t.Logf("checked %d pages", len(files))
}

// controls lists a form's fields as tag:type:name:id, and the page's navigation links.
func controls(n *html.Node) (fields, nav []string) {
	var walk func(n *html.Node, inNav bool)
	walk = func(n *html.Node, inNav bool) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			switch n.Data {
			case "input", "select", "textarea", "button":
				fields = append(fields, n.Data+":"+attr["type"]+":"+attr["name"]+":"+attr["id"])
			case "option":
				fields = append(fields, "option:"+attr["value"])
			case "nav":
				inNav = true
			case "a":
				if inNav {
					nav = append(nav, attr["href"])
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inNav)
		}
	}
	walk(n, false)
	return fields, nav
}

// frameParts are the parts of a page that come from the page frame's partials.
var frameParts = regexp.MustCompile(`(?s)<link rel="stylesheet"[^>]*>|<header class="it-header-wrapper">.*?</header>|<footer class="it-footer">.*?</footer>`)

// languageSwitcher is the header's list of the page in each language: the page's own, so not
// part of the frame every page shares.
var languageSwitcher = regexp.MustCompile(`(?s)\n<ul class="languages">.*?</ul>`)

// frameOf returns the parts of page that come from the frame's partials, without the switcher.
func frameOf(page string) []string {
	return frameParts.FindAllString(languageSwitcher.ReplaceAllString(page, ""), -1)
}

// TestIntakePagesShareThePortalFrame: the pages the intake renders (the form again with its
// errors or filled in from a link, the thanks page, the search, a notice) are made from the
// portal's own partials, so their stylesheet link, header and footer are the portal's, byte for
// byte, and the form is the portal's, field for field and option for option.
func TestIntakePagesShareThePortalFrame(t *testing.T) {
	out := buildSite(t, "../data")
	base := portalServer(t, out)
	portalPage := readFile(t, filepath.Join(out, "richieste", "index.html"))
	want := frameOf(portalPage)
	if len(want) != 3 || !strings.Contains(want[2], "mailto:") {
		t.Fatalf("the portal's page has %d frame parts, want the stylesheet, the header and the footer with the contacts:\n%s", len(want), strings.Join(want, "\n"))
	}
	if home := frameOf(readFile(t, filepath.Join(out, "index.html"))); strings.Join(home, "") != strings.Join(want, "") {
		t.Errorf("the home page's frame differs from the form's:\n%s", strings.Join(home, "\n"))
	}
	href := regexp.MustCompile(`href="([^"]+)"`).FindStringSubmatch(want[0])
	if href == nil || !regexp.MustCompile(`^/css/portal\.[0-9a-f]{64}\.css$`).MatchString(href[1]) {
		t.Errorf("stylesheet link %s: want a path named by the stylesheet's content", want[0])
	} else if _, err := os.Stat(filepath.Join(out, href[1])); err != nil {
		t.Errorf("the stylesheet %s is not published: %v", href[1], err)
	}
	static, err := html.Parse(strings.NewReader(portalPage))
	if err != nil {
		t.Fatal(err)
	}
	wantFields, wantNav := controls(static)
	if len(wantFields) < 40 || len(wantNav) < 10 {
		t.Fatalf("the portal's form has %d fields and options and %d navigation links, want the whole form", len(wantFields), len(wantNav))
	}
	get := func(method, path, body string) string {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	pages := []struct {
		name string
		page string
		form bool
	}{
		{"with errors", get("POST", "/api/requests", "message=aiuto"), true},
		{"filled in", get("GET", "/richieste/?servizio=filo-d-argento-iriense/telefono-amico", ""), true},
		{"thanks", get("GET", "/richieste/inviata/?codice=VG-7K4M-Q2", ""), false},
		{"search", get("GET", "/cerca/?q=compagnia", ""), false},
		{"notice", get("PUT", "/api/requests", "x"), false},
		{"status form", get("GET", statusPaths[0], ""), false},
		{"status not found", get("GET", statusPaths[1], ""), false},
		{"status", get("GET", statusPaths[2], ""), false},
		{"answer", get("GET", statusPaths[3], ""), false},
		{"answer forged", get("GET", statusPaths[4], ""), false},
	}
	for _, p := range pages[len(pages)-5:] { // the status and answer pages are what they claim, or the checks above prove little
		if want := map[string]string{"status form": `name="chiave"`, "status not found": "Codice o chiave non corrispondono", "status": "Chiusa",
			"answer": `name="firma"`, "answer forged": "Collegamento non valido"}[p.name]; !strings.Contains(p.page, want) {
			t.Errorf("the intake's page %s: want %q in it", p.name, want)
		}
	}
	for _, p := range pages {
		got := frameOf(p.page)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("the intake's page %s: got frame\n%s\nwant the portal's\n%s", p.name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if !p.form {
			continue
		}
		rendered, err := html.Parse(strings.NewReader(p.page))
		if err != nil {
			t.Fatal(err)
		}
		gotFields, gotNav := controls(rendered)
		if strings.Join(gotFields, "\n") != strings.Join(wantFields, "\n") {
			t.Errorf("the intake's form %s differs from the portal's:\ngot:\n%s\nwant:\n%s", p.name, strings.Join(gotFields, "\n"), strings.Join(wantFields, "\n"))
		}
		if strings.Join(gotNav, " ") != strings.Join(wantNav, " ") {
			t.Errorf("the intake's page %s links differently from the portal's:\ngot  %v\nwant %v", p.name, gotNav, wantNav)
		}
		if !strings.Contains(p.page, `data-categoria="`) {
			t.Errorf("the intake's form %s lacks the services' data-categoria, which the portal's has", p.name)
		}
	}
}
