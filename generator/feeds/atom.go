package feeds

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/generator/atom"
	"github.com/shaps-portal/shaps/generator/catalog"
)

// upcomingEvent is an event with an occurrence still to come, and the next one.
type upcomingEvent struct {
	event *catalog.Event
	next  catalog.Occurrence
}

// atomFeeds are the Atom feeds of the upcoming events: one per association and one per category,
// each event once, by its next occurrence, as the portal's pages list them.
func (b *builder) atomFeeds() []*atom.Feed {
	now := b.opts.Now.In(b.cat.Location)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, b.cat.Location)
	var all []upcomingEvent
	for _, a := range b.cat.Associations {
		for _, e := range a.Events {
			if occ, ok := e.Next(today); ok {
				all = append(all, upcomingEvent{e, occ})
			}
		}
	}
	slices.SortStableFunc(all, func(x, y upcomingEvent) int {
		return cmp.Or(x.next.Start.Compare(y.next.Start), cmp.Compare(x.event.Association.Slug, y.event.Association.Slug), cmp.Compare(x.event.Slug, y.event.Slug))
	})
	byAssociation := map[string][]upcomingEvent{}
	byCategory := map[string][]upcomingEvent{}
	for _, u := range all {
		byAssociation[u.event.Association.Slug] = append(byAssociation[u.event.Association.Slug], u)
		for _, c := range u.event.EffectiveCategories() {
			byCategory[c] = append(byCategory[c], u)
		}
	}
	portal := b.cat.Portal.Name
	var feeds []*atom.Feed
	for _, a := range b.cat.Associations {
		feeds = append(feeds, b.atomFeed("associazioni/"+a.Slug+"/", b.opts.Labels.Upcoming+": "+a.Name+" – "+portal, a.Summary, byAssociation[a.Slug], today))
	}
	for _, c := range b.cat.Portal.Categories {
		feeds = append(feeds, b.atomFeed("categorie/"+c.ID+"/", b.opts.Labels.Upcoming+": "+c.Label+" – "+portal, c.Description, byCategory[c.ID], today))
	}
	return feeds
}

// atomFeed is the feed of the page at path (a folder of the site, like associazioni/<slug>/).
// Its updated is its latest entry's, or the day of the build when it has none; an entry's is the
// event's updated, or else the day its association last confirmed its data, or else the day of
// the build: never a time in the future, and the same data gives the same feed on the same day.
func (b *builder) atomFeed(path, title, subtitle string, events []upcomingEvent, today time.Time) *atom.Feed {
	base := b.opts.BaseURL
	f := &atom.Feed{
		Lang:      "it",
		ID:        base + path + AtomFile,
		Title:     title,
		Subtitle:  subtitle,
		Author:    &atom.Person{Name: b.cat.Portal.Name, URI: base},
		Self:      base + path + AtomFile,
		Alternate: base + path,
	}
	for _, u := range events {
		e, a := u.event, u.event.Association
		updated := e.Updated
		if updated.IsZero() {
			if d, err := time.ParseInLocation(catalog.DateLayout, a.Reviewed, b.cat.Location); err == nil && !d.After(today) {
				updated = d
			} else {
				updated = today
			}
		}
		entry := atom.Entry{
			ID:      base + "eventi/" + a.Slug + "/" + e.Slug + "/",
			Title:   e.Title,
			Updated: updated,
			Author:  &atom.Person{Name: a.Name, URI: base + "associazioni/" + a.Slug + "/"},
			Link:    base + "eventi/" + a.Slug + "/" + e.Slug + "/",
			Summary: atomSummary(u),
		}
		switch e.Status {
		case "cancelled":
			entry.Title = b.opts.Labels.Cancelled + ": " + e.Title
		case "postponed":
			entry.Title = b.opts.Labels.Postponed + ": " + e.Title
		}
		for _, id := range e.EffectiveCategories() {
			if t, ok := b.cat.Portal.Category(id); ok {
				entry.Categories = append(entry.Categories, atom.Category{Term: t.ID, Label: t.Label})
			}
		}
		f.Entries = append(f.Entries, entry)
		if updated.After(f.Updated) {
			f.Updated = updated
		}
	}
	if f.Updated.IsZero() {
		f.Updated = today
	}
	return f
}

// atomSummary is the next occurrence's day and time, written the Italian way in figures, the place
// and the event's summary.
func atomSummary(u upcomingEvent) string {
	e := u.event
	when := u.next.Start.Format("02/01/2006, 15:04")
	if e.AllDay {
		when = u.next.Start.Format("02/01/2006")
		if last := u.next.End.AddDate(0, 0, -1); last.After(u.next.Start) {
			when += " – " + last.Format("02/01/2006")
		}
	} else if u.next.End.After(u.next.Start) {
		if u.next.End.Format("20060102") == u.next.Start.Format("20060102") {
			when += "–" + u.next.End.Format("15:04")
		} else {
			when += " – " + u.next.End.Format("02/01/2006, 15:04")
		}
	}
	parts := []string{when}
	if l := e.Location; l != nil {
		parts = append(parts, strings.Trim(l.Name+", "+l.Address, ", "))
	} else if e.OnlineURL != "" {
		parts = append(parts, e.OnlineURL)
	}
	s := strings.Join(parts, " · ")
	if e.Summary != "" {
		s += "\n\n" + e.Summary
	}
	return s
}
