package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/shaps-portal/shaps/intake/spool"
	"github.com/shaps-portal/shaps/intake/sqsqueue"
)

func (a *app) pull(ctx context.Context, args []string) error {
	if _, err := a.parse(flag.NewFlagSet("pull", flag.ContinueOnError), args); err != nil {
		return err
	}
	r, err := a.pullQueue(ctx, a.cfg.Actor)
	defer a.warnBackup()
	fmt.Fprintf(a.stdout, "received %d, new cases %d, already known %d, unreadable %d\n", r.Received, r.Added, r.Duplicates, r.SetAside)
	if r.Answers+r.Refused > 0 {
		fmt.Fprintf(a.stdout, "associations' answers recorded %d, refused %d (a case not routed to them, closed or unknown)\n", r.Answers, r.Refused)
	}
	if r.Ratings > 0 {
		fmt.Fprintf(a.stdout, "pages' ratings counted %d\n", r.Ratings)
	}
	if r.Recovered > 0 {
		fmt.Fprintf(a.stdout, "%d message(s) kept aside earlier are now cases or ratings\n", r.Recovered)
	}
	if r.StillAside > 0 {
		fmt.Fprintf(a.stdout, "%d message(s) this version cannot read are kept aside in the case store and read again on every pull: update the admin program (go install or git pull)\n", r.StillAside)
	}
	return err
}

// pullQueue moves the waiting requests from the configured queue into the case store.
func (a *app) pullQueue(ctx context.Context, actor string) (office.PullResult, error) {
	var inbox office.Inbox
	switch a.cfg.queue.Queue {
	case "sqs":
		client, err := setup.SQSClient(ctx, a.cfg.queue)
		if err != nil {
			return office.PullResult{}, err
		}
		inbox = sqsInbox{sqsqueue.NewInbox(client, a.cfg.queue.SQSQueueURL, 2*time.Second)}
	default:
		s, err := spool.Open(a.cfg.queue.SpoolDir)
		if err != nil {
			return office.PullResult{}, err
		}
		inbox = spoolInbox{s}
	}
	r, err := office.Pull(ctx, inbox, a.store, actor, a.now)
	if err != nil {
		return r, err
	}
	d, err := a.desk(ctx)
	if err != nil {
		return r, fmt.Errorf("pull: the statuses of the new cases: %w", err)
	}
	if _, err := d.PublishNew(ctx); err != nil {
		return r, fmt.Errorf("pull: %w", err)
	}
	for _, code := range r.Answered {
		if err := d.Publish(ctx, code); err != nil {
			return r, fmt.Errorf("pull: %w", err)
		}
	}
	for _, code := range r.TakenUp {
		if err := d.NotifyTakenUp(ctx, code); err != nil {
			return r, fmt.Errorf("pull: %w", err)
		}
	}
	return r, nil
}

type spoolInbox struct{ s *spool.Spool }

func (in spoolInbox) Receive(ctx context.Context, max int) ([]office.Delivery, error) {
	ds, err := in.s.Receive(ctx, max)
	out := make([]office.Delivery, len(ds))
	for i, d := range ds {
		out[i] = office.Delivery{Body: d.Body, Delete: func(context.Context) error { return in.s.Delete(d) }}
	}
	return out, err
}

type sqsInbox struct{ in *sqsqueue.Inbox }

func (in sqsInbox) Receive(ctx context.Context, max int) ([]office.Delivery, error) {
	ds, err := in.in.Receive(ctx, max)
	out := make([]office.Delivery, len(ds))
	for i, d := range ds {
		out[i] = office.Delivery{Body: d.Body, Delete: func(ctx context.Context) error { return in.in.Delete(ctx, d) }}
	}
	return out, err
}
