package hugosite

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/site"
	"github.com/shaps-portal/shaps/site/routes"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// view is the one data file Hugo reads (hugo.Data.shaps): the catalog normalised for
// presentation, with every cross-reference resolved in advance so that no template has to search.
type view struct {
	Portal       catalog.Portal              `json:"portal"`
	Frame        site.Frame                  `json:"frame"`     // what the header, the footer and the head show
	Languages    map[string]site.Language    `json:"languages"` // by code, as the frame's partials read a language
	Form         site.Form                   `json:"form"`      // what the request form proposes
	Feedback     feedbackView                `json:"feedback"`
	Today        string                      `json:"today"`
	Associations map[string]*associationView `json:"associations"`
	Services     map[string]*serviceView     `json:"services"`
	Events       map[string]*eventView       `json:"events"`
	Categories   map[string]*termView        `json:"categories"`
	Audiences    map[string]*termView        `json:"audiences"`
	Topics       []topicView                 `json:"topics"` // the topics of the categories, in the vocabulary's order

	// Ordered keys, for lists.
	AssociationOrder []string `json:"association_order"`
	ServiceOrder     []string `json:"service_order"`
	CategoryOrder    []string `json:"category_order"`
	AudienceOrder    []string `json:"audience_order"`
	Upcoming         []string `json:"upcoming"` // event keys by next occurrence
	Past             []string `json:"past"`     // event keys, most recent first
	// Agenda is every occurrence from today through AgendaMonths ahead, in order.
	Agenda []occurrenceView `json:"agenda"`
	// Soon is the part of Agenda within the next SoonDays days, grouped by day.
	Soon   []soonDay    `json:"soon"`
	Months []*monthView `json:"months"`
	// Widgets are the forms in which every association's and category's widget is published.
	Widgets []WidgetVariant `json:"widgets"`
}

// feedbackView is what the form "Quanto sono chiare le informazioni su questa pagina?" posts to
// and proposes: the intake's route, the number of stars, the keys of the model's follow-up
// choices (their texts are the messages feedback_choice_<key>) and the longest text taken.
type feedbackView struct {
	Action   string   `json:"action"`
	Stars    int      `json:"stars"` // the most stars
	Positive []string `json:"positive"`
	Negative []string `json:"negative"`
	MaxText  int      `json:"max_text"`
}

// WidgetVariant is one pre-rendered form of the widgets, so that a static host serves each
// choice as a page of its own: /widget/associazioni/<slug>/<Path>, /widget/categorie/<id>/<Path>.
type WidgetVariant struct {
	Path     string `json:"path"` // below the widget's own, "" or ending in /
	Events   bool   `json:"events"`
	Services bool   `json:"services"`
	Dark     bool   `json:"dark"`
	Label    string `json:"label"` // the key of its name in i18n/it.yaml
}

// WidgetVariants lists the widgets' forms: the upcoming events and the services, or either
// alone, on a light or a dark background.
func WidgetVariants() []WidgetVariant {
	var out []WidgetVariant
	for _, theme := range []struct {
		path, label string
		dark        bool
	}{{"", "", false}, {"scuro/", "_dark", true}} {
		out = append(out,
			WidgetVariant{Path: theme.path, Events: true, Services: true, Dark: theme.dark, Label: "widget_all" + theme.label},
			WidgetVariant{Path: "eventi/" + theme.path, Events: true, Dark: theme.dark, Label: "widget_events" + theme.label},
			WidgetVariant{Path: "servizi/" + theme.path, Services: true, Dark: theme.dark, Label: "widget_services" + theme.label})
	}
	return out
}

// How far ahead the agenda and the month views reach.
const (
	AgendaMonths = 12
	SoonDays     = 31
)

type soonDay struct {
	Date        string           `json:"date"`
	Occurrences []occurrenceView `json:"occurrences"`
}

type monthView struct {
	Path  string       `json:"path"` // 2026/12
	Start string       `json:"start"`
	Prev  string       `json:"prev,omitempty"`
	Next  string       `json:"next,omitempty"`
	Weeks [][]*dayView `json:"weeks"`
	Count int          `json:"count"`
}

