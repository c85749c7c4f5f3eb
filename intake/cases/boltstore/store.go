package boltstore

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/shaps-portal/shaps/intake/cases"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketCases = []byte("cases") // id → case
	bucketCodes = []byte("codes") // code → id
	bucketAudit = []byte("audit") // sequence → entry
)

// ErrNotFound is returned for an unknown code.
var ErrNotFound = errors.New("no case with that code")

// Store is the case database. Another process holding it makes Open wait, up to a timeout.
type Store struct {
	db   *bolt.DB
	path string
}

// AuditEntry is one change: who, when, what, on which case. It holds no personal data.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Code   string    `json:"code"`
	Detail string    `json:"detail,omitempty"`
}

// Open opens or creates the store at path, mode 0600.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open cases: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 10 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open cases %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("open cases: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketCases, bucketCodes, bucketAudit} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open cases: %w", err)
	}
	return &Store{db: db, path: path}, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

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
// that a message delivered twice becomes one case.
func (s *Store) Add(c cases.Case, actor string, at time.Time) (bool, error) {
	added := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		bc := tx.Bucket(bucketCases)
		if bc.Get([]byte(c.ID)) != nil {
			return nil
		}
		codes := tx.Bucket(bucketCodes)
		if other := codes.Get([]byte(c.Code)); other != nil {
			return fmt.Errorf("code %s already belongs to another case", c.Code)
		}
		v, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if err := bc.Put([]byte(c.ID), v); err != nil {
			return err
		}
		if err := codes.Put([]byte(c.Code), []byte(c.ID)); err != nil {
			return err
		}
		added = true
		return audit(tx, AuditEntry{At: at, Actor: actor, Action: "received", Code: c.Code})
	})
	if err != nil {
		return false, fmt.Errorf("add case: %w", err)
	}
	return added, nil
}

func get(tx *bolt.Tx, code string) (cases.Case, error) {
	id := tx.Bucket(bucketCodes).Get([]byte(code))
	if id == nil {
		return cases.Case{}, fmt.Errorf("%s: %w", code, ErrNotFound)
	}
	var c cases.Case
	if err := json.Unmarshal(tx.Bucket(bucketCases).Get(id), &c); err != nil {
		return cases.Case{}, fmt.Errorf("%s: %w", code, err)
	}
	return c, nil
}

// Get returns the case with a code.
func (s *Store) Get(code string) (cases.Case, error) {
	var c cases.Case
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		c, err = get(tx, code)
		return err
	})
	return c, err
}

// Update changes a case in one transaction and records the change in the audit trail; detail
// must hold no personal data.
func (s *Store) Update(code, actor, action, detail string, at time.Time, change func(*cases.Case) error) (cases.Case, error) {
	var c cases.Case
	err := s.db.Update(func(tx *bolt.Tx) error {
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
func (s *Store) All() ([]cases.Case, error) {
	var all []cases.Case
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCases).ForEach(func(_, v []byte) error {
			var c cases.Case
			if err := json.Unmarshal(v, &c); err != nil {
				return err
			}
			all = append(all, c)
			return nil
		})
	})
	slices.SortFunc(all, func(a, b cases.Case) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	return all, err
}

// Audit returns the audit trail, oldest first.
func (s *Store) Audit() ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(_, v []byte) error {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

// Compact rewrites the file with only the live data, so that erased values do not linger in free
// pages, and swaps it in. The store stays open on the new file.
func (s *Store) Compact() error {
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
