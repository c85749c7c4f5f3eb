package office

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/status"
)

// Status is where a case stands.
type Status string

// The statuses of a case.
const (
	StatusNew    Status = "new"
	StatusRouted Status = "routed"
	StatusClosed Status = "closed"
)

// Outcomes are the ways a case can be closed.
var Outcomes = []string{"resolved", "not-competent", "duplicate", "spam"}

// Case is one request in the administrator's hands.
type Case struct {
	ID         string         `json:"id"`
	Code       string         `json:"code"`
	ReceivedAt time.Time      `json:"received_at"`
	Request    intake.Request `json:"request"`
	Status     Status         `json:"status"`
	Routes     []Route        `json:"routes,omitempty"`
	PulledAt   time.Time      `json:"pulled_at,omitzero"` // when the office took it from the queue
	ClosedAt   time.Time      `json:"closed_at,omitzero"`
	Outcome    string         `json:"outcome,omitempty"`
	CloseNote  string         `json:"close_note,omitempty"`
	PublicNote string         `json:"public_note,omitempty"` // what the office tells the citizen on the status page
	PurgedAt   time.Time      `json:"purged_at,omitzero"`
	Answers    []Answer       `json:"answers,omitempty"` // what the associations answered through their links
}

// Answer is an association's answer through its link: which association, when, what.
type Answer struct {
	At          time.Time `json:"at"`
	Association string    `json:"association"`
	Action      string    `json:"action"` // one of status.Answers
	Note        string    `json:"note,omitempty"`
}

// ErrUnknownCode is returned by a store for a code it does not hold.
var ErrUnknownCode = errors.New("no case with that code")

// ErrNotRouted is returned for an answer from an association the case was not routed to.
var ErrNotRouted = errors.New("the case was not routed to that association")

// TakenUp is the first answer by which an association took the case in charge (or said it
// resolved it), or nil.
func (c *Case) TakenUp() *Answer {
	for i, a := range c.Answers {
		if a.Action != status.AnswerNotOurs {
			return &c.Answers[i]
		}
	}
	return nil
}

// AddAnswer records an association's answer. It is refused from an association the case was not
// routed to, and on a closed case; the same answer twice is recorded once.
func (c *Case) AddAnswer(a Answer) error {
	routed := false
	for _, r := range c.Routes {
		routed = routed || slices.Contains(r.To, a.Association)
	}
	switch {
	case !routed:
		return fmt.Errorf("answer %s from %s: %w", c.Code, a.Association, ErrNotRouted)
	case c.Status == StatusClosed:
		return fmt.Errorf("answer %s from %s: %w (closed)", c.Code, a.Association, ErrState)
	}
	for _, b := range c.Answers {
		if b.Association == a.Association && b.Action == a.Action {
			return nil
		}
	}
	c.Answers = append(c.Answers, a)
	return nil
}

// Route records one forwarding of a case.
type Route struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	To   []string  `json:"to"`
	Note string    `json:"note,omitempty"`
}

// MaxPublicNote is the longest public note, in characters.
const MaxPublicNote = 500

// ErrState is returned for an action that the case's status does not allow.
var ErrState = errors.New("not allowed in this state")

// FromEnvelope makes a new case from a queue message.
func FromEnvelope(body []byte) (Case, error) {
	var env intake.Envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return Case{}, fmt.Errorf("read envelope: %w", err)
	}
	if env.Version != intake.EnvelopeVersion {
		return Case{}, fmt.Errorf("read envelope: version %d, want %d", env.Version, intake.EnvelopeVersion)
	}
	if env.ID == "" || !intake.CodeOK(env.Code) {
		return Case{}, fmt.Errorf("read envelope: missing id or code")
	}
	env.Request.Language = intake.KnownLanguage(env.Request.Language) // older messages have none: Italian
	return Case{ID: env.ID, Code: env.Code, ReceivedAt: env.ReceivedAt.UTC(), Request: env.Request, Status: StatusNew}, nil
}

// UnmarshalJSON reads a stored case; one stored before requests recorded their language, or
// with a language the portal no longer has, is in the default language.
func (c *Case) UnmarshalJSON(b []byte) error {
	type stored Case // without this method
	if err := json.Unmarshal(b, (*stored)(c)); err != nil {
		return err
	}
	c.Request.Language = intake.KnownLanguage(c.Request.Language)
	return nil
}

// RoutedAt is when the case was first routed.
func (c *Case) RoutedAt() time.Time {
	if len(c.Routes) == 0 {
		return time.Time{}
	}
	return c.Routes[0].At
}

// AddRoute records that the case was forwarded to associations.
func (c *Case) AddRoute(r Route) error {
	if c.Status == StatusClosed {
		return fmt.Errorf("route %s: %w (closed; reopen it first)", c.Code, ErrState)
	}
	if len(r.To) == 0 {
		return fmt.Errorf("route %s: no association chosen", c.Code)
	}
	c.Routes = append(c.Routes, r)
	c.Status = StatusRouted
	return nil
}

// Close closes the case with an outcome.
func (c *Case) Close(at time.Time, outcome, note string) error {
	if c.Status == StatusClosed {
		return fmt.Errorf("close %s: %w (already closed)", c.Code, ErrState)
	}
	if !slices.Contains(Outcomes, outcome) {
		return fmt.Errorf("close %s: outcome %q: want one of %v", c.Code, outcome, Outcomes)
	}
	c.Status, c.ClosedAt, c.Outcome, c.CloseNote = StatusClosed, at, outcome, note
	return nil
}

// SetPublicNote sets what the status page tells the citizen about the closed case.
func (c *Case) SetPublicNote(note string) error {
	if c.Status != StatusClosed {
		return fmt.Errorf("public note %s: %w (not closed)", c.Code, ErrState)
	}
	if utf8.RuneCountInString(note) > MaxPublicNote || !utf8.ValidString(note) {
		return fmt.Errorf("public note %s: at most %d characters", c.Code, MaxPublicNote)
	}
	c.PublicNote = note
	return nil
}

// Reopen puts a closed case back in work.
func (c *Case) Reopen() error {
	if c.Status != StatusClosed {
		return fmt.Errorf("reopen %s: %w (not closed)", c.Code, ErrState)
	}
	if !c.PurgedAt.IsZero() {
		return fmt.Errorf("reopen %s: %w (its personal data was erased)", c.Code, ErrState)
	}
	c.Status, c.ClosedAt, c.Outcome, c.CloseNote, c.PublicNote = StatusNew, time.Time{}, "", "", ""
	if len(c.Routes) > 0 {
		c.Status = StatusRouted
	}
	return nil
}

// Purge erases what could identify the citizen — the message, the name, the contacts, the
// notes — keeping what the statistics need: kind, category, dates, associations, outcome, and
// the area only when it is one of the portal's known areas (a typed street would identify).
func (c *Case) Purge(at time.Time, areas []string) {
	r := &c.Request
	r.Message, r.Name, r.Email, r.Phone = "", "", "", ""
	r.Area = KnownArea(r.Area, areas)
	c.CloseNote, c.PublicNote = "", ""
	for i := range c.Routes {
		c.Routes[i].Note = ""
	}
	for i := range c.Answers {
		c.Answers[i].Note = ""
	}
	c.PurgedAt = at
}
