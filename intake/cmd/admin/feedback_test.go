package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/spool"
)

// rate sends a page's rating through the intake into the spool, as the pages' form does.
func (e *env) rate(f intake.Feedback) {
	e.t.Helper()
	s, err := spool.Open(e.vars["SHAPS_SPOOL_DIR"])
	if err != nil {
		e.t.Fatal(err)
	}
	in := &intake.Intake{Queue: s, Now: func() time.Time { return e.clock }}
	if errs, err := in.SubmitFeedback(context.Background(), f); err != nil || errs != nil {
		e.t.Fatalf("rate: %v %v", errs, err)
	}
}

// TestFeedbackEndToEnd: the ratings the intake puts in the spool reach the case store on a
// pull, beside a request, and the statistics show them per page; a purge erases their texts
// and keeps their counts.
func TestFeedbackEndToEnd(t *testing.T) {
	e := newEnv(t)
	const card = "/servizi/croce-azzurra-oltrepo/trasporto-sanitario/"
	e.rate(intake.Feedback{Page: card, Stars: 5, Choice: "chiare", Text: "Chiarissimo <b>grazie</b>"})
	e.clock = e.clock.Add(24 * time.Hour)
	e.rate(intake.Feedback{Page: card, Stars: 2, Choice: "incomplete", Text: "Mancano gli orari."})
	e.rate(intake.Feedback{Page: card, Stars: 4})
	e.rate(intake.Feedback{Page: "/servizi/", Stars: 1, Choice: "altro"})
	e.submit(report)

	if out := e.admin("pull"); !strings.Contains(out, "received 5, new cases 1") || !strings.Contains(out, "pages' ratings counted 4") {
		t.Fatalf("pull: got %q, want 1 case and 4 ratings", out)
	}
	if out := e.admin("pull"); !strings.Contains(out, "received 0") {
		t.Fatalf("second pull: got %q, want nothing left", out)
	}
	type page struct {
		Page     string
		Count    int
		Average  float64
		Stars    [5]int
		Positive map[string]int
		Negative map[string]int
		Recent   []struct {
			Stars int
			Text  string
		}
	}
	stats := func() []page {
		t.Helper()
		var s struct {
			Total    int
			Feedback []page
		}
		out := e.admin("stats")
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "<b>") {
			t.Errorf("stats: got a text unescaped\n%s", out)
		}
		return s.Feedback
	}
	got := stats()
	if len(got) != 2 || got[0].Page != card || got[1].Page != "/servizi/" {
		t.Fatalf("stats: got %+v, want the card then /servizi/", got)
	}
	c := got[0]
	if c.Count != 3 || c.Average != 3.67 || c.Stars != [5]int{0, 1, 0, 1, 1} || c.Positive["chiare"] != 1 || c.Negative["incomplete"] != 1 || c.Positive["altro"] != 0 {
		t.Errorf("the card: got %+v, want 3 ratings, mean 3.67, one each of 2, 4 and 5 stars, one clear, one incomplete", c)
	}
	if len(c.Recent) != 2 || c.Recent[0].Text != "Mancano gli orari." || c.Recent[1].Text != "Chiarissimo <b>grazie</b>" {
		t.Errorf("the card's texts: got %+v, want both, newest first", c.Recent)
	}
	if s := got[1]; s.Count != 1 || s.Negative["altro"] != 1 || s.Positive["altro"] != 0 || len(s.Recent) != 0 {
		t.Errorf("/servizi/: got %+v, want one rating of 1 star, altro among the negative", s)
	}

	e.clock = e.clock.Add(48 * time.Hour)
	if out := e.admin("purge", "-older-than", "1d"); !strings.Contains(out, "erased 2 text(s) of the pages' ratings") {
		t.Errorf("purge: got %q, want the 2 texts erased", out)
	}
	got = stats()
	if len(got) != 2 || got[0].Count != 3 || len(got[0].Recent) != 0 {
		t.Errorf("after the purge: got %+v, want the counts and no texts", got)
	}
	if b := mustRead(t, e.vars["SHAPS_CASES"]); bytes.Contains(b, []byte("Mancano gli orari")) {
		t.Error("the store file still holds a purged text")
	}
}
