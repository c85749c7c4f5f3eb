package catalog

import "time"

// Catalog is everything under data/: the portal's identity and taxonomies and its associations,
// each with its services and events, sorted by slug.
type Catalog struct {
	Portal       Portal
	Location     *time.Location
	Associations []*Association
	Synonyms     []Synonym // data/synonyms.yaml, if there is one
}

// Synonym leads the search from the words citizens use to the words of the portal: from any of
// Words (a word or a phrase) to all of Find.
type Synonym struct {
	Words []string `yaml:"words"`
	Find  []string `yaml:"find"`
}

// Portal is data/portal.yaml.
type Portal struct {
	Name                      string        `yaml:"name" json:"name"`
	Municipality              string        `yaml:"municipality" json:"municipality"`
	BaseURL                   string        `yaml:"base_url" json:"base_url"`
	Timezone                  string        `yaml:"timezone" json:"timezone"`
	Province                  string        `yaml:"province" json:"province,omitempty"`
	Repository                string        `yaml:"repository" json:"-"`
	Logo                      string        `yaml:"logo" json:"logo,omitempty"`
	Color                     string        `yaml:"color" json:"color,omitempty"`
	LogoPath                  string        `yaml:"-" json:"-"` // the logo file, once checked
	Contact                   PortalContact `yaml:"contact" json:"contact"`
	Privacy                   Privacy       `yaml:"privacy" json:"privacy"`
	AccessibilityStatementURL string        `yaml:"accessibility_statement_url" json:"accessibility_statement_url"`
	Categories                []Term        `yaml:"categories" json:"categories"`
	Audiences                 []Term        `yaml:"audiences" json:"audiences"`
	Areas                     []string      `yaml:"areas" json:"areas,omitempty"` // quartieri e frazioni
	// ResponseDays is the usual number of working days to an answer, shown to citizens on the
	// request's status page; NameAssociations names there the associations a request went to.
	ResponseDays     int  `yaml:"response_days" json:"response_days,omitempty"`
	NameAssociations bool `yaml:"name_associations" json:"name_associations,omitempty"`
}

// PortalContact is how citizens reach the office that runs the portal.
type PortalContact struct {
	Email   string `yaml:"email" json:"email,omitempty"`
	Phone   string `yaml:"phone" json:"phone,omitempty"`
	Address string `yaml:"address" json:"address,omitempty"`
}

// Privacy names the data controller and its data-protection officer.
type Privacy struct {
	Controller string `yaml:"controller" json:"controller"`
	DPOEmail   string `yaml:"dpo_email" json:"dpo_email"`
}

// Term is a category or an audience.
type Term struct {
	ID          string   `yaml:"id" json:"id"`
	Label       string   `yaml:"label" json:"label"`
	Description string   `yaml:"description" json:"description,omitempty"`
	Topics      []string `yaml:"topics" json:"topics,omitempty"` // a category's, from Topics()
	// Translations hold the label and the description in other languages, by language code.
	Translations map[string]Translation `yaml:"translations" json:"translations,omitempty"`
}

// Category returns the category with the given id.
func (p *Portal) Category(id string) (Term, bool) { return findTerm(p.Categories, id) }

// Audience returns the audience with the given id.
func (p *Portal) Audience(id string) (Term, bool) { return findTerm(p.Audiences, id) }

func findTerm(terms []Term, id string) (Term, bool) {
	for _, t := range terms {
		if t.ID == id {
			return t, true
		}
	}
	return Term{}, false
}

// Translation is one language's texts of an association, a service or an event, by the name
// of the Italian field they translate ("summary", "description"…).
type Translation map[string]string

