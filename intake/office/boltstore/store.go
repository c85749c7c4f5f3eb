package boltstore

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/shaps-portal/shaps/intake/office"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketCases = []byte("cases") // id → case
	bucketCodes = []byte("codes") // code → id
	bucketAudit = []byte("audit") // sequence → entry
	bucketAside = []byte("aside") // SHA-256 of a message → an unreadable message, kept
	bucketMeta  = []byte("meta")  // the store's own facts: when the last backup was taken
	// The pages' ratings: page path → what its ratings add up to, and the id of every rating
	// counted → its day, so that a rating delivered twice counts once.
	bucketFeedback = []byte("feedback")
	bucketRatings  = []byte("ratings")

	buckets = [][]byte{bucketCases, bucketCodes, bucketAudit, bucketAside, bucketMeta, bucketFeedback, bucketRatings}
)

// ErrNotFound is returned for an unknown code.
var ErrNotFound = office.ErrUnknownCode

// Store is the case database. Another process holding it makes Open wait, up to a timeout.
type Store struct {
	mu   sync.RWMutex // Compact swaps db while the web interface may be reading
	db   *bolt.DB
	path string
	held bool // this process wrote the holder file
}

// view and update run a transaction on the current file.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.db.View(fn)
}

func (s *Store) update(fn func(*bolt.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.db.Update(fn)
}

// Waiting for another process: a command is short, so Open waits for it; a program that keeps
// the store open (the web interface) leaves a holder file, and Open then gives up soon and says
// who holds it.
const (
	waitCommand = 10 * time.Second
	waitHolder  = time.Second
)

// HeldError is returned by Open when another program keeps the store open.
type HeldError struct {
	Path   string
	Holder string // what the holder wrote with Hold; empty for another command
}

func (e *HeldError) Error() string {
	if e.Holder == "" {
		return fmt.Sprintf("the case store %s is in use by another program: try again when it ends", e.Path)
	}
	return fmt.Sprintf("the case store %s is open in %s", e.Path, e.Holder)
}

// AuditEntry is one change: who, when, what, on which case. It holds no personal data.
type AuditEntry = office.Event

// Open opens or creates the store at path, mode 0600.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open cases: %w", err)
	}
	wait, holder := waitCommand, ""
	if b, err := os.ReadFile(holderFile(path)); err == nil {
		wait, holder = waitHolder, string(b)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: wait})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, &HeldError{Path: path, Holder: holder}
	}
	if err != nil {
		return nil, fmt.Errorf("open cases %s: %w", path, err)
	}
	if holder != "" {
		_ = os.Remove(holderFile(path)) // left by a holder that died
	}
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("open cases: %w", err)
	}
	if err := ensureBuckets(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open cases: %w", err)
	}
	return &Store{db: db, path: path}, nil
}

