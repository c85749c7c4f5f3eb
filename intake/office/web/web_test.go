package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/boltstore"
	"github.com/shaps-portal/shaps/intake/office/mail"
	"github.com/shaps-portal/shaps/intake/office/web"
	"golang.org/x/crypto/bcrypt"
)

const token = "segreto-di-prova-1234567890"

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func newServer(t *testing.T) (*httptest.Server, *boltstore.Store, string) {
	t.Helper()
	srv, st, outbox, _ := newServerAt(t, func() time.Time { return now })
	return srv, st, outbox
}

// newServerAt is newServer with a clock; it also returns the handler.
func newServerAt(t *testing.T, clock func() time.Time) (*httptest.Server, *boltstore.Store, string, http.Handler) {
	t.Helper()
	return newServerWith(t, clock, nil)
}

// newServerWith is newServerAt with a change to the interface's configuration.
func newServerWith(t *testing.T, clock func() time.Time, configure func(*web.Config)) (*httptest.Server, *boltstore.Store, string, http.Handler) {
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
	d := &office.Desk{Store: st, Mailer: outbox, Now: func() time.Time { return now },
		Office: office.Office{Portal: "SHAPS", Municipality: "Comune di Voghera", From: "uffici@comune.example"}, Copies: outbox}
	d.UsePortal(cat)
	for _, c := range []office.Case{
		{ID: "1", Code: "VG-AAAA-11", ReceivedAt: now, Status: office.StatusNew, Request: intake.Request{Kind: "richiesta", Category: "trasporto-sociale", Message: "Serve un passaggio per la dialisi.", Area: "=via Emilia 12", Privacy: true, Language: "it"}},
		{ID: "2", Code: "VG-BBBB-22", ReceivedAt: now, Status: office.StatusNew, Request: intake.Request{Kind: "segnalazione", Category: "ascolto", Message: `<script>alert(1)</script> e "virgolette" & co.`, Privacy: true, Language: "ro"}},
	} {
		if _, err := st.Add(c, "test", now); err != nil {
			t.Fatal(err)
		}
	}
	login, err := web.Token(token)
	if err != nil {
		t.Fatal(err)
	}
	cfg := web.Config{Login: login, Actor: "operatrice", Now: clock}
	if configure != nil {
		configure(&cfg)
	}
	h, err := web.NewServer(d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, st, filepath.Join(dir, "outbox"), h
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
	if got, _ := st.Get("VG-AAAA-11"); got.Status != office.StatusNew {
		t.Errorf("a refused POST changed the case to %s", got.Status)
	}
	resp, _ = c.PostForm(srv.URL+"/casi/VG-AAAA-11/chiudi", url.Values{"esito": {"spam"}, "csrf": {csrf}})
	resp.Body.Close()
	if got, _ := st.Get("VG-AAAA-11"); resp.StatusCode != http.StatusSeeOther || got.Status != office.StatusClosed {
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

// axePage is what axe-core found on one page.
type axePage struct {
	Page       string
	Violations []struct {
		ID, Help string
		Nodes    []string
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
	// With operators beside the shared code, and a store never backed up, so that axe sees the
	// name field and the warning too.
	srv, st, outbox, _ := newServerWith(t, func() time.Time { return now }, func(c *web.Config) {
		c.Operators = operators(t)
		c.LastBackup = func() (time.Time, error) { return time.Time{}, nil }
	})
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
		PurgeListed, PurgeUnconfirmed, PurgeDone            string
		Suggested, Dialogs                                  int
		Axe, More                                           []axePage
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
	if c, _ := st.Get("VG-AAAA-11"); c.Status != office.StatusRouted || len(c.Routes) != 1 || c.Routes[0].To[0] != r.Ticked || c.Routes[0].By != "operatrice" {
		t.Errorf("store: got %+v, want routed to %s by operatrice", c.Routes, r.Ticked)
	}
	if emls, _ := filepath.Glob(filepath.Join(outbox, "*.eml")); len(emls) != 1 {
		t.Errorf("got %d e-mails, want 1", len(emls))
	}
	if len(r.Axe) != 4 {
		t.Errorf("axe ran on %d pages, want the login, the list, a case and the statistics", len(r.Axe))
	}
	if len(r.More) != 2 {
		t.Errorf("axe ran on %d more pages, want the purge before and after", len(r.More))
	}
	if !strings.Contains(r.PurgeListed, "VG-BBBB-22") || !strings.Contains(r.PurgeDone, "Cancellati i dati personali di 1 richiesta.") {
		t.Errorf("purge in the browser: listed %q, then %q; want the closed case listed, then erased", r.PurgeListed, r.PurgeDone)
	}
	if c, _ := st.Get("VG-BBBB-22"); c.PurgedAt.IsZero() {
		t.Errorf("the case closed in the browser was not purged")
	}
	for _, p := range append(r.Axe, r.More...) {
		for _, v := range p.Violations {
			t.Errorf("%s: %s (%s) at %v", p.Page, v.ID, v.Help, v.Nodes)
		}
	}
	if !strings.Contains(r.XSSText, "<script>alert(1)</script>") || r.Dialogs != 0 {
		t.Errorf("the message shows as %q with %d dialogs, want the text as written and no script run", r.XSSText, r.Dialogs)
	}
}

func TestPasswordHash(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("una-password-lunga"), bcrypt.DefaultCost)
	if err != nil {
		t.Fatal(err)
	}
	check, err := web.PasswordHash(string(hash))
	if err != nil {
		t.Fatal(err)
	}
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

// TestWeakSecretsRefused: a short access code, a value that is not a bcrypt hash or a cheap
// hash are refused at start.
func TestWeakSecretsRefused(t *testing.T) {
	for _, tok := range []string{"", "12345", "quindici-caratt"} {
		if _, err := web.Token(tok); err == nil || !strings.Contains(err.Error(), "at least 16") {
			t.Errorf("Token(%q): got %v, want it refused as too short", tok, err)
		}
	}
	if _, err := web.Token("sedici-caratteri"); err != nil {
		t.Errorf("Token of 16 characters: got %v, want it accepted", err)
	}
	cheap, _ := bcrypt.GenerateFromPassword([]byte("una-password-lunga"), bcrypt.MinCost)
	for _, hash := range []string{"", "password", "$2a$10$corto", "$2a$99$" + strings.Repeat("a", 53), string(cheap)} {
		if _, err := web.PasswordHash(hash); err == nil || !strings.Contains(err.Error(), "password hash") {
			t.Errorf("PasswordHash(%q): got %v, want it refused", hash, err)
		}
	}
}

// TestFailedLoginsThrottled: after a few wrong codes a client must wait, longer each time,
// and meanwhile not even the right code gets in; many failures from many clients slow all.
func TestFailedLoginsThrottled(t *testing.T) {
	clock := now
	srv, _, _, h := newServerAt(t, func() time.Time { return clock })
	c := &http.Client{CheckRedirect: noRedirect}
	try := func(secret string) int {
		resp, err := c.PostForm(srv.URL+"/accesso", url.Values{"token": {secret}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	codes := map[int]int{}
	for range 105 {
		codes[try("sbagliato")]++
		clock = clock.Add(5 * time.Millisecond) // 105 tries in about half a second
	}
	if codes[http.StatusUnauthorized] != 5 || codes[http.StatusTooManyRequests] != 100 {
		t.Errorf("105 wrong codes in half a second: got %v, want 5 checked (401) and 100 refused unchecked (429)", codes)
	}
	if got := try(token); got != http.StatusTooManyRequests {
		t.Errorf("the right code while throttled: got %d, want 429", got)
	}
	clock = clock.Add(2 * time.Second)
	if got := try("sbagliato"); got != http.StatusUnauthorized {
		t.Errorf("after the first delay: got %d, want the code checked again (401)", got)
	}
	clock = clock.Add(1500 * time.Millisecond)
	if got := try(token); got != http.StatusTooManyRequests {
		t.Errorf("after another failure the delay doubles: got %d 1.5 s later, want 429", got)
	}
	clock = clock.Add(time.Second)
	if got := try(token); got != http.StatusSeeOther {
		t.Errorf("the right code after the delay: got %d, want 303", got)
	}
	if got := try("sbagliato"); got != http.StatusUnauthorized {
		t.Errorf("a login forgets the client's failures: got %d, want 401", got)
	}

	// Many clients, one wrong code each: after 20 in all, every client waits.
	fresh := func(addr, secret string) int {
		r := httptest.NewRequest(http.MethodPost, "/accesso", strings.NewReader(url.Values{"token": {secret}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	clock = clock.Add(48 * time.Hour)
	for i := range 20 {
		if got := fresh(fmt.Sprintf("192.0.2.%d:40000", i), "sbagliato"); got != http.StatusUnauthorized {
			t.Fatalf("client %d: got %d, want 401", i, got)
		}
	}
	if got := fresh("198.51.100.8:40000", token); got != http.StatusTooManyRequests {
		t.Errorf("after 20 failures from 20 clients: got %d, want every client to wait (429)", got)
	}
	clock = clock.Add(time.Second)
	if got := fresh("198.51.100.8:40000", token); got != http.StatusSeeOther {
		t.Errorf("a second later: got %d, want the right code in (303)", got)
	}
}

// get fetches a page with a logged-in client.
func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestPurgeFromTheWeb: the web purges too, only with the CSRF token and the confirmation.
func TestPurgeFromTheWeb(t *testing.T) {
	srv, st, outbox := newServer(t)
	c, csrf := login(t, srv)
	post := func(p string, v url.Values) int {
		resp, err := c.PostForm(srv.URL+p, v)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("/casi/VG-AAAA-11/inoltra", url.Values{"associazione": {"croce-azzurra-oltrepo"}, "csrf": {csrf}}); got != http.StatusSeeOther {
		t.Fatalf("route: got %d", got)
	}
	if got := post("/casi/VG-AAAA-11/chiudi", url.Values{"esito": {"resolved"}, "csrf": {csrf}}); got != http.StatusSeeOther {
		t.Fatalf("close: got %d", got)
	}
	if _, page := get(t, c, srv.URL+"/cancellazione?giorni=0"); !strings.Contains(page, "VG-AAAA-11") || strings.Contains(page, "VG-BBBB-22") || !strings.Contains(page, `name="conferma"`) {
		t.Errorf("purge page: want the closed case only and a confirmation box, got\n%s", page)
	}
	unpurged := func() bool { got, _ := st.Get("VG-AAAA-11"); return got.Request.Message != "" }
	for name, v := range map[string]url.Values{
		"without the CSRF token": {"giorni": {"0"}, "conferma": {"si"}},
		"without confirmation":   {"giorni": {"0"}, "csrf": {csrf}},
	} {
		if got := post("/cancellazione", v); got == http.StatusOK || !unpurged() {
			t.Errorf("purge %s: got %d and purged %v, want it refused", name, got, !unpurged())
		}
	}
	rated := office.Rating{ID: "r1", Day: now.Add(-24 * time.Hour).Truncate(24 * time.Hour), Feedback: intake.Feedback{Page: "/servizi/", Stars: 2, Text: "Mi chiamo Anna Neri"}}
	if _, err := st.AddFeedback(rated, ""); err != nil {
		t.Fatal(err)
	}
	resp, err := c.PostForm(srv.URL+"/cancellazione", url.Values{"giorni": {"0"}, "csrf": {csrf}, "conferma": {"si"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || unpurged() {
		t.Errorf("purge confirmed: got %d, purged %v; want 200 and the data erased", resp.StatusCode, !unpurged())
	}
	if !strings.Contains(string(b), "Cancellato 1 testo delle valutazioni delle pagine") {
		t.Errorf("purge confirmed: want the rating's text counted as erased in\n%s", b)
	}
	if pages, _ := st.Feedback(); len(pages) != 1 || pages[0].Count != 1 || len(pages[0].Texts) != 0 {
		t.Errorf("after the purge: got %+v, want the count and no text", pages)
	}
	if got, _ := st.Get("VG-AAAA-11"); got.Request.Area != "" || got.PurgedAt.IsZero() {
		t.Errorf("after the purge: got %+v", got.Request)
	}
	if emls, _ := filepath.Glob(filepath.Join(outbox, "*-VG-AAAA-11-*.eml")); len(emls) != 0 {
		t.Errorf("the purge left %d e-mails of the case", len(emls))
	}
	if got, _ := st.Get("VG-BBBB-22"); got.Request.Message == "" {
		t.Errorf("the open case lost its message")
	}
}

// TestExportFromTheWeb: the anonymous export downloads, areas as the purge keeps them unless
// the typed ones are asked for, and never as a formula.
func TestExportFromTheWeb(t *testing.T) {
	srv, _, _ := newServer(t)
	c, _ := login(t, srv)
	resp, body := get(t, c, srv.URL+"/esporta?formato=csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: got %d %q %q, want a CSV download", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	if strings.Count(body, "\n") != 3 || strings.Contains(body, "Emilia") || strings.Contains(body, "dialisi") {
		t.Errorf("export: got\n%s\nwant a header and 2 anonymous lines without the typed area", body)
	}
	if _, body := get(t, c, srv.URL+"/esporta?formato=csv&zone=digitate"); !strings.Contains(body, ",'=via Emilia 12,") {
		t.Errorf("export with typed areas: got\n%s\nwant the area, neutralised", body)
	}
	if resp, _ := get(t, c, srv.URL+"/esporta?formato=xlsx"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("export as xlsx: got %d, want 400", resp.StatusCode)
	}
	if _, page := get(t, c, srv.URL+"/statistiche"); !strings.Contains(page, `action="/esporta"`) {
		t.Errorf("the statistics page has no export form")
	}
}

// TestListFilter: the list filters by status, category and date with the domain's filter.
func TestListFilter(t *testing.T) {
	srv, _, _ := newServer(t)
	c, _ := login(t, srv)
	for q, want := range map[string][]string{
		"":                          {"VG-AAAA-11", "VG-BBBB-22"},
		"?categoria=ascolto":        {"VG-BBBB-22"},
		"?stato=closed":             {},
		"?dal=2026-11-26":           {},
		"?dal=2026-11-25&stato=new": {"VG-AAAA-11", "VG-BBBB-22"},
		"?lingua=ro":                {"VG-BBBB-22"},
		"?lingua=it":                {"VG-AAAA-11"},
		"?lingua=ar":                {},
	} {
		_, page := get(t, c, srv.URL+"/"+q)
		for _, code := range []string{"VG-AAAA-11", "VG-BBBB-22"} {
			if got, w := strings.Contains(page, ">"+code+"</a>"), slices.Contains(want, code); got != w {
				t.Errorf("list %s: %s shown = %v, want %v", q, code, got, w)
			}
		}
	}
	for _, q := range []string{"?stato=aperta", "?dal=ieri", "?lingua=fr", "?lingua=%3Cscript%3E"} {
		if resp, _ := get(t, c, srv.URL+"/"+q); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("list %s: got %d, want 400", q, resp.StatusCode)
		}
	}
}

// TestTheOfficeSeesTheLanguage: the list and the case page say, in the office's Italian, which
// language the request was sent from, and the message keeps its own direction.
func TestTheOfficeSeesTheLanguage(t *testing.T) {
	srv, _, _ := newServer(t)
	c, _ := login(t, srv)
	_, list := get(t, c, srv.URL+"/")
	for _, want := range []string{`<th scope="col">Lingua</th>`, "<td>rumeno</td>", "<td>italiano</td>", `<option value="zh-hans">cinese (semplificato)</option>`} {
		if !strings.Contains(list, want) {
			t.Errorf("list: got no %s in\n%s", want, list)
		}
	}
	if _, page := get(t, c, srv.URL+"/?lingua=ro"); !strings.Contains(page, `<option value="ro" selected>rumeno</option>`) {
		t.Errorf("list filtered by ro: got no chosen ro in the filter")
	}
	_, page := get(t, c, srv.URL+"/casi/VG-BBBB-22")
	for _, want := range []string{"<dd>rumeno</dd>", `<blockquote class="message" dir="auto">`} {
		if !strings.Contains(page, want) {
			t.Errorf("case page: got no %s in\n%s", want, page)
		}
	}
}

// TestCaseNamesTheServiceByItsTitle: the case page names the service and the association the
// citizen chose as the portal does, not by their slugs.
func TestCaseNamesTheServiceByItsTitle(t *testing.T) {
	srv, st, _ := newServer(t)
	c := office.Case{ID: "3", Code: "VG-CCCC-33", ReceivedAt: now, Status: office.StatusNew, Request: intake.Request{Kind: "richiesta", Category: "ascolto",
		Association: "filo-d-argento-iriense", Service: "filo-d-argento-iriense/telefono-amico", Message: "Vorrei qualcuno con cui parlare.", Privacy: true}}
	if _, err := st.Add(c, "test", now); err != nil {
		t.Fatal(err)
	}
	cl, _ := login(t, srv)
	_, page := get(t, cl, srv.URL+"/casi/VG-CCCC-33")
	for _, want := range []string{"<dd>Telefono amico</dd>", "<dd>Filo d&#39;Argento Iriense ODV</dd>"} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
}

// TestOverdueAndRemind: a case routed and taken in charge by none within response_days working
// days is marked and filtered as late, and its button sends the associations the e-mail again.
func TestOverdueAndRemind(t *testing.T) {
	later := now.AddDate(0, 0, 6) // Tuesday 1 December: four working days after the routing
	srv, st, outbox, _ := newServerAt(t, func() time.Time { return later })
	c, csrf := login(t, srv)
	resp, _ := c.PostForm(srv.URL+"/casi/VG-AAAA-11/inoltra", url.Values{"associazione": {"croce-azzurra-oltrepo"}, "csrf": {csrf}})
	resp.Body.Close()
	if got, _ := st.Get("VG-AAAA-11"); got.Status != office.StatusRouted {
		t.Fatalf("route: got %s, want routed", got.Status)
	}
	page := func(path string) string {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return string(b)
	}
	// The desk's clock says the routing happened at now; the pages' clock, later.
	if list := page("/?ritardo=1"); !strings.Contains(list, "VG-AAAA-11") || strings.Contains(list, "VG-BBBB-22") || !strings.Contains(list, "in ritardo") {
		t.Errorf("the late cases: want VG-AAAA-11 alone, marked late")
	}
	resp, _ = c.PostForm(srv.URL+"/casi/VG-AAAA-11/sollecita", url.Values{"csrf": {csrf}})
	resp.Body.Close()
	if _, err := st.Update("VG-AAAA-11", "associazione:croce-azzurra-oltrepo", "answered", "presa-in-carico", now.Add(2*time.Hour), func(c *office.Case) error {
		return c.AddAnswer(office.Answer{At: now.Add(2 * time.Hour), Association: "croce-azzurra-oltrepo", Action: "presa-in-carico"})
	}); err != nil {
		t.Fatal(err)
	}
	if stats := page("/statistiche"); !strings.Contains(stats, "<td>croce-azzurra-oltrepo</td><td>2h0m0s</td>") {
		t.Errorf("statistics: want the association's median time to taking in charge, 2h0m0s")
	}
	if list := page("/?ritardo=1"); strings.Contains(list, "VG-AAAA-11") {
		t.Errorf("a case taken in charge is still listed as late")
	}
	trail, _ := st.Audit()
	mails, _ := filepath.Glob(filepath.Join(outbox, "*-VG-AAAA-11-croce-azzurra-oltrepo.eml"))
	if resp.StatusCode != http.StatusSeeOther || len(mails) == 0 || !slices.ContainsFunc(trail, func(e boltstore.AuditEntry) bool {
		return e.Action == "reminded" && e.Detail == "to croce-azzurra-oltrepo"
	}) {
		t.Errorf("remind: got %d, audit %+v, e-mails %v; want 303, a reminder to croce-azzurra-oltrepo, its e-mail", resp.StatusCode, trail, mails)
	}
	// The case's history tells the reminder and the answer in words, as it tells the routing.
	history := page("/casi/VG-AAAA-11")
	for _, want := range []string{"operatrice: inoltrata", "operatrice: sollecitata", "associazione:croce-azzurra-oltrepo: risposta"} {
		if !strings.Contains(history, want) {
			t.Errorf("case page history: got no %q, want every step in words", want)
		}
	}
}

// TestStatsFeedback: the statistics show each rated page's counts, mean, choices and recent
// texts, escaped.
func TestStatsFeedback(t *testing.T) {
	srv, st, _ := newServer(t)
	c, _ := login(t, srv)
	if _, page := get(t, c, srv.URL+"/statistiche"); !strings.Contains(page, "Nessuna pagina è stata ancora valutata") {
		t.Errorf("statistics without ratings: want the notice that no page was rated")
	}
	day := now.Truncate(24 * time.Hour)
	for i, f := range []intake.Feedback{
		{Page: "/servizi/", Stars: 5, Choice: "chiare"},
		{Page: "/servizi/", Stars: 4, Choice: "chiare", Text: `<script>alert(1)</script> ottimo`},
		{Page: "/servizi/", Stars: 1, Choice: "problemi-tecnici", Text: "Il modulo non si apre."},
	} {
		if _, err := st.AddFeedback(office.Rating{ID: fmt.Sprint("r", i), Day: day, Feedback: f}, ""); err != nil {
			t.Fatal(err)
		}
	}
	_, page := get(t, c, srv.URL+"/statistiche")
	for _, want := range []string{
		`<h3 id="v-/servizi/">/servizi/</h3>`,
		"3 valutazioni, media 3.33 stelle su 5.",
		"<tr><td>1</td><td>1</td></tr>", "<tr><td>4</td><td>1</td></tr>", "<tr><td>5</td><td>1</td></tr>", "<tr><td>2</td><td>0</td></tr>",
		"<tr><td>chiare</td><td>2</td></tr>", "<tr><td>problemi-tecnici</td><td>1</td></tr>",
		"4 stelle: &lt;script&gt;alert(1)&lt;/script&gt; ottimo", "1 stella: Il modulo non si apre.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("statistics: want %q in\n%s", want, page)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Error("statistics: a rating's text is not escaped")
	}
}
