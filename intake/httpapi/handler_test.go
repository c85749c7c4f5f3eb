package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/httpapi"
	"github.com/shaps-portal/shaps/intake/search"
	"github.com/shaps-portal/shaps/intake/spool"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/intake/status/folder"
	"github.com/shaps-portal/shaps/site/routes"
)

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// switchQueue stores in a spool, or fails when down.
type switchQueue struct {
	mu   sync.Mutex
	s    *spool.Spool
	down bool
}

func (q *switchQueue) Enqueue(ctx context.Context, m intake.Message) error {
	q.mu.Lock()
	down := q.down
	q.mu.Unlock()
	if down {
		return errors.New("queue unreachable")
	}
	return q.s.Enqueue(ctx, m)
}

func (q *switchQueue) stored(t testing.TB) []string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(q.s.Dir(), "new", "*.json"))
	return names
}

func newServer(t testing.TB, rate int) (*httptest.Server, *switchQueue) {
	t.Helper()
	e := newEnv(t, rate, nil)
	return e.srv, e.q
}

// testSecret signs the keys in these tests.
const testSecret = "a test secret of at least 32 bytes"

// env is the intake served on 127.0.0.1 with its queue, its status board and its signer.
type env struct {
	srv    *httptest.Server
	q      *switchQueue
	board  *countingBoard
	signer *status.Signer
}

// countingBoard is a folder board that counts its reads.
type countingBoard struct {
	*folder.Board
	mu    sync.Mutex
	reads int
}

func (b *countingBoard) Get(ctx context.Context, code string) (status.Record, error) {
	b.mu.Lock()
	b.reads++
	b.mu.Unlock()
	return b.Board.Get(ctx, code)
}

func (b *countingBoard) Reads() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.reads
}

func newEnv(t testing.TB, rate int, log *slog.Logger) *env {
	t.Helper()
	return newEnvOn(t, rate, log, os.DirFS("../../site"))
}

