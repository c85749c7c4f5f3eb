package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"filippo.io/age"
	"github.com/shaps-portal/shaps/intake/office"
)

// restore brings a backup back into an empty case store, and at once erases what the storage
// limit no longer allows, so that no personal data comes back from the dead.
func (a *app) restore(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	if _, err := a.parse(fs, args, "identity", "older-than"); err != nil {
		return err
	}
	file := fs.Arg(0) // the file named after the flags; parse gives it in upper case, as a code
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file = args[0]
	}
	if file == "" {
		return errors.New("restore: give the backup file, e.g. admin restore shaps-cases-20261125T090000Z.db.age -identity KEYFILE")
	}
	if a.cfg.Backup.Identity == "" {
		return errors.New("restore: give the private key's file with -identity FILE (SHAPS_BACKUP_IDENTITY)")
	}
	keys, err := os.Open(a.cfg.Backup.Identity)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	ids, err := age.ParseIdentities(keys)
	keys.Close()
	if err != nil {
		return fmt.Errorf("restore: %s: %w", a.cfg.Backup.Identity, err)
	}
	// The desk first: what the purge needs must be there before anything comes back.
	d, err := a.desk(ctx)
	if err != nil {
		return fmt.Errorf("restore: the purge that follows it: %w", err)
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	if err := office.Restore(f, ids, a.store); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "restored %s into %s\n", file, a.cfg.Cases)
	if err := a.purgeWith(ctx, d); err != nil {
		return fmt.Errorf("restore: restored, but the purge failed: run admin purge before anything else: %w", err)
	}
	return nil
}
