package httpapi_test

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/httpapi"
	"github.com/shaps-portal/shaps/site/languages"
)

// withTexts is the site with the language files of testdata/i18n instead of its own: a few texts
// in Romanian and Arabic, so that the tests see texts in a language and Italian for the others,
// whatever the site's translations say.
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

func newLanguagesEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, 0, nil, withTexts{site: os.DirFS("../../site"), texts: os.DirFS("testdata")})
}

func getPage(t *testing.T, e *env, path string) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// switcherLink finds the language switcher's link to the language tagged tag.
func switcherLink(page, tag string) string {
	m := regexp.MustCompile(`<li><a href="([^"]*)" lang="` + regexp.QuoteMeta(tag) + `" hreflang="`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// TestPagesInTheirLanguage: each page of the intake at a language's address is in that
// language: the html element's lang and dir, the texts (Italian where the language's file lacks
// one), the links and forms, and the switcher, which leads to the same page in every other.
func TestPagesInTheirLanguage(t *testing.T) {
	e := newLanguagesEnv(t)
	for _, tc := range []struct {
		path, lang, dir string
		want            []string
		current         string // the switcher's link to the page's own language
		italian         string // the switcher's link to the page in Italian
	}{
		{"/richieste/stato/", "it", "ltr", []string{"<h1>Stato di una richiesta</h1>", `action="/richieste/stato/"`}, "/richieste/stato/", "/richieste/stato/"},
		{"/ro/richieste/stato/", "ro", "ltr", []string{"<h1>Stadiul unei cereri</h1>", `action="/ro/richieste/stato/"`, `>Salt la conținut</a>`}, "/ro/richieste/stato/", "/richieste/stato/"},
		{"/ro/richieste/stato", "ro", "ltr", []string{"<h1>Stadiul unei cereri</h1>"}, "/ro/richieste/stato/", "/richieste/stato/"},
		{"/ar/richieste/inviata/?codice=VG-7K4M-Q2", "ar", "rtl", []string{"<h1>تم استلام الطلب</h1>", `<p class="code" dir="ltr"><strong>VG-7K4M-Q2</strong>`, `<a href="/ar/">`}, "/ar/richieste/inviata/?codice=VG-7K4M-Q2", "/richieste/inviata/?codice=VG-7K4M-Q2"},
		{"/en/cerca/?q=spesa", "en", "ltr", []string{`action="/en/cerca/"`}, "/en/cerca/?q=spesa", "/cerca/?q=spesa"},
		{"/uk/cerca/", "uk", "ltr", []string{"<h1>Cerca nel portale</h1>"}, "/uk/cerca/", "/cerca/"},
		{"/zh-hans/richieste/?categoria=compagnia-assistenza", "zh-Hans", "ltr", []string{`<input type="hidden" name="lang" value="zh-hans">`, `href="/zh-hans/privacy/"`},
			"/zh-hans/richieste/?categoria=compagnia-assistenza", "/richieste/?categoria=compagnia-assistenza"},
		{"/sq/richieste/?servizio=%3Cscript%3E", "sq", "ltr", []string{`<input type="hidden" name="lang" value="sq">`}, "/sq/richieste/?servizio=%3Cscript%3E", "/richieste/?servizio=%3Cscript%3E"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, page := getPage(t, e, tc.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got %d, want 200", resp.StatusCode)
			}
			if want := `<html lang="` + tc.lang + `" dir="` + tc.dir + `">`; !strings.Contains(page, want) {
				t.Errorf("got no %s in\n%.300s", want, page)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("got no %s in the page", w)
				}
			}
			if got := switcherLink(page, tc.lang); got != tc.current {
				t.Errorf("switcher, own language: got %q, want %q", got, tc.current)
			}
			if got := switcherLink(page, "it"); got != tc.italian {
				t.Errorf("switcher, Italian: got %q, want %q", got, tc.italian)
			}
			if strings.Contains(page, "<script>") {
				t.Errorf("the address's text came out unescaped")
			}
		})
	}
}

