package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func TestOperatorAdd(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		stdin   string
		wantErr string
	}{
		{[]string{"operator", "add", "anna.rossi"}, "una-password-lunga\n", ""},
		{[]string{"operator", "add", "anna.rossi"}, "corta\n", "the password has 5 characters, want at least 12"},
		{[]string{"operator", "add", "anna\x1b[2J"}, "una-password-lunga\n", "operator name"},
		{[]string{"operator", "add"}, "", "usage: admin operator add NAME"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), tc.args, func(string) string { return "" }, strings.NewReader(tc.stdin), &out, &errb, time.Now)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("admin %q: got error %v, want %q", tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^anna\.rossi:(\$2a\$12\$\S+)$`).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("operator add printed\n%s\nwant a line anna.rossi:<bcrypt hash>", out.String())
		}
		if bcrypt.CompareHashAndPassword([]byte(m[1]), []byte("una-password-lunga")) != nil {
			t.Errorf("the hash printed does not match the password given")
		}
		if strings.Contains(out.String()+errb.String(), "una-password-lunga") {
			t.Errorf("the password was printed")
		}
		if !strings.Contains(out.String(), "admin_operators:\n  \"anna.rossi\": \""+m[1]+"\"") {
			t.Errorf("operator add printed\n%s\nwant the config file's form too", out.String())
		}
	}
}

// TestCommandLineNamesTheOperator: -as, else SHAPS_OPERATOR, else SHAPS_ADMIN, names who acts.
func TestCommandLineNamesTheOperator(t *testing.T) {
	e := newEnv(t)
	code := e.submit(shared)
	e.admin("pull")
	e.vars["SHAPS_OPERATOR"] = "bruno"
	e.admin("route", code, "-to", "croce-azzurra-oltrepo", "-as", "anna")
	e.admin("route", code, "-to", "la-rondine")
	delete(e.vars, "SHAPS_OPERATOR")
	e.admin("close", code, "-outcome", "resolved")
	show := e.admin("show", code)
	for _, want := range []string{"by anna to croce-azzurra-oltrepo", "by bruno to la-rondine"} {
		if !strings.Contains(show, want) {
			t.Errorf("show: got\n%s\nwant %q", show, want)
		}
	}
	e.vars["SHAPS_ADMIN_OPERATORS"] = "anna:$2a$10$WjZo1g/BGkeFrb0V9.GwWOW6VQ/HXs7IyWMmVsXpbWZ7WMftnWWqe"
	if err, _, _ := e.adminErr("reopen", code, "-as", "ana"); err == nil || !strings.Contains(err.Error(), `"ana": not one of the operators (anna)`) {
		t.Errorf("-as with a name that is no operator's: got %v, want it refused", err)
	}
	e.admin("reopen", code, "-as", "anna")
	b, err := os.ReadFile(e.vars["SHAPS_CASES"])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"actor":"anna","action":"routed"`, `"actor":"bruno","action":"routed"`, `"actor":"operatrice","action":"closed"`, `"actor":"anna","action":"reopened"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the audit trail lacks %s", want)
		}
	}
}

// TestServeWithOperators: operators from the config file log in to serve with their own
// passwords; without a shared secret there is no access code.
func TestServeWithOperators(t *testing.T) {
	e := newEnv(t)
	hash, err := bcrypt.GenerateFromPassword([]byte("la-password-di-anna"), bcrypt.DefaultCost)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "admin.yaml")
	if err := os.WriteFile(file, []byte("admin_operators:\n  anna: \""+string(hash)+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.vars["SHAPS_CONFIG"] = file
	code := e.submit(report)
	e.admin("pull")
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-pull-every", "0"}, func(k string) string { return e.vars[k] }, nil, &out, &out, func() time.Time { return e.clock })
	}()
	defer func() { cancel(); <-errc }()
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := regexp.MustCompile(`administration at (\S+) — log in with an operator's name and password\n`).FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start as expected:\n%s", out.String())
		}
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		name, secret string
		want         int
	}{{"", "qualsiasi-codice-lungo", http.StatusUnauthorized}, {"anna", "sbagliata", http.StatusUnauthorized}, {"anna", "la-password-di-anna", http.StatusSeeOther}} {
		resp, err := c.PostForm(base+"accesso", url.Values{"operatore": {tc.name}, "token": {tc.secret}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("login as %q: got %d, want %d", tc.name, resp.StatusCode, tc.want)
		}
	}
	resp, err := c.Get(base + "casi/" + code)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the case page after anna's login: got %d, want 200", resp.StatusCode)
	}
}
