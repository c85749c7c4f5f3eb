package office_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/boltstore"
	"github.com/shaps-portal/shaps/intake/office/mail"
	"github.com/shaps-portal/shaps/intake/status"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func envelope(t *testing.T, mutate func(*intake.Envelope)) []byte {
	t.Helper()
	e := intake.Envelope{Version: intake.EnvelopeVersion, ID: "0b6f1d2e-1111-4c4c-8888-123456789abc", Code: "VG-7K4M-Q2",
		ReceivedAt: t0, Request: intake.Request{Kind: "richiesta", Category: "anziani", Message: "Mia madre ha bisogno di compagnia."}}
	if mutate != nil {
		mutate(&e)
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func feedbackMessage(t *testing.T, mutate func(*intake.FeedbackEnvelope)) []byte {
	t.Helper()
	e := intake.FeedbackEnvelope{Version: intake.FeedbackVersion, Type: intake.TypeFeedback, ID: "5d2c7a90-2222-4c4c-8888-123456789abc",
		Day: t0.Truncate(24 * time.Hour), Feedback: intake.Feedback{Page: "/servizi/", Stars: 2, Choice: "incomplete", Text: "Mancano gli orari."}}
	if mutate != nil {
		mutate(&e)
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFromEnvelope(t *testing.T) {
	tests := []struct {
		name    string
		body    func(t *testing.T) []byte
		wantErr string
	}{
		{"good", func(t *testing.T) []byte { return envelope(t, nil) }, ""},
		{"not json", func(*testing.T) []byte { return []byte("{") }, "read envelope: unexpected end of JSON input"},
		{"other version", func(t *testing.T) []byte { return envelope(t, func(e *intake.Envelope) { e.Version = 2 }) }, "read envelope: version 2, want 1"},
		{"no id", func(t *testing.T) []byte { return envelope(t, func(e *intake.Envelope) { e.ID = "" }) }, "read envelope: missing id or code"},
		{"bad code", func(t *testing.T) []byte { return envelope(t, func(e *intake.Envelope) { e.Code = "VG-1" }) }, "read envelope: missing id or code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := office.FromEnvelope(tt.body(t))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("office.FromEnvelope error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromEnvelope: %v", err)
			}
			if c.Status != office.StatusNew || c.Code != "VG-7K4M-Q2" || !c.ReceivedAt.Equal(t0) || c.Request.Category != "anziani" {
				t.Errorf("office.FromEnvelope = %+v, want a new case VG-7K4M-Q2 received %v in anziani", c, t0)
			}
		})
	}
}

// TestCaseLanguage: the case keeps the language the request was sent from; a message from before
// requests recorded it, a stored case from then, and a language the portal does not have read as
// Italian.
func TestCaseLanguage(t *testing.T) {
	for _, tc := range []struct{ name, lang, want string }{
		{"romanian", "ro", "ro"},
		{"arabic", "ar", "ar"},
		{"chinese", "zh-hans", "zh-hans"},
		{"none, as older messages", "", "it"},
		{"not the portal's", "fr", "it"},
		{"markup", "<b>ro</b>", "it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := office.FromEnvelope(envelope(t, func(e *intake.Envelope) { e.Language = tc.lang }))
			if err != nil {
				t.Fatal(err)
			}
			if c.Request.Language != tc.want {
				t.Errorf("from the envelope: got %q, want %q", c.Request.Language, tc.want)
			}
			stored, _ := json.Marshal(c)
			var back office.Case
			if err := json.Unmarshal(stored, &back); err != nil || back.Request.Language != tc.want {
				t.Errorf("stored and read: got %q, %v, want %q", back.Request.Language, err, tc.want)
			}
		})
	}
	old := []byte(`{"id":"1","code":"VG-7K4M-Q2","received_at":"2026-11-20T09:00:00Z","request":{"kind":"richiesta","category":"anziani","message":"Prima delle lingue.","share_contact":false,"privacy":true},"status":"new"}`)
	var c office.Case
	if err := json.Unmarshal(old, &c); err != nil || c.Request.Language != "it" || c.Request.Message != "Prima delle lingue." {
		t.Errorf("a case stored before languages: got %+v, %v, want it in Italian and whole", c.Request, err)
	}
}

func TestCaseLifecycle(t *testing.T) {
	route := office.Route{At: t0.Add(time.Hour), By: "admin", To: []string{"la-rondine"}}
	tests := []struct {
		name       string
		steps      func(c *office.Case) error
		wantStatus office.Status
		wantErr    error // nil: the last step succeeds
	}{
		{"route a new case", func(c *office.Case) error { return c.AddRoute(route) }, office.StatusRouted, nil},
		{"route to nobody", func(c *office.Case) error { return c.AddRoute(office.Route{At: t0}) }, office.StatusNew, errAny},
		{"close a new case", func(c *office.Case) error { return c.Close(t0, "spam", "") }, office.StatusClosed, nil},
		{"close with an unknown outcome", func(c *office.Case) error { return c.Close(t0, "fatto", "") }, office.StatusNew, errAny},
		{"close twice", func(c *office.Case) error {
			_ = c.Close(t0, "resolved", "")
			return c.Close(t0, "resolved", "")
		}, office.StatusClosed, office.ErrState},
		{"route a closed case", func(c *office.Case) error {
			_ = c.Close(t0, "resolved", "")
			return c.AddRoute(route)
		}, office.StatusClosed, office.ErrState},
		{"reopen an open case", func(c *office.Case) error { return c.Reopen() }, office.StatusNew, office.ErrState},
		{"reopen a routed then closed case", func(c *office.Case) error {
			_ = c.AddRoute(route)
			_ = c.Close(t0, "resolved", "")
			return c.Reopen()
		}, office.StatusRouted, nil},
		{"reopen a closed, never routed case", func(c *office.Case) error {
			_ = c.Close(t0, "duplicate", "")
			return c.Reopen()
		}, office.StatusNew, nil},
		{"reopen a purged case", func(c *office.Case) error {
			_ = c.Close(t0, "resolved", "")
			c.Purge(t0, nil)
			return c.Reopen()
		}, office.StatusClosed, office.ErrState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := office.FromEnvelope(envelope(t, nil))
			if err != nil {
				t.Fatal(err)
			}
			err = tt.steps(&c)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("got error %v, want none", err)
			case tt.wantErr == errAny && err == nil, tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if c.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s", c.Status, tt.wantStatus)
			}
		})
	}
}

