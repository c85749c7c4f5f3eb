package main

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/intake/status/s3board"
	"github.com/shaps-portal/shaps/intake/status/s3board/s3test"
)

// personal is what the status board must never hold of the test's requests.
var personal = []string{private.Message, private.Name, private.Email, private.Phone, private.Area, "Giulia", "giulia.bianchi", "7654321", "84 anni"}

// boardOf opens the board the admin command writes, as the status page reads it.
func boardOf(t *testing.T, e *env) status.Board {
	t.Helper()
	cfg, err := setup.Load(func(k string) string { return e.vars[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := setup.OpenStatus(context.Background(), cfg, setup.SecretLocal)
	if err != nil {
		t.Fatal(err)
	}
	return st.Board
}

func stepsOf(t *testing.T, b status.Board, code string) string {
	t.Helper()
	r, err := b.Get(context.Background(), code)
	if err != nil {
		t.Fatalf("status of %s: %v", code, err)
	}
	var steps []string
	for _, s := range r.Steps {
		steps = append(steps, s.Step)
	}
	return strings.Join(steps, ">")
}

// statusFlow takes a request from the queue to its purge and checks the board at each step;
// rawBoard returns every byte the board holds.
func statusFlow(t *testing.T, e *env, rawBoard func() []byte) {
	b := boardOf(t, e)
	code := e.submit(private)
	e.admin("pull")
	if got := stepsOf(t, b, code); got != "ricevuta>letta" {
		t.Errorf("after pull: got %s, want ricevuta>letta", got)
	}
	e.admin("route", code, "-to", "filo-d-argento-iriense", "-note", "La signora Giulia preferisce il mattino")
	if got := stepsOf(t, b, code); got != "ricevuta>letta>inoltrata" {
		t.Errorf("after route: got %s, want ricevuta>letta>inoltrata", got)
	}
	e.admin("close", code, "-outcome", "resolved", "-note", "richiamata Giulia", "-public-note", "Le visite iniziano lunedì.")
	r, err := b.Get(context.Background(), code)
	if err != nil || r.Status() != status.Closed || r.Outcome != "resolved" || r.Note != "Le visite iniziano lunedì." || len(r.Associations) != 1 {
		t.Errorf("after close: got %+v (%v), want chiusa, resolved, the public note and the association", r, err)
	}
	e.admin("reopen", code)
	if got := stepsOf(t, b, code); got != "ricevuta>letta>inoltrata" {
		t.Errorf("after reopen: got %s, want ricevuta>letta>inoltrata", got)
	}
	e.admin("close", code, "-outcome", "resolved")
	raw := rawBoard()
	if !bytes.Contains(raw, []byte(code)) {
		t.Fatalf("the board's bytes do not hold %s: the check below would prove nothing", code)
	}
	for _, p := range personal {
		if bytes.Contains(raw, []byte(p)) {
			t.Errorf("the status board holds %q", p)
		}
	}
	e.admin("purge", "-older-than", "0d")
	if _, err := b.Get(context.Background(), code); !errors.Is(err, status.ErrNotFound) {
		t.Errorf("after purge: got %v, want the status deleted", err)
	}
	if raw := rawBoard(); bytes.Contains(raw, []byte(code)) {
		t.Errorf("after purge the board still holds %s", code)
	}
}

func TestStatusBoardInAFolder(t *testing.T) {
	e := newEnv(t)
	dir := e.vars["SHAPS_STATUS_DIR"]
	statusFlow(t, e, func() []byte {
		var all []byte
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			fi, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, want 0600", filepath.Base(f), fi.Mode().Perm())
			}
			all = append(append(all, filepath.Base(f)...), mustRead(t, f)...)
		}
		return all
	})
}

func TestStatusBoardOnS3(t *testing.T) {
	srv := s3test.Start(t)
	e := newEnv(t)
	for k, v := range srv.Env() {
		e.vars[k] = v
	}
	e.vars["SHAPS_AWS_ACCESS_KEY_ID"], e.vars["SHAPS_AWS_SECRET_ACCESS_KEY"] = "test", "test"
	statusFlow(t, e, func() []byte {
		var all []byte
		for key, b := range srv.Objects(t) {
			if !strings.HasPrefix(key, s3board.Prefix) {
				t.Errorf("object %s: want it under %s", key, s3board.Prefix)
			}
			all = append(append(all, key...), b...)
		}
		return all
	})
}

// TestNoticeLinksTheStatusPage: the citizen's notice carries the link to the status page, whose
// key proves itself with the secret the portal signs with.
func TestNoticeLinksTheStatusPage(t *testing.T) {
	e := newEnv(t)
	code := e.submit(private)
	e.admin("pull")
	e.admin("route", code, "-to", "filo-d-argento-iriense")
	notices, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_OUTBOX"], "*-"+code+"-cittadino.eml"))
	if len(notices) != 1 {
		t.Fatalf("got notices %v, want one", notices)
	}
	notice := decoded(t, notices[0])
	m := regexp.MustCompile(`https://\S+/richieste/stato/\?codice=(\S+)&chiave=(\S+)`).FindStringSubmatch(notice)
	if m == nil {
		t.Fatalf("notice: want a link to the status page in\n%s", notice)
	}
	cfg, err := setup.Load(func(k string) string { return e.vars[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := setup.OpenStatus(context.Background(), cfg, setup.SecretLocal)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := url.QueryUnescape(m[1])
	if _, ok := st.Signer.Check(c, m[2]); !ok || c != code {
		t.Errorf("the notice's link %s: want %s with a key that proves itself", m[0], code)
	}
}
