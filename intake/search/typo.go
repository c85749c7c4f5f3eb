package search

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// vocabulary holds the words of the entries and of the synonyms as written (lower case,
// without accents), to read a word the portal does not know as the closest one it does.
type vocabulary struct {
	stem   map[string]string // word → its term
	count  map[string]int    // word → how often it occurs
	near   map[nearKey][]string
	sorted []string // the words in order, for those that start with a stem
}

// nearKey groups words by first letter and length: a typo seldom changes the first letter,
// and one or two edits change the length by at most two.
type nearKey struct {
	first rune
	n     int
}

func newVocabulary() *vocabulary {
	return &vocabulary{stem: map[string]string{}, count: map[string]int{}, near: map[nearKey][]string{}}
}

func (v *vocabulary) add(word, term string) {
	if _, ok := v.stem[word]; !ok {
		v.stem[word] = term
	}
	v.count[word]++
}

// addText adds the words of a text.
func (v *vocabulary) addText(s string) {
	st := newStemmer()
	for _, t := range tokenize(s) {
		if term := st.term(t); term != "" {
			v.add(t.folded, term)
		}
	}
}

func (v *vocabulary) finish() {
	for w := range v.stem {
		r, _ := utf8.DecodeRuneInString(w)
		k := nearKey{r, utf8.RuneCountInString(w)}
		v.near[k] = append(v.near[k], w)
		v.sorted = append(v.sorted, w)
	}
	slices.Sort(v.sorted)
}

// maxEnding is the longest ending that inflected adds to a stem.
const maxEnding = 3

// inflected returns the terms of the words that are stem and an ending of at most maxEnding
// letters: Snowball's stems of one word's forms differ at times (italiana → italian, italiano
// → ital), and the words written out bring them together.
func (v *vocabulary) inflected(stem string) []string {
	var out []string
	i, _ := slices.BinarySearch(v.sorted, stem)
	for ; i < len(v.sorted) && strings.HasPrefix(v.sorted[i], stem); i++ {
		w := v.sorted[i]
		if len(w)-len(stem) <= maxEnding && v.stem[w] != stem && !slices.Contains(out, v.stem[w]) {
			out = append(out, v.stem[w])
		}
	}
	return out
}

func (v *vocabulary) known(word string) bool {
	_, ok := v.stem[word]
	return ok
}

// Words shorter than minTypo are never corrected, nor read as such words; from longTypo on, two
// edits are allowed.
const (
	minTypo  = 5
	longTypo = 8
)

// correct returns the known word closest to word, within one edit (two for long words), the
// commonest among the closest.
func (v *vocabulary) correct(word string) (string, bool) {
	n := utf8.RuneCountInString(word)
	if n < minTypo {
		return "", false
	}
	limit := 1
	if n >= longTypo {
		limit = 2
	}
	first, _ := utf8.DecodeRuneInString(word)
	best, bestDist := "", limit+1
	for l := max(n-limit, minTypo); l <= n+limit; l++ {
		for _, w := range v.near[nearKey{first, l}] {
			d := edits(word, w, limit)
			if d > limit {
				continue
			}
			if d < bestDist || (d == bestDist && cmp.Or(cmp.Compare(v.count[w], v.count[best]), cmp.Compare(best, w)) > 0) {
				best, bestDist = w, d
			}
		}
	}
	return best, best != ""
}

// edits is the number of insertions, deletions, substitutions and swaps of two neighbouring
// letters that turn a into b (optimal string alignment), or limit+1 once it exceeds limit.
func edits(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit+1)
}

func abs(n int) int { return max(n, -n) }
