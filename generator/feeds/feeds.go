package feeds

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/ical"
)

// Labels are the feed texts shown to subscribers, from the site's i18n file.
type Labels struct {
	AllEvents string // "Eventi", the name of the portal-wide feed
	Cancelled string // prefix of a cancelled event's summary
	Postponed string // prefix of a postponed event's summary
	Upcoming  string // "Prossimi eventi", the Atom feeds' title
}

// Options configure the feeds.
type Options struct {
	BaseURL string    // absolute, ending in /
	Since   time.Time // feeds leave out events that ended before it
	// Now decides what is upcoming: the Atom feeds hold the events with an occurrence from the
	// start of its day on, in the portal's zone, as the pages do.
	Now    time.Time
	Labels Labels
}

// Refresh is how often subscribers are asked to fetch a feed again.
const Refresh = 6 * time.Hour

// AtomFile is the name of an association's or a category's Atom feed, beside its iCal one:
// /associazioni/<slug>/eventi.atom, /categorie/<id>/eventi.atom.
const AtomFile = "eventi.atom"

// Write writes every feed under dir (the built site) and returns how many files it wrote.
func Write(dir string, cat *catalog.Catalog, opts Options) (int, error) {
	if !strings.HasSuffix(opts.BaseURL, "/") {
		opts.BaseURL += "/"
	}
	u, err := url.Parse(opts.BaseURL)
	if err != nil || u.Host == "" {
		return 0, fmt.Errorf("feeds: base URL %q is not absolute", opts.BaseURL)
	}
	b := &builder{cat: cat, opts: opts, host: u.Hostname(), since: opts.Since}
	portal := cat.Portal.Name
	var all []ical.Event
	byCategory := map[string][]ical.Event{}
	first, last := zoneYears(cat)
	zone := ical.NewZone(cat.Location, first, last)
	// Feeds are encoded and written by a few workers: on a slow disk, writing dominates.
	jobs := make(chan *job)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if err := j.write(dir); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	written := 0
	send := func(j *job) error {
		written++
		jobs <- j
		select {
		case err := <-errs:
			return err
		default:
			return nil
		}
	}
	write := func(path, name string, events []ical.Event, page string) error {
		return send(&job{path: path, feed: &ical.Calendar{
			ProdID:   "-//SHAPS//" + portal + "//IT",
			Name:     name,
			URL:      opts.BaseURL + page,
			Location: cat.Location,
			Refresh:  Refresh,
			Events:   events,
			Zone:     zone,
		}})
	}
	var once sync.Once
	finish := func() { once.Do(func() { close(jobs); wg.Wait() }) }
	defer finish()
	for _, a := range cat.Associations {
		var mine []ical.Event
		for _, e := range a.Events {
			ev := b.event(e)
			if err := write("eventi/"+a.Slug+"/"+e.Slug+"/evento.ics", e.Title+" – "+portal, []ical.Event{ev}, "eventi/"+a.Slug+"/"+e.Slug+"/"); err != nil {
				return written, fmt.Errorf("feeds: %w", err)
			}
			if !b.inWindow(e) {
				continue
			}
			mine = append(mine, ev)
			all = append(all, ev)
			for _, c := range e.EffectiveCategories() {
				byCategory[c] = append(byCategory[c], ev)
			}
		}
		if err := write("associazioni/"+a.Slug+"/calendario.ics", a.Name+" – "+portal, mine, "associazioni/"+a.Slug+"/"); err != nil {
			return written, fmt.Errorf("feeds: %w", err)
		}
	}
	for _, c := range cat.Portal.Categories {
		if err := write("categorie/"+c.ID+"/calendario.ics", opts.Labels.AllEvents+": "+c.Label+" – "+portal, byCategory[c.ID], "categorie/"+c.ID+"/"); err != nil {
			return written, fmt.Errorf("feeds: %w", err)
		}
	}
	if err := write("eventi/calendario.ics", opts.Labels.AllEvents+" – "+portal, all, "eventi/"); err != nil {
		return written, fmt.Errorf("feeds: %w", err)
	}
	for _, f := range b.atomFeeds() {
		if err := send(&job{path: strings.TrimPrefix(f.Self, opts.BaseURL), feed: f}); err != nil {
			return written, fmt.Errorf("feeds: %w", err)
		}
	}
	finish()
	select {
	case err := <-errs:
		return written, fmt.Errorf("feeds: %w", err)
	default:
		return written, nil
	}
}