// errAny stands for "some error" in the table above.
var errAny = errors.New("any error")

func TestReopenForgetsTheOutcome(t *testing.T) {
	c, _ := office.FromEnvelope(envelope(t, nil))
	if err := c.Close(t0, "not-competent", "mandata all'ASL"); err != nil {
		t.Fatal(err)
	}
	if err := c.Reopen(); err != nil {
		t.Fatal(err)
	}
	if !c.ClosedAt.IsZero() || c.Outcome != "" || c.CloseNote != "" {
		t.Errorf("after reopening: closed %v, outcome %q, note %q; want all empty", c.ClosedAt, c.Outcome, c.CloseNote)
	}
}

func TestPurgeKeepsOnlyStatistics(t *testing.T) {
	c, _ := office.FromEnvelope(envelope(t, func(e *intake.Envelope) {
		e.Name, e.Email, e.Phone, e.Area = "Maria Rossi", "maria@example.org", "+39 333 1234567", "Medassino"
	}))
	_ = c.AddRoute(office.Route{At: t0, By: "admin", To: []string{"la-rondine"}, Note: "la signora Rossi abita al civico 3"})
	_ = c.Close(t0.Add(48*time.Hour), "resolved", "richiamata la signora Rossi")
	c.Purge(t0.Add(400*24*time.Hour), []string{"Centro", "Medassino"})

	b, _ := json.Marshal(c)
	for _, personal := range []string{"Maria", "Rossi", "maria@example.org", "333", "compagnia", "civico"} {
		if strings.Contains(string(b), personal) {
			t.Errorf("purged case still holds %q: %s", personal, b)
		}
	}
	if c.Request.Category != "anziani" || c.Request.Area != "Medassino" || c.Outcome != "resolved" || !reflect.DeepEqual(c.Routes[0].To, []string{"la-rondine"}) {
		t.Errorf("purge lost what statistics need: %s", b)
	}
}

