package office

import (
	"fmt"
	"slices"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/site"
)

// Filter chooses cases, the same on the command line (list) and on the web (the list's form).
// A zero field chooses every case.
type Filter struct {
	Status   Status
	Category string
	Since    time.Time // received on or after
	Language string    // the code of the language the request was written from
}

// Statuses are a case's statuses in the order of its life.
var Statuses = []Status{StatusNew, StatusRouted, StatusClosed}

// Validate says what is wrong with a filter typed by a person.
func (f Filter) Validate() error {
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		return fmt.Errorf("status %q: want one of %v", f.Status, Statuses)
	}
	if f.Language != "" && intake.KnownLanguage(f.Language) != f.Language {
		return fmt.Errorf("language %q: want one of %v", f.Language, LanguageCodes())
	}
	return nil
}

// Match tells whether the filter chooses a case.
func (f Filter) Match(c Case) bool {
	return (f.Status == "" || c.Status == f.Status) && (f.Category == "" || c.Request.Category == f.Category) && !c.ReceivedAt.Before(f.Since) &&
		(f.Language == "" || c.Request.Language == f.Language)
}

// LanguageCodes are the codes of the languages a request may be written from, the portal's.
func LanguageCodes() []string {
	var out []string
	for _, l := range site.Languages() {
		out = append(out, l.Code)
	}
	return out
}

// Apply returns the cases the filter chooses, in their order.
func (f Filter) Apply(all []Case) []Case {
	var out []Case
	for _, c := range all {
		if f.Match(c) {
			out = append(out, c)
		}
	}
	return out
}
