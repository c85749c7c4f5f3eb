package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
)

// writeSchemas writes one JSON Schema per kind of data file into dir.
func writeSchemas(dir string, stdout io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	for _, s := range catalog.Schemas() {
		b, err := catalog.JSONSchema(s, "/")
		if err != nil {
			return fmt.Errorf("schema %s: %w", s.Kind, err)
		}
		path := filepath.Join(dir, s.Kind+".schema.json")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		fmt.Fprintln(stdout, path)
	}
	return nil
}

// publishExtras adds to a built site what the generator writes itself rather than Hugo.
func publishExtras(cat *catalog.Catalog, now time.Time) func(dir string) error {
	return func(dir string) error {
		return writeSchemas(filepath.Join(dir, "schema"), io.Discard)
	}
}
