package intake

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// FeedbackVersion marks a page's rating on the queue. A version above AnswerVersion makes a
// program that reads only requests and answers keep the message aside instead of misreading it.
const FeedbackVersion = 3

// TypeFeedback is the type of a rating message.
const TypeFeedback = "feedback"

// Limits of a rating.
const (
	MinStars        = 1
	MaxStars        = 5
	PositiveFrom    = 4 // 4 and 5 stars are a positive rating, 1 to 3 a negative one, as in the model
	MaxFeedbackText = 200
	MaxFeedbackPage = 200
)

// The follow-up choices of the Designers Italia model, by their keys: their texts are the
// portal's messages feedback_choice_<key>. "altro" is in both sets.
var (
	PositiveChoices = []string{"chiare", "complete", "procedura", "nessun-problema", "altro"}
	NegativeChoices = []string{"non-chiare", "incomplete", "procedura-incerta", "problemi-tecnici", "altro"}
)

// Feedback is how clear a page of the portal was to someone: no name, no address, no device.
type Feedback struct {
	Page   string `json:"page"`             // the page's path on the portal, e.g. /servizi/la-rondine/pasti/
	Stars  int    `json:"stars"`            // 1 to 5
	Choice string `json:"choice,omitempty"` // a key of the follow-up choices for the stars' polarity
	Text   string `json:"text,omitempty"`   // what the person added, at most MaxFeedbackText characters
}

// Positive reports whether the rating is positive (4 or 5 stars).
func (f Feedback) Positive() bool { return f.Stars >= PositiveFrom }

// Choices are the follow-up choices for the rating's polarity.
func (f Feedback) Choices() []string {
	if f.Positive() {
		return PositiveChoices
	}
	return NegativeChoices
}

// Normalize trims the text fields.
func (f *Feedback) Normalize() {
	f.Page, f.Choice, f.Text = strings.TrimSpace(f.Page), strings.TrimSpace(f.Choice), strings.TrimSpace(f.Text)
}

// Validate returns the fields that cannot be taken, each with the key of its message.
func (f Feedback) Validate() FieldErrors {
	errs := FieldErrors{}
	if !PagePathOK(f.Page) {
		errs["page"] = "feedback_err_page"
	}
	if f.Stars < MinStars || f.Stars > MaxStars {
		errs["stars"] = "feedback_err_stars"
	} else if f.Choice != "" && !slices.Contains(f.Choices(), f.Choice) {
		errs["choice"] = "feedback_err_choice"
	}
	switch {
	case !utf8.ValidString(f.Text) || strings.ContainsFunc(f.Text, unicode.IsControl):
		errs["text"] = "feedback_err_text"
	case utf8.RuneCountInString(f.Text) > MaxFeedbackText:
		errs["text"] = "feedback_err_text_long"
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// PagePathOK reports whether p has the shape of a path of the portal's pages: /, or lowercase
// letters, digits and hyphens in segments between slashes, ending with one.
func PagePathOK(p string) bool {
	if len(p) == 0 || len(p) > MaxFeedbackPage || p[0] != '/' || p[len(p)-1] != '/' {
		return false
	}
	if p == "/" {
		return true
	}
	for _, seg := range strings.Split(p[1:len(p)-1], "/") {
		if seg == "" || seg[0] == '-' {
			return false
		}
		for _, c := range seg {
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
				return false
			}
		}
	}
	return true
}

// FeedbackEnvelope is a rating as the queue carries it: its id, for the reader to take it once,
// and the day it came, no finer.
type FeedbackEnvelope struct {
	Version int       `json:"version"`
	Type    string    `json:"type"`
	ID      string    `json:"id"`
	Day     time.Time `json:"day"`
	Feedback
}

// SubmitFeedback checks f and puts it on the queue. It returns field errors when f cannot be
// taken, and an error wrapping ErrQueue when it could not be stored; only a nil error means it
// is stored.
func (in *Intake) SubmitFeedback(ctx context.Context, f Feedback) (FieldErrors, error) {
	f.Normalize()
	if errs := f.Validate(); errs != nil {
		return errs, nil
	}
	now := in.Now().UTC()
	id := uuid.New().String()
	body, err := json.Marshal(FeedbackEnvelope{Version: FeedbackVersion, Type: TypeFeedback, ID: id,
		Day: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), Feedback: f})
	if err != nil {
		return nil, fmt.Errorf("encode feedback: %w", err)
	}
	if err := in.Queue.Enqueue(ctx, Message{ID: id, Body: body}); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrQueue, err)
	}
	return nil, nil
}