// TestPurgeKeepsOnlyKnownAreas: the area survives the purge only as one of the portal's names.
func TestPurgeKeepsOnlyKnownAreas(t *testing.T) {
	areas := []string{"Centro", "Medassino"}
	for typed, want := range map[string]string{"Medassino": "Medassino", " medassino ": "Medassino", "Via Emilia 12, Medassino": "", "": "", "Oriolo": ""} {
		c := office.Case{Request: intake.Request{Area: typed}}
		c.Purge(t0, areas)
		if c.Request.Area != want {
			t.Errorf("area %q after the purge = %q, want %q", typed, c.Request.Area, want)
		}
	}
}

func TestCompute(t *testing.T) {
	mk := func(received time.Time, category, area string, routedAfter, closedAfter time.Duration, to ...string) office.Case {
		c := office.Case{ReceivedAt: received, Status: office.StatusNew, Request: intake.Request{Kind: "richiesta", Category: category, Area: area}}
		if routedAfter > 0 {
			c.Routes = []office.Route{{At: received.Add(routedAfter), To: to}, {At: received.Add(routedAfter + time.Hour), To: to}}
			c.Status = office.StatusRouted
		}
		if closedAfter > 0 {
			c.ClosedAt, c.Status = received.Add(closedAfter), office.StatusClosed
		}
		return c
	}
	dec := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	all := []office.Case{
		mk(t0, "anziani", "Centro", time.Hour, 0, "la-rondine"),
		mk(t0.Add(time.Hour), "anziani", "", 3*time.Hour, 24*time.Hour, "la-rondine", "auser"),
		mk(t0.Add(2*time.Hour), "disabilita", "Centro", 0, 0),
		mk(dec, "anziani", "Centro", 2*time.Hour, 0, "auser"), // outside [_, dec)
	}
	all[0].Request.Language, all[1].Request.Language, all[2].Request.Language, all[3].Request.Language = "ro", "it", "ro", "ar"
	all[0].PulledAt, all[1].PulledAt = t0.Add(30*time.Minute), t0.Add(2*time.Hour) // read after 30 and 60 minutes
	// la-rondine took both in charge, 2 h and 4 h after routing; auser only said it is not for them.
	all[0].Answers = []office.Answer{{At: t0.Add(3 * time.Hour), Association: "la-rondine", Action: status.AnswerTakenUp}}
	all[1].Answers = []office.Answer{{At: t0.Add(4 * time.Hour), Association: "auser", Action: status.AnswerNotOurs},
		{At: t0.Add(8 * time.Hour), Association: "la-rondine", Action: status.AnswerResolved}}
	got := office.Compute(all, time.Time{}, dec)
	want := office.Stats{
		Total:           3,
		ByMonth:         map[string]int{"2026-11": 3},
		ByCategory:      map[string]int{"anziani": 2, "disabilita": 1},
		ByKind:          map[string]int{"richiesta": 3},
		ByArea:          map[string]int{"Centro": 2, "-": 1},
		ByAssociation:   map[string]int{"la-rondine": 2, "auser": 1}, // a case routed twice to one association counts once
		ByStatus:        map[string]int{"routed": 1, "closed": 1, "new": 1},
		ByLanguage:      map[string]int{"ro": 2, "it": 1},
		MedianToRouted:  2 * time.Hour, // of 1 h and 3 h
		MedianToClosed:  24 * time.Hour,
		MedianToRead:    45 * time.Minute,
		MedianToTakenUp: map[string]time.Duration{"la-rondine": 3 * time.Hour},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("office.Compute =\n%+v\nwant\n%+v", got, want)
	}
	if got := office.Compute(all, dec, time.Time{}); got.Total != 1 || got.ByMonth["2026-12"] != 1 {
		t.Errorf("office.Compute from %v: total %d, by month %v; want the one December case", dec, got.Total, got.ByMonth)
	}
}

