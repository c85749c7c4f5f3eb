package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/site/routes"
)

func postFeedback(t *testing.T, e *env, ctype, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+routes.Feedback, strings.NewReader(body))
	req.Header.Set("Content-Type", ctype)
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

func TestFeedback(t *testing.T) {
	const page = "/servizi/croce-azzurra-oltrepo/trasporto-sanitario/"
	good := url.Values{"page": {page}, "stars": {"5"}, "positive": {"chiare"}, "text": {"Tutto chiaro, grazie."}}
	with := func(kv ...string) string {
		v := url.Values{}
		for k, vv := range good {
			v[k] = vv
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "\x00drop" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return v.Encode()
	}
	tests := []struct {
		name    string
		ctype   string
		body    string
		headers []string
		code    int
		shows   string
		hides   string           // what the page must not hold
		want    *intake.Feedback // what is queued; nil: nothing
	}{
		{name: "positive", body: good.Encode(), code: 200, shows: "Grazie per la valutazione",
			want: &intake.Feedback{Page: page, Stars: 5, Choice: "chiare", Text: "Tutto chiaro, grazie."}},
		{name: "negative, the positive choice left over from other stars is not the answer",
			body: with("stars", "2", "negative", "problemi-tecnici"), code: 200, shows: "Grazie",
			want: &intake.Feedback{Page: page, Stars: 2, Choice: "problemi-tecnici", Text: "Tutto chiaro, grazie."}},
		{name: "stars only", body: url.Values{"page": {"/servizi/"}, "stars": {"3"}}.Encode(), code: 200, shows: "Grazie",
			want: &intake.Feedback{Page: "/servizi/", Stars: 3}},
		{name: "from an allowed origin", body: good.Encode(), headers: []string{"Origin", "https://portale.example", "Sec-Fetch-Site", "cross-site"}, code: 200,
			want: &intake.Feedback{Page: page, Stars: 5, Choice: "chiare", Text: "Tutto chiaro, grazie."}},
		{name: "no stars", body: with("stars", "\x00drop"), code: 400, shows: "Scegliete da 1 a 5 stelle"},
		{name: "zero stars", body: with("stars", "0"), code: 400, shows: "Scegliete da 1 a 5 stelle"},
		{name: "six stars", body: with("stars", "6"), code: 400, shows: "Scegliete da 1 a 5 stelle"},
		{name: "stars not a number", body: with("stars", "5e0"), code: 400, shows: "Scegliete da 1 a 5 stelle"},
		{name: "a negative choice for 5 stars", body: with("positive", "problemi-tecnici"), code: 400, shows: "non è tra quelle proposte"},
		{name: "an unknown choice", body: with("stars", "1", "negative", "<b>x</b>"), code: 400, shows: "non è tra quelle proposte"},
		{name: "another site's page", body: with("page", "https://example.org/"), code: 400, shows: "non è una pagina del portale"},
		{name: "a script for a page", body: with("page", "javascript:alert(1)//"), code: 400, shows: "non è una pagina del portale", hides: "javascript:"},
		{name: "text too long", body: with("text", strings.Repeat("a", intake.MaxFeedbackText+1)), code: 400, shows: "al massimo 200 caratteri"},
		{name: "control characters", body: with("text", "ciao\x1b[31m"), code: 400, shows: "caratteri non validi"},
		{name: "a field twice", body: good.Encode() + "&stars=1", code: 400, shows: "incompleto"},
		{name: "a body over the limit", body: with("text", strings.Repeat("a", 5000)), code: 413},
		{name: "JSON", ctype: "application/json", body: `{"page":"/","stars":5}`, code: 415},
		{name: "another site's form", body: good.Encode(), headers: []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, code: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			e := newEnv(t, 0, slog.New(slog.NewTextHandler(&logs, nil)))
			ctype := tt.ctype
			if ctype == "" {
				ctype = form
			}
			resp, page := postFeedback(t, e, ctype, tt.body, tt.headers...)
			if resp.StatusCode != tt.code || !strings.Contains(page, tt.shows) {
				t.Fatalf("got %d, want %d with %q\n%s", resp.StatusCode, tt.code, tt.shows, page)
			}
			if tt.hides != "" && strings.Contains(page, tt.hides) {
				t.Errorf("page: got %q, want it nowhere\n%s", tt.hides, page)
			}
			if h := resp.Header.Get("Referrer-Policy"); h != "no-referrer" {
				t.Errorf("Referrer-Policy: got %q, want no-referrer", h)
			}
			if strings.Contains(logs.String(), "Tutto chiaro") || strings.Contains(logs.String(), "croce-azzurra") {
				t.Errorf("log: got %q, want nothing that was sent", logs.String())
			}
			stored := e.q.stored(t)
			if tt.want == nil {
				if len(stored) != 0 {
					t.Fatalf("got %d messages queued, want none", len(stored))
				}
				return
			}
			if len(stored) != 1 {
				t.Fatalf("got %d messages queued, want 1", len(stored))
			}
			if tt.code == 200 && !strings.Contains(page, `href="`+tt.want.Page+`"`) {
				t.Errorf("thanks page: got no link back to %s\n%s", tt.want.Page, page)
			}
			b, _ := os.ReadFile(stored[0])
			var env intake.FeedbackEnvelope
			if err := json.Unmarshal(b, &env); err != nil {
				t.Fatal(err)
			}
			if env.Version != intake.FeedbackVersion || env.Type != intake.TypeFeedback || env.Feedback != *tt.want {
				t.Errorf("queued: got %s, want %+v", b, *tt.want)
			}
		})
	}
}

func TestFeedbackLimits(t *testing.T) {
	body := url.Values{"page": {"/"}, "stars": {"4"}}.Encode()
	t.Run("rate", func(t *testing.T) {
		e := newEnv(t, 2, nil)
		for i := range 2 {
			if resp, _ := postFeedback(t, e, form, body); resp.StatusCode != 200 {
				t.Fatalf("rating %d: got %d, want 200", i+1, resp.StatusCode)
			}
		}
		resp, page := postFeedback(t, e, form, body)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(page, "troppe valutazioni") {
			t.Errorf("third rating in a minute: got %d, Retry-After %q, want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if n := len(e.q.stored(t)); n != 2 {
			t.Errorf("got %d queued, want 2", n)
		}
		// A citizen who rated pages can still send a request.
		if resp, _ := post(t, e.srv, form, goodForm().Encode()); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("a request after the ratings: got %d, want 303", resp.StatusCode)
		}
	})
	t.Run("queue down", func(t *testing.T) {
		e := newEnv(t, 0, nil)
		e.q.mu.Lock()
		e.q.down = true
		e.q.mu.Unlock()
		resp, page := postFeedback(t, e, form, body)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || strings.Contains(page, "Grazie") {
			t.Errorf("got %d, want 503 with Retry-After and no thanks\n%s", resp.StatusCode, page)
		}
	})
	t.Run("method", func(t *testing.T) {
		e := newEnv(t, 0, nil)
		resp, err := http.Get(e.srv.URL + routes.Feedback)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Errorf("GET: got %d, Allow %q, want 405 and POST", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
}
