package cases

import (
	"context"
	"fmt"
	"time"
)

// Delivery is a message taken from the queue; Delete removes it there once it is stored here.
type Delivery struct {
	Body   []byte
	Delete func(context.Context) error
}

// Inbox is the reading side of the queue.
type Inbox interface {
	Receive(ctx context.Context, max int) ([]Delivery, error)
}

// Adder stores new cases, once per id.
type Adder interface {
	Add(c Case, actor string, at time.Time) (bool, error)
}

// PullResult counts what a pull did.
type PullResult struct {
	Received, Added, Duplicates, Unreadable int
}

// Pull moves every waiting message into the case store, deleting each from the queue only after
// it is stored. A message seen again (a crash between storing and deleting, a redelivery) finds
// its case already there and is only deleted. Unreadable messages stay on the queue, where the
// dead-letter policy takes them.
func Pull(ctx context.Context, in Inbox, store Adder, actor string, now func() time.Time) (PullResult, error) {
	var r PullResult
	for {
		ds, err := in.Receive(ctx, 10)
		if err != nil {
			return r, err
		}
		if len(ds) == 0 {
			return r, nil
		}
		progress := false
		for _, d := range ds {
			r.Received++
			c, err := FromEnvelope(d.Body)
			if err != nil {
				r.Unreadable++
				continue
			}
			added, err := store.Add(c, actor, now())
			if err != nil {
				return r, fmt.Errorf("pull: %w", err)
			}
			if added {
				r.Added++
			} else {
				r.Duplicates++
			}
			if err := d.Delete(ctx); err != nil {
				return r, fmt.Errorf("pull: %w", err)
			}
			progress = true
		}
		if !progress {
			return r, nil // only unreadable messages are left
		}
	}
}
