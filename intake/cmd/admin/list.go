package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/shaps-portal/shaps/intake/office"
)

func (a *app) list(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	status := fs.String("status", "", "new, routed or closed")
	category := fs.String("category", "", "a category id")
	since := fs.String("since", "", "received on or after YYYY-MM-DD")
	lang := fs.String("lang", "", "only the requests sent from the pages in this language: a code of the portal's languages, e.g. ro")
	overdue := fs.Bool("overdue", false, "only the routed cases no association took in charge within portal.yaml's response_days working days")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	from, err := parseDate(*since)
	if err != nil {
		return err
	}
	f := office.Filter{Status: office.Status(*status), Category: *category, Since: from, Language: *lang}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("list: %w", err)
	}
	all, err := a.store.All()
	if err != nil {
		return err
	}
	chosen := f.Apply(all)
	if *overdue {
		d, err := a.desk(ctx)
		if err != nil {
			return err
		}
		chosen = slices.DeleteFunc(chosen, func(c office.Case) bool { return !c.Overdue(d.ResponseDays, a.now(), d.Office.Location) })
	}
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CODE\tRECEIVED\tSTATUS\tKIND\tCATEGORY\tAREA\tLANG\tTAKEN BY")
	for _, c := range chosen {
		taken := ""
		if t := c.TakenUp(); t != nil {
			taken = t.Association
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", printable(c.Code), c.ReceivedAt.Format("2006-01-02 15:04"), printable(string(c.Status)),
			printable(c.Request.Kind), printable(c.Request.Category), printable(c.Request.Area), printable(c.Request.Language), printable(taken))
	}
	return w.Flush()
}