func ensureBuckets(db *bolt.DB) error {
	return db.Update(func(tx *bolt.Tx) error {
		for _, b := range buckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
}

func holderFile(path string) string { return path + ".holder" }

// Hold tells other programs that this one keeps the store open, and what they can do meanwhile;
// Close takes the note away.
func (s *Store) Hold(note string) error {
	if err := os.WriteFile(holderFile(s.path), []byte(note), 0o600); err != nil {
		return fmt.Errorf("hold cases: %w", err)
	}
	s.held = true
	return nil
}

// Close closes the store.
func (s *Store) Close() error {
	if s.held {
		_ = os.Remove(holderFile(s.path))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db.Close()
}

func audit(tx *bolt.Tx, e AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put(binary.BigEndian.AppendUint64(nil, seq), v)
}

// Add stores a new case unless a case with its id exists; it reports whether it added it, so
// that a message delivered twice becomes one case. Two different requests whose codes coincide
// (one chance in a billion for each pair) both become cases: the later one gets the code with
// a suffix, VG-7K4M-Q2-2, recorded in the audit trail.
func (s *Store) Add(c office.Case, actor string, at time.Time) (bool, error) {
	added := false
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		added, err = add(tx, c, actor, at)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("add case: %w", err)
	}
	return added, nil
}

func add(tx *bolt.Tx, c office.Case, actor string, at time.Time) (bool, error) {
	bc := tx.Bucket(bucketCases)
	if bc.Get([]byte(c.ID)) != nil {
		return false, nil
	}
	codes := tx.Bucket(bucketCodes)
	given, detail := c.Code, ""
	for n := 2; codes.Get([]byte(c.Code)) != nil; n++ {
		if n > 9 {
			return false, fmt.Errorf("code %s: already taken by nine other cases", given)
		}
		c.Code = fmt.Sprintf("%s-%d", given, n)
		detail = "code " + given + " was taken"
	}
	v, err := json.Marshal(c)
	if err != nil {
		return false, err
	}
	if err := bc.Put([]byte(c.ID), v); err != nil {
		return false, err
	}
	if err := codes.Put([]byte(c.Code), []byte(c.ID)); err != nil {
		return false, err
	}
	return true, audit(tx, AuditEntry{At: at, Actor: actor, Action: "received", Code: c.Code, Detail: detail})
}

// SetAside keeps a message that cannot be read as a case, so that it leaves the queue without
// being lost (a message from a newer intake, say); the same message kept twice is kept once.
func (s *Store) SetAside(body []byte, reason string, at time.Time) error {
	sum := sha256.Sum256(body)
	key := hex.EncodeToString(sum[:])
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAside)
		if b.Get([]byte(key)) != nil {
			return nil
		}
		v, err := json.Marshal(office.Aside{Key: key, At: at, Reason: reason, Body: body})
		if err != nil {
			return err
		}
		if err := b.Put([]byte(key), v); err != nil {
			return err
		}
		return audit(tx, AuditEntry{At: at, Actor: "pull", Action: "set-aside", Code: "-", Detail: key[:12] + ": " + reason})
	})
	if err != nil {
		return fmt.Errorf("set aside: %w", err)
	}
	return nil
}

// Aside returns the messages kept aside, oldest first.
func (s *Store) Aside() ([]office.Aside, error) {
	out, err := readAll[office.Aside](s, bucketAside)
	slices.SortFunc(out, func(a, b office.Aside) int { return a.At.Compare(b.At) })
	return out, err
}

// readAll decodes every value of a bucket, in key order.
func readAll[T any](s *Store, bucket []byte) ([]T, error) {
	var out []T
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(_, v []byte) error {
			var x T
			if err := json.Unmarshal(v, &x); err != nil {
				return err
			}
			out = append(out, x)
			return nil
		})
	})
	return out, err
}

// AddAside stores the case read from a message kept aside and forgets the message, together.
func (s *Store) AddAside(key string, c office.Case, actor string, at time.Time) (bool, error) {
	added := false
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if added, err = add(tx, c, actor, at); err != nil {
			return err
		}
		return tx.Bucket(bucketAside).Delete([]byte(key))
	})
	if err != nil {
		return false, fmt.Errorf("add case: %w", err)
	}
	return added, nil
}

