package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/status"
)

// link is an answer link's parameters, signed by e's signer.
func link(e *env, a status.Answer) url.Values {
	return url.Values{"codice": {a.Code}, "associazione": {a.Association}, "azione": {a.Action},
		"scade": {fmt.Sprint(a.Expires.Unix())}, "firma": {e.signer.SignAnswer(a)}}
}

func TestAnswerLinks(t *testing.T) {
	e := newEnv(t, 0, nil)
	good := status.Answer{Code: "VG-7K4M-Q2", Association: "croce-azzurra-oltrepo", Action: status.AnswerTakenUp, Expires: now.Add(status.LinkLife)}
	v := link(e, good)
	get := func(q url.Values) (int, string) {
		t.Helper()
		resp, err := http.Get(e.srv.URL + "/richieste/risposta/?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Referrer-Policy") != "no-referrer" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("headers %v: want no-referrer and no-store", resp.Header)
		}
		return resp.StatusCode, string(b)
	}
	post := func(q url.Values) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/richieste/risposta/", strings.NewReader(q.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	with := func(k, val string) url.Values {
		c := url.Values{}
		for kk, vv := range v {
			c[kk] = vv
		}
		c.Set(k, val)
		return c
	}
	expired := good
	expired.Expires = now.Add(-1)
	bad := []struct {
		name  string
		q     url.Values
		code  int
		shows string
	}{
		{"forged: signed with another secret", with("firma", "AAAAAAAAAAAAAAAAAAAAAA"), 403, "Collegamento non valido"},
		{"altered: another answer", with("azione", status.AnswerResolved), 403, "Collegamento non valido"},
		{"altered: another association", with("associazione", "la-rondine"), 403, "Collegamento non valido"},
		{"altered: a later expiry", with("scade", fmt.Sprint(now.Add(365*24*3600e9).Unix())), 403, "Collegamento non valido"},
		{"expired", link(e, expired), 410, "Collegamento scaduto"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			for _, send := range []func(url.Values) (int, string){get, post} {
				if code, page := send(tt.q); code != tt.code || !strings.Contains(page, tt.shows) {
					t.Errorf("got %d, want %d with %q", code, tt.code, tt.shows)
				}
			}
		})
	}
	if n := len(e.q.stored(t)); n != 0 {
		t.Fatalf("after bad links: %d messages queued, want none", n)
	}

	code, page := get(v)
	if code != 200 || !strings.Contains(page, "Croce Azzurra") || !strings.Contains(page, "<strong>Presa in carico</strong>") || !strings.Contains(page, `method="post"`) {
		t.Fatalf("GET of a good link: got %d, want the confirmation page\n%s", code, page)
	}
	if n := len(e.q.stored(t)); n != 0 {
		t.Fatalf("after GET: %d messages queued, want none: opening a link changes nothing", n)
	}
	v.Set("nota", "Passiamo martedì.")
	for i := 0; i < 2; i++ {
		if code, page := post(v); code != 200 || !strings.Contains(page, "Risposta registrata") {
			t.Fatalf("POST %d: got %d, want the thanks\n%s", i+1, code, page)
		}
	}
	stored := e.q.stored(t)
	if len(stored) != 1 {
		t.Fatalf("after posting the same link twice: %d messages, want one (one link, one answer)", len(stored))
	}
	b, _ := os.ReadFile(stored[0])
	var env intake.AnswerEnvelope
	if err := json.Unmarshal(b, &env); err != nil || env.Version != intake.AnswerVersion || env.Type != intake.TypeAnswer ||
		env.Code != good.Code || env.Association != good.Association || env.Action != good.Action || env.Note != "Passiamo martedì." {
		t.Errorf("queued: got %s (%v)", b, err)
	}

	// Once the office has recorded the answer, the link is spent.
	r := closedRecord(good.Code)
	r.Answered = []status.Answered{{Association: good.Association, Action: good.Action}}
	put(t, e, r)
	for _, send := range []func(url.Values) (int, string){get, post} {
		if code, page := send(v); code != http.StatusConflict || !strings.Contains(page, "Risposta già registrata") {
			t.Errorf("a link used again: got %d, want 409 saying it is already recorded", code)
		}
	}
	if n := len(e.q.stored(t)); n != 1 {
		t.Errorf("after the replay: %d messages, want still one", n)
	}
}
