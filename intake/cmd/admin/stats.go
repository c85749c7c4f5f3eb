package main

import (
	"encoding/json"
	"flag"
	"time"

	"github.com/shaps-portal/shaps/intake/office"
)

func (a *app) stats(args []string) error {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fromS := fs.String("from", "", "YYYY-MM-DD")
	toS := fs.String("to", "", "YYYY-MM-DD, exclusive")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	from, err := parseDate(*fromS)
	if err != nil {
		return err
	}
	to, err := parseDate(*toS)
	if err != nil {
		return err
	}
	all, err := a.store.All()
	if err != nil {
		return err
	}
	// The pages' ratings are counts since the first, with no time to each: --from and --to do
	// not apply to them.
	pages, err := a.store.Feedback()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	s := office.Compute(all, from, to)
	takenUp := map[string]string{}
	for a, d := range s.MedianToTakenUp {
		takenUp[a] = d.Round(time.Minute).String()
	}
	return enc.Encode(struct {
		office.Stats
		MedianToRouted  string             `json:"median_to_routed"`
		MedianToClosed  string             `json:"median_to_closed"`
		MedianToRead    string             `json:"median_to_read"`
		MedianToTakenUp map[string]string  `json:"median_to_taken_up"`
		Feedback        []office.PageStats `json:"feedback"`
	}{s, s.MedianToRouted.Round(time.Minute).String(), s.MedianToClosed.Round(time.Minute).String(), s.MedianToRead.Round(time.Minute).String(), takenUp,
		office.FeedbackStats(pages)})
}
