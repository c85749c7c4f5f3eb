package httpapi_test

import (
	"os"
	"testing"
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
	msg, err := httpapi.LoadMessages(site.FS)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := httpapi.NewPages(catalog, msg, site.FS); err != nil {
			b.Fatal(err)
		}
	}
}
