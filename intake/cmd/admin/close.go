package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/shaps-portal/shaps/intake/office"
)

func (a *app) close(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("close", flag.ContinueOnError)
	outcome := fs.String("outcome", "", strings.Join(office.Outcomes, ", "))
	note := fs.String("note", "", "a note for the office")
	public := fs.String("public-note", "", "a note for the citizen, on the request's status page: nothing personal")
	code, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := needCode(code, "close"); err != nil {
		return err
	}
	d, err := a.desk(ctx)
	if err != nil {
		return err
	}
	if err := d.Close(ctx, code, a.cfg.Actor, *outcome, *note, *public); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s closed: %s\n", code, *outcome)
	return nil
}
