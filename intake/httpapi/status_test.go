package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/status"
)

// get asks the status page, as a browser or, with asJSON, as the personal area's script.
func get(t *testing.T, e *env, query string, asJSON bool) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/richieste/stato/"+query, nil)
	if asJSON {
		req.Header.Set("Accept", "application/json")
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func pair(code, key string) string {
	return "?codice=" + url.QueryEscape(code) + "&chiave=" + url.QueryEscape(key)
}

func put(t *testing.T, e *env, r status.Record) {
	t.Helper()
	if err := e.board.Put(context.Background(), r); err != nil {
		t.Fatal(err)
	}
}

var received = now.Add(-3 * 24 * time.Hour)

func closedRecord(code string) status.Record {
	return status.Record{Version: status.Version, Code: code, Kind: "segnalazione", Category: "trasporto-sociale", Received: "2026-11-22",
		Steps: []status.Step{{Step: status.Received, Date: "2026-11-22"}, {Step: status.Read, Date: "2026-11-23"},
			{Step: status.Forwarded, Date: "2026-11-23"}, {Step: status.Closed, Date: "2026-11-24"}},
		Outcome: "resolved", Note: "Il trasporto è fissato per martedì.", Associations: []string{"croce-azzurra-oltrepo"}}
}

func TestStatusPage(t *testing.T) {
	e := newEnv(t, 0, nil)
	const code = "VG-7K4M-Q2"
	key := e.signer.Key(code, received)
	put(t, e, closedRecord(code))
	const fresh = "VG-AAAA-BB" // sent, not yet taken in: no record
	freshKey := e.signer.Key(fresh, now)
	tests := []struct {
		name, query  string
		want, absent []string
	}{
		{"the form", "", []string{"<h1>Stato di una richiesta</h1>", `name="codice"`, `name="chiave"`, "entro 2 giorni lavorativi"}, []string{"Codice o chiave non corrispondono"}},
		{"a request just sent", pair(fresh, freshKey), []string{"Richiesta VG-AAAA-BB", "<strong>Ricevuta</strong>", `<time datetime="2026-11-25">25/11/2026</time>`, "entro 2 giorni lavorativi"}, nil},
		{"typed as a person may", "?codice=vg-7k4m-q2&chiave=" + url.QueryEscape(strings.ToLower(key[:8]+" "+key[8:])), []string{"<strong>Chiusa</strong>"}, nil},
		{"a closed request", pair(code, key), []string{"<strong>Chiusa</strong>", "Segnalazione", "Trasporto e accompagnamento",
			"Letta dal Comune: <time datetime=\"2026-11-23\">23/11/2026</time>", "Risolta", "Il trasporto è fissato per martedì.", "Croce Azzurra"},
			[]string{"entro 2 giorni lavorativi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, page := get(t, e, tt.query, false)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got %d, want 200\n%s", resp.StatusCode, page)
			}
			for h, want := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"} {
				if got := resp.Header.Get(h); got != want {
					t.Errorf("%s: got %q, want %q", h, got, want)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("want %q in the page", w)
				}
			}
			for _, w := range tt.absent {
				if strings.Contains(page, w) {
					t.Errorf("got %q in the page, want it not", w)
				}
			}
		})
	}
}

// TestStatusJSON: the answer the personal area reads, field by field.
func TestStatusJSON(t *testing.T) {
	e := newEnv(t, 0, nil)
	const code = "VG-7K4M-Q2"
	put(t, e, closedRecord(code))
	resp, body := get(t, e, pair(code, e.signer.Key(code, received)), true)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("got %d %s, want 200 JSON", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"code": code, "kind": "segnalazione", "category": "Trasporto e accompagnamento", "received": "2026-11-22",
		"status": "chiusa", "outcome": "Risolta", "note": "Il trasporto è fissato per martedì.",
		"steps": []any{map[string]any{"step": "ricevuta", "date": "2026-11-22"}, map[string]any{"step": "letta", "date": "2026-11-23"},
			map[string]any{"step": "inoltrata", "date": "2026-11-23"}, map[string]any{"step": "chiusa", "date": "2026-11-24"}}}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("got %s\nwant %s", gotJSON, wantJSON)
	}

	const fresh = "VG-AAAA-BB"
	_, body = get(t, e, pair(fresh, e.signer.Key(fresh, now)), true)
	if want := `{"code":"VG-AAAA-BB","received":"2026-11-25","status":"ricevuta","steps":[{"step":"ricevuta","date":"2026-11-25"}]}`; strings.TrimSpace(body) != want {
		t.Errorf("a request just sent: got %s, want %s", body, want)
	}
	const old = "VG-CCCC-DD" // its key is from long ago and the board has nothing: erased
	_, body = get(t, e, pair(old, e.signer.Key(old, now.AddDate(-2, 0, 0))), true)
	if want := `{"code":"VG-CCCC-DD","received":"2024-11-25","status":"conclusa"}`; strings.TrimSpace(body) != want {
		t.Errorf("a request erased: got %s, want %s", body, want)
	}
}

