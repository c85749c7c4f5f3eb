package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/office"

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

// TestAnswerThroughTheLink: an association opens the link of its e-mail (nothing changes),
// confirms "Presa in carico", the office pulls, and the case and its status page show it; a
// link for another association is refused at the pull.
func TestAnswerThroughTheLink(t *testing.T) {
	e := newEnv(t)
	code := e.submit(private)
	e.admin("pull")
	e.admin("route", code, "-to", "filo-d-argento-iriense")
	forwards, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_OUTBOX"], "*-"+code+"-filo-d-argento-iriense.eml"))
	if len(forwards) != 1 {
		t.Fatalf("got e-mails %v, want the one to the association", forwards)
	}
	mailText := decoded(t, forwards[0])
	links := regexp.MustCompile(`https://\S+/richieste/risposta/\?\S+`).FindAllString(mailText, -1)
	if len(links) != 3 {
		t.Fatalf("the association's e-mail: got %d answer links, want 3\n%s", len(links), mailText)
	}
	taken, err := url.Parse(links[0])
	if err != nil || taken.Query().Get("azione") != status.AnswerTakenUp {
		t.Fatalf("first link %s: want Presa in carico", links[0])
	}

	cfg, err := setup.Load(func(k string) string { return e.vars[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := setup.OpenQueue(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := setup.OpenStatus(context.Background(), cfg, setup.SecretLocal)
	if err != nil {
		t.Fatal(err)
	}
	h, err := setup.Handler(cfg, q, st, os.DirFS("../../../data"), os.DirFS("../../../site"), func() time.Time { return e.clock }, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + taken.Path + "?" + taken.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if out := e.admin("pull"); resp.StatusCode != 200 || !strings.Contains(out, "received 0") {
		t.Fatalf("opening the link: got %d, and the pull %q; want the confirmation page and nothing queued", resp.StatusCode, out)
	}
	confirm := taken.Query()
	confirm.Set("nota", "Chiamiamo domani.")
	resp, err = http.PostForm(srv.URL+taken.Path, confirm)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	elsewhere := status.Answer{Code: code, Association: "la-rondine", Action: status.AnswerTakenUp, Expires: e.clock.Add(status.LinkLife)}
	resp, err = http.Get(office.AnswerURL(srv.URL, elsewhere, st.Signer))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = http.PostForm(srv.URL+taken.Path, url.Values{"codice": {code}, "associazione": {"la-rondine"}, "azione": {status.AnswerTakenUp},
		"scade": {fmt.Sprint(elsewhere.Expires.Unix())}, "firma": {st.Signer.SignAnswer(elsewhere)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	e.clock = e.clock.Add(24 * time.Hour)
	if out := e.admin("pull"); !strings.Contains(out, "answers recorded 1, refused 1") {
		t.Errorf("pull of the answers: got %q, want one recorded and the other association's refused", out)
	}
	told, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_OUTBOX"], "*-"+code+"-cittadino-presa-in-carico.eml"))
	if len(told) != 1 || !strings.Contains(decoded(t, told[0]), "presa in carico da: Filo d'Argento Iriense ODV") {
		t.Errorf("the citizen's notice of the taking in charge: got %v, want one naming the association", told)
	}
	if out := e.admin("show", code); !strings.Contains(out, "by filo-d-argento-iriense: presa-in-carico Chiamiamo domani.") {
		t.Errorf("show: got\n%s\nwant the association's answer with its note", out)
	}
	if got := stepsOf(t, st.Board, code); got != "ricevuta>letta>inoltrata>presa-in-carico" {
		t.Errorf("status after the answer: got %s, want ricevuta>letta>inoltrata>presa-in-carico", got)
	}
	resp, err = http.Get(srv.URL + taken.Path + "?" + taken.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("the link used again after the pull: got %d, want 409", resp.StatusCode)
	}

	e.admin("close", code, "-outcome", "resolved")
	e.admin("purge", "-older-than", "0d")
	if left, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_OUTBOX"], "*-"+code+"-*.eml")); len(left) != 0 {
		t.Errorf("after the purge the outbox still holds %v", left)
	}
	if out := e.admin("show", code); strings.Contains(out, "Chiamiamo domani") {
		t.Errorf("after the purge show still gives the association's note:\n%s", out)
	}
}

// TestOverdueAndRemind: a routed case no association took in charge is overdue after
// portal.yaml's response_days working days, and remind sends the association its links again.
func TestOverdueAndRemind(t *testing.T) {
	e := newEnv(t) // Wednesday 25 November 2026
	code := e.submit(private)
	e.admin("pull")
	e.admin("route", code, "-to", "filo-d-argento-iriense")
	if out := e.admin("list", "-overdue"); strings.Contains(out, code) {
		t.Errorf("list -overdue on the day of routing: got\n%s\nwant it empty", out)
	}
	e.clock = e.clock.AddDate(0, 0, 5) // Monday: Thursday, Friday and Monday have passed
	if out := e.admin("list", "-overdue"); !strings.Contains(out, code) {
		t.Errorf("list -overdue after three working days: got\n%s\nwant %s", out, code)
	}
	before, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_OUTBOX"], "*-"+code+"-filo-d-argento-iriense.eml"))
	if out := e.admin("remind", code); !strings.Contains(out, "sent its links again") {
		t.Errorf("remind: got %q", out)
	}
	after, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_OUTBOX"], "*-"+code+"-filo-d-argento-iriense.eml"))
	if len(after) != len(before)+1 || !strings.Contains(decoded(t, after[len(after)-1]), "/richieste/risposta/") {
		t.Errorf("remind: e-mails to the association %d then %d, want one more with its links", len(before), len(after))
	}
}
