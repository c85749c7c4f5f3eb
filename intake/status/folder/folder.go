// Package folder keeps the status board in a local folder, one JSON file per request: the
// default, where serve reads what the admin command writes.
package folder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shaps-portal/shaps/intake/status"
)

// Board is a folder of records, files 0600.
type Board struct{ dir string }

var _ status.Board = (*Board)(nil)

// Open opens the board in dir, creating it (0700) when missing.
func Open(dir string) (*Board, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("status board: %w", err)
	}
	return &Board{dir: dir}, nil
}

func (b *Board) path(code string) (string, error) {
	if !status.ValidCode(code) {
		return "", fmt.Errorf("status board: %q is not a request's code", code)
	}
	return filepath.Join(b.dir, code+".json"), nil
}

// Get reads the record of code.
func (b *Board) Get(_ context.Context, code string) (status.Record, error) {
	p, err := b.path(code)
	if err != nil {
		return status.Record{}, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return status.Record{}, status.ErrNotFound
	}
	if err != nil {
		return status.Record{}, fmt.Errorf("status board: %w", err)
	}
	var r status.Record
	if err := json.Unmarshal(data, &r); err != nil {
		return status.Record{}, fmt.Errorf("status board %s: %w", code, err)
	}
	return r, r.Validate()
}

// Put writes the record, whole or not at all: a reader sees the old one or the new one.
func (b *Board) Put(_ context.Context, r status.Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	p, err := b.path(r.Code)
	if err != nil {
		return err
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("status board: %w", err)
	}
	tmp, err := os.CreateTemp(b.dir, ".put-*")
	if err != nil {
		return fmt.Errorf("status board: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("status board: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("status board: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("status board: %w", err)
	}
	return nil
}

// Delete removes the record of code; a record already gone is no error.
func (b *Board) Delete(_ context.Context, code string) error {
	p, err := b.path(code)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("status board: %w", err)
	}
	return nil
}
