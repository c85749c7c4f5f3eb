package search

import (
	"os"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
)

// TestDemoSynonymsLeadSomewhere: every word of the portal that a demo synonym leads to is
// found in some entry; one that is not (a service renamed or ended) would be dropped without a
// word.
func TestDemoSynonymsLeadSomewhere(t *testing.T) {
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	cat, ps := catalog.Load(os.DirFS("../../data"), today)
	if errs := ps.Errors(); len(errs) > 0 {
		t.Fatalf("demo data has errors:\n%s", errs.Error())
	}
	x := New(cat, today).built()
	for _, s := range cat.Synonyms {
		for _, f := range s.Find {
			for _, term := range Terms(f) {
				if _, ok := x.terms[term]; !ok {
					t.Errorf("synonyms.yaml: %q (for %q) leads to %q, which no entry has", f, s.Words[0], term)
				}
			}
		}
	}
}