// TestFormAnswersInItsLanguage: a form sent from a page in a language comes back with its
// errors in that language, keeps it for the correction, and its thanks page is in it too; the
// request records it. A language the portal does not have is Italian.
func TestFormAnswersInItsLanguage(t *testing.T) {
	e := newLanguagesEnv(t)
	for _, tc := range []struct {
		lang, htmlLang, dir, wantError, wantThanks string
	}{
		{"ro", "ro", "ltr", "Mesajul este prea scurt; scrieți cel puțin 10 caractere.", "/ro/richieste/inviata/?codice="},
		{"ar", "ar", "rtl", "الرسالة قصيرة جدًا؛ يُرجى كتابة 10 أحرف على الأقل.", "/ar/richieste/inviata/?codice="},
		{"en", "en", "ltr", "Il messaggio è troppo breve", "/en/richieste/inviata/?codice="},
		{"it", "it", "ltr", "Il messaggio è troppo breve", "/richieste/inviata/?codice="},
		{"", "it", "ltr", "Il messaggio è troppo breve", "/richieste/inviata/?codice="},
		{"fr", "it", "ltr", "Il messaggio è troppo breve", "/richieste/inviata/?codice="},
		{`"><script>`, "it", "ltr", "Il messaggio è troppo breve", "/richieste/inviata/?codice="},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			bad := goodForm()
			bad.Set("message", "aiuto")
			bad.Set("lang", tc.lang)
			resp, page := post(t, e.srv, form, bad.Encode())
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("short message: got %d, want 400", resp.StatusCode)
			}
			for _, want := range []string{`<html lang="` + tc.htmlLang + `" dir="` + tc.dir + `">`, tc.wantError} {
				if !strings.Contains(page, want) {
					t.Errorf("form with errors: got no %s in it", want)
				}
			}
			if strings.Contains(page, "<script>") {
				t.Errorf("the form's lang came out unescaped")
			}
			good := goodForm()
			good.Set("lang", tc.lang)
			good.Set("message", "Mia madre vive sola e avrebbe bisogno di compagnia, "+tc.lang)
			resp, _ = post(t, e.srv, form, good.Encode())
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, tc.wantThanks) {
				t.Errorf("good form: got %d to %q, want 303 to %s…", resp.StatusCode, loc, tc.wantThanks)
			}
		})
	}
	// What reached the queue.
	langs := map[string]int{}
	for _, name := range e.q.stored(t) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var env struct {
			Lang string `json:"lang"`
		}
		if err := json.Unmarshal(b, &env); err != nil {
			t.Fatal(err)
		}
		langs[env.Lang]++
	}
	if want := map[string]int{"ro": 1, "ar": 1, "en": 1, "it": 4}; !equalCounts(langs, want) {
		t.Errorf("languages on the queue: got %v, want %v", langs, want)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestJSONAnswersInItsLanguage: a request sent as JSON with its page's language gets its errors
// in it, and is stored with it.
func TestJSONAnswersInItsLanguage(t *testing.T) {
	e := newLanguagesEnv(t)
	resp, body := post(t, e.srv, "application/json", `{"kind":"richiesta","category":"compagnia-assistenza","message":"aiuto","privacy":true,"lang":"ro"}`)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Mesajul este prea scurt") {
		t.Errorf("JSON in ro with a short message: got %d %s, want 400 with the Romanian error", resp.StatusCode, body)
	}
	resp, body = post(t, e.srv, "application/json", `{"kind":"richiesta","category":"compagnia-assistenza","message":"Avem nevoie de ajutor la cumpărături.","privacy":true,"lang":"ro"}`)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("JSON in ro: got %d %s, want 202", resp.StatusCode, body)
	}
	names := e.q.stored(t)
	if len(names) != 1 {
		t.Fatalf("got %d stored, want 1", len(names))
	}
	b, _ := os.ReadFile(names[0])
	if !strings.Contains(string(b), `"lang":"ro"`) {
		t.Errorf("stored: got %s, want lang ro", b)
	}
}

// TestThanksLinksTheStatusInItsLanguage: the thanks page of a request sent in a language links
// its status page in that language, and its switcher keeps the code and the key.
func TestThanksLinksTheStatusInItsLanguage(t *testing.T) {
	e := newLanguagesEnv(t)
	key := e.signer.Key("VG-7K4M-Q2", now.Add(-time.Hour))
	_, page := getPage(t, e, "/ro/richieste/inviata/?codice=VG-7K4M-Q2&chiave="+url.QueryEscape(key))
	if want := `href="/ro/richieste/stato/?codice=VG-7K4M-Q2&amp;chiave=` + url.QueryEscape(key) + `"`; !strings.Contains(page, want) {
		t.Errorf("got no %s in the thanks page", want)
	}
	if got, want := switcherLink(page, "uk"), "/uk/richieste/inviata/?chiave="+url.QueryEscape(key)+"&codice=VG-7K4M-Q2"; got != want {
		t.Errorf("switcher to uk: got %q, want %q", got, want)
	}
}

