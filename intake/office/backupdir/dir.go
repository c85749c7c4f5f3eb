package backupdir

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/shaps-portal/shaps/intake/office"
)

// Dir is a folder of backups.
type Dir struct{ path string }

var _ office.Vault = (*Dir)(nil)

// Open makes the folder if needed, mode 0700.
func Open(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("backup folder: %w", err)
	}
	return &Dir{path: path}, nil
}

// Put writes a backup whole under a temporary name and then gives it its own, so that a backup
// cut short never passes for one.
func (d *Dir) Put(_ context.Context, name string, body []byte) error {
	f, err := os.CreateTemp(d.path, ".partial-*")
	if err != nil {
		return fmt.Errorf("backup folder: %w", err)
	}
	_, err = f.Write(body)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(d.path, filepath.Base(name)))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("backup folder: %w", err)
	}
	return nil
}

// List returns the names of the backups, sorted.
func (d *Dir) List(context.Context) ([]string, error) {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return nil, fmt.Errorf("backup folder: %w", err)
	}
	var out []string
	for _, e := range entries {
		if _, ok := office.BackupTime(e.Name()); ok && e.Type().IsRegular() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// Delete removes a backup.
func (d *Dir) Delete(_ context.Context, name string) error {
	if err := os.Remove(filepath.Join(d.path, filepath.Base(name))); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("backup folder: %w", err)
	}
	return nil
}