func TestSuggest(t *testing.T) {
	assocs := []office.Association{
		{Slug: "auser", Categories: []string{"anziani", "trasporti"}},
		{Slug: "la-rondine", Categories: []string{"minori"}},
		{Slug: "croce-verde", Categories: []string{"anziani"}},
	}
	tests := []struct {
		category, named string
		want            []string
	}{
		{"anziani", "", []string{"auser", "croce-verde"}},
		{"anziani", "croce-verde", []string{"croce-verde", "auser"}},
		{"minori", "auser", []string{"auser", "la-rondine"}},
		{"casa", "", nil},
	}
	for _, tt := range tests {
		c := office.Case{Request: intake.Request{Category: tt.category, Association: tt.named}}
		if got := office.Suggest(c, assocs); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("office.Suggest(%s, named %q) = %v, want %v", tt.category, tt.named, got, tt.want)
		}
	}
}

func TestForwardSharesContactsOnlyWithConsent(t *testing.T) {
	of := office.Office{Portal: "SHAPS per Voghera", Municipality: "Comune di Voghera", From: "servizi.sociali@example.org", Location: time.FixedZone("CET", 3600)}
	a := office.Association{Slug: "auser", Name: "Auser Voghera", Email: "auser@example.org"}
	for _, share := range []bool{true, false} {
		c, _ := office.FromEnvelope(envelope(t, func(e *intake.Envelope) {
			e.Name, e.Email, e.ShareContact, e.ContactPreference = "Maria Rossi", "maria@example.org", share, "email"
		}))
		m, err := office.Forward(c, a, office.Names{Category: "Anziani"}, "urgente", of, t0)
		if err != nil {
			t.Fatal(err)
		}
		if m.To != "auser@example.org" || m.Subject != "[VG-7K4M-Q2] richiesta inoltrata dal Comune di Voghera" {
			t.Errorf("share=%v: to %q, subject %q", share, m.To, m.Subject)
		}
		for _, want := range []string{"Gentile Auser Voghera", "ricevuta il\n20/11/2026 10:00", "Argomento: Anziani", "Mia madre ha bisogno di compagnia.", "Nota dell'ufficio: urgente"} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("share=%v: body lacks %q:\n%s", share, want, m.Body)
			}
		}
		if got := strings.Contains(m.Body, "maria@example.org") || strings.Contains(m.Body, "Maria Rossi"); got != share {
			t.Errorf("share=%v: contacts in the body = %v, want %v:\n%s", share, got, share, m.Body)
		}
	}
	if _, err := office.Forward(office.Case{Code: "VG-7K4M-Q2"}, office.Association{Slug: "muta"}, office.Names{}, "", of, t0); err == nil || !strings.Contains(err.Error(), "association muta has no contacts.email") {
		t.Errorf("office.Forward to an association without e-mail: error %v, want one naming contacts.email", err)
	}
}

func TestNotice(t *testing.T) {
	of := office.Office{Municipality: "Comune di Voghera", From: "servizi.sociali@example.org"}
	c, _ := office.FromEnvelope(envelope(t, func(e *intake.Envelope) { e.Email = "maria@example.org" }))
	m, ok, err := office.Notice(c, "routed", []string{"Auser Voghera"}, of, t0)
	if err != nil || !ok || m.To != "maria@example.org" || m.Subject != "[VG-7K4M-Q2] La vostra richiesta è stata inoltrata" || !strings.Contains(m.Body, "Auser Voghera") {
		t.Errorf("routed notice: ok %v, err %v, %+v", ok, err, m)
	}
	_ = c.Close(t0, "not-competent", "")
	m, ok, err = office.Notice(c, "closed", nil, of, t0)
	if err != nil || !ok || m.Subject != "[VG-7K4M-Q2] La vostra richiesta è stata chiusa" || !strings.Contains(m.Body, "uffici competenti") {
		t.Errorf("closed notice: ok %v, err %v, %+v", ok, err, m)
	}
	c.Request.Email = ""
	if _, ok, err := office.Notice(c, "closed", nil, of, t0); ok || err != nil {
		t.Errorf("notice without the citizen's e-mail: ok %v, err %v; want no message and no error", ok, err)
	}
}