// TestLoadLanguage: a language's texts are its file's, and Italian's for the keys it lacks.
func TestLoadLanguage(t *testing.T) {
	site := withTexts{site: os.DirFS("../../site"), texts: os.DirFS("testdata")}
	it, err := httpapi.LoadMessages(site)
	if err != nil {
		t.Fatal(err)
	}
	ro, err := httpapi.LoadLanguage(site, "ro", it)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"thanks_title": "Cerere primită", "nav_request": it["nav_request"]} {
		if got := ro.T(key); got != want || want == "" {
			t.Errorf("ro %s: got %q, want %q", key, got, want)
		}
	}
	if it.T("thanks_title") != "Richiesta ricevuta" {
		t.Errorf("the Italian texts changed: thanks_title is %q", it.T("thanks_title"))
	}
	for _, code := range []string{"xx", "../i18n/it", ""} {
		if _, err := httpapi.LoadLanguage(site, code, it); err == nil {
			t.Errorf("LoadLanguage(%q): got no error", code)
		}
	}
}

// TestLanguagesAtOnce: the first pages in several languages, written at once, each get their own
// language's texts (run with -race).
func TestLanguagesAtOnce(t *testing.T) {
	e := newLanguagesEnv(t)
	paths := map[string]string{"/ro/richieste/stato/": "Stadiul unei cereri", "/richieste/stato/": "Stato di una richiesta",
		"/ar/richieste/inviata/": "تم استلام الطلب", "/en/richieste/stato/": "Stato di una richiesta"}
	done := make(chan string)
	for i := 0; i < 4; i++ {
		for path, want := range paths {
			go func() {
				resp, err := http.Get(e.srv.URL + path)
				if err != nil {
					done <- err.Error()
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !strings.Contains(string(b), want) {
					done <- path + ": no " + want
					return
				}
				done <- ""
			}()
		}
	}
	for i := 0; i < 4*len(paths); i++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}

// TestSearchInItsLanguage: the search page of a language shows what it finds with the titles and
// summaries of that language, a program's translation marked as such, the Italian original
// marked with its own language, and links to the pages in that language.
func TestSearchInItsLanguage(t *testing.T) {
	e := newLanguagesEnv(t)
	_, page := getPage(t, e, "/ro/cerca/?q=pachet+alimentar")
	for _, want := range []string{`<a href="/ro/servizi/banco-solidale-iriense/pacco-alimentare/">Pachet alimentar</a>`,
		"Un pachet cu alimente la fiecare două săptămâni", `<p class="text-notice">`} {
		if !strings.Contains(page, want) {
			t.Errorf("/ro/cerca/: got no %s", want)
		}
	}
	_, page = getPage(t, e, "/cerca/?q=pacco+alimentare")
	if want := `<a href="/servizi/banco-solidale-iriense/pacco-alimentare/">Pacco alimentare</a>`; !strings.Contains(page, want) || strings.Contains(page, `class="text-notice"`) {
		t.Errorf("/cerca/: got no %s, or a translation's mark", want)
	}
	_, page = getPage(t, e, "/en/cerca/?q=centro+di+ascolto")
	if want := `<a href="/en/servizi/ascolto-e-presenza/centro-ascolto/" lang="it">`; !strings.Contains(page, want) {
		t.Errorf("/en/cerca/, a service with no English: got no %s", want)
	}
	_, page = getPage(t, e, "/uk/cerca/?q=pacco+alimentare")
	if !regexp.MustCompile(`<a href="/uk/servizi/banco-solidale-iriense/pacco-alimentare/"( lang="it")?>[^<]+</a>`).MatchString(page) {
		t.Errorf("/uk/cerca/: got no link to the Ukrainian page in\n%s", page)
	}
}

// TestAnswerPagesHaveNoSwitcher: an association's answer page is in Italian only: no switcher
// leads to pages that do not exist.
func TestAnswerPagesHaveNoSwitcher(t *testing.T) {
	e := newLanguagesEnv(t)
	_, page := getPage(t, e, "/richieste/risposta/?codice=VG-7K4M-Q2&associazione=x&azione=risolta&scade=1&firma=x")
	if !strings.Contains(page, `<html lang="it"`) || strings.Contains(page, `<ul class="languages">`) {
		t.Errorf("answer page: got a switcher or another language in\n%.600s", page)
	}
	_, page = getPage(t, e, "/richieste/stato/")
	if !strings.Contains(page, `<ul class="languages">`) {
		t.Errorf("status page: got no switcher")
	}
}

// TestEveryLanguageReads: the intake reads every language's texts from the site: a file it could
// not read would leave that language's pages in Italian.
func TestEveryLanguageReads(t *testing.T) {
	site := os.DirFS("../../site")
	it, err := httpapi.LoadMessages(site)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range languages.All() {
		if l.Code == languages.Default {
			continue
		}
		m, err := httpapi.LoadLanguage(site, l.Code, it)
		if err != nil {
			t.Errorf("%s: %v", l.Code, err)
			continue
		}
		if m.T("thanks_title") == it.T("thanks_title") {
			t.Errorf("%s: thanks_title is the Italian %q, want the language's own", l.Code, it.T("thanks_title"))
		}
	}
}