type dayView struct {
	Date        string           `json:"date"`
	Day         int              `json:"day"`
	InMonth     bool             `json:"in_month"`
	Occurrences []occurrenceView `json:"occurrences"`
}

// topicView is a topic of the model's vocabulary that some category belongs to, as the
// all-topics page lists it and the service cards link to it.
type topicView struct {
	Name       string   `json:"name"`
	URL        string   `json:"url"`
	Categories []string `json:"categories"`
}

// texts are an item's texts as the pages of each language show them, by language code then
// field name: the one place where a page's text is chosen (see catalog.Localize).
type texts map[string]map[string]catalog.Text

func localize(s catalog.Schema, item any) texts {
	out := texts{}
	for _, l := range site.Languages() {
		out[l.Code] = catalog.Localize(s, item, l.Code)
	}
	return out
}

type termView struct {
	catalog.Term
	Texts        texts       `json:"texts"`
	TopicLinks   []topicView `json:"topic_links,omitempty"` // a category's topics
	URL          string      `json:"url"`
	Associations []string    `json:"associations"`
	Services     []string    `json:"services"`
	Upcoming     []string    `json:"upcoming"`
}

type associationView struct {
	*catalog.Association
	Texts      texts    `json:"texts"`
	URL        string   `json:"url"`
	Stale      bool     `json:"stale"`
	LogoAsset  string   `json:"logo_asset,omitempty"`
	Services   []string `json:"services"`
	Upcoming   []string `json:"upcoming"`
	Past       []string `json:"past"` // its events that are over, most recent first
	Categories []string `json:"categories"`
}

type serviceView struct {
	*catalog.Service
	Texts           texts            `json:"texts"`
	Key             string           `json:"key"`
	URL             string           `json:"url"`
	RequestURL      string           `json:"request_url"`
	Association     string           `json:"association"`
	AssociationName string           `json:"association_name"`
	Contacts        catalog.Contacts `json:"contacts"`
	LanguageNames   []string         `json:"language_names,omitempty"`
}

type eventView struct {
	*catalog.Event
	Texts           texts            `json:"texts"`
	Key             string           `json:"key"`
	URL             string           `json:"url"`
	Association     string           `json:"association"`
	AssociationName string           `json:"association_name"`
	Categories      []string         `json:"categories"`
	Start           string           `json:"start"`
	End             string           `json:"end"`
	LastDay         string           `json:"last_day,omitempty"` // all-day events: the inclusive last day
	Next            string           `json:"next,omitempty"`     // next occurrence's start, if any
	NextEnd         string           `json:"next_end,omitempty"`
	Past            bool             `json:"past,omitempty"` // no occurrence left on the day of the build
	Recurrence      *recurrenceView  `json:"recurrence,omitempty"`
	ICS             string           `json:"ics"`
	GoogleURL       string           `json:"google_url"`
	Updated         string           `json:"updated,omitempty"`
	Occurrences     []occurrenceView `json:"-"`
}

type recurrenceView struct {
	Freq     string   `json:"freq"`
	Interval int      `json:"interval"`
	ByDay    []byDay  `json:"by_day,omitempty"`
	Until    string   `json:"until,omitempty"`
	Count    int      `json:"count,omitempty"`
	Except   []string `json:"except,omitempty"`
}

type byDay struct {
	Nth int    `json:"nth"`
	Day string `json:"day"`
}

type occurrenceView struct {
	Event string `json:"event"`
	Start string `json:"start"`
	End   string `json:"end"`
}

const isoLayout = time.RFC3339

