package spool

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/shaps-portal/shaps/intake"
)

// Spool is a directory queue. It is safe for several writers and readers, in one process or many.
type Spool struct {
	dir string
}

var _ intake.Queue = (*Spool)(nil)

// Open creates the spool's folders if needed, readable by their owner only.
func Open(dir string) (*Spool, error) {
	for _, d := range []string{dir, filepath.Join(dir, "tmp"), filepath.Join(dir, "new"), filepath.Join(dir, "cur")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("open spool: %w", err)
		}
		if err := os.Chmod(d, 0o700); err != nil {
			return nil, fmt.Errorf("open spool: %w", err)
		}
	}
	return &Spool{dir: dir}, nil
}

// Dir is the spool's folder.
func (s *Spool) Dir() string { return s.dir }

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Enqueue writes the message durably. A message whose id is already waiting is not written twice.
func (s *Spool) Enqueue(ctx context.Context, m intake.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !validID(m.ID) {
		return fmt.Errorf("spool: invalid message id %q", m.ID)
	}
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	tmp := filepath.Join(s.dir, "tmp", m.ID+"."+hex.EncodeToString(nonce[:]))
	if err := writeSynced(tmp, m.Body); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("spool: %w", err)
	}
	defer os.Remove(tmp)
	final := filepath.Join(s.dir, "new", m.ID+".json")
	// A link, unlike a rename, fails when the name exists: one copy per id, whoever writes first.
	if err := os.Link(tmp, final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil
		}
		return fmt.Errorf("spool: %w", err)
	}
	if err := syncDir(filepath.Join(s.dir, "new")); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

func writeSynced(path string, body []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(body); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Delivery is a message taken from the spool for processing.
type Delivery struct {
	ID   string
	Body []byte
	path string
}

// Receive takes up to max waiting messages, oldest name first, moving each to cur/ so that
// another reader does not take it too. Messages left in cur/ by a reader that died are taken
// again, so delivery is at least once.
func (s *Spool) Receive(ctx context.Context, max int) ([]Delivery, error) {
	var out []Delivery
	for _, sub := range []string{"cur", "new"} {
		names, err := listJSON(filepath.Join(s.dir, sub))
		if err != nil {
			return out, fmt.Errorf("spool: %w", err)
		}
		for _, name := range names {
			if len(out) >= max || ctx.Err() != nil {
				return out, ctx.Err()
			}
			path := filepath.Join(s.dir, sub, name)
			if sub == "new" {
				taken := filepath.Join(s.dir, "cur", name)
				if err := os.Rename(path, taken); err != nil {
					if errors.Is(err, fs.ErrNotExist) {
						continue // another reader took it
					}
					return out, fmt.Errorf("spool: %w", err)
				}
				path = taken
			}
			body, err := os.ReadFile(path)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				return out, fmt.Errorf("spool: %w", err)
			}
			out = append(out, Delivery{ID: strings.TrimSuffix(name, ".json"), Body: body, path: path})
		}
	}
	return out, nil
}

// Delete removes a delivered message once it is stored elsewhere.
func (s *Spool) Delete(d Delivery) error {
	if err := os.Remove(d.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("spool: %w", err)
	}
	return syncDir(filepath.Dir(d.path))
}

func listJSON(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}
