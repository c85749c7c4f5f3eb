package httpapi_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/httpapi"
	"github.com/shaps-portal/shaps/site"
)

// BenchmarkNewPages is the pages' share of the function's start: the frame's stylesheet and
// script minified and named, the site's partials parsed, from the copies built into the program.
func BenchmarkNewPages(b *testing.B) {
	catalog, err := intake.LoadCatalog(os.DirFS("../../data"), time.Now())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := httpapi.NewPages(catalog, site.FS).Check(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPagesAreMadeWhenFirstNeeded: reading the texts and making the pages wait until they are
// needed, so that a start answering JSON does not pay for them; what keeps them from being made is
// told by Check then.
func TestPagesAreMadeWhenFirstNeeded(t *testing.T) {
	catalog, err := intake.LoadCatalog(os.DirFS("../../data"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	broken := fstest.MapFS{}
	for _, name := range []string{"i18n/it.yaml", "assets/css/main.css", "assets/js/request.js", "assets/js/search.js", "assets/js/area.js"} {
		b, err := site.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		broken[name] = &fstest.MapFile{Data: b}
	}
	pages := httpapi.NewPages(catalog, broken) // the partials are missing
	if err := pages.Check(); err == nil || !strings.Contains(err.Error(), "header.html") && !strings.Contains(err.Error(), "assets.html") {
		t.Errorf("pages without their partials: got %v, want an error naming a missing partial", err)
	}
	if err := httpapi.NewPages(catalog, fstest.MapFS{}).Check(); err == nil || !strings.Contains(err.Error(), "i18n/it.yaml") {
		t.Errorf("pages without their texts: got %v, want an error naming i18n/it.yaml", err)
	}
	if err := httpapi.NewPages(catalog, site.FS).Check(); err != nil {
		t.Errorf("the pages built into the program: got %v, want them made", err)
	}
}