// newEnvOn is newEnv with the site in siteFS.
func newEnvOn(t testing.TB, rate int, log *slog.Logger, siteFS fs.FS) *env {
	t.Helper()
	fb, err := folder.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	signer, err := status.NewSigner([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	sp, err := spool.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	q := &switchQueue{s: sp}
	catalog, err := intake.LoadCatalog(os.DirFS("../../data"), now)
	if err != nil {
		t.Fatal(err)
	}
	pages := httpapi.NewPages(catalog, siteFS)
	if err := pages.Check(); err != nil {
		t.Fatal(err)
	}
	in := &intake.Intake{Queue: q, Directory: catalog, CodePrefix: "VG", Now: func() time.Time { return now }}
	index := search.New(catalog.Data, now)
	board := &countingBoard{Board: fb}
	h := httpapi.New(in, pages, httpapi.Options{AllowedOrigins: []string{"https://portale.example"}, RateLimit: rate, Now: func() time.Time { return now },
		Search: index, Calendar: catalog.Data, Status: board, Signer: signer, Log: log})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{srv: srv, q: q, board: board, signer: signer}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func post(t *testing.T, srv *httptest.Server, ctype, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/requests", strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

const form = "application/x-www-form-urlencoded"

func goodForm() url.Values {
	return url.Values{"kind": {"richiesta"}, "category": {"compagnia-assistenza"}, "message": {"Mia madre vive sola e avrebbe bisogno di compagnia."},
		"email": {"figlia@example.org"}, "privacy": {"true"}, "started_at": {now.Add(-2 * time.Minute).Format(time.RFC3339)}}
}

func TestStatuses(t *testing.T) {
	big := goodForm()
	big.Set("message", strings.Repeat("a", httpapi.MaxBody))
	tests := []struct {
		name       string
		method     string
		ctype      string
		body       string
		headers    []string
		wantStatus int
		wantStored int
		wantBody   string
	}{
		{"form accepted", "POST", form, goodForm().Encode(), nil, 303, 1, ""},
		{"form from the portal's page", "POST", form, goodForm().Encode(), []string{"Sec-Fetch-Site", "same-origin", "Origin", "https://anywhere.example"}, 303, 1, ""},
		{"form from an allowed origin", "POST", form, goodForm().Encode(), []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://portale.example"}, 303, 1, ""},
		{"JSON accepted", "POST", "application/json; charset=utf-8", `{"kind":"segnalazione","category":"salute","message":"Il marciapiede davanti all'ambulatorio è rotto.","contact_preference":"none","privacy":true}`, nil, 202, 1, `"code":"VG-`},
		{"GET refused", "GET", "", "", nil, 405, 0, ""},
		{"other content type", "POST", "text/plain", "ciao", nil, 415, 0, ""},
		{"multipart refused", "POST", "multipart/form-data; boundary=x", "--x--", nil, 415, 0, ""},
		{"too large", "POST", form, big.Encode(), nil, 413, 0, ""},
		{"cross-site post", "POST", form, goodForm().Encode(), []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, 403, 0, ""},
		{"foreign origin without fetch metadata", "POST", form, goodForm().Encode(), []string{"Origin", "https://evil.example"}, 403, 0, ""},
		{"malformed JSON", "POST", "application/json", `{"kind":`, nil, 400, 0, `"error"`},
		{"invalid JSON fields", "POST", "application/json", `{"category":"sport","message":"breve"}`, nil, 400, 0, `"errors":{`},
		{"honeypot", "POST", form, func() string { v := goodForm(); v.Set("website", "http://spam"); return v.Encode() }(), nil, 303, 0, ""},
		{"too fast for a person", "POST", form, func() string {
			v := goodForm()
			v.Set("started_at", now.Add(-time.Second).Format(time.RFC3339))
			return v.Encode()
		}(), nil, 303, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, q := newServer(t, 0)
			req, _ := http.NewRequest(tt.method, srv.URL+"/api/requests", strings.NewReader(tt.body))
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			for i := 0; i+1 < len(tt.headers); i += 2 {
				req.Header.Set(tt.headers[i], tt.headers[i+1])
			}
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("got status %d, want %d\n%s", resp.StatusCode, tt.wantStatus, b)
			}
			if n := len(q.stored(t)); n != tt.wantStored {
				t.Errorf("got %d stored, want %d", n, tt.wantStored)
			}
			if !strings.Contains(string(b), tt.wantBody) {
				t.Errorf("got body %s, want %q in it", b, tt.wantBody)
			}
			if resp.StatusCode == 303 && !strings.HasPrefix(resp.Header.Get("Location"), "/richieste/inviata/?codice=VG-") {
				t.Errorf("got Location %q, want the thanks page with the code", resp.Header.Get("Location"))
			}
			if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("got headers %v, want the security headers", resp.Header)
			}
			if resp.StatusCode == 405 && resp.Header.Get("Allow") != "POST" {
				t.Errorf("405: got Allow %q, want POST", resp.Header.Get("Allow"))
			}
		})
	}
}

// jsonASCII writes s as a JSON string in ASCII only, each other character as \u escapes: the
// longest way to write it.
func jsonASCII(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "\\u%04x", u)
	}
	b.WriteByte('"')
	return b.String()
}

// The longest valid request in any script is taken, as a form and as JSON: 4,000 characters of
// message and 200 of area and name, each character as long as the script makes it.
func TestLongestRequestInEveryScript(t *testing.T) {
	scripts := []struct{ name, letters string }{
		{"Italian", "àèéìòù perché è così "},
		{"Arabic", "مرحبا أحتاج إلى مساعدة "},
		{"Chinese", "我需要帮助请联系我谢谢"},
		{"four-byte characters", "𠀀𠀁𠀂😀👵🏽"},
	}
	repeat := func(letters string, n int) string {
		r := []rune(letters)
		out := make([]rune, n)
		for i := range out {
			out[i] = r[i%len(r)]
		}
		if out[0] == ' ' || out[n-1] == ' ' {
			out[0], out[n-1] = r[0], r[0]
		}
		return string(out)
	}
	email := strings.Repeat("n", 180) + "@example.org"
	for _, sc := range scripts {
		t.Run(sc.name, func(t *testing.T) {
			message, short := repeat(sc.letters, intake.MaxMessage), repeat(sc.letters, intake.MaxShort)
			srv, q := newServer(t, 0)
			v := goodForm()
			v.Set("message", message)
			v.Set("area", short)
			v.Set("name", short)
			v.Set("email", email)
			v.Set("phone", "+39 0383 123456")
			v.Set("idempotency_key", "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b")
			resp, body := post(t, srv, form, v.Encode())
			if resp.StatusCode != 303 {
				t.Fatalf("form of %d bytes: got %d, want 303\n%.300s", len(v.Encode()), resp.StatusCode, body)
			}
			js := fmt.Sprintf(`{"category":"compagnia-assistenza","message":%s,"area":%s,"name":%s,"email":%q,"privacy":true}`,
				jsonASCII(message), jsonASCII(short), jsonASCII(short), email)
			if resp, body := post(t, srv, "application/json", js); resp.StatusCode != 202 {
				t.Fatalf("JSON of %d bytes: got %d, want 202\n%.300s", len(js), resp.StatusCode, body)
			}
			names := q.stored(t)
			if len(names) != 2 {
				t.Fatalf("got %d stored, want 2", len(names))
			}
			for _, n := range names {
				b, _ := os.ReadFile(n)
				var env intake.Envelope
				if err := json.Unmarshal(b, &env); err != nil {
					t.Fatal(err)
				}
				if env.Message != message || env.Name != short {
					t.Errorf("stored message of %d characters, name of %d; want %d and %d as sent",
						len([]rune(env.Message)), len([]rune(env.Name)), len([]rune(message)), len([]rune(short)))
				}
			}
		})
	}
}

