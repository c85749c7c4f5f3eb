package intake_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
)

func TestFeedbackValidate(t *testing.T) {
	good := intake.Feedback{Page: "/servizi/alfa/trasporto/", Stars: 4, Choice: "chiare", Text: "Tutto chiaro."}
	with := func(change func(*intake.Feedback)) intake.Feedback { f := good; change(&f); return f }
	tests := []struct {
		name string
		f    intake.Feedback
		want intake.FieldErrors
	}{
		{"good", good, nil},
		{"home page", with(func(f *intake.Feedback) { f.Page = "/" }), nil},
		{"no choice, no text", with(func(f *intake.Feedback) { f.Choice, f.Text = "", "" }), nil},
		{"negative with its choice", with(func(f *intake.Feedback) { f.Stars, f.Choice = 2, "problemi-tecnici" }), nil},
		{"altro in both", with(func(f *intake.Feedback) { f.Stars, f.Choice = 1, "altro" }), nil},
		{"text of the longest", with(func(f *intake.Feedback) { f.Text = strings.Repeat("è", intake.MaxFeedbackText) }), nil},
		{"another site", with(func(f *intake.Feedback) { f.Page = "https://example.org/" }), intake.FieldErrors{"page": "feedback_err_page"}},
		{"protocol-relative", with(func(f *intake.Feedback) { f.Page = "//example.org/" }), intake.FieldErrors{"page": "feedback_err_page"}},
		{"dot segments", with(func(f *intake.Feedback) { f.Page = "/servizi/../admin/" }), intake.FieldErrors{"page": "feedback_err_page"}},
		{"query", with(func(f *intake.Feedback) { f.Page = "/servizi/?x=1" }), intake.FieldErrors{"page": "feedback_err_page"}},
		{"markup", with(func(f *intake.Feedback) { f.Page = "/<script>/" }), intake.FieldErrors{"page": "feedback_err_page"}},
		{"no final slash", with(func(f *intake.Feedback) { f.Page = "/servizi" }), intake.FieldErrors{"page": "feedback_err_page"}},
		{"empty page", with(func(f *intake.Feedback) { f.Page = "" }), intake.FieldErrors{"page": "feedback_err_page"}},
		{"too long a page", with(func(f *intake.Feedback) { f.Page = "/" + strings.Repeat("a", intake.MaxFeedbackPage) + "/" }), intake.FieldErrors{"page": "feedback_err_page"}},
		{"no stars", with(func(f *intake.Feedback) { f.Stars, f.Choice = 0, "" }), intake.FieldErrors{"stars": "feedback_err_stars"}},
		{"six stars", with(func(f *intake.Feedback) { f.Stars = 6 }), intake.FieldErrors{"stars": "feedback_err_stars"}},
		{"negative choice for 5 stars", with(func(f *intake.Feedback) { f.Stars, f.Choice = 5, "non-chiare" }), intake.FieldErrors{"choice": "feedback_err_choice"}},
		{"positive choice for 3 stars", with(func(f *intake.Feedback) { f.Stars, f.Choice = 3, "chiare" }), intake.FieldErrors{"choice": "feedback_err_choice"}},
		{"unknown choice", with(func(f *intake.Feedback) { f.Choice = "ottimo" }), intake.FieldErrors{"choice": "feedback_err_choice"}},
		{"text too long", with(func(f *intake.Feedback) { f.Text = strings.Repeat("a", intake.MaxFeedbackText+1) }), intake.FieldErrors{"text": "feedback_err_text_long"}},
		{"control character", with(func(f *intake.Feedback) { f.Text = "ciao\x1b[2J" }), intake.FieldErrors{"text": "feedback_err_text"}},
		{"new line", with(func(f *intake.Feedback) { f.Text = "riga\nriga" }), intake.FieldErrors{"text": "feedback_err_text"}},
		{"invalid UTF-8", with(func(f *intake.Feedback) { f.Text = "\xff" }), intake.FieldErrors{"text": "feedback_err_text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.f.Validate()
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("field %s: got %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestSubmitFeedback(t *testing.T) {
	q := &memQueue{}
	at := time.Date(2026, 11, 25, 17, 42, 7, 0, time.UTC)
	in := &intake.Intake{Queue: q, Now: func() time.Time { return at }}
	errs, err := in.SubmitFeedback(context.Background(), intake.Feedback{Page: " /servizi/ ", Stars: 2, Choice: "incomplete", Text: " Mancano gli orari. "})
	if errs != nil || err != nil {
		t.Fatalf("got %v, %v; want it queued", errs, err)
	}
	if len(q.msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(q.msgs))
	}
	var env intake.FeedbackEnvelope
	if err := json.Unmarshal(q.msgs[0].Body, &env); err != nil {
		t.Fatal(err)
	}
	want := intake.FeedbackEnvelope{Version: intake.FeedbackVersion, Type: intake.TypeFeedback, ID: q.msgs[0].ID,
		Day: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Feedback: intake.Feedback{Page: "/servizi/", Stars: 2, Choice: "incomplete", Text: "Mancano gli orari."}}
	if env != want || env.ID == "" {
		t.Errorf("queued: got %+v, want %+v", env, want)
	}
	if b := string(q.msgs[0].Body); strings.Contains(b, "17:42") {
		t.Errorf("queued %s: got the time of day, want the day only", b)
	}

	if errs, _ := in.SubmitFeedback(context.Background(), intake.Feedback{Page: "/", Stars: 9}); errs["stars"] == "" || len(q.msgs) != 1 {
		t.Errorf("9 stars: got %v and %d messages, want a field error and nothing queued", errs, len(q.msgs))
	}
	q.fail = errors.New("down")
	if _, err := in.SubmitFeedback(context.Background(), intake.Feedback{Page: "/", Stars: 5}); !errors.Is(err, intake.ErrQueue) {
		t.Errorf("queue down: got %v, want ErrQueue", err)
	}
}
