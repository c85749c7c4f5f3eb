package main

import (
	"encoding/json"
	"flag"
	"time"

	"github.com/shaps-portal/shaps/intake/cases"
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
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	s := cases.Compute(all, from, to)
	return enc.Encode(struct {
		cases.Stats
		MedianToRouted string `json:"median_to_routed"`
		MedianToClosed string `json:"median_to_closed"`
	}{s, s.MedianToRouted.Round(time.Minute).String(), s.MedianToClosed.Round(time.Minute).String()})
}