// A form over the cap is no valid request, but it is a person's text: it comes back in the form
// with what to shorten, never as a page that drops it.
func TestOverTheCapKeepsTheText(t *testing.T) {
	tests := []struct {
		name, message, wantError string
	}{
		{"a message over 4,000 characters", strings.Repeat("我需要帮助", 1200), "Il messaggio è troppo lungo; al massimo 4.000 caratteri."},
		{"over the cap in four-byte characters", strings.Repeat("😀", 6000), "Il messaggio è troppo lungo; al massimo 4.000 caratteri."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, q := newServer(t, 0)
			v := goodForm()
			v.Set("message", tt.message)
			v.Set("name", "Nicolò")
			resp, body := post(t, srv, form, v.Encode())
			if resp.StatusCode != 400 && resp.StatusCode != 413 {
				t.Fatalf("got %d, want 400 or 413", resp.StatusCode)
			}
			if !strings.Contains(body, ">"+tt.message+"</textarea>") {
				t.Errorf("got %d without the whole message in the form, want it there to be shortened", resp.StatusCode)
			}
			if !strings.Contains(body, `value="Nicolò"`) || !strings.Contains(body, tt.wantError) {
				t.Errorf("want the other fields kept and %q in the page", tt.wantError)
			}
			if n := len(q.stored(t)); n != 0 {
				t.Errorf("got %d stored, want none", n)
			}
		})
	}
	srv, _ := newServer(t, 0)
	v := goodForm()
	v.Set("message", strings.Repeat("a", intake.MaxMessage))
	v.Set("website", strings.Repeat("x", httpapi.MaxBody)) // the bulk in a field no person sees
	if resp, body := post(t, srv, form, v.Encode()); resp.StatusCode != 413 || !strings.Contains(body, "troppo lungo per essere inviato") {
		t.Errorf("bulk in a hidden field: got %d, want 413 with the reason", resp.StatusCode)
	}
	v.Set("website", strings.Repeat("x", httpapi.MaxFormEcho))
	if resp, _ := post(t, srv, form, v.Encode()); resp.StatusCode != 413 {
		t.Errorf("over MaxFormEcho: got %d, want 413", resp.StatusCode)
	}
}

func TestQueueDownKeepsWhatWasWritten(t *testing.T) {
	srv, q := newServer(t, 0)
	q.down = true
	v := goodForm()
	v.Set("message", `Scrivo <script>alert("x")</script> & aspetto`)
	resp, body := post(t, srv, form, v.Encode())
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("got %d with Retry-After %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "Scrivo &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; aspetto</textarea>") {
		t.Errorf("503 page: want the message back in the form, escaped; got\n%s", body)
	}
	if strings.Contains(body, "<script>alert") {
		t.Errorf("503 page: the citizen's text is not escaped")
	}
	resp, body = post(t, srv, "application/json", `{"category":"salute","message":"Abbiamo bisogno di aiuto.","contact_preference":"none","privacy":true}`)
	if resp.StatusCode != 503 || strings.Contains(body, `"code"`) {
		t.Errorf("JSON: got %d %s, want 503 and no code", resp.StatusCode, body)
	}
	if n := len(q.stored(t)); n != 0 {
		t.Errorf("got %d stored, want none", n)
	}
}

