package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
)

func (a *app) route(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("route", flag.ContinueOnError)
	to := fs.String("to", "", "the associations, comma-separated")
	note := fs.String("note", "", "a note for the associations")
	code, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := needCode(code, "route"); err != nil {
		return err
	}
	d, err := a.desk(ctx)
	if err != nil {
		return err
	}
	if *to == "" {
		c, err := a.store.Get(code)
		if err != nil {
			return err
		}
		var names []string
		for _, s := range d.Suggestions(c) {
			names = append(names, printable(s.Slug))
		}
		fmt.Fprintf(a.stdout, "suggested for %s: %s\nroute it with -to ASSOC[,ASSOC...]\n", code, strings.Join(names, ", "))
		return nil
	}
	if d.Office.From == "" {
		return errors.New("route: the office's e-mail address is missing: set contact.email in portal.yaml, or SHAPS_MAIL_FROM")
	}
	sent, err := d.Route(ctx, code, a.cfg.Actor, strings.Split(*to, ","), *note)
	for _, p := range sent {
		fmt.Fprintf(a.stdout, "written %s\n", p)
	}
	if err == nil {
		fmt.Fprintf(a.stdout, "%s routed to %s\n", code, *to)
	}
	return err
}
