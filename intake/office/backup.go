package office

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
)

// Vault keeps the encrypted backups of the case store, by name: a folder, or an S3 bucket.
type Vault interface {
	Put(ctx context.Context, name string, body []byte) error
	List(ctx context.Context) ([]string, error)
	Delete(ctx context.Context, name string) error
}

// Snapshotter writes a consistent copy of the case store, taken in one read transaction while
// pulls and routes go on.
type Snapshotter interface {
	Snapshot(w io.Writer) error
}

// Restorer fills an empty case store from a copy written by a Snapshotter.
type Restorer interface {
	Restore(r io.Reader) error
}

// Retention is how many backups are kept: the newest of each of the last Daily days that have
// one, and the newest of each of the last Monthly months that have one.
type Retention struct {
	Daily, Monthly int
}

// BackupStale is how long the office may go without a backup before it is warned.
const BackupStale = 24 * time.Hour

const (
	backupPrefix = "shaps-cases-"
	backupSuffix = ".db.age"
	backupStamp  = "20060102T150405Z"
)

// BackupName names a backup by the time it was taken, so that names sort by time.
func BackupName(at time.Time) string {
	return backupPrefix + at.UTC().Format(backupStamp) + backupSuffix
}

// BackupTime reads the time out of a backup's name; ok is false for any other name.
func BackupTime(name string) (time.Time, bool) {
	s, ok := strings.CutPrefix(name, backupPrefix)
	if !ok {
		return time.Time{}, false
	}
	if s, ok = strings.CutSuffix(s, backupSuffix); !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(backupStamp, s)
	return t, err == nil
}

// ParseRecipients reads the age public keys (age1…) that backups are encrypted for, separated
// by commas, blanks or lines.
func ParseRecipients(keys string) ([]age.Recipient, error) {
	var out []age.Recipient
	for _, k := range strings.FieldsFunc(keys, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r' }) {
		r, err := age.ParseX25519Recipient(k)
		if err != nil {
			return nil, fmt.Errorf("backup key %q: want an age public key, age1…: %w", k, err)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, errors.New("no public key to encrypt backups for")
	}
	return out, nil
}

// Backup takes a snapshot of the store, encrypts it for the recipients, puts it in the vault
// under a name of its time and applies the retention; it returns the backup's name and those it
// deleted. Nothing of the case store leaves in clear text.
func Backup(ctx context.Context, store Snapshotter, vault Vault, to []age.Recipient, keep Retention, now time.Time) (string, []string, error) {
	var buf bytes.Buffer
	enc, err := age.Encrypt(&buf, to...)
	if err != nil {
		return "", nil, fmt.Errorf("backup: %w", err)
	}
	if err := store.Snapshot(enc); err != nil {
		return "", nil, fmt.Errorf("backup: snapshot: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", nil, fmt.Errorf("backup: encrypt: %w", err)
	}
	name := BackupName(now)
	if err := vault.Put(ctx, name, buf.Bytes()); err != nil {
		return "", nil, fmt.Errorf("backup: %w", err)
	}
	names, err := vault.List(ctx)
	if err != nil {
		return name, nil, fmt.Errorf("backup: retention: %w", err)
	}
	_, drop := keep.Apply(names)
	drop = slices.DeleteFunc(drop, func(n string) bool { return n == name }) // whatever the retention says
	return name, drop, deleteBackups(ctx, vault, drop)
}

func deleteBackups(ctx context.Context, vault Vault, names []string) error {
	for _, n := range names {
		if err := vault.Delete(ctx, n); err != nil {
			return fmt.Errorf("delete backup %s: %w", n, err)
		}
	}
	return nil
}

// Apply splits backup names into those the retention keeps and those it drops. Names that are
// not backups' are left alone, in neither list.
func (k Retention) Apply(names []string) (keep, drop []string) {
	type backup struct {
		name string
		at   time.Time
	}
	var all []backup
	for _, n := range names {
		if t, ok := BackupTime(n); ok {
			all = append(all, backup{n, t})
		}
	}
	slices.SortFunc(all, func(a, b backup) int { return b.at.Compare(a.at) }) // newest first
	days, months := map[string]bool{}, map[string]bool{}
	for _, b := range all {
		day, month := b.at.Format("2006-01-02"), b.at.Format("2006-01")
		kept := false
		if !days[day] && len(days) < k.Daily {
			days[day], kept = true, true
		}
		if !months[month] && len(months) < k.Monthly {
			months[month], kept = true, true
		}
		if kept {
			keep = append(keep, b.name)
		} else {
			drop = append(drop, b.name)
		}
	}
	return keep, drop
}

// DropBackups deletes the backups taken before a time: they may hold personal data that a purge
// has since erased from the store.
func DropBackups(ctx context.Context, vault Vault, before time.Time) ([]string, error) {
	names, err := vault.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("backups: %w", err)
	}
	var old []string
	for _, n := range names {
		if t, ok := BackupTime(n); ok && t.Before(before) {
			old = append(old, n)
		}
	}
	return old, deleteBackups(ctx, vault, old)
}

// ErrWrongKey is returned when a backup was not encrypted for the identity given.
var ErrWrongKey = errors.New("the backup was not encrypted for this key")

// Restore decrypts a backup with the identities (the office's private keys) into an empty store.
func Restore(backup io.Reader, ids []age.Identity, store Restorer) error {
	plain, err := age.Decrypt(backup, ids...)
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		return fmt.Errorf("restore: %w: use the private key whose public key is in SHAPS_BACKUP_RECIPIENT when the backup was taken", ErrWrongKey)
	}
	if err != nil {
		return fmt.Errorf("restore: not a backup of the case store, or damaged: %w", err)
	}
	if err := store.Restore(plain); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}