func TestFormErrorsPage(t *testing.T) {
	srv, _ := newServer(t, 0)
	v := url.Values{"kind": {"richiesta"}, "category": {""}, "message": {"aiuto"}, "email": {"mario@"}, "name": {`Mario "<b>"`}, "started_at": {now.Add(-time.Minute).Format(time.RFC3339)}}
	resp, body := post(t, srv, form, v.Encode())
	if resp.StatusCode != 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("got %d %s, want a 400 HTML page", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`<html lang="it" dir="ltr">`,
		`<div class="error-summary" role="alert" tabindex="-1" id="errori">`,
		`<a href="#f-category">Scegliete di che cosa si tratta.</a>`,
		`aria-describedby="h-message e-message" aria-invalid="true"`,
		`<span class="error" id="e-email">L&#39;indirizzo e-mail non sembra corretto`,
		`id="e-privacy"`,
		`value="Mario &#34;&lt;b&gt;&#34;"`,
		`>aiuto</textarea>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("error page: want %q in it", want)
		}
	}
}

// Control characters in a single-line field are refused with the field's message; in the
// message, all but lines and tabs are dropped before it is stored.
func TestControlCharacters(t *testing.T) {
	srv, q := newServer(t, 0)
	v := goodForm()
	v.Set("name", "Mario\x1b]0;PWNED\a\x1b[2J")
	v.Set("area", "Centro\r\nVG-7K4M-Q2 nuova")
	resp, body := post(t, srv, form, v.Encode())
	if resp.StatusCode != 400 {
		t.Fatalf("got %d, want 400", resp.StatusCode)
	}
	for _, id := range []string{"e-name", "e-area"} {
		if !strings.Contains(body, `id="`+id+`">Scrivete questo campo su una sola riga`) {
			t.Errorf("want the single-line message by the field (%s) in the page", id)
		}
	}
	if strings.Contains(body, "\x1b") {
		t.Errorf("the page echoes an escape character")
	}
	if n := len(q.stored(t)); n != 0 {
		t.Fatalf("got %d stored, want none", n)
	}

	resp, body = post(t, srv, "application/json", `{"category":"salute","name":"Mario\u001b[2J","message":"Serve aiuto.","contact_preference":"none","privacy":true}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"name":"Scrivete questo campo su una sola riga`) {
		t.Errorf("JSON: got %d %s, want 400 with the name's message", resp.StatusCode, body)
	}

	v = goodForm()
	v.Set("message", "Buongiorno,\r\n\tvorrei aiuto\x1b[2J\x1b]0;PWNED\a per la spesa.")
	if resp, body := post(t, srv, form, v.Encode()); resp.StatusCode != 303 {
		t.Fatalf("got %d, want 303\n%s", resp.StatusCode, body)
	}
	names := q.stored(t)
	if len(names) != 1 {
		t.Fatalf("got %d stored, want 1", len(names))
	}
	b, _ := os.ReadFile(names[0])
	var env intake.Envelope
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	if want := "Buongiorno,\n\tvorrei aiuto[2J]0;PWNED per la spesa."; env.Message != want {
		t.Errorf("stored message %q, want %q", env.Message, want)
	}
}

func TestRateLimit(t *testing.T) {
	srv, _ := newServer(t, 2)
	var statuses []int
	for range 3 {
		resp, _ := post(t, srv, "application/json", `{}`)
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After")
		}
	}
	if statuses[0] != 400 || statuses[1] != 400 || statuses[2] != 429 {
		t.Errorf("got %v, want 400, 400, 429 with a limit of 2 a minute", statuses)
	}
}

// The limit counts connections' addresses: a header a client sends, however it changes, is
// not an address.
func TestRateLimitIgnoresClientHeaders(t *testing.T) {
	srv, _ := newServer(t, 2)
	var statuses []int
	for i := range 3 {
		ip := fmt.Sprintf("198.51.100.%d", i+1)
		resp, _ := post(t, srv, "application/json", `{}`, "X-Nf-Client-Connection-Ip", ip, "X-Forwarded-For", ip, "X-Real-Ip", ip)
		statuses = append(statuses, resp.StatusCode)
	}
	if statuses[2] != 429 {
		t.Errorf("got %v rotating forwarding headers from one connection, want the third refused with 429", statuses)
	}
}