func newView(cat *catalog.Catalog, frame site.Frame, now time.Time) *view {
	now = now.In(cat.Location)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, cat.Location)
	termSchema, associationSchema, serviceSchema, eventSchema := catalog.TermSchema(), catalog.AssociationSchema(), catalog.ServiceSchema(), catalog.EventSchema()
	v := &view{
		Portal:       cat.Portal,
		Frame:        frame,
		Form:         newForm(cat),
		Today:        today.Format(isoLayout),
		Associations: map[string]*associationView{},
		Services:     map[string]*serviceView{},
		Events:       map[string]*eventView{},
		Categories:   map[string]*termView{},
		Audiences:    map[string]*termView{},
		Widgets:      WidgetVariants(),
		Feedback:     feedbackView{Action: routes.Feedback, Stars: intake.MaxStars, Positive: intake.PositiveChoices, Negative: intake.NegativeChoices, MaxText: intake.MaxFeedbackText},
		Languages:    map[string]site.Language{},
	}
	for _, l := range site.Languages() {
		v.Languages[l.Code] = l
	}
	for _, t := range cat.Portal.Categories {
		v.Categories[t.ID] = &termView{Term: t, Texts: localize(termSchema, t), URL: "/categorie/" + t.ID + "/", Associations: []string{}, Services: []string{}, Upcoming: []string{}}
		v.CategoryOrder = append(v.CategoryOrder, t.ID)
	}
	for _, name := range catalog.Topics() {
		topic := topicView{Name: name, URL: "/argomenti/#" + topicAnchor(name)}
		for _, t := range cat.Portal.Categories {
			if slices.Contains(t.Topics, name) {
				topic.Categories = append(topic.Categories, t.ID)
				v.Categories[t.ID].TopicLinks = append(v.Categories[t.ID].TopicLinks, topicView{Name: name, URL: topic.URL})
			}
		}
		if topic.Categories != nil {
			v.Topics = append(v.Topics, topic)
		}
	}
	for _, t := range cat.Portal.Audiences {
		v.Audiences[t.ID] = &termView{Term: t, Texts: localize(termSchema, t), URL: "/servizi/per-destinatari/" + t.ID + "/", Associations: []string{}, Services: []string{}, Upcoming: []string{}}
		v.AudienceOrder = append(v.AudienceOrder, t.ID)
	}
	type next struct {
		key   string
		start time.Time
	}
	var upcoming, past []next
	for _, a := range cat.Associations {
		av := &associationView{Association: a, Texts: localize(associationSchema, a), URL: "/associazioni/" + a.Slug + "/", Categories: a.Categories, Services: []string{}, Upcoming: []string{}, Past: []string{}, Stale: a.StaleOn(today)}
		if a.LogoPath != "" {
			av.LogoAsset = logoAsset(a)
		}
		v.Associations[a.Slug] = av
		v.AssociationOrder = append(v.AssociationOrder, a.Slug)
		for _, c := range a.Categories {
			if t := v.Categories[c]; t != nil {
				t.Associations = append(t.Associations, a.Slug)
			}
		}
		for _, s := range a.Services {
			key := a.Slug + "/" + s.Slug
			sv := &serviceView{Service: s, Texts: localize(serviceSchema, s), Key: key, URL: "/servizi/" + key + "/", RequestURL: "/richieste/?servizio=" + key,
				Association: a.Slug, AssociationName: a.Name, Contacts: a.Contacts, LanguageNames: languageNames(s.Languages)}
			if s.Contacts != nil {
				sv.Contacts = *s.Contacts
			}
			v.Services[key] = sv
			v.ServiceOrder = append(v.ServiceOrder, key)
			av.Services = append(av.Services, key)
			for _, c := range s.Categories {
				if t := v.Categories[c]; t != nil {
					t.Services = append(t.Services, key)
				}
			}
			for _, au := range s.Audiences {
				if t := v.Audiences[au]; t != nil {
					t.Services = append(t.Services, key)
				}
			}
		}
		for _, e := range a.Events {
			key := a.Slug + "/" + e.Slug
			ev := newEventView(e, key, a, cat.Portal.BaseURL)
			ev.Texts = localize(eventSchema, e)
			v.Events[key] = ev
			if occ, ok := e.Next(today); ok {
				ev.Next = occ.Start.Format(isoLayout)
				ev.NextEnd = occ.End.Format(isoLayout)
				upcoming = append(upcoming, next{key, occ.Start})
				av.Upcoming = append(av.Upcoming, key)
				for _, c := range ev.Categories {
					if t := v.Categories[c]; t != nil {
						t.Upcoming = append(t.Upcoming, key)
					}
				}
			} else {
				ev.Past = true
				past = append(past, next{key, e.Start})
			}
		}
	}
	v.agenda(cat, today)
	byStart := func(a, b next) int { return cmp.Or(a.start.Compare(b.start), cmp.Compare(a.key, b.key)) }
	slices.SortFunc(upcoming, byStart)
	slices.SortFunc(past, func(a, b next) int { return byStart(b, a) })
	for _, n := range upcoming {
		v.Upcoming = append(v.Upcoming, n.key)
	}
	for _, n := range past {
		v.Past = append(v.Past, n.key)
		a := v.Associations[v.Events[n.key].Association]
		a.Past = append(a.Past, n.key)
	}
	// Per-association and per-category lists follow the same order as the portal's.
	rank := map[string]int{}
	for i, k := range v.Upcoming {
		rank[k] = i
	}
	sortByRank := func(keys []string) {
		slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(rank[a], rank[b]) })
	}
	for _, a := range v.Associations {
		sortByRank(a.Upcoming)
	}
	for _, t := range v.Categories {
		sortByRank(t.Upcoming)
	}
	return v
}

