package search

import (
	"slices"

	"github.com/shaps-portal/shaps/generator/catalog"
)

// synonym is a catalog.Synonym as terms: a query that holds any of words, each a sequence of
// terms, is also searched by the terms of find.
type synonym struct {
	words [][]string
	find  [][]string
}

// compileSynonyms analyses the synonyms, keeping of find only the terms some entry has; it
// also returns every term of the citizens' words.
func compileSynonyms(list []catalog.Synonym, indexed map[string]int32) ([]synonym, map[string]bool) {
	var out []synonym
	words := map[string]bool{}
	for _, s := range list {
		var c synonym
		for _, w := range s.Words {
			if ts := Terms(w); len(ts) > 0 {
				c.words = append(c.words, ts)
				for _, t := range ts {
					words[t] = true
				}
			}
		}
		for _, f := range s.Find {
			ts := slices.DeleteFunc(Terms(f), func(t string) bool { _, ok := indexed[t]; return !ok })
			if len(ts) > 0 {
				c.find = append(c.find, ts)
			}
		}
		if len(c.words) > 0 && len(c.find) > 0 {
			out = append(out, c)
		}
	}
	return out, words
}

// matches reports whether the terms of a query hold one of the synonym's words, its terms
// side by side.
func (s synonym) matches(terms []string) bool {
	for _, w := range s.words {
		for i := 0; i+len(w) <= len(terms); i++ {
			if slices.Equal(terms[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}
