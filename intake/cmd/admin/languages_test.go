package main

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/setup"
)

// withTexts is the site with the language files of texts instead of its own.
type withTexts struct{ site, texts fs.FS }

func (w withTexts) Open(name string) (fs.File, error) {
	if f, err := w.texts.Open(name); err == nil {
		return f, nil
	}
	if strings.HasPrefix(name, "i18n/") && name != "i18n/it.yaml" {
		return nil, fs.ErrNotExist // the site's own translations are not the tests' to read
	}
	return w.site.Open(name)
}

// TestARequestInRomanian follows a request written on the portal's Romanian pages: the form and
// its errors in Romanian, the thanks page in Romanian, the request through the spool into a case
// in ro, the office seeing ro, the citizen's notice in Romanian with the link to the Romanian
// status page, and that page.
func TestARequestInRomanian(t *testing.T) {
	e := newEnv(t)
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
	site := withTexts{site: os.DirFS("../../../site"), texts: os.DirFS("../../httpapi/testdata")}
	h, err := setup.Handler(cfg, q, st, os.DirFS("../../../data"), site, func() time.Time { return e.clock }, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	fetch := func(method, path string, form url.Values) (*http.Response, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, srv.URL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	romanian := func(what, page string, want ...string) {
		t.Helper()
		for _, w := range append([]string{`<html lang="ro" dir="ltr">`}, want...) {
			if !strings.Contains(page, w) {
				t.Errorf("%s: got no %s in\n%.400s", what, w, page)
			}
		}
	}

	resp, page := fetch("GET", "/ro/richieste/?categoria=compagnia-assistenza", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the form in ro: got %d", resp.StatusCode)
	}
	romanian("the form", page, `<input type="hidden" name="lang" value="ro">`)

	v := url.Values{"kind": {"richiesta"}, "category": {"compagnia-assistenza"}, "message": {"ajutor"}, "name": {"Ștefan Țăranu"},
		"email": {"stefan@example.org"}, "privacy": {"true"}, "lang": {"ro"}, "started_at": {e.clock.Add(-5 * time.Minute).Format(time.RFC3339)}}
	resp, page = fetch("POST", "/api/requests", v)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a short message: got %d, want 400", resp.StatusCode)
	}
	romanian("the form with its errors", page, "Mesajul este prea scurt", `value="Ștefan Țăranu"`, `<input type="hidden" name="lang" value="ro">`)

	v.Set("message", "Mama mea locuiește singură și ar avea nevoie de companie câteva ore pe săptămână.")
	resp, _ = fetch("POST", "/api/requests", v)
	thanks := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(thanks, "/ro/richieste/inviata/?codice=") {
		t.Fatalf("the corrected form: got %d to %q, want 303 to the Romanian thanks page", resp.StatusCode, thanks)
	}
	_, page = fetch("GET", thanks, nil)
	romanian("the thanks page", page, "<h1>Cerere primită</h1>", `href="/ro/richieste/stato/?codice=`)
	code := regexp.MustCompile(`codice=(VG-[A-Z0-9-]+)`).FindStringSubmatch(thanks)[1]

	if out := e.admin("pull"); !strings.Contains(out, "new cases 1") {
		t.Fatalf("pull: got %q, want the case", out)
	}
	if list := e.admin("list", "-lang", "ro"); countCases(list) != 1 || !strings.Contains(list, code) {
		t.Errorf("list -lang ro: got\n%s\nwant %s", list, code)
	}
	if show := e.admin("show", code); !strings.Contains(show, "\nlang: ro\n") || !strings.Contains(show, "Ștefan Țăranu") {
		t.Errorf("show: got\n%s\nwant lang: ro and the name as written", show)
	}
	var export strings.Builder
	if err := run(context.Background(), []string{"export"}, func(k string) string { return e.vars[k] }, nil, &export, io.Discard, func() time.Time { return e.clock }); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(export.String()), "\n"); len(lines) != 2 || !strings.HasSuffix(lines[0], ",lang") || !strings.HasSuffix(lines[1], ",ro") {
		t.Errorf("export: got\n%s\nwant a lang column with ro", export.String())
	}

	e.clock = e.clock.Add(time.Hour)
	e.admin("route", code, "-to", "filo-d-argento-iriense")
	notices, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_OUTBOX"], "*-"+code+"-cittadino.eml"))
	if len(notices) != 1 {
		t.Fatalf("got %d notices to the citizen, want 1", len(notices))
	}
	m, err := mail.ReadMessage(strings.NewReader(string(mustRead(t, notices[0]))))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if want := "[" + code + "] Cererea dumneavoastră a fost transmisă"; err != nil || subject != want {
		t.Errorf("the notice's subject: got %q, %v, want %q", subject, err, want)
	}
	body := decoded(t, notices[0])
	for _, want := range []string{"Bună ziua, Ștefan Țăranu,", "Cererea dumneavoastră cu codul " + code, "transmisă către: Filo d'Argento Iriense ODV"} {
		if !strings.Contains(body, want) {
			t.Errorf("the notice: got\n%s\nwant %q", body, want)
		}
	}
	link := regexp.MustCompile(`https?://\S+/ro/richieste/stato/\?\S+`).FindString(body)
	if link == "" {
		t.Fatalf("the notice: got\n%s\nwant the link to the Romanian status page", body)
	}
	status, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	resp, page = fetch("GET", status.Path+"?"+status.RawQuery, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the status page from the notice: got %d", resp.StatusCode)
	}
	romanian("the status page", page, code, `href="/ro/richieste/stato/"`)
}