// job is one feed to encode and write.
type job struct {
	path string
	feed interface{ Encode(io.Writer) error } // an *ical.Calendar or an *atom.Feed
}

func (j *job) write(dir string) error {
	var buf bytes.Buffer
	if err := j.feed.Encode(&buf); err != nil {
		return err
	}
	full := filepath.Join(dir, filepath.FromSlash(j.path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	return os.WriteFile(full, buf.Bytes(), 0o644)
}

// zoneYears is the range of years the catalog's events reach, for the shared VTIMEZONE.
func zoneYears(cat *catalog.Catalog) (first, last int) {
	set := false
	for _, a := range cat.Associations {
		for _, e := range a.Events {
			y, end := e.Start.Year(), e.End.Year()
			if u, ok := e.UntilUTC(); ok {
				end = max(end, u.Year())
			} else if e.Recurrence != nil {
				end = max(end, y+1)
			}
			if !set || y < first {
				first = y
			}
			if !set || end > last {
				last = end
			}
			set = true
		}
	}
	return first, last
}

type builder struct {
	cat   *catalog.Catalog
	opts  Options
	host  string
	since time.Time
}

// inWindow reports whether any occurrence of the event ends after the feed's start.
func (b *builder) inWindow(e *catalog.Event) bool {
	if e.Recurrence == nil {
		return e.End.After(b.since) || (e.End.Equal(e.Start) && !e.Start.Before(b.since))
	}
	_, ok := e.Next(b.since)
	return ok
}

// sequenceEpoch anchors SEQUENCE: minutes from it to the last update grow with every edit.
var sequenceEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

func (b *builder) event(e *catalog.Event) ical.Event {
	a := e.Association
	stamp := e.Updated
	if stamp.IsZero() {
		stamp = e.Start // never the build clock: the same data makes the same feed
	}
	ev := ical.Event{
		UID:          a.Slug + "." + e.Slug + "@" + b.host,
		Stamp:        stamp,
		LastModified: e.Updated,
		Start:        e.Start,
		End:          e.End,
		AllDay:       e.AllDay,
		Summary:      e.Title,
		Description:  description(e, b.opts.BaseURL),
		URL:          b.opts.BaseURL + "eventi/" + a.Slug + "/" + e.Slug + "/",
		Organizer:    ical.Organizer{Name: a.Name, Email: a.Contacts.Email},
		Status:       ical.StatusConfirmed,
	}
	if !e.Updated.IsZero() && e.Updated.After(sequenceEpoch) {
		ev.Sequence = int(e.Updated.Sub(sequenceEpoch) / time.Minute)
	}
	switch e.Status {
	case "cancelled":
		ev.Status = ical.StatusCancelled
		ev.Summary = b.opts.Labels.Cancelled + ": " + e.Title
	case "postponed":
		ev.Status = ical.StatusTentative
		ev.Summary = b.opts.Labels.Postponed + ": " + e.Title
	}
	if l := e.Location; l != nil {
		ev.Location = l.Name
		if l.Address != "" {
			ev.Location += ", " + l.Address
		}
		if l.Geo != nil {
			ev.Geo = &ical.Geo{Lat: l.Geo.Lat, Lon: l.Geo.Lon}
		}
	} else if e.OnlineURL != "" {
		ev.Location = e.OnlineURL
	}
	for _, id := range e.EffectiveCategories() {
		if t, ok := b.cat.Portal.Category(id); ok {
			ev.Categories = append(ev.Categories, t.Label)
		}
	}
	if r := e.Recurrence; r != nil {
		rule := &ical.Rule{Freq: strings.ToUpper(r.Freq), Interval: r.Interval, ByDay: r.ByDay, Count: r.Count}
		if until, ok := e.UntilUTC(); ok {
			rule.Until = until
			if e.AllDay {
				rule.Until, _ = time.Parse(catalog.DateLayout, r.Until)
				rule.DateOnly = true
			}
		}
		ev.Rule = rule
		for _, d := range r.Except {
			day, err := time.ParseInLocation(catalog.DateLayout, d, e.Start.Location())
			if err != nil {
				continue
			}
			ev.ExDates = append(ev.ExDates, time.Date(day.Year(), day.Month(), day.Day(), e.Start.Hour(), e.Start.Minute(), 0, 0, e.Start.Location()))
		}
	}
	return ev
}

var (
	mdLink     = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	mdEmphasis = regexp.MustCompile(`(\*\*|__|\*|_|~~|` + "`" + `)`)
	mdHeading  = regexp.MustCompile(`(?m)^\s{0,3}#{1,6}\s+`)
	mdHTML     = regexp.MustCompile(`<[^>]*>`)
)

// description is the event's text as plain text, with the link to its page.
func description(e *catalog.Event, base string) string {
	var parts []string
	if e.Summary != "" {
		parts = append(parts, e.Summary)
	}
	if e.Description != "" {
		d := mdLink.ReplaceAllString(e.Description, "$1 ($2)")
		d = mdHTML.ReplaceAllString(d, "")
		d = mdHeading.ReplaceAllString(d, "")
		d = mdEmphasis.ReplaceAllString(d, "")
		parts = append(parts, strings.TrimSpace(d))
	}
	if e.OnlineURL != "" {
		parts = append(parts, e.OnlineURL)
	}
	parts = append(parts, base+"eventi/"+e.Association.Slug+"/"+e.Slug+"/")
	return strings.Join(parts, "\n\n")
}

// Events returns every event of the catalog, in the portal-wide feed's form and order.
func Events(cat *catalog.Catalog, opts Options) []ical.Event {
	u, _ := url.Parse(opts.BaseURL)
	b := &builder{cat: cat, opts: opts, host: u.Hostname(), since: opts.Since}
	var out []ical.Event
	for _, a := range cat.Associations {
		for _, e := range a.Events {
			if b.inWindow(e) {
				out = append(out, b.event(e))
			}
		}
	}
	return out
}

// PastMonths is how many months of past events the feeds keep unless configured otherwise.
const PastMonths = 6

// MaxSelection is how many associations, and how many categories, one selection may name.
const MaxSelection = 100

// Selection is the one calendar of the events of some associations and some categories, as a
// citizen follows them: each event of a named association or of a named category, once, in the
// portal-wide feed's order, exactly as the portal's feeds of those associations and categories
// hold it. Unknown ids name nothing; page is the portal's page of the selection, relative to the
// base URL.
func Selection(cat *catalog.Catalog, opts Options, associations, categories []string, name, page string) *ical.Calendar {
	if !strings.HasSuffix(opts.BaseURL, "/") {
		opts.BaseURL += "/"
	}
	u, _ := url.Parse(opts.BaseURL)
	b := &builder{cat: cat, opts: opts, host: u.Hostname(), since: opts.Since}
	byAssoc := make(map[string]bool, len(associations))
	for _, a := range associations {
		byAssoc[a] = true
	}
	byCat := make(map[string]bool, len(categories))
	for _, c := range categories {
		byCat[c] = true
	}
	var events []ical.Event
	for _, a := range cat.Associations {
		for _, e := range a.Events {
			chosen := byAssoc[a.Slug]
			for _, c := range e.EffectiveCategories() {
				chosen = chosen || byCat[c]
			}
			if chosen && b.inWindow(e) {
				events = append(events, b.event(e))
			}
		}
	}
	first, last := zoneYears(cat)
	return &ical.Calendar{
		ProdID:   "-//SHAPS//" + cat.Portal.Name + "//IT",
		Name:     name + " – " + cat.Portal.Name,
		URL:      opts.BaseURL + page,
		Location: cat.Location,
		Refresh:  Refresh,
		Events:   events,
		Zone:     ical.NewZone(cat.Location, first, last),
	}
}