// newForm lists the request form's choices: the categories in portal.yaml's order, the
// associations with their services in the catalog's.
func newForm(cat *catalog.Catalog) site.Form {
	f := site.Form{Categories: []site.Choice{}, Associations: []site.Choice{}, Areas: cat.Portal.Areas}
	for _, t := range cat.Portal.Categories {
		f.Categories = append(f.Categories, site.Choice{Value: t.ID, Label: t.Label})
	}
	for _, a := range cat.Associations {
		ac := site.Choice{Value: a.Slug, Label: a.Name}
		for _, s := range a.Services {
			sc := site.Choice{Value: a.Slug + "/" + s.Slug, Label: s.Name}
			if len(s.Categories) > 0 {
				sc.Category = s.Categories[0]
			}
			ac.Services = append(ac.Services, sc)
		}
		f.Associations = append(f.Associations, ac)
	}
	return f
}

func newEventView(e *catalog.Event, key string, a *catalog.Association, portalURL string) *eventView {
	ev := &eventView{Event: e, Key: key, URL: "/eventi/" + key + "/", Association: a.Slug, AssociationName: a.Name,
		Categories: e.EffectiveCategories(), Start: e.Start.Format(isoLayout), End: e.End.Format(isoLayout),
		ICS: "/eventi/" + key + "/evento.ics", GoogleURL: googleTemplate(e, portalURL+"eventi/"+key+"/")}
	if e.AllDay {
		ev.LastDay = e.End.AddDate(0, 0, -1).Format(isoLayout)
	}
	if !e.Updated.IsZero() {
		ev.Updated = e.Updated.Format(isoLayout)
	}
	if r := e.Recurrence; r != nil {
		rv := &recurrenceView{Freq: r.Freq, Interval: max(r.Interval, 1), Until: r.Until, Count: r.Count, Except: r.Except}
		for _, d := range r.ByDay {
			n, day := catalog.SplitByDay(d)
			rv.ByDay = append(rv.ByDay, byDay{Nth: n, Day: day})
		}
		ev.Recurrence = rv
	}
	return ev
}

func languageNames(codes []string) []string {
	names := make([]string, 0, len(codes))
	namer := display.Italian.Languages()
	for _, c := range codes {
		name := namer.Name(language.Make(c))
		if name == "" {
			name = c
		}
		names = append(names, name)
	}
	return names
}

