package hugosite_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/hugosite"
	"github.com/shaps-portal/shaps/site"
)

// A page's translation, written beside it as <name>.<code>.md, is that page in another language:
// never an Italian page of its own, and never a broken section.
func TestTranslatedPagesAreNotItalianPages(t *testing.T) {
	cat, ps := catalog.LoadDir(filepath.Join("..", "catalog", "testdata", "base"), now)
	if len(ps) != 0 {
		t.Fatal(ps.Error())
	}
	content := t.TempDir()
	if err := copyItalianPages(filepath.Join("..", "..", "content"), content); err != nil {
		t.Fatal(err)
	}
	for _, l := range site.Languages() {
		if l.Code == site.DefaultLanguage {
			continue
		}
		for name, text := range map[string]string{
			"chi-siamo." + l.Code + ".md":           "---\ntitle: T " + l.Code + "\ndescription: D\n---\nTesto.\n",
			"eventi/_index." + l.Code + ".md":       "---\ntitle: E " + l.Code + "\ndescription: D\nfeed: /eventi/calendario.ics\n---\nTesto.\n",
			"associazioni/_index." + l.Code + ".md": "---\ntitle: A " + l.Code + "\ndescription: D\n---\nTesto.\n",
		} {
			if err := os.WriteFile(filepath.Join(content, filepath.FromSlash(name)), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	out := filepath.Join(t.TempDir(), "public")
	l := hugosite.Layout{SiteDir: layout.SiteDir, ContentDir: content}
	if err := hugosite.Build(context.Background(), cat, hugosite.Options{Layout: l, Out: out, Now: now}); err != nil {
		t.Fatalf("build: got %v, want the site built", err)
	}
	if got := page(t, out, "chi-siamo/index.html"); !strings.Contains(got, `<html lang="it"`) {
		t.Errorf("chi-siamo/index.html: got no Italian page, want the Italian page")
	}
	for _, l := range site.Languages() {
		for _, p := range []string{"chi-siamo." + l.Code, "eventi/_index." + l.Code, "associazioni/_index." + l.Code} {
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err == nil {
				t.Errorf("%s: got an Italian page of the translation, want none", p)
			}
		}
	}
}

// copyItalianPages copies the Italian pages (name.md, without a language code) of from into to.
func copyItalianPages(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if strings.Count(d.Name(), ".") != 1 || !strings.HasSuffix(d.Name(), ".md") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
}
