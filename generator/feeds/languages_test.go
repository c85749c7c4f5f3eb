package feeds_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/feeds"
)

// TestFeedsAreInItalian: a calendar has one feed, whatever language its subscriber reads the
// portal in, and it carries the Italian texts, the reference, even where translations exist.
func TestFeedsAreInItalian(t *testing.T) {
	cat, ps := catalog.LoadDir("testdata/data", now)
	if len(ps.Errors()) > 0 {
		t.Fatal(ps.Error())
	}
	var e *catalog.Event
	for _, ev := range cat.Associations[0].Events {
		if ev.Slug == "mensile" {
			e = ev
		}
	}
	if e == nil {
		t.Fatal("no event mensile in the fixture")
	}
	e.Translations = map[string]catalog.Translation{"en": {"title": "Translated title"}}
	e.MachineTranslations = map[string]catalog.Translation{"ar": {"title": "عنوان مترجم"}}
	dir := t.TempDir()
	if _, err := feeds.Write(dir, cat, feeds.Options{BaseURL: cat.Portal.BaseURL, Since: now.AddDate(0, -6, 0), Now: now, Labels: labels}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"eventi/calendario.ics", "eventi/beta/mensile/evento.ics", "associazioni/beta/" + feeds.AtomFile} {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		got := string(b)
		if !strings.Contains(got, e.Title) {
			t.Errorf("%s: want the Italian title %q in it", name, e.Title)
		}
		if strings.Contains(got, "Translated title") || strings.Contains(got, "عنوان مترجم") {
			t.Errorf("%s: got a translation in it, want the Italian texts only", name)
		}
	}
}
