package main

import (
	"context"
	"flag"
	"fmt"
)

func (a *app) reopen(ctx context.Context, args []string) error {
	code, err := a.parse(flag.NewFlagSet("reopen", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	if err := needCode(code, "reopen"); err != nil {
		return err
	}
	d, err := a.desk(ctx)
	if err != nil {
		return err
	}
	if err := d.Reopen(ctx, code, a.cfg.Actor); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s reopened\n", code)
	return nil
}
