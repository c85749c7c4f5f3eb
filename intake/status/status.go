package status

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"
)

// The steps of a request, in order, as the citizen sees them.
const (
	Received  = "ricevuta"        // sent: from the moment the thanks page shows
	Read      = "letta"           // in the office's hands
	Forwarded = "inoltrata"       // routed to one or more associations
	TakenUp   = "presa-in-carico" // an association said it takes care of it
	Closed    = "chiusa"          // closed, with an outcome
	Concluded = "conclusa"        // closed long ago, its personal data erased: nothing more is kept
)

// Steps lists the steps a record may hold, in order.
var Steps = []string{Received, Read, Forwarded, TakenUp, Closed}

// Version is the version of a record's format on the board.
const Version = 1

// DateLayout is how a record writes its dates: a day in the portal's timezone.
const DateLayout = "2006-01-02"

// Record is what the board keeps of a request: only what its status page shows, and no personal
// data — no message, no name, no contact, no area.
type Record struct {
	Version  int    `json:"v"`
	Code     string `json:"code"`
	Kind     string `json:"kind"`
	Category string `json:"category"` // the category's id
	Received string `json:"received"` // YYYY-MM-DD
	Steps    []Step `json:"steps"`
	Outcome  string `json:"outcome,omitempty"` // the outcome's id, once closed
	Note     string `json:"note,omitempty"`    // what the office wrote for the citizen
	// Associations are the slugs of the associations the request went to; the page names them
	// only when the portal says so.
	Associations []string `json:"associations,omitempty"`
	// Answered are the answers the associations gave through their links, so that a link used
	// again is known for what it is.
	Answered []Answered `json:"answered,omitempty"`
}

// Answered is one answer given: which association, which answer.
type Answered struct {
	Association string `json:"association"`
	Action      string `json:"action"`
}

// Step is one step with its day.
type Step struct {
	Step string `json:"step"`
	Date string `json:"date"`
}

// Status is the record's last step; a record without steps is a request concluded and erased.
func (r Record) Status() string {
	if len(r.Steps) == 0 {
		return Concluded
	}
	return r.Steps[len(r.Steps)-1].Step
}

// codeShape is what a record's code looks like: it names the record's file or object, so it may
// not hold anything that walks a path.
var codeShape = regexp.MustCompile(`^[A-Z]{1,4}-[0-9A-Z]{4}-[0-9A-Z]{2}(-[2-9])?$`)

// ValidCode reports whether code can name a record.
func ValidCode(code string) bool { return codeShape.MatchString(code) }

// ObjectPrefix is where the records lie in a bucket, for the IAM policy and the lifecycle rule;
// ObjectKey names one record there.
const ObjectPrefix = "status/"

// ObjectKey is the name of code's record in a bucket; code must be ValidCode.
func ObjectKey(code string) string { return ObjectPrefix + code + ".json" }

// Validate checks a record before it is written or after it is read.
func (r Record) Validate() error {
	switch {
	case r.Version != Version:
		return fmt.Errorf("status record %s: version %d, want %d", r.Code, r.Version, Version)
	case !ValidCode(r.Code):
		return fmt.Errorf("status record: code %q is not a request's code", r.Code)
	}
	if _, err := time.Parse(DateLayout, r.Received); err != nil {
		return fmt.Errorf("status record %s: received %q: want YYYY-MM-DD", r.Code, r.Received)
	}
	for _, s := range r.Steps {
		if !slices.Contains(Steps, s.Step) {
			return fmt.Errorf("status record %s: unknown step %q", r.Code, s.Step)
		}
		if _, err := time.Parse(DateLayout, s.Date); err != nil {
			return fmt.Errorf("status record %s: step %s: date %q: want YYYY-MM-DD", r.Code, s.Step, s.Date)
		}
	}
	return nil
}

// ErrNotFound is returned by a board that holds no record for a code.
var ErrNotFound = errors.New("no status for that code")

// Reader reads the board: the status page's side.
type Reader interface {
	Get(ctx context.Context, code string) (Record, error)
}

// Board is where the office publishes statuses and the function reads them: one small record
// per request, written on every change and deleted when the request's data is erased.
type Board interface {
	Reader
	Put(ctx context.Context, r Record) error
	Delete(ctx context.Context, code string) error
}

// Pending is how long after its receipt a request may wait on the queue before the office takes
// it in: the queue keeps a message 14 days. A valid key with no record on the board is a request
// still on the queue within that time, and one concluded and erased after it.
const Pending = 14 * 24 * time.Hour

// Lookup is what a valid pair finds: the record, or, when the board has none, the status the
// request's age implies.
func Lookup(ctx context.Context, b Reader, code string, received, now time.Time) (Record, error) {
	r, err := b.Get(ctx, code)
	switch {
	case err == nil:
		return r, nil
	case !errors.Is(err, ErrNotFound):
		return Record{}, err
	}
	r = Record{Version: Version, Code: code, Received: received.Format(DateLayout),
		Steps: []Step{{Step: Received, Date: received.Format(DateLayout)}}}
	if now.Sub(received) > Pending {
		r.Steps = nil // the request's data was erased: only its code and date remain known
	}
	return r, nil
}
