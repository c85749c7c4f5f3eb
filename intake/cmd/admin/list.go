package main

import (
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/shaps-portal/shaps/intake/cases"
)

func (a *app) list(args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	status := fs.String("status", "", "new, routed or closed")
	category := fs.String("category", "", "a category id")
	since := fs.String("since", "", "received on or after YYYY-MM-DD")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	from, err := parseDate(*since)
	if err != nil {
		return err
	}
	f := cases.Filter{Status: cases.Status(*status), Category: *category, Since: from}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("list: %w", err)
	}
	all, err := a.store.All()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CODE\tRECEIVED\tSTATUS\tKIND\tCATEGORY\tAREA")
	for _, c := range f.Apply(all) {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", printable(c.Code), c.ReceivedAt.Format("2006-01-02 15:04"), printable(string(c.Status)),
			printable(c.Request.Kind), printable(c.Request.Category), printable(c.Request.Area))
	}
	return w.Flush()
}
