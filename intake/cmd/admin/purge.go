package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

func parseAge(s string) (time.Duration, error) {
	days, ok := strings.CutSuffix(s, "d")
	n, err := strconv.Atoi(days)
	if !ok || err != nil || n < 0 {
		return 0, fmt.Errorf("age %q: want a number of days like 730d", s)
	}
	return time.Duration(n) * 24 * time.Hour, nil
}

func (a *app) purge(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	older := fs.String("older-than", "730d", "erase cases closed longer ago than this, e.g. 730d; 0d erases every closed case")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	age, err := parseAge(*older)
	if err != nil {
		return err
	}
	d, err := a.desk()
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	r, err := d.Purge(ctx, age, a.cfg.Actor)
	for _, p := range r.Cases {
		fmt.Fprintf(a.stdout, "erased the personal data of %s (closed %s) and %d e-mail(s) of it in the outbox\n", p.Code, p.ClosedAt.Format("2006-01-02"), p.Mails)
	}
	if r.Aside > 0 {
		fmt.Fprintf(a.stdout, "erased %d unreadable message(s) kept aside since before %s\n", r.Aside, a.now().Add(-age).Format("2006-01-02"))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d case(s) purged\n", len(r.Cases))
	return nil
}