func TestIdempotentPosts(t *testing.T) {
	srv, q := newServer(t, 0)
	body := `{"category":"salute","message":"Cerco un passaggio per la dialisi.","phone":"+39 333 1234567","privacy":true,"idempotency_key":"3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"}`
	var codes []string
	for range 2 {
		resp, b := post(t, srv, "application/json", body)
		var got struct{ ID, Code string }
		_ = json.Unmarshal([]byte(b), &got)
		if resp.StatusCode != 202 {
			t.Fatalf("got %d %s, want 202", resp.StatusCode, b)
		}
		codes = append(codes, got.Code)
	}
	if codes[0] != codes[1] {
		t.Errorf("got codes %v, want the same code twice", codes)
	}
	if n := len(q.stored(t)); n != 1 {
		t.Errorf("got %d stored, want 1", n)
	}
}

// A citizen who goes back, corrects the message and sends the form again posts the same
// idempotency key: the correction is a new request with its own code, and both reach the spool.
func TestCorrectedFormIsNotDropped(t *testing.T) {
	srv, q := newServer(t, 0)
	v := goodForm()
	v.Set("idempotency_key", "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b")
	send := func(v url.Values) string {
		t.Helper()
		resp, body := post(t, srv, form, v.Encode())
		if resp.StatusCode != 303 {
			t.Fatalf("got %d, want 303\n%s", resp.StatusCode, body)
		}
		return resp.Header.Get("Location")
	}
	first := send(v)
	if again := send(v); again != first {
		t.Errorf("the same form twice: got %q then %q, want the same code", first, again)
	}
	v.Set("message", "Mia madre vive sola a Medassino e avrebbe bisogno di compagnia il pomeriggio.")
	corrected := send(v)
	if corrected == first {
		t.Errorf("corrected form: got the first code again (%q), want a new one", corrected)
	}
	names := q.stored(t)
	if len(names) != 2 {
		t.Fatalf("got %d stored, want 2 (the first and the correction)", len(names))
	}
	var found bool
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		var env intake.Envelope
		if err := json.Unmarshal(b, &env); err != nil {
			t.Fatal(err)
		}
		found = found || (env.Message == v.Get("message") && strings.Contains(corrected, "codice="+url.QueryEscape(env.Code)+"&"))
	}
	if !found {
		t.Errorf("want the corrected message stored under the code the thanks page shows (%s)", corrected)
	}
}

func TestThanksPage(t *testing.T) {
	srv, _ := newServer(t, 0)
	for query, want := range map[string]string{
		"?codice=VG-7K4M-Q2":                        "<strong>VG-7K4M-Q2</strong>",
		"?codice=%3Cscript%3Ealert(1)%3C/script%3E": "La vostra richiesta è stata ricevuta.",
	} {
		resp, err := http.Get(srv.URL + "/richieste/inviata/" + query)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) || strings.Contains(string(b), "<script>alert") {
			t.Errorf("thanks page %s: got %d, want %q in it and nothing unescaped", query, resp.StatusCode, want)
		}
	}
}

// FuzzSubmit sends arbitrary bodies and content types: the handler must never panic and must
// answer with one of the statuses it defines.
func FuzzSubmit(f *testing.F) {
	f.Add("application/json", `{"category":"salute","message":"aiuto aiuto aiuto","privacy":"on"}`)
	f.Add(form, goodForm().Encode())
	f.Add(form, "message=%ff%fe&privacy=1&share_contact=si&started_at=17")
	f.Add("application/json", `{"privacy":1,"started_at":{"a":[]}}`)
	f.Add("application/json", `[]`)
	f.Add("text/plain\x00", "")
	srv, _ := newServer(f, 0)
	h := srv.Config.Handler
	f.Fuzz(func(t *testing.T, ctype, body string) {
		req := httptest.NewRequest(http.MethodPost, "/api/requests", strings.NewReader(body))
		req.Header["Content-Type"] = []string{ctype}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch w.Code {
		case 202, 303, 400, 403, 413, 415, 429, 503:
		default:
			t.Errorf("content type %q body %q: got status %d, not one the handler defines", ctype, body, w.Code)
		}
	})
}

// TestFilledInForm: GET /richieste/ with a link's parameters shows the form filled in, taking only
// values that name something in the catalog.
func TestFilledInForm(t *testing.T) {
	srv, _ := newServer(t, 0)
	checkPages(t, srv, "/richieste/", []pageCase{
		{"?servizio=filo-d-argento-iriense/telefono-amico",
			[]string{`value="filo-d-argento-iriense/telefono-amico" selected`, `value="filo-d-argento-iriense" selected`, `value="compagnia-assistenza" selected`, "Il modulo indica già"}, nil},
		{"?servizio=filo-d-argento-iriense/telefono-amico&categoria=salute", []string{`value="salute" selected`}, []string{`value="compagnia-assistenza" selected`}},
		{"?associazione=croce-azzurra-oltrepo&tipo=segnalazione", []string{`value="croce-azzurra-oltrepo" selected`, `value="segnalazione" checked`}, nil},
		{"?servizio=inesistente/nulla&categoria=%3Cscript%3E&associazione=x", []string{`name="service"`}, []string{" selected>", "Il modulo indica già", "<script>"}},
	})
}

