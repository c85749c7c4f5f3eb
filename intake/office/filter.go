package office

import (
	"fmt"
	"slices"
	"time"
)

// Filter chooses cases, the same on the command line (list) and on the web (the list's form).
// A zero field chooses every case.
type Filter struct {
	Status   Status
	Category string
	Since    time.Time // received on or after
}

// Statuses are a case's statuses in the order of its life.
var Statuses = []Status{StatusNew, StatusRouted, StatusClosed}

// Validate says what is wrong with a filter typed by a person.
func (f Filter) Validate() error {
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		return fmt.Errorf("status %q: want one of %v", f.Status, Statuses)
	}
	return nil
}

// Match tells whether the filter chooses a case.
func (f Filter) Match(c Case) bool {
	return (f.Status == "" || c.Status == f.Status) && (f.Category == "" || c.Request.Category == f.Category) && !c.ReceivedAt.Before(f.Since)
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
