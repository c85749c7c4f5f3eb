package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/cms"
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
// Schemas, the open data, the iCal and Atom feeds and the editing interface.
func publishExtras(c config, cat *catalog.Catalog, now time.Time, stderr io.Writer) func(dir string) error {
	return func(dir string) error {
		if err := writeSchemas(filepath.Join(dir, "schema"), io.Discard); err != nil {
			return err
		}
		text, err := readLabels(filepath.Join(c.Site, "i18n", "it.yaml"))
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
		labels := feeds.Labels{AllEvents: text.get("nav_events"), Cancelled: text.get("event_cancelled"), Postponed: text.get("event_postponed"),
			Upcoming: text.get("upcoming_events")}
		if _, err := feeds.Write(dir, cat, feeds.Options{
			BaseURL: base,
			Since:   now.In(cat.Location).AddDate(0, -c.FeedPastMonths, 0),
			Now:     now,
			Labels:  labels,
		}); err != nil {
			return err
		}
		dataDir, err := filepath.Abs(c.Data)
		if err != nil {
			return err
		}
		installed, err := cms.Publish(dir, cat, cms.Options{
			DataDir:      filepath.Base(dataDir),
			LocalBackend: c.cmsBackend(),
			Labels: cms.Labels{
				Title: text.get("cms_title"), NoScript: text.get("cms_noscript"), Missing: text.get("cms_missing"),
				Portal: text.get("cms_portal"), PortalDescription: text.get("cms_portal_description"),
				Associations: text.get("cms_associations"), Association: text.get("cms_association"),
				AssociationsDescription: text.get("cms_associations_description"),
				Services:                text.get("cms_services"), Service: text.get("cms_service"),
				ServicesDescription: text.get("cms_services_description"),
				Events:              text.get("cms_events"), Event: text.get("cms_event"),
				EventsDescription: text.get("cms_events_description"),
			},
		}, filepath.Join(c.Site, "admin"))
		if err != nil {
			return err
		}
		if cat.Portal.Repository == "" {
			fmt.Fprintln(stderr, "note: portal.yaml has no repository, so the editing interface at /admin/ works only with the local backend; set repository: owner/name")
		}
		if !installed {
			fmt.Fprintf(stderr, "note: the editing interface is not installed, so /admin/ only says how to install it (npm ci --prefix %s)\n", filepath.Join(c.Site, "admin"))
		}
		return text.err
	}
}

// labels are the site's Italian texts, where all UI text lives; get records the first missing key.
type labels struct {
	path string
	m    map[string]any
	err  error
}

func readLabels(path string) (*labels, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	l := &labels{path: path}
	if err := yaml.Unmarshal(b, &l.m); err != nil {
		return nil, fmt.Errorf("labels %s: %w", path, err)
	}
	return l, nil
}

func (l *labels) get(key string) string {
	s, ok := l.m[key].(string)
	if (!ok || s == "") && l.err == nil {
		l.err = fmt.Errorf("labels: %s has no text for %q", l.path, key)
	}
	return s
}
