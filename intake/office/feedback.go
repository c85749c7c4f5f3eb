package office

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/intake"
)

// PageFeedback is what the ratings of one page of the portal add up to: counts, and the short
// texts people wrote with the day they came. Nothing says who rated.
type PageFeedback struct {
	Page  string `json:"page"`
	Count int    `json:"count"`
	// Stars counts the ratings by stars: Stars[0] those of 1 star, Stars[4] those of 5.
	Stars [intake.MaxStars]int `json:"stars"`
	// Positive and Negative count the follow-up choices of the positive (4 and 5 stars) and of
	// the negative ratings, by key.
	Positive map[string]int `json:"positive,omitempty"`
	Negative map[string]int `json:"negative,omitempty"`
	// Texts are kept, newest last, until a purge erases those older than its limit: they may
	// say more than they should, and the office needs only the recent ones.
	Texts []FeedbackText `json:"texts,omitempty"`
}

// FeedbackText is a short text that came with a rating.
type FeedbackText struct {
	Day   time.Time `json:"day"`
	Stars int       `json:"stars"`
	Text  string    `json:"text"`
}

// Add counts a rating received on day.
func (p *PageFeedback) Add(f intake.Feedback, day time.Time) {
	p.Count++
	p.Stars[f.Stars-1]++
	if f.Choice != "" {
		m := &p.Negative
		if f.Positive() {
			m = &p.Positive
		}
		if *m == nil {
			*m = map[string]int{}
		}
		(*m)[f.Choice]++
	}
	if f.Text != "" {
		p.Texts = append(p.Texts, FeedbackText{Day: day, Stars: f.Stars, Text: f.Text})
		slices.SortStableFunc(p.Texts, func(a, b FeedbackText) int { return a.Day.Compare(b.Day) })
	}
}

// Average is the mean of the stars, 0 without ratings.
func (p PageFeedback) Average() float64 {
	if p.Count == 0 {
		return 0
	}
	sum := 0
	for i, n := range p.Stars {
		sum += (i + 1) * n
	}
	return float64(sum) / float64(p.Count)
}

// DropTexts erases the texts that came before a day, and says how many.
func (p *PageFeedback) DropTexts(before time.Time) int {
	n := len(p.Texts)
	p.Texts = slices.DeleteFunc(p.Texts, func(t FeedbackText) bool { return t.Day.Before(before) })
	return n - len(p.Texts)
}

// Recent are the last n texts, newest first.
func (p PageFeedback) Recent(n int) []FeedbackText {
	out := slices.Clone(p.Texts[max(0, len(p.Texts)-n):])
	slices.Reverse(out)
	return out
}

// Rating is a page's rating as read from the queue.
type Rating struct {
	ID  string
	Day time.Time
	intake.Feedback
}

// FromFeedback reads a page's rating from a queue message; ok is false for any other message,
// and for a rating the intake would not have taken.
func FromFeedback(body []byte) (Rating, bool) {
	var env intake.FeedbackEnvelope
	if json.Unmarshal(body, &env) != nil || env.Version != intake.FeedbackVersion || env.Type != intake.TypeFeedback ||
		env.ID == "" || env.Validate() != nil {
		return Rating{}, false
	}
	return Rating{ID: env.ID, Day: env.Day.UTC(), Feedback: env.Feedback}, true
}

// RecentTexts is how many of a page's texts the statistics show.
const RecentTexts = 10

// PageStats are a page's ratings as the statistics show them: the counts, the mean of the stars
// and the most recent texts, newest first.
type PageStats struct {
	Page     string               `json:"page"`
	Count    int                  `json:"count"`
	Average  float64              `json:"average"` // to two decimals
	Stars    [intake.MaxStars]int `json:"stars"`
	Positive map[string]int       `json:"positive"`
	Negative map[string]int       `json:"negative"`
	Recent   []FeedbackText       `json:"recent"`
}

// FeedbackStats gives the statistics of each rated page, the most rated first.
func FeedbackStats(pages []PageFeedback) []PageStats {
	out := make([]PageStats, 0, len(pages))
	for _, p := range pages {
		s := PageStats{Page: p.Page, Count: p.Count, Average: math.Round(p.Average()*100) / 100, Stars: p.Stars,
			Positive: map[string]int{}, Negative: map[string]int{}, Recent: p.Recent(RecentTexts)}
		for _, k := range intake.PositiveChoices {
			s.Positive[k] = p.Positive[k]
		}
		for _, k := range intake.NegativeChoices {
			s.Negative[k] = p.Negative[k]
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b PageStats) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Page, b.Page)
	})
	return out
}
