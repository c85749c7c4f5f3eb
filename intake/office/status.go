package office

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/site/routes"
)

// StatusBoard is where the desk publishes each case's status for the citizen: written on every
// change, deleted when the case's personal data is erased.
type StatusBoard interface {
	Put(ctx context.Context, r status.Record) error
	Delete(ctx context.Context, code string) error
}

// StatusRecord is what the citizen's status page may show of the case, with days in loc: its
// kind, category and steps, the outcome and the public note, the associations' slugs; nothing
// that could identify the citizen.
func (c *Case) StatusRecord(loc *time.Location) status.Record {
	day := func(t time.Time) string { return t.In(loc).Format(status.DateLayout) }
	r := status.Record{Version: status.Version, Code: c.Code, Kind: c.Request.Kind, Category: c.Request.Category, Received: day(c.ReceivedAt)}
	r.Steps = append(r.Steps, status.Step{Step: status.Received, Date: day(c.ReceivedAt)})
	read := c.PulledAt
	if read.IsZero() {
		read = c.ReceivedAt // a case pulled before the time of pulling was kept
	}
	r.Steps = append(r.Steps, status.Step{Step: status.Read, Date: day(read)})
	if len(c.Routes) > 0 {
		r.Steps = append(r.Steps, status.Step{Step: status.Forwarded, Date: day(c.RoutedAt())})
		for _, rt := range c.Routes {
			for _, a := range rt.To {
				if !slices.Contains(r.Associations, a) {
					r.Associations = append(r.Associations, a)
				}
			}
		}
	}
	for _, a := range c.Answers {
		r.Answered = append(r.Answered, status.Answered{Association: a.Association, Action: a.Action})
	}
	if a := c.TakenUp(); a != nil {
		r.Steps = append(r.Steps, status.Step{Step: status.TakenUp, Date: day(a.At)})
	}
	if c.Status == StatusClosed {
		r.Steps = append(r.Steps, status.Step{Step: status.Closed, Date: day(c.ClosedAt)})
		r.Outcome, r.Note = c.Outcome, c.PublicNote
	}
	return r
}

// StatusURL is the address of the case's status page, with its key, on the portal at baseURL.
// A case whose code was given a suffix (see the case store's Add) has its own key for it.
func StatusURL(baseURL, lang, code string, received time.Time, keys *status.Signer) string {
	return strings.TrimSuffix(baseURL, "/") + routes.InLanguage(lang, routes.Status) + "?codice=" + code + "&chiave=" + keys.Key(code, received)
}

// AnswerURL is the address of an association's answer link, signed with keys.
func AnswerURL(baseURL string, a status.Answer, keys *status.Signer) string {
	q := url.Values{"codice": {a.Code}, "associazione": {a.Association}, "azione": {a.Action},
		"scade": {strconv.FormatInt(a.Expires.Unix(), 10)}, "firma": {keys.SignAnswer(a)}}
	return strings.TrimSuffix(baseURL, "/") + routes.Answer + "?" + q.Encode()
}

// publish writes the case's status on the board; a failure is reported, the change stays.
func (d *Desk) publish(ctx context.Context, c Case) error {
	if d.Board == nil || !c.PurgedAt.IsZero() {
		return nil
	}
	if err := d.Board.Put(ctx, c.StatusRecord(d.Office.location())); err != nil {
		return fmt.Errorf("%s is recorded, but its status page is not updated: %w", c.Code, err)
	}
	return nil
}

// NotifyTakenUp tells the citizen of the case with code, when they left an e-mail, that an
// association took their request in charge.
func (d *Desk) NotifyTakenUp(ctx context.Context, code string) error {
	c, err := d.Store.Get(code)
	if err != nil {
		return err
	}
	a := c.TakenUp()
	if a == nil {
		return nil
	}
	return d.notifyAs(ctx, c, "taken", []string{d.AssociationName(a.Association)})
}

// Publish writes the status of the case with code.
func (d *Desk) Publish(ctx context.Context, code string) error {
	c, err := d.Store.Get(code)
	if err != nil {
		return err
	}
	return d.publish(ctx, c)
}

// PublishNew writes the status of every case still new: after a pull, the cases the office has
// just taken in are "letta". Writing again what is there already does no harm, so a failed
// write heals on the next pull.
func (d *Desk) PublishNew(ctx context.Context) (int, error) {
	if d.Board == nil {
		return 0, nil
	}
	all, err := d.Store.All()
	if err != nil {
		return 0, fmt.Errorf("publish: %w", err)
	}
	n := 0
	for _, c := range all {
		if c.Status != StatusNew || !c.PurgedAt.IsZero() {
			continue
		}
		if err := d.publish(ctx, c); err != nil {
			return n, fmt.Errorf("publish: %w", err)
		}
		n++
	}
	return n, nil
}

// Overdue reports whether the case waits on the associations too long: routed, still open, and
// taken in charge by none of them after days working days (Monday to Friday, in loc) from its
// first routing. days 0 turns it off.
func (c *Case) Overdue(days int, now time.Time, loc *time.Location) bool {
	if days <= 0 || c.Status != StatusRouted || c.TakenUp() != nil {
		return false
	}
	return workingDays(c.RoutedAt().In(loc), now.In(loc)) >= days
}

// workingDays counts the days from Monday to Friday after from's day up to to's day.
func workingDays(from, to time.Time) int {
	n := 0
	day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, from.Location())
	last := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, to.Location())
	for day = day.AddDate(0, 0, 1); !day.After(last); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// Remind sends the associations a case was routed to, and that have not answered, its e-mail
// again, with fresh answer links; it returns where each went.
func (d *Desk) Remind(ctx context.Context, code, actor string) ([]string, error) {
	c, err := d.Store.Get(code)
	if err != nil {
		return nil, err
	}
	if c.Status != StatusRouted {
		return nil, fmt.Errorf("remind %s: %w (only a routed, open case)", code, ErrState)
	}
	now := d.Now()
	var slugs []string
	for _, rt := range c.Routes {
		for _, s := range rt.To {
			answered := slices.ContainsFunc(c.Answers, func(a Answer) bool { return a.Association == s })
			if !answered && !slices.Contains(slugs, s) {
				slugs = append(slugs, s)
			}
		}
	}
	if len(slugs) == 0 {
		return nil, fmt.Errorf("remind %s: every association it went to has answered", code)
	}
	var sent []string
	for _, s := range slugs {
		i := slices.IndexFunc(d.Associations, func(a Association) bool { return a.Slug == s })
		if i < 0 {
			return sent, fmt.Errorf("remind %s: no association %q in the portal's data", code, s)
		}
		m, err := Forward(c, d.Associations[i], Names{Category: d.Categories[c.Request.Category], Service: d.Services[c.Request.Service]}, "", d.Office, now)
		if err != nil {
			return sent, err
		}
		where, err := d.Mailer.Send(ctx, m, code+"-"+s)
		if err != nil {
			return sent, fmt.Errorf("remind %s: not sent to %s: %w", code, s, err)
		}
		sent = append(sent, where)
	}
	_, err = d.Store.Update(code, actor, "reminded", "to "+strings.Join(slugs, ","), now, func(*Case) error { return nil })
	return sent, err
}