// agenda expands every event into its occurrences for the months ahead and lays them out as
// the month views' weeks, Monday first.
func (v *view) agenda(cat *catalog.Catalog, today time.Time) {
	until := today.AddDate(0, AgendaMonths+1, -today.Day()+1)
	var all []catalog.Occurrence
	for _, a := range cat.Associations {
		for _, e := range a.Events {
			all = append(all, e.Occurrences(today, until)...)
		}
	}
	slices.SortFunc(all, func(a, b catalog.Occurrence) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Event.Association.Slug, b.Event.Association.Slug), cmp.Compare(a.Event.Slug, b.Event.Slug))
	})
	v.Agenda = []occurrenceView{}
	v.Soon = []soonDay{}
	soon := today.AddDate(0, 0, SoonDays)
	byDay := map[string][]occurrenceView{}
	for _, o := range all {
		ov := occurrenceView{Event: o.Event.Association.Slug + "/" + o.Event.Slug, Start: o.Start.Format(isoLayout), End: o.End.Format(isoLayout)}
		v.Agenda = append(v.Agenda, ov)
		if o.Start.Before(soon) {
			day := o.Start.Format(isoLayout)[:10]
			if n := len(v.Soon); n == 0 || v.Soon[n-1].Date != day {
				v.Soon = append(v.Soon, soonDay{Date: day})
			}
			v.Soon[len(v.Soon)-1].Occurrences = append(v.Soon[len(v.Soon)-1].Occurrences, ov)
		}
		// An occurrence shows on each day it covers, within the month views' reach.
		last := o.End
		if !o.End.After(o.Start) {
			last = o.Start.Add(time.Nanosecond)
		}
		for d := dayOf(o.Start); d.Before(last) && d.Before(until); d = d.AddDate(0, 0, 1) {
			if !d.Before(today) {
				byDay[d.Format(catalog.DateLayout)] = append(byDay[d.Format(catalog.DateLayout)], ov)
			}
		}
	}
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())
	for m := 0; m <= AgendaMonths; m++ {
		start := first.AddDate(0, m, 0)
		mv := &monthView{Path: start.Format("2006/01"), Start: start.Format(isoLayout)}
		end := start.AddDate(0, 1, 0)
		// Back to Monday, forward to Sunday.
		d := start.AddDate(0, 0, -((int(start.Weekday()) + 6) % 7))
		for d.Before(end) {
			week := make([]*dayView, 7)
			for i := range week {
				key := d.Format(catalog.DateLayout)
				dv := &dayView{Date: key, Day: d.Day(), InMonth: d.Month() == start.Month(), Occurrences: []occurrenceView{}}
				if dv.InMonth {
					dv.Occurrences = append(dv.Occurrences, byDay[key]...)
					mv.Count += len(byDay[key])
				}
				week[i] = dv
				d = d.AddDate(0, 0, 1)
			}
			mv.Weeks = append(mv.Weeks, week)
		}
		if mv.Count > 0 {
			v.Months = append(v.Months, mv)
		}
	}
	for i, mv := range v.Months {
		if i > 0 {
			mv.Prev = v.Months[i-1].Path
		}
		if i+1 < len(v.Months) {
			mv.Next = v.Months[i+1].Path
		}
	}
}

func dayOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// googleTemplate is the Google Calendar link that adds one event, recurrence included.
func googleTemplate(e *catalog.Event, page string) string {
	q := url.Values{}
	q.Set("action", "TEMPLATE")
	q.Set("text", e.Title)
	if e.AllDay {
		q.Set("dates", e.Start.Format("20060102")+"/"+e.End.Format("20060102"))
	} else {
		end := e.End
		if !end.After(e.Start) {
			end = e.Start.Add(time.Hour)
		}
		q.Set("dates", e.Start.Format("20060102T150405")+"/"+end.Format("20060102T150405"))
		q.Set("ctz", e.Start.Location().String())
	}
	details := page
	if e.Summary != "" {
		details = e.Summary + "\n\n" + page
	}
	q.Set("details", details)
	if l := e.Location; l != nil {
		q.Set("location", strings.TrimSuffix(l.Name+", "+l.Address, ", "))
	} else if e.OnlineURL != "" {
		q.Set("location", e.OnlineURL)
	}
	if r := e.Recurrence; r != nil {
		rule := "RRULE:FREQ=" + strings.ToUpper(r.Freq)
		if r.Interval > 1 {
			rule += fmt.Sprintf(";INTERVAL=%d", r.Interval)
		}
		if len(r.ByDay) > 0 {
			rule += ";BYDAY=" + strings.Join(r.ByDay, ",")
		}
		if u, ok := e.UntilUTC(); ok {
			rule += ";UNTIL=" + u.Format("20060102T150405Z")
		}
		if r.Count > 0 {
			rule += fmt.Sprintf(";COUNT=%d", r.Count)
		}
		q.Set("recur", rule)
	}
	return "https://calendar.google.com/calendar/render?" + q.Encode()
}

// topicAnchor is the fragment of a topic's section on the all-topics page: lower case, letters
// and digits, words joined by hyphens.
func topicAnchor(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
