package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/site/routes"
)

// areaReport is what the browser saw of the personal area (testdata/browser.mjs, task area).
type areaReport struct {
	FollowVisible   bool     `json:"followVisible"`
	FollowPressed   string   `json:"followPressed"`
	FollowNote      bool     `json:"followNote"`
	Followed        []string `json:"followed"`
	CalendarURL     string   `json:"calendarURL"`
	CalendarVisible bool     `json:"calendarVisible"`
	Webcal          string   `json:"webcal"`
	Google          string   `json:"google"`
	Download        string   `json:"download"`
	Calendar        struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Body   string `json:"body"`
	} `json:"calendar"`
	RememberVisible bool   `json:"rememberVisible"`
	ThanksURL       string `json:"thanksURL"`
	Filled          struct {
		Name, Email, Phone, Pref string
		Remember                 bool
	} `json:"filled"`
	Data         []string `json:"data"`
	MarkupInData int      `json:"markupInData"`
	Requests     []struct {
		Code, Href, Status string
	} `json:"requests"`
	WrongKey     string `json:"wrongKey"`
	NoStatusPage string `json:"noStatusPage"`
	Forgotten    struct {
		Stored, Items int
		Message       string
	} `json:"forgotten"`
	FilledAfter  string `json:"filledAfter"`
	PressedAfter string `json:"pressedAfter"`
	NoJS         struct {
		Notice, Area bool
		Form         string
		Fields       []string
		Follow       bool
		Remember     bool
	} `json:"noJS"`
}

// statusStub answers as the status page's contract says (GET /richieste/stato/?codice=&chiave=
// with Accept: application/json) for any request whose key the portal's signer gave, as if the
// office had routed it and an association taken it in charge; it records what it was asked.
type statusStub struct {
	signer *status.Signer
	mu     sync.Mutex
	asked  []url.Values
	bad    []string // what should never reach it: cookies, other media types
}

func (s *statusStub) wrap(portal http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", portal)
	mux.HandleFunc("/richieste/stato/", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("codice") == "VG-HTML-44" { // a page that is not the status page's answer
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		s.asked = append(s.asked, q)
		if r.Header.Get("Cookie") != "" || !strings.Contains(r.Header.Get("Accept"), "application/json") {
			s.bad = append(s.bad, r.Header.Get("Cookie")+" "+r.Header.Get("Accept"))
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if _, ok := s.signer.Check(q.Get("codice"), q.Get("chiave")); !ok {
			w.WriteHeader(http.StatusNotFound)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "not found"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"code": q.Get("codice"), "kind": "richiesta", "category": "compagnia-assistenza", "received": "2026-11-25",
			"status": "presa-in-carico", "steps": []map[string]string{{"step": "ricevuta", "date": "2026-11-25"}, {"step": "presa-in-carico", "date": "2026-11-27"}},
			"outcome": "", "note": "",
		})
	})
	return mux
}

