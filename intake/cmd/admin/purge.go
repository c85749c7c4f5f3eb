package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/intake/office"
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
	if _, err := a.parse(flag.NewFlagSet("purge", flag.ContinueOnError), args, "older-than"); err != nil {
		return err
	}
	d, err := a.desk(ctx)
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	return a.purgeWith(ctx, d)
}

// purgeWith erases what is older than the storage limit and says what.
func (a *app) purgeWith(ctx context.Context, d *office.Desk) error {
	age := a.cfg.PurgeAge
	r, err := d.Purge(ctx, age, a.cfg.Actor)
	for _, p := range r.Cases {
		fmt.Fprintf(a.stdout, "erased the personal data of %s (closed %s) and %d e-mail(s) of it in the outbox\n", p.Code, p.ClosedAt.Format("2006-01-02"), p.Mails)
	}
	if r.Aside > 0 {
		fmt.Fprintf(a.stdout, "erased %d unreadable message(s) kept aside since before %s\n", r.Aside, a.now().Add(-age).Format("2006-01-02"))
	}
	if r.Texts > 0 {
		fmt.Fprintf(a.stdout, "erased %d text(s) of the pages' ratings received before %s; their counts stay\n", r.Texts, a.now().Add(-age).Format("2006-01-02"))
	}
	for _, b := range r.Backups {
		fmt.Fprintf(a.stdout, "deleted the backup %s, older than the limit\n", b)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d case(s) purged\n", len(r.Cases))
	return nil
}