// TestWrongKeyLikeUnknownCode: a code on the board with a wrong key, and a code nobody was given,
// get the same answer, reached without reading the board, so that neither the answer nor its
// time tells whether the code exists.
func TestWrongKeyLikeUnknownCode(t *testing.T) {
	e := newEnv(t, 0, nil)
	const known, unknown = "VG-K3Y5-AB", "VG-9999-ZZ"
	key := e.signer.Key(known, received)
	put(t, e, closedRecord(known))
	wrong := e.signer.Key("VG-0000-11", received) // well formed, signed, for a third code
	for _, asJSON := range []bool{false, true} {
		r1, b1 := get(t, e, pair(known, wrong), asJSON)
		r2, b2 := get(t, e, pair(unknown, wrong), asJSON)
		r3, b3 := get(t, e, pair(unknown, key), asJSON)
		b1 = strings.ReplaceAll(b1, known, "CODE")
		b2 = strings.ReplaceAll(b2, unknown, "CODE")
		b3 = strings.ReplaceAll(b3, unknown, "CODE")
		if r1.StatusCode != http.StatusNotFound || r2.StatusCode != r1.StatusCode || r3.StatusCode != r1.StatusCode {
			t.Errorf("json=%v: got %d, %d, %d, want 404 for all", asJSON, r1.StatusCode, r2.StatusCode, r3.StatusCode)
		}
		if b1 != b2 || b1 != b3 {
			t.Errorf("json=%v: a wrong key and an unknown code answer differently:\n%s\n---\n%s\n---\n%s", asJSON, b1, b2, b3)
		}
		for _, r := range []*http.Response{r2, r3} {
			for k := range mergedKeys(r1.Header, r.Header) {
				if k != "Date" && r1.Header.Get(k) != r.Header.Get(k) {
					t.Errorf("json=%v: header %s: %q against %q, want the same answer", asJSON, k, r1.Header.Get(k), r.Header.Get(k))
				}
			}
		}
		if r1.Header.Get("Cache-Control") != "no-store" || r1.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("json=%v: headers %v, want no-store and no-referrer", asJSON, r1.Header)
		}
	}
	if _, body := get(t, e, pair(known, wrong), true); strings.TrimSpace(body) != `{"error":"Nessuna richiesta con questo codice e questa chiave."}` {
		t.Errorf("JSON answer: got %s", body)
	}
	if n := e.board.Reads(); n != 0 {
		t.Errorf("the board was read %d times for pairs that do not prove themselves, want 0", n)
	}
}

func TestStatusRateLimit(t *testing.T) {
	e := newEnv(t, 2, nil)
	for i, want := range []int{404, 404, 429} {
		resp, _ := get(t, e, pair("VG-9999-ZZ", "0000000000000000"), false)
		if resp.StatusCode != want {
			t.Errorf("guess %d: got %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	if resp, _ := get(t, e, "", false); resp.StatusCode != http.StatusOK {
		t.Errorf("the empty form after the limit: got %d, want 200 (only guesses count)", resp.StatusCode)
	}
}

// TestStatusNotLogged: the log says how a lookup went, never the code or the key.
func TestStatusNotLogged(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, 0, slog.New(slog.NewTextHandler(&logs, nil)))
	const code = "VG-7K4M-Q2"
	key := e.signer.Key(code, received)
	get(t, e, pair(code, key), false)
	get(t, e, pair(code, "0000000000000000"), true)
	if logs.Len() == 0 {
		t.Fatal("nothing logged: want one line per lookup")
	}
	for _, secret := range []string{code, key, "codice", "chiave", "0000000000000000"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds %q:\n%s", secret, logs.String())
		}
	}
}

// TestKeyFromSubmission: the JSON answer and the thanks page carry the key, which opens the
// status page at once ("ricevuta") with nothing written anywhere but the queue.
func TestKeyFromSubmission(t *testing.T) {
	e := newEnv(t, 0, nil)
	resp, body := post(t, e.srv, "application/json", `{"category":"salute","message":"Serve un passaggio per una visita.","contact_preference":"none","privacy":true}`)
	var got struct{ ID, Code, Key string }
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != http.StatusAccepted || len(got.Key) != status.KeyLen {
		t.Fatalf("JSON post: got %d %s, want 202 with a key of %d characters", resp.StatusCode, body, status.KeyLen)
	}
	if r, b := get(t, e, pair(got.Code, got.Key), true); r.StatusCode != http.StatusOK || !strings.Contains(b, `"status":"ricevuta"`) {
		t.Errorf("status with the key given: got %d %s, want 200 ricevuta", r.StatusCode, b)
	}
	for _, name := range e.q.stored(t) {
		if b, _ := os.ReadFile(name); bytes.Contains(b, []byte(got.Key)) {
			t.Errorf("the queue's message holds the key: %s", b)
		}
	}

	form := goodForm()
	resp, _ = post(t, e.srv, "application/x-www-form-urlencoded", form.Encode(), "Sec-Fetch-Site", "same-origin")
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusSeeOther || loc.Path != "/richieste/inviata/" {
		t.Fatalf("form post: got %d %q, want 303 to the thanks page", resp.StatusCode, resp.Header.Get("Location"))
	}
	code, key := loc.Query().Get("codice"), loc.Query().Get("chiave")
	if _, ok := e.signer.Check(code, key); !ok {
		t.Fatalf("the thanks page's address %s: want the code and its key", loc)
	}
	page := func(q string) (*http.Response, string) {
		r, err := http.Get(e.srv.URL + "/richieste/inviata/" + q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		return r, string(b)
	}
	r, thanks := page("?" + loc.RawQuery)
	link := `href="/richieste/stato/?codice=` + code + `&amp;chiave=` + key + `"`
	if !strings.Contains(thanks, "<strong>"+key+"</strong>") || !strings.Contains(thanks, link) {
		t.Errorf("thanks page: want the key and the link %s in\n%s", link, thanks)
	}
	if r.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("thanks page: Referrer-Policy %q, want no-referrer: its address holds the key", r.Header.Get("Referrer-Policy"))
	}
	if _, forged := page(pair(code, "0000000000000000")); strings.Contains(forged, "0000000000000000") || strings.Contains(forged, "/richieste/stato/?") {
		t.Errorf("thanks page with a key that is not the code's: want no key and no link shown")
	}
}

func mergedKeys(a, b http.Header) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}