// TestPersonalArea follows an association and a category, gets one calendar for both, sends a
// request remembering the data and the request, finds the form filled in and the request's
// status in the area, forgets everything; and without JavaScript finds the status form.
func TestPersonalArea(t *testing.T) {
	out := buildSite(t, "../data")
	signer, err := status.NewSigner([]byte(testSigningKey))
	if err != nil {
		t.Fatal(err)
	}
	stub := &statusStub{signer: signer}
	base := portalServerWrapped(t, out, "../data", stub.wrap)
	r := runBrowser(t, "area", base, "")
	a := r.Area
	checkAxe(t, r, 4)

	if !a.FollowVisible || a.FollowPressed != "true" || !a.FollowNote {
		t.Errorf("Segui: got visible %v, aria-pressed %q, note shown %v; want a pressed button and its note", a.FollowVisible, a.FollowPressed, a.FollowNote)
	}
	if want := []string{"/associazioni/la-rondine/", "/categorie/salute/"}; !slices.Equal(a.Followed, want) {
		t.Errorf("followed: got %v, want %v", a.Followed, want)
	}
	const query = "?associazioni=la-rondine&categorie=salute"
	if !a.CalendarVisible || !strings.HasSuffix(a.CalendarURL, "/calendario/"+query) || !strings.HasPrefix(a.CalendarURL, "https://") {
		t.Errorf("calendar address: got %q (shown %v), want https://…/calendario/%s", a.CalendarURL, a.CalendarVisible, query)
	}
	if want := "webcal://" + strings.TrimPrefix(a.CalendarURL, "https://"); a.Webcal != want {
		t.Errorf("webcal link: got %q, want %q", a.Webcal, want)
	}
	if g, _ := url.Parse(a.Google); g == nil || g.Query().Get("cid") != a.Webcal {
		t.Errorf("Google Calendar link: got %q, want its cid to be %q", a.Google, a.Webcal)
	}
	if a.Download != "/calendario/"+query {
		t.Errorf("download link: got %q, want %q", a.Download, "/calendario/"+query)
	}
	if a.Calendar.Status != http.StatusOK || !strings.HasPrefix(a.Calendar.Type, "text/calendar") || strings.Count(a.Calendar.Body, "BEGIN:VEVENT") == 0 {
		t.Errorf("the calendar's address: got %d %q with %d events, want 200, a calendar and some events", a.Calendar.Status, a.Calendar.Type, strings.Count(a.Calendar.Body, "BEGIN:VEVENT"))
	}
	for _, uid := range []string{"UID:la-rondine."} {
		if !strings.Contains(a.Calendar.Body, uid) {
			t.Errorf("the calendar holds no event of la-rondine (%s)", uid)
		}
	}

	if !a.RememberVisible {
		t.Error("the form does not offer to remember the data")
	}
	code := regexp.MustCompile(`codice=(VG-[0-9A-Z-]+)`).FindStringSubmatch(a.ThanksURL)
	if code == nil {
		t.Fatalf("after sending: got %q, want the thanks page with a code", a.ThanksURL)
	}
	f := a.Filled
	if f.Name != "Maria <b>Rossi</b>" || f.Email != "maria.rossi@example.org" || f.Phone != "0383 123456" || f.Pref != "phone" || !f.Remember {
		t.Errorf("the form the next time: got %+v, want the data remembered and the box ticked", f)
	}
	if want := []string{"Maria <b>Rossi</b>", "maria.rossi@example.org", "0383 123456", "per telefono"}; !slices.Equal(a.Data, want) || a.MarkupInData != 0 {
		t.Errorf("I miei dati: got %q (%d elements from the name), want %q as text", a.Data, a.MarkupInData, want)
	}
	if len(a.Requests) != 1 {
		t.Fatalf("Le mie richieste: got %+v, want the request just sent", a.Requests)
	}
	rq := a.Requests[0]
	href, err := url.Parse(rq.Href)
	if err != nil {
		t.Fatalf("Le mie richieste: the status link %q: %v", rq.Href, err)
	}
	if _, ok := signer.Check(code[1], href.Query().Get("chiave")); rq.Code != code[1] || href.Path != "/richieste/stato/" || href.Query().Get("codice") != code[1] || !ok ||
		rq.Status != "Presa in carico (27/11/2026)" {
		t.Errorf("Le mie richieste: got %+v, want %s, its status page with its key, and «Presa in carico (27/11/2026)»", rq, code[1])
	}
	if a.WrongKey != "Il codice e la chiave non corrispondono a una richiesta." {
		t.Errorf("a request with a wrong key: got %q, want the not-found notice", a.WrongKey)
	}
	if a.NoStatusPage != "Stato non disponibile ora: riprovate più tardi o aprite la pagina dello stato." {
		t.Errorf("a 404 that is not the status page's: got %q, want the status unavailable, never «not found»", a.NoStatusPage)
	}
	stub.mu.Lock()
	if len(stub.asked) < 2 || len(stub.bad) > 0 {
		t.Errorf("the status page was asked %d times, with %q; want JSON asked for, without cookies", len(stub.asked), stub.bad)
	}
	stub.mu.Unlock()

	if a.Forgotten.Stored != 0 || a.Forgotten.Items != 0 || a.Forgotten.Message == "" {
		t.Errorf("after «Dimentica i miei dati»: got %+v, want nothing stored, nothing listed and a message", a.Forgotten)
	}
	if a.FilledAfter != "" || a.PressedAfter != "false" {
		t.Errorf("after forgetting: got the name %q in the form and Segui pressed %q, want neither", a.FilledAfter, a.PressedAfter)
	}

	n := a.NoJS
	if !n.Notice || n.Area {
		t.Errorf("without JavaScript: got the notice %v and the area %v, want the notice alone", n.Notice, n.Area)
	}
	// The status form is offered once the intake answers the status page.
	if rt, ok := routes.Match("/richieste/stato/"); ok && rt.Path == "/richieste/stato/" {
		if n.Form != "/richieste/stato/" || !slices.Equal(n.Fields, []string{"codice", "chiave"}) {
			t.Errorf("without JavaScript: got the form %q with %v, want the status form (codice, chiave)", n.Form, n.Fields)
		}
	} else if n.Form != "" {
		t.Errorf("without JavaScript: got a form to %q, which the portal does not answer yet", n.Form)
	}
	if n.Follow || n.Remember {
		t.Errorf("without JavaScript: Segui shown %v, remember shown %v; want both hidden", n.Follow, n.Remember)
	}
}
