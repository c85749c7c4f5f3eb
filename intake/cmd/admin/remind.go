package main

import (
	"context"
	"flag"
	"fmt"
)

func (a *app) remind(ctx context.Context, args []string) error {
	code, err := a.parse(flag.NewFlagSet("remind", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	if err := needCode(code, "remind"); err != nil {
		return err
	}
	d, err := a.desk(ctx)
	if err != nil {
		return err
	}
	sent, err := d.Remind(ctx, code, a.cfg.Actor)
	for _, p := range sent {
		fmt.Fprintf(a.stdout, "written %s\n", p)
	}
	if err == nil {
		fmt.Fprintf(a.stdout, "%s: the associations that have not answered were sent its links again\n", code)
	}
	return err
}
