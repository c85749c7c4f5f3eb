package search_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/intake/search"
)

// scaledCatalog is the demo catalogue n times over, as generator/hugosite's benchmarks make it:
// each copy of an association has its own slug and name. Each copy also gets 60 words of its own,
// so that the vocabulary grows with the catalogue as real texts would (6,000 more words at 100×).
func scaledCatalog(b *testing.B, n int) *catalog.Catalog {
	b.Helper()
	cat, ps := catalog.Load(os.DirFS("../../data"), today)
	if errs := ps.Errors(); len(errs) > 0 {
		b.Fatalf("demo data has errors:\n%s", errs.Error())
	}
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		var w strings.Builder
		for range 5 + rng.IntN(6) {
			w.WriteByte("abcdefghilmnoprstuvz"[rng.IntN(20)])
		}
		return w.String()
	}
	scaled := *cat
	scaled.Associations = nil
	for i := range n {
		for _, a := range cat.Associations {
			c := *a
			if i > 0 {
				c.Slug = fmt.Sprintf("%s-%d", a.Slug, i)
				c.Name = fmt.Sprintf("%s %d", a.Name, i)
				extra := make([]string, 60/len(cat.Associations))
				for j := range extra {
					extra[j] = word()
				}
				c.Description += " " + strings.Join(extra, " ")
			}
			scaled.Associations = append(scaled.Associations, &c)
		}
	}
	return &scaled
}

var benchQueries = []string{
	"mia nonna non esce più di casa, c'è qualcuno che le può portare la spesa?",
	"non arrivo a fine mese",
	"doposcula",
	"permeso di sogiorno scaduto cosa devo fare",
	"trasporto dialisi",
	"alzhaimer",
	"corso di lingua italiana per mia moglie che è appena arrivata dal Marocco e non parla",
}

// BenchmarkSearch is one search, of the questions above in turn, on the built index.
func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{1, 100} {
		ix := search.New(scaledCatalog(b, n), today)
		b.Run(fmt.Sprintf("%dx/%d-entries", n, ix.Len()), func(b *testing.B) {
			i := 0
			for b.Loop() {
				ix.Search(benchQueries[i%len(benchQueries)], 50)
				i++
			}
		})
	}
}

// BenchmarkBuild is the index's build, which the first search waits for.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1, 100} {
		cat := scaledCatalog(b, n)
		b.Run(fmt.Sprintf("%dx", n), func(b *testing.B) {
			for b.Loop() {
				search.New(cat, today).Len()
			}
		})
	}
}