// Association is a third-sector organisation's profile.
type Association struct {
	Slug        string            `yaml:"-" json:"slug"`
	Name        string            `yaml:"name" json:"name"`
	Summary     string            `yaml:"summary" json:"summary"`
	Description string            `yaml:"description" json:"description"`
	Categories  []string          `yaml:"categories" json:"categories"`
	Contacts    Contacts          `yaml:"contacts" json:"contacts"`
	LegalForm   string            `yaml:"legal_form" json:"legal_form,omitempty"`
	RUNTSID     string            `yaml:"runts_id" json:"runts_id,omitempty"`
	Founded     int               `yaml:"founded" json:"founded,omitempty"`
	History     string            `yaml:"history" json:"history,omitempty"`
	Logo        string            `yaml:"logo" json:"logo,omitempty"`
	Social      map[string]string `yaml:"social" json:"social,omitempty"`
	Maintainers []string          `yaml:"maintainers" json:"maintainers,omitempty"`
	Reviewed    string            `yaml:"reviewed" json:"reviewed,omitempty"`
	// Translations hold the texts in other languages, by language code then field name, as
	// people wrote or reviewed them; MachineTranslations those a program made, kept apart so
	// that a person can review them. The Italian fields stay the reference.
	Translations        map[string]Translation `yaml:"translations" json:"translations,omitempty"`
	MachineTranslations map[string]Translation `yaml:"machine_translations" json:"machine_translations,omitempty"`

	// Dir is the association's folder; LogoPath the logo file in it, if any; both named as
	// problems name files (on disk when loaded with LoadDir).
	Dir      string     `yaml:"-" json:"-"`
	LogoPath string     `yaml:"-" json:"-"`
	Services []*Service `yaml:"-" json:"-"`
	Events   []*Event   `yaml:"-" json:"-"`
}

// StaleMonths is how long an association's data stays fresh after it was last confirmed.
const StaleMonths = 12

// StaleOn reports whether the association's data was last confirmed more than StaleMonths before
// today, or never.
func (a *Association) StaleOn(today time.Time) bool {
	d, err := time.Parse("2006-01-02", a.Reviewed)
	if err != nil {
		return true
	}
	return d.Before(today.AddDate(0, -StaleMonths, 0))
}

// Contacts are the ways to reach an association or a service.
type Contacts struct {
	Email   string   `yaml:"email" json:"email,omitempty"`
	Phone   string   `yaml:"phone" json:"phone,omitempty"`
	Website string   `yaml:"website" json:"website,omitempty"`
	Address *Address `yaml:"address" json:"address,omitempty"`
	Geo     *Geo     `yaml:"geo" json:"geo,omitempty"`
	Hours   string   `yaml:"hours" json:"hours,omitempty"`
}

// Empty reports whether no way to reach is given.
func (c Contacts) Empty() bool {
	return c.Email == "" && c.Phone == "" && c.Website == "" && c.Address == nil
}

// Address is a postal address.
type Address struct {
	Street     string `yaml:"street" json:"street"`
	PostalCode string `yaml:"postal_code" json:"postal_code"`
	City       string `yaml:"city" json:"city"`
}

// Geo is a point in decimal degrees.
type Geo struct {
	Lat float64 `yaml:"lat" json:"lat"`
	Lon float64 `yaml:"lon" json:"lon"`
}

// Place is where a service or an event happens.
type Place struct {
	Name    string `yaml:"name" json:"name"`
	Address string `yaml:"address" json:"address,omitempty"`
	Geo     *Geo   `yaml:"geo" json:"geo,omitempty"`
}

// Cost says whether something is free and what it costs.
type Cost struct {
	Free  *bool  `yaml:"free" json:"free,omitempty"`
	Notes string `yaml:"notes" json:"notes,omitempty"`
}

