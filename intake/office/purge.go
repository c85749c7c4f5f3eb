package office

import (
	"context"
	"fmt"
	"time"
)

// Eraser erases the copies of the e-mails written under a name (see Desk: <code>-<association>,
// <code>-cittadino and <code>-cittadino-presa-in-carico), which hold the same personal data as
// the case.
type Eraser interface {
	Erase(name string) (int, error)
}

// Purged is one case whose personal data a purge erased.
type Purged struct {
	Code     string
	ClosedAt time.Time
	Mails    int // copies of its e-mails erased
}

// PurgeResult is what a purge erased.
type PurgeResult struct {
	Cases   []Purged
	Aside   int      // unreadable messages kept aside that long, erased
	Texts   int      // texts of the pages' ratings received that long ago, erased
	Backups []string // backups taken before the limit, deleted
}

// Purgeable returns the cases a purge with this limit would erase: closed longer ago than
// olderThan and not purged yet.
func (d *Desk) Purgeable(olderThan time.Duration) ([]Case, error) {
	all, err := d.Store.All()
	if err != nil {
		return nil, err
	}
	limit := d.Now().Add(-olderThan)
	var out []Case
	for _, c := range all {
		if c.Status == StatusClosed && c.PurgedAt.IsZero() && !c.ClosedAt.After(limit) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Purge erases the personal data of the cases closed longer ago than olderThan (see
// Case.Purge), their statuses on the board, the copies of their e-mails, the unreadable
// messages kept aside that long and the texts of the pages' ratings received that long ago; then it compacts the store so that the erased bytes do not linger
// in the file, and deletes the backups taken that long ago.
func (d *Desk) Purge(ctx context.Context, olderThan time.Duration, actor string) (PurgeResult, error) {
	var r PurgeResult
	due, err := d.Purgeable(olderThan)
	if err != nil {
		return r, fmt.Errorf("purge: %w", err)
	}
	now := d.Now()
	for _, c := range due {
		if err := ctx.Err(); err != nil {
			return r, fmt.Errorf("purge: %w", err)
		}
		// The status first: should its deletion fail, the case stays due and the next purge
		// tries again.
		if d.Board != nil {
			if err := d.Board.Delete(ctx, c.Code); err != nil {
				return r, fmt.Errorf("purge %s: %w", c.Code, err)
			}
		}
		if _, err := d.Store.Update(c.Code, actor, "purged", "", now, func(c *Case) error { c.Purge(now, d.Areas); return nil }); err != nil {
			return r, fmt.Errorf("purge: %w", err)
		}
		p := Purged{Code: c.Code, ClosedAt: c.ClosedAt}
		if d.Copies != nil {
			names := []string{c.Code + "-cittadino", c.Code + "-cittadino-presa-in-carico"}
			for _, rt := range c.Routes {
				for _, a := range rt.To {
					names = append(names, c.Code+"-"+a)
				}
			}
			for _, name := range names {
				n, err := d.Copies.Erase(name)
				p.Mails += n
				if err != nil {
					r.Cases = append(r.Cases, p)
					return r, fmt.Errorf("purge %s: %w", c.Code, err)
				}
			}
		}
		r.Cases = append(r.Cases, p)
	}
	if r.Aside, err = d.Store.DropAside(now.Add(-olderThan), actor, now); err != nil {
		return r, fmt.Errorf("purge: %w", err)
	}
	if r.Texts, err = d.Store.DropFeedbackTexts(now.Add(-olderThan), actor, now); err != nil {
		return r, fmt.Errorf("purge: %w", err)
	}
	if len(r.Cases)+r.Aside+r.Texts > 0 {
		if err := d.Store.Compact(); err != nil {
			return r, fmt.Errorf("purge: %w", err)
		}
	}
	if d.Vault != nil {
		if r.Backups, err = DropBackups(ctx, d.Vault, now.Add(-olderThan)); err != nil {
			return r, fmt.Errorf("purge: %w", err)
		}
	}
	return r, nil
}
