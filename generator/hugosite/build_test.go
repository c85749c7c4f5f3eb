package hugosite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/hugosite"
)

// TestPublishAddsToTheSite: what Publish writes, while Hugo renders, lands in the site beside
// Hugo's pages, in new folders and in Hugo's, replacing a page of the same name; a Publish that
// fails fails the build and leaves the site as it was.
func TestPublishAddsToTheSite(t *testing.T) {
	cat, ps := catalog.LoadDir(filepath.Join("..", "catalog", "testdata", "base"), now)
	if len(ps.Errors()) != 0 {
		t.Fatal(ps.Error())
	}
	out := filepath.Join(t.TempDir(), "public")
	added := map[string]string{
		"calendario/nuovo.ics":   "BEGIN:VCALENDAR", // a folder of its own
		"servizi/aggiunto.txt":   "beside Hugo's",   // in a folder Hugo writes
		"privacy/index.html":     "replaced",        // a page of Hugo's
		"css/aggiunto/extra.css": "a nested folder", // under a folder the frame writes
	}
	err := hugosite.Build(context.Background(), cat, hugosite.Options{Layout: layout, Out: out, Now: now,
		Publish: func(dir string) error {
			for name, body := range added {
				file := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
					return err
				}
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range added {
		if got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name))); err != nil || string(got) != want {
			t.Errorf("%s: got %q (%v), want %q", name, got, err, want)
		}
	}
	if svc := page(t, out, "servizi/alfa/trasporto/index.html"); !strings.Contains(svc, "<h1") {
		t.Errorf("a service's page: got %.200q, want Hugo's page beside what was added", svc)
	}
	if _, err := os.Stat(filepath.Join(out, "favicon.svg")); err != nil {
		t.Errorf("the static files: %v, want them in the site", err)
	}

	failed := errors.New("the feeds cannot be written")
	err = hugosite.Build(context.Background(), cat, hugosite.Options{Layout: layout, Out: out, Now: now,
		Publish: func(string) error { return failed }})
	if !errors.Is(err, failed) {
		t.Errorf("a failing Publish: got %v, want the build to fail with its error", err)
	}
	if got := page(t, out, "privacy/index.html"); got != "replaced" {
		t.Errorf("after a failed build: got %.80q, want the site as it was", got)
	}
}
