package office

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/status"
)

// Delivery is a message taken from the queue; Delete removes it there once it is stored here.
type Delivery struct {
	Body   []byte
	Delete func(context.Context) error
}

// Inbox is the reading side of the queue.
type Inbox interface {
	Receive(ctx context.Context, max int) ([]Delivery, error)
}

// Adder stores new cases, once per id, records the associations' answers and counts the pages'
// ratings, and keeps the messages it cannot read.
type Adder interface {
	Add(c Case, actor string, at time.Time) (bool, error)
	Update(code, actor, action, detail string, at time.Time, change func(*Case) error) (Case, error)
	SetAside(body []byte, reason string, at time.Time) error
	Aside() ([]Aside, error)
	AddAside(key string, c Case, actor string, at time.Time) (bool, error)
	// AddFeedback counts a page's rating, once per id; with asideKey, it also forgets the
	// message kept aside under that key, together.
	AddFeedback(r Rating, asideKey string) (bool, error)
}

// Aside is a message that could not be read as a case: kept in the case store, out of the queue,
// and read again on every pull (a newer version of this program may read it).
type Aside struct {
	Key    string    `json:"key"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
	Body   []byte    `json:"body"`
}

// PullResult counts what a pull did.
type PullResult struct {
	Received, Added, Duplicates int
	SetAside                    int // unreadable messages moved from the queue into the store
	Answers                     int // associations' answers recorded on their cases
	// Refused are the answers not recorded: for a case not routed to that association, a
	// closed case or an unknown code. They leave the queue.
	Refused  int
	Answered []string // the codes of the cases an answer changed, whose status is to be written
	// TakenUp are the codes of the cases an association took in charge for the first time: the
	// citizen is told.
	TakenUp    []string
	Ratings    int // pages' ratings counted
	Recovered  int // messages kept aside earlier that became cases or ratings
	StillAside int // messages kept aside, after the pull
}

// Pull moves every waiting message into the case store, deleting each from the queue only after
// it is stored. A message seen again (a crash between storing and deleting, a redelivery) finds
// its case already there and is only deleted. A message that cannot be read as a case is kept
// aside in the store, never dropped, and read again on the next pulls.
func Pull(ctx context.Context, in Inbox, store Adder, actor string, now func() time.Time) (PullResult, error) {
	var r PullResult
	aside, err := store.Aside()
	if err != nil {
		return r, fmt.Errorf("pull: %w", err)
	}
	for _, a := range aside {
		// A rating kept aside by a program that did not read ratings yet.
		if rt, ok := FromFeedback(a.Body); ok {
			added, err := store.AddFeedback(rt, a.Key)
			if err != nil {
				return r, fmt.Errorf("pull: %w", err)
			}
			if added {
				r.Recovered++
			}
			continue
		}
		c, err := FromEnvelope(a.Body)
		if err != nil {
			continue
		}
		c.PulledAt = now()
		added, err := store.AddAside(a.Key, c, actor, now())
		if err != nil {
			return r, fmt.Errorf("pull: %w", err)
		}
		if added {
			r.Recovered++
		}
	}
	for {
		ds, err := in.Receive(ctx, 10)
		if err != nil {
			return r, r.count(store, err)
		}
		if len(ds) == 0 {
			return r, r.count(store, nil)
		}
		for _, d := range ds {
			r.Received++
			if a, code, ok := FromAnswer(d.Body); ok {
				if err := r.apply(store, code, a); err != nil {
					return r, fmt.Errorf("pull: %w", err)
				}
				if err := d.Delete(ctx); err != nil {
					return r, fmt.Errorf("pull: %w", err)
				}
				continue
			}
			if rt, ok := FromFeedback(d.Body); ok {
				added, err := store.AddFeedback(rt, "")
				if err != nil {
					return r, fmt.Errorf("pull: %w", err)
				}
				if added {
					r.Ratings++
				} else {
					r.Duplicates++
				}
				if err := d.Delete(ctx); err != nil {
					return r, fmt.Errorf("pull: %w", err)
				}
				continue
			}
			c, err := FromEnvelope(d.Body)
			if err != nil {
				if err := store.SetAside(d.Body, err.Error(), now()); err != nil {
					return r, fmt.Errorf("pull: %w", err)
				}
				r.SetAside++
			} else {
				c.PulledAt = now()
				added, err := store.Add(c, actor, c.PulledAt)
				if err != nil {
					return r, fmt.Errorf("pull: %w", err)
				}
				if added {
					r.Added++
				} else {
					r.Duplicates++
				}
			}
			if err := d.Delete(ctx); err != nil {
				return r, fmt.Errorf("pull: %w", err)
			}
		}
	}
}

// count fills in how many messages stay aside.
func (r *PullResult) count(store Adder, err error) error {
	aside, aerr := store.Aside()
	r.StillAside = len(aside)
	if err != nil {
		return err
	}
	return aerr
}

// FromAnswer reads an association's answer from a queue message; ok is false for any other
// message.
func FromAnswer(body []byte) (Answer, string, bool) {
	var env intake.AnswerEnvelope
	if json.Unmarshal(body, &env) != nil || env.Version != intake.AnswerVersion || env.Type != intake.TypeAnswer ||
		!intake.CodeOK(env.Code) || !slices.Contains(status.Answers, env.Action) || env.Association == "" {
		return Answer{}, "", false
	}
	return Answer{At: env.AnsweredAt.UTC(), Association: env.Association, Action: env.Action, Note: env.Note}, env.Code, true
}

// apply records an answer on its case, audited as the association's; an answer the case refuses
// is counted and dropped.
func (r *PullResult) apply(store Adder, code string, a Answer) error {
	first := false
	_, err := store.Update(code, "associazione:"+a.Association, "answered", a.Action, a.At, func(c *Case) error {
		before := c.TakenUp()
		if err := c.AddAnswer(a); err != nil {
			return err
		}
		first = before == nil && c.TakenUp() != nil
		return nil
	})
	switch {
	case err == nil:
		r.Answers++
		if first {
			r.TakenUp = append(r.TakenUp, code)
		}
		if !slices.Contains(r.Answered, code) {
			r.Answered = append(r.Answered, code)
		}
		return nil
	case errors.Is(err, ErrNotRouted), errors.Is(err, ErrState), errors.Is(err, ErrUnknownCode):
		r.Refused++
		return nil
	}
	return err
}
