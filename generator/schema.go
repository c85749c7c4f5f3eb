package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/feeds"
	"github.com/shaps-portal/shaps/generator/opendata"
	"go.yaml.in/yaml/v3"
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

// publishExtras adds to a built site what the generator writes itself rather than Hugo: the JSON
// Schemas and the iCal feeds.
func publishExtras(c config, cat *catalog.Catalog, now time.Time) func(dir string) error {
	return func(dir string) error {
		if err := writeSchemas(filepath.Join(dir, "schema"), io.Discard); err != nil {
			return err
		}
		labels, err := feedLabels(filepath.Join(c.Site, "i18n", "it.yaml"))
		if err != nil {
			return err
		}
		base := c.BaseURL
		if base == "" {
			base = cat.Portal.BaseURL
		}
		if err := opendata.Write(dir, cat, base, now); err != nil {
			return err
		}
		_, err = feeds.Write(dir, cat, feeds.Options{
			BaseURL: base,
			Since:   now.In(cat.Location).AddDate(0, -c.FeedPastMonths, 0),
			Labels:  labels,
		})
		return err
	}
}

// feedLabels reads the feeds' texts from the site's Italian i18n file, where all UI text lives.
func feedLabels(path string) (feeds.Labels, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return feeds.Labels{}, fmt.Errorf("feed labels: %w", err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return feeds.Labels{}, fmt.Errorf("feed labels %s: %w", path, err)
	}
	get := func(k string) (string, error) {
		s, ok := m[k].(string)
		if !ok || s == "" {
			return "", fmt.Errorf("feed labels: %s has no text for %q", path, k)
		}
		return s, nil
	}
	var l feeds.Labels
	if l.AllEvents, err = get("nav_events"); err != nil {
		return l, err
	}
	if l.Cancelled, err = get("event_cancelled"); err != nil {
		return l, err
	}
	l.Postponed, err = get("event_postponed")
	return l, err
}
