package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/cases"
	"github.com/shaps-portal/shaps/intake/cases/boltstore"
	"github.com/shaps-portal/shaps/intake/cases/web"
	"github.com/shaps-portal/shaps/intake/mail"
	"golang.org/x/crypto/bcrypt"
)

const token = "segreto-di-prova-1234567890"

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func newServer(t *testing.T) (*httptest.Server, *boltstore.Store, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := boltstore.Open(filepath.Join(dir, "cases.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cat, err := intake.LoadCatalog(os.DirFS("../../../data"), now)
	if err != nil {
		t.Fatal(err)
	}
	outbox, _ := mail.OpenOutbox(filepath.Join(dir, "outbox"))
	d := &cases.Desk{Store: st, Mailer: outbox, Categories: map[string]string{}, Now: func() time.Time { return now },
		Office: cases.Office{Portal: "SHAPS", Municipality: "Comune di Voghera", From: "uffici@comune.example"}}
	for _, o := range cat.Associations {
		d.Associations = append(d.Associations, cases.Association{Slug: o.Value, Name: o.Label, Email: o.Email, Categories: o.Categories})
	}
	for _, c := range []cases.Case{
		{ID: "1", Code: "VG-AAAA-11", ReceivedAt: now, Status: cases.StatusNew, Request: intake.Request{Kind: "richiesta", Category: "trasporto-sociale", Message: "Serve un passaggio per la dialisi.", Privacy: true}},
		{ID: "2", Code: "VG-BBBB-22", ReceivedAt: now, Status: cases.StatusNew, Request: intake.Request{Kind: "segnalazione", Category: "ascolto", Message: `<script>alert(1)</script> e "virgolette" & co.`, Privacy: true}},
	} {
		if _, err := st.Add(c, "test", now); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(web.NewServer(d, token, "operatrice", func() time.Time { return now }))
	t.Cleanup(srv.Close)
	return srv, st, filepath.Join(dir, "outbox")
}

var noRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func TestNothingWithoutLogin(t *testing.T) {
	srv, _, _ := newServer(t)
	c := &http.Client{CheckRedirect: noRedirect}
	for _, p := range []string{"/", "/casi/VG-AAAA-11", "/statistiche"} {
		resp, err := c.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/accesso" {
			t.Errorf("GET %s without login: got %d to %q, want 303 to /accesso", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, _ := c.PostForm(srv.URL+"/casi/VG-AAAA-11/chiudi", url.Values{"esito": {"spam"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST without login: got %d, want 401", resp.StatusCode)
	}
	resp, _ = c.PostForm(srv.URL+"/accesso", url.Values{"token": {"sbagliato"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong access code: got %d, want 401", resp.StatusCode)
	}
}

// login returns a client holding a session, and the page's CSRF token.
func login(t *testing.T, srv *httptest.Server) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirect}
	resp, err := c.PostForm(srv.URL+"/accesso", url.Values{"token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookie := resp.Header.Get("Set-Cookie")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
		t.Fatalf("login: got %d with cookie %q, want 303 and an HttpOnly, SameSite=Strict cookie", resp.StatusCode, cookie)
	}
	resp, _ = c.Get(srv.URL + "/casi/VG-AAAA-11")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	i := bytes.Index(b, []byte(`name="csrf" value="`))
	if i < 0 {
		t.Fatal("no CSRF token on the case page")
	}
	rest := b[i+len(`name="csrf" value="`):]
	return c, string(rest[:bytes.IndexByte(rest, '"')])
}

func TestCSRFAndEscaping(t *testing.T) {
	srv, st, _ := newServer(t)
	c, csrf := login(t, srv)
	resp, _ := c.PostForm(srv.URL+"/casi/VG-AAAA-11/chiudi", url.Values{"esito": {"spam"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without the CSRF token: got %d, want 403", resp.StatusCode)
	}
	if got, _ := st.Get("VG-AAAA-11"); got.Status != cases.StatusNew {
		t.Errorf("a refused POST changed the case to %s", got.Status)
	}
	resp, _ = c.PostForm(srv.URL+"/casi/VG-AAAA-11/chiudi", url.Values{"esito": {"spam"}, "csrf": {csrf}})
	resp.Body.Close()
	if got, _ := st.Get("VG-AAAA-11"); resp.StatusCode != http.StatusSeeOther || got.Status != cases.StatusClosed {
		t.Errorf("POST with the token: got %d and status %s, want 303 and closed", resp.StatusCode, got.Status)
	}
	resp, _ = c.Get(srv.URL + "/casi/VG-BBBB-22")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if bytes.Contains(b, []byte("<script>alert(1)")) || !bytes.Contains(b, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
		t.Errorf("the citizen's text is not escaped on the case page")
	}
	if resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("no CSP on the administrator's pages")
	}
}

func TestRouteInChromium(t *testing.T) {
	node, err := exec.LookPath("node")
	modules, _ := filepath.Abs("../../../.ci/node_modules")
	_, perr := os.Stat(filepath.Join(modules, "playwright-core"))
	_, cerr := exec.LookPath("chromium")
	if err != nil || perr != nil || cerr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node, chromium or playwright-core is missing; .ci/run installs them")
		}
		t.Skip("node, chromium or playwright-core is missing (bash .ci/run installs them)")
	}
	srv, st, outbox := newServer(t)
	cmd := exec.Command(node, "testdata/admin.mjs", srv.URL, token, "VG-AAAA-11", "VG-BBBB-22")
	cmd.Env = append(os.Environ(), "SHAPS_NODE_MODULES="+modules)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("browser: %v\n%s", err, stderr.String())
	}
	var r struct {
		LoginURL, AfterLogin, Ticked, Done, Status, XSSText string
		Suggested, Dialogs                                  int
		Axe                                                 []struct {
			Page       string
			Violations []struct {
				ID, Help string
				Nodes    []string
			}
		}
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.HasSuffix(r.LoginURL, "/accesso") || strings.HasSuffix(r.AfterLogin, "/accesso") {
		t.Errorf("login: got %q then %q, want the login page, then in", r.LoginURL, r.AfterLogin)
	}
	if r.Suggested == 0 || !strings.Contains(r.Done, "inoltrata") || r.Status != "inoltrata" {
		t.Errorf("route: got %d suggestions, message %q, status %q; want it routed", r.Suggested, r.Done, r.Status)
	}
	if c, _ := st.Get("VG-AAAA-11"); c.Status != cases.StatusRouted || len(c.Routes) != 1 || c.Routes[0].To[0] != r.Ticked || c.Routes[0].By != "operatrice" {
		t.Errorf("store: got %+v, want routed to %s by operatrice", c.Routes, r.Ticked)
	}
	if emls, _ := filepath.Glob(filepath.Join(outbox, "*.eml")); len(emls) != 1 {
		t.Errorf("got %d e-mails, want 1", len(emls))
	}
	if len(r.Axe) != 4 {
		t.Errorf("axe ran on %d pages, want the login, the list, a case and the statistics", len(r.Axe))
	}
	for _, p := range r.Axe {
		for _, v := range p.Violations {
			t.Errorf("%s: %s (%s) at %v", p.Page, v.ID, v.Help, v.Nodes)
		}
	}
	if !strings.Contains(r.XSSText, "<script>alert(1)</script>") || r.Dialogs != 0 {
		t.Errorf("the message shows as %q with %d dialogs, want the text as written and no script run", r.XSSText, r.Dialogs)
	}
}

func TestPasswordHash(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("una-password-lunga"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	check := web.PasswordHash(string(hash))
	if !check("una-password-lunga") || check("sbagliata") || check("") {
		t.Errorf("the bcrypt check accepts the wrong passwords or refuses the right one")
	}
}

// TestListTellsOfMessagesKeptAside: the list warns of messages the program could not read.
func TestListTellsOfMessagesKeptAside(t *testing.T) {
	srv, st, _ := newServer(t)
	c, _ := login(t, srv)
	page := func() string {
		resp, err := c.Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if p := page(); strings.Contains(p, "non è leggibile") || strings.Contains(p, "non sono leggibili") {
		t.Errorf("list with nothing kept aside warns of unreadable messages")
	}
	if err := st.SetAside([]byte(`{"version":2}`), "read envelope: version 2, want 1", now); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, "1 messaggio ricevuto non è leggibile da questa versione del programma") {
		t.Errorf("list with one message kept aside: want the warning, got\n%s", p)
	}
}
