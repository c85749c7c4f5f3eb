package office

import (
	"slices"
	"time"

	"github.com/shaps-portal/shaps/intake/status"
)

// Stats are the counts the Comune reports, with no personal data.
type Stats struct {
	Total         int            `json:"total"`
	ByMonth       map[string]int `json:"by_month"`
	ByCategory    map[string]int `json:"by_category"`
	ByKind        map[string]int `json:"by_kind"`
	ByArea        map[string]int `json:"by_area"`
	ByAssociation map[string]int `json:"by_association"`
	ByStatus      map[string]int `json:"by_status"`
	ByLanguage    map[string]int `json:"by_language"` // the language of the page each request came from
	// Median times from receipt to the first routing and to closing, over the cases that got there.
	MedianToRouted time.Duration `json:"median_to_routed"`
	MedianToClosed time.Duration `json:"median_to_closed"`
	// MedianToRead is from receipt to the office's pull; MedianToTakenUp, by association, from
	// the routing to that association to its taking the case in charge.
	MedianToRead    time.Duration            `json:"median_to_read"`
	MedianToTakenUp map[string]time.Duration `json:"median_to_taken_up"`
}

// Compute counts the cases received in [from, to); a zero bound is open.
func Compute(all []Case, from, to time.Time) Stats {
	s := Stats{ByMonth: map[string]int{}, ByCategory: map[string]int{}, ByKind: map[string]int{}, ByArea: map[string]int{},
		ByAssociation: map[string]int{}, ByStatus: map[string]int{}, ByLanguage: map[string]int{}}
	var routed, closed, read []time.Duration
	takenUp := map[string][]time.Duration{}
	for _, c := range all {
		if (!from.IsZero() && c.ReceivedAt.Before(from)) || (!to.IsZero() && !c.ReceivedAt.Before(to)) {
			continue
		}
		s.Total++
		s.ByMonth[c.ReceivedAt.Format("2006-01")]++
		s.ByCategory[c.Request.Category]++
		s.ByKind[c.Request.Kind]++
		area := c.Request.Area
		if area == "" {
			area = "-"
		}
		s.ByArea[area]++
		s.ByStatus[string(c.Status)]++
		s.ByLanguage[c.Request.Language]++
		seen := map[string]bool{}
		for _, r := range c.Routes {
			for _, a := range r.To {
				if !seen[a] {
					seen[a] = true
					s.ByAssociation[a]++
				}
			}
		}
		if at := c.RoutedAt(); !at.IsZero() {
			routed = append(routed, at.Sub(c.ReceivedAt))
		}
		if !c.ClosedAt.IsZero() {
			closed = append(closed, c.ClosedAt.Sub(c.ReceivedAt))
		}
		if !c.PulledAt.IsZero() {
			read = append(read, c.PulledAt.Sub(c.ReceivedAt))
		}
		for a, d := range c.timesToTakenUp() {
			takenUp[a] = append(takenUp[a], d)
		}
	}
	s.MedianToRouted, s.MedianToClosed, s.MedianToRead = median(routed), median(closed), median(read)
	s.MedianToTakenUp = map[string]time.Duration{}
	for a, ds := range takenUp {
		s.MedianToTakenUp[a] = median(ds)
	}
	return s
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	if len(d)%2 == 1 {
		return d[len(d)/2]
	}
	return (d[len(d)/2-1] + d[len(d)/2]) / 2
}

// Suggest proposes the associations that can help: those whose categories include the case's,
// and the one the citizen named, first.
func Suggest(c Case, associations []Association) []string {
	var out []string
	named := c.Request.Association
	if named != "" {
		out = append(out, named)
	}
	for _, a := range associations {
		if a.Slug != named && slices.Contains(a.Categories, c.Request.Category) {
			out = append(out, a.Slug)
		}
	}
	return out
}

// Association is what routing needs of an association.
type Association struct {
	Slug, Name, Email string
	Categories        []string
}

// timesToTakenUp gives, for each association that took the case in charge (or said it resolved
// it), the time from the case's first routing to it until that answer.
func (c *Case) timesToTakenUp() map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, a := range c.Answers {
		if _, seen := out[a.Association]; seen || a.Action == status.AnswerNotOurs {
			continue
		}
		for _, r := range c.Routes {
			if slices.Contains(r.To, a.Association) {
				out[a.Association] = a.At.Sub(r.At)
				break
			}
		}
	}
	return out
}