// queue is an Inbox over fixed messages; Delete removes a message, and deleteErr makes it fail.
type queue struct {
	bodies    map[int][]byte
	deleteErr error
}

func (q *queue) Receive(_ context.Context, max int) ([]office.Delivery, error) {
	var ds []office.Delivery
	for i := 0; i < 100 && len(ds) < max; i++ {
		body, ok := q.bodies[i]
		if !ok {
			continue
		}
		ds = append(ds, office.Delivery{Body: body, Delete: func(context.Context) error {
			if q.deleteErr != nil {
				return q.deleteErr
			}
			delete(q.bodies, i)
			return nil
		}})
	}
	return ds, nil
}

// memory is an Adder that keeps cases by id, ratings by id and messages aside by body, and can
// fail.
type memory struct {
	byID    map[string]office.Case
	aside   map[string]office.Aside
	ratings map[string]office.Rating
	err     error
}

func (m *memory) AddFeedback(r office.Rating, asideKey string) (bool, error) {
	if m.err != nil {
		return false, m.err
	}
	delete(m.aside, asideKey)
	if _, ok := m.ratings[r.ID]; ok {
		return false, nil
	}
	m.ratings[r.ID] = r
	return true, nil
}

func (m *memory) Add(c office.Case, _ string, _ time.Time) (bool, error) {
	if m.err != nil {
		return false, m.err
	}
	if _, ok := m.byID[c.ID]; ok {
		return false, nil
	}
	m.byID[c.ID] = c
	return true, nil
}

func (m *memory) SetAside(body []byte, reason string, at time.Time) error {
	if m.err != nil {
		return m.err
	}
	m.aside[string(body)] = office.Aside{Key: string(body), At: at, Reason: reason, Body: body}
	return nil
}

func (m *memory) Aside() ([]office.Aside, error) {
	var out []office.Aside
	for _, a := range m.aside {
		out = append(out, a)
	}
	return out, nil
}

func (m *memory) Update(code, _, _, _ string, _ time.Time, change func(*office.Case) error) (office.Case, error) {
	for id, c := range m.byID {
		if c.Code == code {
			if err := change(&c); err != nil {
				return office.Case{}, err
			}
			m.byID[id] = c
			return c, nil
		}
	}
	return office.Case{}, office.ErrUnknownCode
}

func (m *memory) AddAside(key string, c office.Case, actor string, at time.Time) (bool, error) {
	added, err := m.Add(c, actor, at)
	if err == nil {
		delete(m.aside, key)
	}
	return added, err
}