// DropAside erases the messages kept aside since before a time, for the storage limit.
func (s *Store) DropAside(before time.Time, actor string, at time.Time) (int, error) {
	all, err := s.Aside()
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.update(func(tx *bolt.Tx) error {
		for _, a := range all {
			if !a.At.Before(before) {
				continue
			}
			if err := tx.Bucket(bucketAside).Delete([]byte(a.Key)); err != nil {
				return err
			}
			if err := audit(tx, AuditEntry{At: at, Actor: actor, Action: "dropped", Code: "-", Detail: a.Key[:12]}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

func get(tx *bolt.Tx, code string) (office.Case, error) {
	id := tx.Bucket(bucketCodes).Get([]byte(code))
	if id == nil {
		return office.Case{}, fmt.Errorf("%s: %w", code, ErrNotFound)
	}
	var c office.Case
	if err := json.Unmarshal(tx.Bucket(bucketCases).Get(id), &c); err != nil {
		return office.Case{}, fmt.Errorf("%s: %w", code, err)
	}
	return c, nil
}

// Get returns the case with a code.
func (s *Store) Get(code string) (office.Case, error) {
	var c office.Case
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		c, err = get(tx, code)
		return err
	})
	return c, err
}

// Update changes a case in one transaction and records the change in the audit trail; detail
// must hold no personal data.
func (s *Store) Update(code, actor, action, detail string, at time.Time, change func(*office.Case) error) (office.Case, error) {
	var c office.Case
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if c, err = get(tx, code); err != nil {
			return err
		}
		if err := change(&c); err != nil {
			return err
		}
		v, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketCases).Put([]byte(c.ID), v); err != nil {
			return err
		}
		return audit(tx, AuditEntry{At: at, Actor: actor, Action: action, Code: code, Detail: detail})
	})
	return c, err
}

// All returns every case, oldest first.
func (s *Store) All() ([]office.Case, error) {
	all, err := readAll[office.Case](s, bucketCases)
	slices.SortFunc(all, func(a, b office.Case) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	return all, err
}

// Audit returns the audit trail, oldest first.
func (s *Store) Audit() ([]AuditEntry, error) {
	return readAll[AuditEntry](s, bucketAudit) // keys are big-endian sequence numbers
}

// Compact rewrites the file with only the live data, so that erased values do not linger in free
// pages, and swaps it in. The store stays open on the new file.
func (s *Store) Compact() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tmp := s.path + ".compact"
	_ = os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, nil)
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := bolt.Compact(dst, s.db, 1<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return fmt.Errorf("compact: %w", err)
	}
	if err := dst.Close(); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	db, err := bolt.Open(s.path, 0o600, &bolt.Options{Timeout: 10 * time.Second})
	if err != nil {
		return fmt.Errorf("compact: reopen: %w", err)
	}
	s.db = db
	return nil
}

// Snapshot writes a copy of the whole store as it is at one instant: one read transaction, which
// pulls, routes and other writers do not wait for.
func (s *Store) Snapshot(w io.Writer) error {
	return s.view(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(w)
		return err
	})
}

// ErrNotEmpty is returned by Restore on a store that already holds cases.
var ErrNotEmpty = errors.New("the case store is not empty")

// Restore replaces an empty store with a copy written by Snapshot. A store that holds anything —
// a case, a message kept aside, a line of audit — is left alone: a restore never mixes two
// stores nor overwrites one.
func (s *Store) Restore(r io.Reader) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	empty := true
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketCases, bucketAside, bucketAudit} {
			if k, _ := tx.Bucket(b).Cursor().First(); k != nil {
				empty = false
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("%s: %w: restore into a new SHAPS_CASES file", s.path, ErrNotEmpty)
	}
	tmp := s.path + ".restore"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = checkCopy(tmp)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := s.db.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return err
	}
	db, err := bolt.Open(s.path, 0o600, &bolt.Options{Timeout: 10 * time.Second})
	if err != nil {
		return fmt.Errorf("reopen: %w", err)
	}
	s.db = db
	return ensureBuckets(db)
}

// checkCopy opens a restored file and reads every case in it before it takes the store's place.
func checkCopy(path string) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("not a case store: %w", err)
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketCases, bucketCodes, bucketAudit} {
			if tx.Bucket(b) == nil {
				return fmt.Errorf("not a case store: no %s", b)
			}
		}
		return tx.Bucket(bucketCases).ForEach(func(k, v []byte) error {
			var c office.Case
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("case %s: %w", k, err)
			}
			return nil
		})
	})
}

var keyLastBackup = []byte("last_backup")

