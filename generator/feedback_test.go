package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/intake"
)

// TestFeedbackWithoutScript rates a service card in Chromium with JavaScript off: the follow-up
// question that fits the stars shows as they are chosen, with the mouse or the arrows, the stars
// fill up to the one chosen, and the form reaches the intake's queue and thanks with a link back.
func TestFeedbackWithoutScript(t *testing.T) {
	const card = "/servizi/filo-d-argento-iriense/telefono-amico/"
	out := buildSite(t, "../data")
	p := startPortal(t, out, "../data", nil)
	r := runBrowser(t, "feedback", p.URL, "", "SHAPS_PAGE="+card)
	f := r.Feedback
	for _, c := range []struct{ what, got, want string }{
		{"follow-up shown before any star", f.Before, ""},
		{"follow-up shown after 2 stars", f.AfterTwo, "negative"},
		{"focus after two arrows from 2 stars", f.Focused, "fb-stars-4"},
		{"follow-up shown after 4 stars", f.AfterFour, "positive"},
		{"thanks page", f.H1, "Grazie per la valutazione"},
		{"link back", f.Back, card},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
	if f.FocusOutline == "" || f.FocusOutline == "none" {
		t.Errorf("the focused star's outline: got %q, want a visible one", f.FocusOutline)
	}
	if want := []bool{true, true, true, true, false}; !reflect.DeepEqual(f.Filled, want) {
		t.Errorf("stars filled after 4: got %v, want %v", f.Filled, want)
	}
	checkAxe(t, r, 2)

	// The page with the follow-up shown and the thanks page were checked by axe in a browser
	// with JavaScript, whose rating, 4 stars alone, came too.
	files, _ := filepath.Glob(filepath.Join(p.Spool, "new", "*.json"))
	var got []intake.Feedback
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var env intake.FeedbackEnvelope
		if err := json.Unmarshal(b, &env); err != nil || env.Type != intake.TypeFeedback {
			t.Fatalf("queued: got %s (%v), want a rating", b, err)
		}
		got = append(got, env.Feedback)
	}
	want := []intake.Feedback{{Page: card, Stars: 4}, {Page: card, Stars: 4, Choice: "chiare", Text: "Chiaro."}}
	slices.SortFunc(got, func(a, b intake.Feedback) int { return strings.Compare(a.Text, b.Text) })
	if !reflect.DeepEqual(got, want) {
		t.Errorf("queued: got %+v, want %+v", got, want)
	}
}
