package web_test

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/office/web"
	"golang.org/x/crypto/bcrypt"
)

var passwords = map[string]string{"anna": "la-password-di-anna", "bruno": "la-password-di-bruno"}

func operators(t *testing.T) web.Operators {
	t.Helper()
	hashes := map[string]string{}
	for name, pw := range passwords {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
		if err != nil {
			t.Fatal(err)
		}
		hashes[name] = string(h)
	}
	ops, err := web.NewOperators(hashes)
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

// logIn logs in with a name (empty: the shared code) and a secret and returns the client, its
// CSRF token and the status of the login.
func logIn(t *testing.T, base, name, secret string) (*http.Client, string, int) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirect}
	resp, err := c.PostForm(base+"/accesso", url.Values{"operatore": {name}, "token": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return c, "", resp.StatusCode
	}
	_, page := get(t, c, base+"/casi/VG-AAAA-11")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the case page:\n%s", page)
	}
	return c, m[1], resp.StatusCode
}

// TestOperatorsNamedInTheAuditTrail: each operator logs in with a password of their own, and the
// case page and the audit trail say who routed, closed and reopened; the shared code still works.
func TestOperatorsNamedInTheAuditTrail(t *testing.T) {
	var log strings.Builder
	var mu sync.Mutex
	srv, st, _, _ := newServerWith(t, func() time.Time { return now }, func(c *web.Config) {
		c.Operators = operators(t)
		c.Log = writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return log.Write(p) })
	})
	anna, annaCSRF, status := logIn(t, srv.URL, "anna", passwords["anna"])
	if status != http.StatusSeeOther {
		t.Fatalf("anna's login: got %d, want 303", status)
	}
	bruno, brunoCSRF, _ := logIn(t, srv.URL, "bruno", passwords["bruno"])
	shared, sharedCSRF, status := logIn(t, srv.URL, "", token)
	if status != http.StatusSeeOther {
		t.Fatalf("the shared code beside the operators: got %d, want 303", status)
	}
	for _, tc := range []struct {
		who          string
		c            *http.Client
		csrf, action string
		form         url.Values
	}{
		{"anna", anna, annaCSRF, "inoltra", url.Values{"associazione": {"croce-azzurra-oltrepo"}}},
		{"bruno", bruno, brunoCSRF, "chiudi", url.Values{"esito": {"resolved"}}},
		{"anna", anna, annaCSRF, "riapri", url.Values{}},
		{"operatrice", shared, sharedCSRF, "chiudi", url.Values{"esito": {"duplicate"}}},
	} {
		tc.form.Set("csrf", tc.csrf)
		resp, err := tc.c.PostForm(srv.URL+"/casi/VG-AAAA-11/"+tc.action, tc.form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s %s: got %d, want 303", tc.who, tc.action, resp.StatusCode)
		}
	}
	history, err := st.History("VG-AAAA-11")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range history {
		got = append(got, e.Actor+" "+e.Action)
	}
	want := "test received, anna routed, bruno closed, anna reopened, operatrice closed"
	if strings.Join(got, ", ") != want {
		t.Errorf("audit trail: got %q, want %q", strings.Join(got, ", "), want)
	}
	_, page := get(t, bruno, srv.URL+"/casi/VG-AAAA-11")
	for _, line := range []string{"Operatore: bruno", "anna: inoltrata", "bruno: chiusa", "anna: riaperta", "operatrice: chiusa"} {
		if !strings.Contains(page, line) {
			t.Errorf("the case page lacks %q:\n%s", line, page)
		}
	}

	for _, wrong := range [][2]string{{"anna", passwords["bruno"]}, {"carla", passwords["anna"]}, {"anna", token}, {"", passwords["anna"]}} {
		if _, _, status := logIn(t, srv.URL, wrong[0], wrong[1]); status != http.StatusUnauthorized {
			t.Errorf("login as %q with another's secret: got %d, want 401", wrong[0], status)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(log.String(), `failed login as "carla" from 127.0.0.1`) || strings.Contains(log.String(), passwords["anna"]) {
		t.Errorf("the failed logins' log: got\n%s\nwant the name and the address, never the secret", log.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestFailedLoginsPerOperator: guessing one operator's password from many addresses makes that
// operator's logins wait, while the others still get in from the same addresses.
func TestFailedLoginsPerOperator(t *testing.T) {
	clock := now
	_, _, _, h := newServerWith(t, func() time.Time { return clock }, func(c *web.Config) { c.Operators = operators(t) })
	try := func(addr, name, secret string) int {
		r := httptest.NewRequest(http.MethodPost, "/accesso", strings.NewReader(url.Values{"operatore": {name}, "token": {secret}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	for i := range 5 {
		if got := try(fmt.Sprintf("192.0.2.%d:1234", i), "anna", "tentativo"); got != http.StatusUnauthorized {
			t.Fatalf("wrong password %d for anna: got %d, want 401", i, got)
		}
	}
	if got := try("198.51.100.1:1234", "anna", passwords["anna"]); got != http.StatusTooManyRequests {
		t.Errorf("anna's right password from a new address after 5 failures from 5: got %d, want 429", got)
	}
	if got := try("192.0.2.1:1234", "bruno", passwords["bruno"]); got != http.StatusSeeOther {
		t.Errorf("bruno from one of those addresses: got %d, want 303", got)
	}
	clock = clock.Add(2 * time.Second)
	if got := try("198.51.100.1:1234", "anna", passwords["anna"]); got != http.StatusSeeOther {
		t.Errorf("anna after the delay: got %d, want 303", got)
	}
}

// TestSessionExpiresWhenIdle: a session lasts while it is used, and ends after the idle time.
func TestSessionExpiresWhenIdle(t *testing.T) {
	clock := now
	srv, _, _, _ := newServerWith(t, func() time.Time { return clock }, func(c *web.Config) { c.Idle = 30 * time.Minute })
	c, _, _ := logIn(t, srv.URL, "", token)
	for i, step := range []struct {
		after time.Duration
		want  int
	}{{29 * time.Minute, http.StatusOK}, {29 * time.Minute, http.StatusOK}, {31 * time.Minute, http.StatusSeeOther}, {0, http.StatusSeeOther}} {
		clock = clock.Add(step.after)
		resp, _ := get(t, c, srv.URL+"/")
		if resp.StatusCode != step.want {
			t.Errorf("step %d, %v later: got %d, want %d", i, step.after, resp.StatusCode, step.want)
		}
	}
}

func TestNoWayIn(t *testing.T) {
	if _, err := web.NewServer(nil, web.Config{}); err == nil {
		t.Error("NewServer without a shared secret or operators: no error")
	}
	for _, hashes := range []map[string]string{{"anna": "$2a$10$nonvalido"}, {"anna\x1b[2J": "$2a$10$WjZo1g/BGkeFrb0V9.GwWOW6VQ/HXs7IyWMmVsXpbWZ7WMftnWWqe"}} {
		if _, err := web.NewOperators(hashes); err == nil {
			t.Errorf("NewOperators(%q): no error", hashes)
		}
	}
}
