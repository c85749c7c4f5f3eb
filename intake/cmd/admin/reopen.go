package main

import (
	"flag"
	"fmt"

	"github.com/shaps-portal/shaps/intake/cases"
)

func (a *app) reopen(args []string) error {
	code, err := a.parse(flag.NewFlagSet("reopen", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	if err := needCode(code, "reopen"); err != nil {
		return err
	}
	d := &cases.Desk{Store: a.store, Now: a.now}
	if err := d.Reopen(code, a.cfg.Actor); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s reopened\n", code)
	return nil
}
