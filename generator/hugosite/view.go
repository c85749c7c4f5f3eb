package hugosite

import (
	"cmp"
	"slices"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// view is the one data file Hugo reads (hugo.Data.shaps): the catalog normalised for
// presentation, with every cross-reference resolved in advance so that no template has to search.
type view struct {
	Portal       catalog.Portal              `json:"portal"`
	Today        string                      `json:"today"`
	Associations map[string]*associationView `json:"associations"`
	Services     map[string]*serviceView     `json:"services"`
	Events       map[string]*eventView       `json:"events"`
	Categories   map[string]*termView        `json:"categories"`
	Audiences    map[string]*termView        `json:"audiences"`

	// Ordered keys, for lists.
	AssociationOrder []string `json:"association_order"`
	ServiceOrder     []string `json:"service_order"`
	CategoryOrder    []string `json:"category_order"`
	AudienceOrder    []string `json:"audience_order"`
	Upcoming         []string `json:"upcoming"` // event keys by next occurrence
	Past             []string `json:"past"`     // event keys, most recent first
	Feeds            feeds    `json:"feeds"`
}

type feeds struct {
	All string `json:"all"`
}

type termView struct {
	catalog.Term
	URL          string   `json:"url"`
	Associations []string `json:"associations"`
	Services     []string `json:"services"`
	Upcoming     []string `json:"upcoming"`
}

type associationView struct {
	*catalog.Association
	URL        string   `json:"url"`
	LogoAsset  string   `json:"logo_asset,omitempty"`
	Services   []string `json:"services"`
	Upcoming   []string `json:"upcoming"`
	Categories []string `json:"categories"`
}

type serviceView struct {
	*catalog.Service
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
	Recurrence      *recurrenceView  `json:"recurrence,omitempty"`
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

func newView(cat *catalog.Catalog, now time.Time) *view {
	now = now.In(cat.Location)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, cat.Location)
	v := &view{
		Portal:       cat.Portal,
		Today:        today.Format(isoLayout),
		Associations: map[string]*associationView{},
		Services:     map[string]*serviceView{},
		Events:       map[string]*eventView{},
		Categories:   map[string]*termView{},
		Audiences:    map[string]*termView{},
		Feeds:        feeds{All: "/eventi/calendario.ics"},
	}
	for _, t := range cat.Portal.Categories {
		v.Categories[t.ID] = &termView{Term: t, URL: "/categorie/" + t.ID + "/"}
		v.CategoryOrder = append(v.CategoryOrder, t.ID)
	}
	for _, t := range cat.Portal.Audiences {
		v.Audiences[t.ID] = &termView{Term: t, URL: "/servizi/per-destinatari/" + t.ID + "/"}
		v.AudienceOrder = append(v.AudienceOrder, t.ID)
	}
	type next struct {
		key   string
		start time.Time
	}
	var upcoming, past []next
	for _, a := range cat.Associations {
		av := &associationView{Association: a, URL: "/associazioni/" + a.Slug + "/", Categories: a.Categories}
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
			sv := &serviceView{Service: s, Key: key, URL: "/servizi/" + key + "/", RequestURL: "/richieste/?servizio=" + key,
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
			ev := newEventView(e, key, a)
			v.Events[key] = ev
			occ := e.Occurrences(today, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
			if len(occ) > 0 {
				ev.Next = occ[0].Start.Format(isoLayout)
				ev.NextEnd = occ[0].End.Format(isoLayout)
				upcoming = append(upcoming, next{key, occ[0].Start})
				av.Upcoming = append(av.Upcoming, key)
				for _, c := range ev.Categories {
					if t := v.Categories[c]; t != nil {
						t.Upcoming = append(t.Upcoming, key)
					}
				}
			} else {
				past = append(past, next{key, e.Start})
			}
		}
	}
	byStart := func(a, b next) int { return cmp.Or(a.start.Compare(b.start), cmp.Compare(a.key, b.key)) }
	slices.SortFunc(upcoming, byStart)
	slices.SortFunc(past, func(a, b next) int { return byStart(b, a) })
	for _, n := range upcoming {
		v.Upcoming = append(v.Upcoming, n.key)
	}
	for _, n := range past {
		v.Past = append(v.Past, n.key)
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

func newEventView(e *catalog.Event, key string, a *catalog.Association) *eventView {
	ev := &eventView{Event: e, Key: key, URL: "/eventi/" + key + "/", Association: a.Slug, AssociationName: a.Name,
		Categories: e.EffectiveCategories(), Start: e.Start.Format(isoLayout), End: e.End.Format(isoLayout)}
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