// pageCase is a GET of one of the intake's pages and what its body must and must not hold.
type pageCase struct {
	query   string
	want    []string
	notWant []string
}

// checkPages gets path+query for each case, wants 200 and no-store, and checks the body; it
// returns the responses' headers, and checks that POST is refused with 405.
func checkPages(t *testing.T, srv *httptest.Server, path string, cases []pageCase) []http.Header {
	t.Helper()
	var headers []http.Header
	for _, tt := range cases {
		resp, err := http.Get(srv.URL + path + tt.query)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(b)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s%s: got %d, Cache-Control %q; want 200, no-store", path, tt.query, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("GET %s%s: want %q in the page", path, tt.query, w)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(page, w) {
				t.Errorf("GET %s%s: got %q in the page, want it not", path, tt.query, w)
			}
		}
		headers = append(headers, resp.Header)
	}
	resp, err := http.Post(srv.URL+path, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST %s: got %d, want 405", path, resp.StatusCode)
	}
	return headers
}

// TestSearchPage: /cerca/ lists what the words find, escapes what was typed, and sends no
// referrer from the results.
func TestSearchPage(t *testing.T) {
	srv, _ := newServer(t, 0)
	headers := checkPages(t, srv, "/cerca/", []pageCase{
		{"", []string{"<h1>Cerca nel portale</h1>", `id="cerca-pagina"`}, []string{"Risultati trovati"}},
		{"?q=trasporto+dialisi", []string{"<h1>Risultati per «trasporto dialisi»</h1>",
			`<ul class="list">
<li class="item">
<p class="meta">Servizio · Croce Azzurra Oltrepò ODV</p>
<h3><a href="/servizi/croce-azzurra-oltrepo/trasporto-visite/">`, `<p class="meta">Categorie: Trasporto e accompagnamento, Salute e benessere</p>`,
			`value="trasporto dialisi"`, `<script src="/js/search.`, `.js" integrity="sha256-`}, []string{"Forse cercavi"}},
		{"?q=doposcula", []string{`<p class="suggestion">Forse cercavi: <a href="/cerca/?q=doposcuola">doposcuola</a></p>`,
			`<h3><a href="/servizi/ponte-sullo-staffora/doposcuola/">`}, nil},
		{"?q=%3Cb%20title%3D%22x%22%3Edoposcula%3C%2Fb%3E", []string{`Forse cercavi: <a href="/cerca/?q=%3cb%20title%3d%22x%22%3edoposcuola%3c%2fb%3e">&lt;b title=&#34;x&#34;&gt;doposcuola&lt;/b&gt;</a>`}, []string{"<b title"}},
		{"?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "Risultati trovati: 0",
			`<li><a href="/categorie/aiuto-alimentare/">Aiuto alimentare e beni essenziali</a></li>`, "Scrivete al Comune"}, []string{"<script>alert"}},
	})
	for i, h := range headers {
		if h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("search page %d: Referrer-Policy %q, want no-referrer", i, h.Get("Referrer-Policy"))
		}
	}
}

// TestEveryRouteIsAnswered: each path the routes table gives the intake has its page here, with
// the table's headers.
func TestEveryRouteIsAnswered(t *testing.T) {
	srv, _ := newServer(t, 0)
	for _, rt := range routes.Intake() {
		for _, path := range []string{rt.Path, strings.TrimSuffix(rt.Path, "/")} {
			if path == strings.TrimSuffix(rt.Path, "/") && !rt.Below {
				continue
			}
			req, _ := http.NewRequest(rt.Methods[0], srv.URL+path, strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed {
				t.Errorf("%s %s: got %d, want the intake's page", rt.Methods[0], path, resp.StatusCode)
			}
			want := http.Header{}
			routes.SetIntake(want, path)
			for k := range want {
				if resp.Header.Get(k) != want.Get(k) {
					t.Errorf("%s %s: header %s is %q, want %q", rt.Methods[0], path, k, resp.Header.Get(k), want.Get(k))
				}
			}
		}
	}
}