// Service is one entry of an association's service catalogue.
type Service struct {
	Association  *Association `yaml:"-" json:"-"`
	Slug         string       `yaml:"-" json:"slug"`
	Name         string       `yaml:"name" json:"name"`
	Summary      string       `yaml:"summary" json:"summary"`
	Categories   []string     `yaml:"categories" json:"categories"`
	Description  string       `yaml:"description" json:"description,omitempty"`
	Audiences    []string     `yaml:"audiences" json:"audiences,omitempty"`
	Status       string       `yaml:"status" json:"status"`
	Who          string       `yaml:"who" json:"who,omitempty"`
	HowToAccess  string       `yaml:"how_to_access" json:"how_to_access,omitempty"`
	Requirements string       `yaml:"requirements" json:"requirements,omitempty"`
	Outcome      string       `yaml:"outcome" json:"outcome,omitempty"`
	Timing       string       `yaml:"timing" json:"timing,omitempty"`
	Cost         *Cost        `yaml:"cost" json:"cost,omitempty"`
	Locations    []Place      `yaml:"locations" json:"locations,omitempty"`
	Hours        string       `yaml:"hours" json:"hours,omitempty"`
	Contacts     *Contacts    `yaml:"contacts" json:"contacts,omitempty"`
	Languages    []string     `yaml:"languages" json:"languages,omitempty"`
	// Translations hold the texts in other languages, by language code then field name, as
	// people wrote or reviewed them; MachineTranslations those a program made, kept apart so
	// that a person can review them. The Italian fields stay the reference.
	Translations        map[string]Translation `yaml:"translations" json:"translations,omitempty"`
	MachineTranslations map[string]Translation `yaml:"machine_translations" json:"machine_translations,omitempty"`
}

// Event is something an association organises on a date.
type Event struct {
	Association  *Association  `yaml:"-" json:"-"`
	Slug         string        `yaml:"-" json:"slug"`
	Title        string        `yaml:"title" json:"title"`
	StartText    string        `yaml:"start" json:"-"`
	Summary      string        `yaml:"summary" json:"summary,omitempty"`
	Description  string        `yaml:"description" json:"description,omitempty"`
	EndText      string        `yaml:"end" json:"-"`
	AllDay       bool          `yaml:"all_day" json:"all_day"`
	Location     *Place        `yaml:"location" json:"location,omitempty"`
	OnlineURL    string        `yaml:"online_url" json:"online_url,omitempty"`
	Categories   []string      `yaml:"categories" json:"categories,omitempty"`
	Audiences    []string      `yaml:"audiences" json:"audiences,omitempty"`
	Recurrence   *Recurrence   `yaml:"recurrence" json:"-"`
	Registration *Registration `yaml:"registration" json:"registration,omitempty"`
	Cost         *Cost         `yaml:"cost" json:"cost,omitempty"`
	Status       string        `yaml:"status" json:"status"`
	UpdatedText  string        `yaml:"updated" json:"-"`
	// Translations hold the texts in other languages, by language code then field name, as
	// people wrote or reviewed them; MachineTranslations those a program made, kept apart so
	// that a person can review them. The Italian fields stay the reference.
	Translations        map[string]Translation `yaml:"translations" json:"translations,omitempty"`
	MachineTranslations map[string]Translation `yaml:"machine_translations" json:"machine_translations,omitempty"`

	// Start and End are instants in the portal's timezone. For all-day events they are local
	// midnights and End is the start of the day after the last one (exclusive), as in iCalendar.
	Start   time.Time `yaml:"-" json:"-"`
	End     time.Time `yaml:"-" json:"-"`
	Updated time.Time `yaml:"-" json:"-"`
}

// Recurrence says how an event repeats.
type Recurrence struct {
	Freq     string   `yaml:"freq"`
	Interval int      `yaml:"interval"`
	ByDay    []string `yaml:"by_day"`
	Until    string   `yaml:"until"`
	Count    int      `yaml:"count"`
	Except   []string `yaml:"except"`
}

// Registration says whether and how to sign up for an event.
type Registration struct {
	Required bool   `yaml:"required" json:"required"`
	URL      string `yaml:"url" json:"url,omitempty"`
	Email    string `yaml:"email" json:"email,omitempty"`
	Phone    string `yaml:"phone" json:"phone,omitempty"`
	Notes    string `yaml:"notes" json:"notes,omitempty"`
}

// EffectiveCategories are the event's categories, or its association's when it names none.
func (e *Event) EffectiveCategories() []string {
	if len(e.Categories) > 0 {
		return e.Categories
	}
	return e.Association.Categories
}
