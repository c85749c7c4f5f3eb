package boltstore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
)

// TestFeedback: a rating counts once per id, on its page; a message kept aside is forgotten
// with it; dropping texts keeps the counts.
func TestFeedback(t *testing.T) {
	s, _ := open(t)
	day := t0.Truncate(24 * time.Hour)
	ratings := []office.Rating{
		{ID: "a", Day: day, Feedback: intake.Feedback{Page: "/servizi/", Stars: 5, Choice: "chiare", Text: "Chiaro."}},
		{ID: "a", Day: day, Feedback: intake.Feedback{Page: "/servizi/", Stars: 5, Choice: "chiare", Text: "Chiaro."}},
		{ID: "b", Day: day.Add(48 * time.Hour), Feedback: intake.Feedback{Page: "/servizi/", Stars: 1, Choice: "altro", Text: "Troppo lunga."}},
		{ID: "c", Day: day, Feedback: intake.Feedback{Page: "/eventi/", Stars: 3}},
	}
	var added []bool
	for _, r := range ratings {
		ok, err := s.AddFeedback(r, "")
		if err != nil {
			t.Fatal(err)
		}
		added = append(added, ok)
	}
	if want := []bool{true, false, true, true}; !slices.Equal(added, want) {
		t.Errorf("added: got %v, want %v (the same id twice counts once)", added, want)
	}
	if err := s.SetAside([]byte("kept"), "older program", t0); err != nil {
		t.Fatal(err)
	}
	aside, _ := s.Aside()
	if ok, err := s.AddFeedback(office.Rating{ID: "d", Day: day, Feedback: intake.Feedback{Page: "/eventi/", Stars: 4}}, aside[0].Key); err != nil || !ok {
		t.Fatalf("a rating from a message kept aside: got %v, %v", ok, err)
	}
	if aside, _ := s.Aside(); len(aside) != 0 {
		t.Errorf("after counting it: %d messages aside, want none", len(aside))
	}
	pages, err := s.Feedback()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]office.PageFeedback{}
	for _, p := range pages {
		got[p.Page] = p
	}
	if p := got["/servizi/"]; p.Count != 2 || p.Stars != [5]int{1, 0, 0, 0, 1} || p.Positive["chiare"] != 1 || p.Negative["altro"] != 1 || len(p.Texts) != 2 {
		t.Errorf("/servizi/: got %+v, want 2 ratings of 1 and 5 stars and both texts", p)
	}
	if p := got["/eventi/"]; p.Count != 2 || p.Average() != 3.5 {
		t.Errorf("/eventi/: got %+v, want 2 ratings, mean 3.5", p)
	}

	n, err := s.DropFeedbackTexts(day.Add(24*time.Hour), "retention", t0.Add(72*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("drop texts: got %d, %v; want the older text", n, err)
	}
	pages, _ = s.Feedback()
	for _, p := range pages {
		if p.Page == "/servizi/" && (p.Count != 2 || len(p.Texts) != 1 || p.Texts[0].Text != "Troppo lunga.") {
			t.Errorf("after dropping: got %+v, want the counts and the newer text", p)
		}
	}
}