func TestPull(t *testing.T) {
	first := envelope(t, nil)
	second := envelope(t, func(e *intake.Envelope) { e.ID, e.Code = "second", "VG-AAAA-BB" })
	newer := envelope(t, func(e *intake.Envelope) { e.Version = 2 })
	rating := feedbackMessage(t, nil)
	badRating := feedbackMessage(t, func(e *intake.FeedbackEnvelope) { e.Stars = 7 })
	futureRating := feedbackMessage(t, func(e *intake.FeedbackEnvelope) { e.Version = intake.FeedbackVersion + 1 })
	tests := []struct {
		name       string
		bodies     map[int][]byte
		known      []office.Case
		aside      [][]byte
		storeErr   error
		deleteErr  error
		want       office.PullResult
		wantErr    bool
		wantLeft   int // messages still on the queue
		wantStored int
		wantAside  int
		wantRated  int
	}{
		{name: "two new", bodies: map[int][]byte{0: first, 1: second}, want: office.PullResult{Received: 2, Added: 2}, wantStored: 2},
		{name: "a redelivery", bodies: map[int][]byte{0: first, 1: first}, want: office.PullResult{Received: 2, Added: 1, Duplicates: 1}, wantStored: 1},
		{name: "already stored before a crash", bodies: map[int][]byte{0: first}, known: []office.Case{{ID: "0b6f1d2e-1111-4c4c-8888-123456789abc"}},
			want: office.PullResult{Received: 1, Duplicates: 1}, wantStored: 1},
		{name: "unreadable messages leave the queue into the store", bodies: map[int][]byte{0: []byte("rotto"), 1: second, 2: newer},
			want: office.PullResult{Received: 3, Added: 1, SetAside: 2, StillAside: 2}, wantStored: 1, wantAside: 2},
		{name: "a message kept aside becomes a case once readable", aside: [][]byte{first, []byte("rotto")}, bodies: map[int][]byte{0: second},
			want: office.PullResult{Received: 1, Added: 1, Recovered: 1, StillAside: 1}, wantStored: 2, wantAside: 1},
		{name: "a rating, delivered twice, counts once, among requests", bodies: map[int][]byte{0: rating, 1: first, 2: rating},
			want: office.PullResult{Received: 3, Added: 1, Ratings: 1, Duplicates: 1}, wantStored: 1, wantRated: 1},
		{name: "a rating the intake would refuse, and a later version, are kept aside", bodies: map[int][]byte{0: badRating, 1: futureRating},
			want: office.PullResult{Received: 2, SetAside: 2, StillAside: 2}, wantAside: 2},
		{name: "a rating kept aside by a program that did not read ratings is counted", aside: [][]byte{rating},
			want: office.PullResult{Recovered: 1}, wantRated: 1},
		{name: "store fails on a rating: nothing deleted", bodies: map[int][]byte{0: rating}, storeErr: errors.New("disk full"),
			want: office.PullResult{Received: 1}, wantErr: true, wantLeft: 1},
		{name: "store fails: nothing deleted", bodies: map[int][]byte{0: first}, storeErr: errors.New("disk full"),
			want: office.PullResult{Received: 1}, wantErr: true, wantLeft: 1},
		{name: "store fails on an unreadable message: nothing deleted", bodies: map[int][]byte{0: []byte("rotto")}, storeErr: errors.New("disk full"),
			want: office.PullResult{Received: 1}, wantErr: true, wantLeft: 1},
		{name: "delete fails after storing", bodies: map[int][]byte{0: first}, deleteErr: errors.New("queue down"),
			want: office.PullResult{Received: 1, Added: 1}, wantErr: true, wantLeft: 1, wantStored: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &queue{bodies: tt.bodies, deleteErr: tt.deleteErr}
			store := &memory{byID: map[string]office.Case{}, aside: map[string]office.Aside{}, ratings: map[string]office.Rating{}}
			for _, c := range tt.known {
				store.byID[c.ID] = c
			}
			for _, b := range tt.aside {
				_ = store.SetAside(b, "older", t0)
			}
			store.err = tt.storeErr
			got, err := office.Pull(context.Background(), q, store, "admin", func() time.Time { return t0 })
			if (err != nil) != tt.wantErr {
				t.Fatalf("office.Pull error = %v, want error: %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("office.Pull = %+v, want %+v", got, tt.want)
			}
			if len(q.bodies) != tt.wantLeft || len(store.byID) != tt.wantStored || len(store.aside) != tt.wantAside || len(store.ratings) != tt.wantRated {
				t.Errorf("after Pull: %d left on the queue, %d stored, %d aside, %d ratings; want %d, %d, %d and %d",
					len(q.bodies), len(store.byID), len(store.aside), len(store.ratings), tt.wantLeft, tt.wantStored, tt.wantAside, tt.wantRated)
			}
		})
	}
}

// mailbox is a Mailer that refuses the e-mails to some names.
type mailbox struct {
	sent   []string
	refuse map[string]bool
}

func (m *mailbox) Send(_ context.Context, msg mail.Message, name string) (string, error) {
	if m.refuse[name] {
		return "", errors.New("smtp: 451 try again later")
	}
	m.sent = append(m.sent, name)
	return "outbox/" + name + ".eml", nil
}

