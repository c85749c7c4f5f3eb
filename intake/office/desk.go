package office

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office/mail"
)

// Store is what the desk needs of the case store.
type Store interface {
	Get(code string) (Case, error)
	All() ([]Case, error)
	Update(code, actor, action, detail string, at time.Time, change func(*Case) error) (Case, error)
	Aside() ([]Aside, error)
	DropAside(before time.Time, actor string, at time.Time) (int, error)
	Feedback() ([]PageFeedback, error)
	DropFeedbackTexts(before time.Time, actor string, at time.Time) (int, error)
	Compact() error
}

// Mailer hands an e-mail over for delivery; name helps to recognise it.
type Mailer interface {
	Send(ctx context.Context, m mail.Message, name string) (string, error)
}

// Desk is the administrator's work on cases, the same from the command line and the web.
type Desk struct {
	Store        Store
	Mailer       Mailer
	Associations []Association
	Categories   map[string]string // id → label
	Services     map[string]string // association/slug → title
	Areas        []string          // the portal's known areas, the only ones a purge or an export keeps
	Copies       Eraser            // where copies of the e-mails stay, erased by Purge; nil: none
	Vault        Vault             // where backups are kept, pruned by Purge; nil: none
	Office       Office
	Now          func() time.Time
	// NotifyCitizens sends the citizen, when they left an e-mail, a notice on routing and closing.
	NotifyCitizens bool
	// Board receives each case's status on every change, for the citizen's status page; nil:
	// none.
	Board StatusBoard
	// ResponseDays is portal.yaml's response_days: the working days after which a case no
	// association took in charge is overdue.
	ResponseDays int
}

// notify sends a notice to the citizen on routing (to is the associations' names) or closing;
// a failure is reported but does not undo the change.
func (d *Desk) notify(ctx context.Context, c Case, to []string) error {
	which := "routed"
	if len(to) == 0 {
		which = "closed"
	}
	return d.notifyAs(ctx, c, which, to)
}

func (d *Desk) notifyAs(ctx context.Context, c Case, which string, to []string) error {
	if !d.NotifyCitizens || d.Mailer == nil {
		return nil
	}
	m, ok, err := Notice(c, which, to, d.Office, d.Now())
	if err != nil || !ok {
		return err
	}
	name := c.Code + "-cittadino"
	if which == "taken" {
		name += "-presa-in-carico" // beside the notice of routing, not over it
	}
	if _, err := d.Mailer.Send(ctx, m, name); err != nil {
		return fmt.Errorf("notice to the citizen of %s: %w", c.Code, err)
	}
	return nil
}

// UsePortal gives the desk what it needs of the portal's data: the associations, the categories'
// labels, the services' titles and the known areas.
func (d *Desk) UsePortal(cat *intake.Catalog) {
	d.Associations, d.Categories, d.Services, d.Areas = nil, map[string]string{}, map[string]string{}, cat.Portal.Areas
	d.ResponseDays = cat.Portal.ResponseDays
	for _, o := range cat.Associations {
		d.Associations = append(d.Associations, Association{Slug: o.Value, Name: o.Label, Email: o.Email, Categories: o.Categories})
		for _, s := range o.Children {
			d.Services[s.Value] = s.Label
		}
	}
	for _, o := range cat.Categories {
		d.Categories[o.Value] = o.Label
	}
}

// AssociationName is the name of the association with a slug, or the slug when the portal no
// longer has it.
func (d *Desk) AssociationName(slug string) string {
	if i := slices.IndexFunc(d.Associations, func(a Association) bool { return a.Slug == slug }); i >= 0 {
		return d.Associations[i].Name
	}
	return slug
}

// Suggestions proposes associations for a case.
func (d *Desk) Suggestions(c Case) []Association {
	var out []Association
	for _, slug := range Suggest(c, d.Associations) {
		if i := slices.IndexFunc(d.Associations, func(a Association) bool { return a.Slug == slug }); i >= 0 {
			out = append(out, d.Associations[i])
		}
	}
	return out
}

// Route forwards a case to associations by e-mail and records it; it returns where each e-mail
// went. When an e-mail cannot be handed over, the routing to the associations already mailed is
// recorded and the error names the others, so that a new attempt goes only to them. The citizen
// is told once every e-mail is out.
func (d *Desk) Route(ctx context.Context, code, actor string, to []string, note string) ([]string, error) {
	c, err := d.Store.Get(code)
	if err != nil {
		return nil, err
	}
	if c.Status == StatusClosed {
		return nil, fmt.Errorf("route %s: %w (closed; reopen it first)", code, ErrState)
	}
	now := d.Now()
	var slugs []string
	var msgs []mail.Message
	for _, s := range to {
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(slugs, s) {
			continue
		}
		i := slices.IndexFunc(d.Associations, func(a Association) bool { return a.Slug == s })
		if i < 0 {
			return nil, fmt.Errorf("route %s: no association %q", code, s)
		}
		m, err := Forward(c, d.Associations[i], Names{Category: d.Categories[c.Request.Category], Service: d.Services[c.Request.Service]}, note, d.Office, now)
		if err != nil {
			return nil, err
		}
		slugs, msgs = append(slugs, s), append(msgs, m)
	}
	if len(slugs) == 0 {
		return nil, fmt.Errorf("route %s: choose at least one association", code)
	}
	var sent []string
	var sendErr error
	for i, m := range msgs {
		where, err := d.Mailer.Send(ctx, m, code+"-"+slugs[i])
		if err != nil {
			// Record what did go out, so that the case says where it is and a new attempt
			// need not mail those associations again.
			sendErr = fmt.Errorf("route %s: not sent to %s: %w", code, strings.Join(slugs[i:], ", "), err)
			slugs = slugs[:i]
			break
		}
		sent = append(sent, where)
	}
	if len(slugs) == 0 {
		return sent, sendErr
	}
	c, err = d.Store.Update(code, actor, "routed", "to "+strings.Join(slugs, ","), now, func(c *Case) error {
		return c.AddRoute(Route{At: now, By: actor, To: slugs, Note: note})
	})
	if err != nil {
		return sent, err
	}
	if err := d.publish(ctx, c); err != nil {
		return sent, errors.Join(sendErr, err)
	}
	if sendErr != nil {
		return sent, sendErr
	}
	var names []string
	for _, s := range slugs {
		i := slices.IndexFunc(d.Associations, func(a Association) bool { return a.Slug == s })
		names = append(names, d.Associations[i].Name)
	}
	return sent, d.notify(ctx, c, names)
}

// Close closes a case; publicNote, optional, is what its status page tells the citizen.
func (d *Desk) Close(ctx context.Context, code, actor, outcome, note, publicNote string) error {
	now := d.Now()
	c, err := d.Store.Update(code, actor, "closed", outcome, now, func(c *Case) error {
		if err := c.Close(now, outcome, note); err != nil {
			return err
		}
		return c.SetPublicNote(publicNote)
	})
	if err != nil {
		return err
	}
	if err := d.publish(ctx, c); err != nil {
		return err
	}
	if outcome == "spam" {
		return nil
	}
	return d.notify(ctx, c, nil)
}

// Reopen reopens a closed case.
func (d *Desk) Reopen(ctx context.Context, code, actor string) error {
	c, err := d.Store.Update(code, actor, "reopened", "", d.Now(), func(c *Case) error { return c.Reopen() })
	if err != nil {
		return err
	}
	return d.publish(ctx, c)
}