// BackedUp records a backup taken: when, by whom and under which name.
func (s *Store) BackedUp(name, actor string, at time.Time) error {
	return s.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keyLastBackup, []byte(at.UTC().Format(time.RFC3339Nano))); err != nil {
			return err
		}
		return audit(tx, AuditEntry{At: at, Actor: actor, Action: "backed-up", Code: "-", Detail: name})
	})
}

// LastBackup is when the last backup was taken; zero when never.
func (s *Store) LastBackup() (time.Time, error) {
	var t time.Time
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyLastBackup)
		if v == nil {
			return nil
		}
		var err error
		t, err = time.Parse(time.RFC3339Nano, string(v))
		return err
	})
	return t, err
}

// History is the audit trail of one case, oldest first.
func (s *Store) History(code string) ([]office.Event, error) {
	all, err := s.Audit()
	var out []office.Event
	for _, e := range all {
		if e.Code == code {
			out = append(out, e)
		}
	}
	return out, err
}

// AddFeedback counts a page's rating, once per id; with asideKey, it also forgets the message
// kept aside under that key, in the same transaction.
func (s *Store) AddFeedback(r office.Rating, asideKey string) (bool, error) {
	added := false
	err := s.update(func(tx *bolt.Tx) error {
		if asideKey != "" {
			if err := tx.Bucket(bucketAside).Delete([]byte(asideKey)); err != nil {
				return err
			}
		}
		ids := tx.Bucket(bucketRatings)
		if ids.Get([]byte(r.ID)) != nil {
			return nil
		}
		if err := ids.Put([]byte(r.ID), []byte(r.Day.UTC().Format(time.RFC3339))); err != nil {
			return err
		}
		b := tx.Bucket(bucketFeedback)
		p := office.PageFeedback{Page: r.Page}
		if v := b.Get([]byte(r.Page)); v != nil {
			if err := json.Unmarshal(v, &p); err != nil {
				return err
			}
		}
		p.Add(r.Feedback, r.Day)
		v, err := json.Marshal(p)
		if err != nil {
			return err
		}
		added = true
		return b.Put([]byte(r.Page), v)
	})
	if err != nil {
		return false, fmt.Errorf("add rating: %w", err)
	}
	return added, nil
}

// Feedback returns what the ratings of each page add up to, by page.
func (s *Store) Feedback() ([]office.PageFeedback, error) {
	out, err := readAll[office.PageFeedback](s, bucketFeedback)
	if err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	return out, nil
}

// DropFeedbackTexts erases the ratings' texts, and the ids of the ratings, that came before a
// day, for the storage limit; the counts stay. It returns how many texts it erased.
func (s *Store) DropFeedbackTexts(before time.Time, actor string, at time.Time) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeedback)
		var pages []office.PageFeedback
		if err := b.ForEach(func(_, v []byte) error {
			var p office.PageFeedback
			if err := json.Unmarshal(v, &p); err != nil {
				return err
			}
			pages = append(pages, p)
			return nil
		}); err != nil {
			return err
		}
		for _, p := range pages {
			dropped := p.DropTexts(before)
			if dropped == 0 {
				continue
			}
			n += dropped
			v, err := json.Marshal(p)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(p.Page), v); err != nil {
				return err
			}
		}
		ids := tx.Bucket(bucketRatings)
		var old [][]byte
		if err := ids.ForEach(func(k, v []byte) error {
			if day, err := time.Parse(time.RFC3339, string(v)); err != nil || day.Before(before) {
				old = append(old, k)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range old {
			if err := ids.Delete(k); err != nil {
				return err
			}
		}
		if n == 0 {
			return nil
		}
		return audit(tx, AuditEntry{At: at, Actor: actor, Action: "dropped", Code: "-", Detail: fmt.Sprintf("%d feedback texts", n)})
	})
	if err != nil {
		return 0, fmt.Errorf("drop feedback texts: %w", err)
	}
	return n, nil
}