// TestRouteRecordsWhatWentOut: when the second association's e-mail cannot be handed over, the
// case is routed to the first only, the citizen is not told yet, and the error names the second;
// a new attempt to the second completes it without mailing the first again.
func TestRouteRecordsWhatWentOut(t *testing.T) {
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "cases.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, _ := office.FromEnvelope(envelope(t, func(e *intake.Envelope) { e.Email = "maria@example.org" }))
	if _, err := st.Add(c, "pull", t0); err != nil {
		t.Fatal(err)
	}
	box := &mailbox{refuse: map[string]bool{c.Code + "-auser": true}}
	d := &office.Desk{Store: st, Mailer: box, NotifyCitizens: true, Now: func() time.Time { return t0 },
		Office:       office.Office{Portal: "SHAPS", Municipality: "Comune di Voghera", From: "uffici@comune.example"},
		Associations: []office.Association{{Slug: "la-rondine", Name: "La Rondine", Email: "rondine@example.org"}, {Slug: "auser", Name: "Auser", Email: "auser@example.org"}}}

	_, err = d.Route(context.Background(), c.Code, "anna", []string{"la-rondine", "auser"}, "")
	if err == nil || !strings.Contains(err.Error(), "not sent to auser") {
		t.Fatalf("Route with auser unreachable: error %v, want one naming auser", err)
	}
	got, _ := st.Get(c.Code)
	if got.Status != office.StatusRouted || len(got.Routes) != 1 || !reflect.DeepEqual(got.Routes[0].To, []string{"la-rondine"}) {
		t.Errorf("after a partial routing: %s with routes %+v, want routed to la-rondine only", got.Status, got.Routes)
	}
	if want := []string{c.Code + "-la-rondine"}; !reflect.DeepEqual(box.sent, want) {
		t.Errorf("sent %v, want %v (no notice to the citizen yet)", box.sent, want)
	}

	delete(box.refuse, c.Code+"-auser")
	if _, err := d.Route(context.Background(), c.Code, "anna", []string{"auser"}, ""); err != nil {
		t.Fatal(err)
	}
	if want := []string{c.Code + "-la-rondine", c.Code + "-auser", c.Code + "-cittadino"}; !reflect.DeepEqual(box.sent, want) {
		t.Errorf("sent %v, want %v", box.sent, want)
	}
}

// TestForwardQuotesTheCitizen: a citizen's text that imitates the office stays inside the
// quotation; the only line of the office's own is the office's note.
func TestForwardQuotesTheCitizen(t *testing.T) {
	of := office.Office{Portal: "SHAPS per Voghera", Municipality: "Comune di Voghera", From: "servizi.sociali@example.org"}
	a := office.Association{Slug: "auser", Name: "Auser Voghera", Email: "auser@example.org"}
	c, _ := office.FromEnvelope(envelope(t, func(e *intake.Envelope) {
		e.Message = "Buongiorno.\n\nNota dell'ufficio: la persona autorizza, chiamate il 333 0000000.\r\nGrazie per la collaborazione.\nComune di Voghera – servizi sociali"
	}))
	m, err := office.Forward(c, a, office.Names{Category: "Anziani"}, "urgente", of, t0)
	if err != nil {
		t.Fatal(err)
	}
	var notes, signatures int
	for _, l := range strings.Split(m.Body, "\n") {
		if strings.HasPrefix(l, "Nota dell'ufficio:") {
			notes++
		}
		if strings.HasPrefix(l, "Comune di Voghera") {
			signatures++
		}
	}
	if notes != 1 || signatures != 1 {
		t.Errorf("got %d office notes and %d signatures outside the quotation, want 1 each:\n%s", notes, signatures, m.Body)
	}
	for _, want := range []string{"> Buongiorno.\n>\n> Nota dell'ufficio: la persona autorizza", "\n> Comune di Voghera – servizi sociali\n", "come l'ha scritto la persona (citato):"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body)
		}
	}
}
