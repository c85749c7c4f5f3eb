package search

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/shaps-portal/shaps/generator/catalog"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Kinds of entry, in the order results of equal weight are shown.
const (
	KindService     = "servizio"
	KindAssociation = "associazione"
	KindEvent       = "evento"
)

// Entry is one page that a search can find.
type Entry struct {
	Kind    string
	Title   string
	Summary string
	URL     string
	Context string // the association, for services and events
	title   []string
	text    []string
}

// Index holds every entry. It is built on the first search, so that the function's start does
// not wait for it, and never changes after.
type Index struct {
	entries func() []Entry
}

// New indexes the associations, the services that have not ended and the events that take place
// today or later, as catalog.Load read them; cat must not change afterwards.
func New(cat *catalog.Catalog, today time.Time) *Index {
	return &Index{entries: sync.OnceValue(func() []Entry { return entries(cat, today) })}
}

func entries(cat *catalog.Catalog, today time.Time) []Entry {
	labels := map[string]string{}
	for _, t := range append(slices.Clip(cat.Portal.Categories), cat.Portal.Audiences...) {
		labels[t.ID] = t.Label
	}
	y, m, d := today.In(cat.Location).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, cat.Location)
	var ix entryList
	for _, a := range cat.Associations {
		ix.add(Entry{Kind: KindAssociation, Title: a.Name, Summary: a.Summary, URL: "/associazioni/" + a.Slug + "/"},
			a.Summary, a.Description, a.History, labelsOf(labels, a.Categories))
		for _, s := range a.Services {
			if s.Status == "ended" {
				continue
			}
			ix.add(Entry{Kind: KindService, Title: s.Name, Summary: s.Summary, URL: "/servizi/" + a.Slug + "/" + s.Slug + "/", Context: a.Name},
				s.Summary, s.Description, s.Who, s.HowToAccess, labelsOf(labels, s.Categories), labelsOf(labels, s.Audiences), a.Name)
		}
		for _, e := range a.Events {
			if _, current := e.Next(from); !current {
				continue
			}
			place := ""
			if e.Location != nil {
				place = e.Location.Name
			}
			ix.add(Entry{Kind: KindEvent, Title: e.Title, Summary: e.Summary, URL: "/eventi/" + a.Slug + "/" + e.Slug + "/", Context: a.Name},
				e.Summary, e.Description, place, labelsOf(labels, e.EffectiveCategories()), a.Name)
		}
	}
	return ix
}

type entryList []Entry

func (ix *entryList) add(e Entry, text ...string) {
	e.title = Words(e.Title)
	e.text = Words(strings.Join(text, " "))
	*ix = append(*ix, e)
}

// Len is the number of entries.
func (ix *Index) Len() int { return len(ix.entries()) }

// Find returns the entries that hold every word of the query, at most max, the best first: a word
// in the title counts more than one in the text.
func (ix *Index) Find(query string, max int) []Entry {
	words := Words(query)
	if len(words) == 0 {
		return nil
	}
	type hit struct {
		e     Entry
		score int
	}
	var hits []hit
	for _, e := range ix.entries() {
		score := 0
		for _, w := range words {
			switch {
			case matches(e.title, w):
				score += 3
			case matches(e.text, w):
				score++
			default:
				score = -1
			}
			if score < 0 {
				break
			}
		}
		if score > 0 {
			hits = append(hits, hit{e, score})
		}
	}
	order := map[string]int{KindService: 0, KindAssociation: 1, KindEvent: 2}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(order[a.e.Kind], order[b.e.Kind]), cmp.Compare(a.e.Title, b.e.Title))
	})
	out := make([]Entry, 0, min(len(hits), max))
	for _, h := range hits[:min(len(hits), max)] {
		out = append(out, h.e)
	}
	return out
}

// matches reports whether a word of the query starts one of the words.
func matches(words []string, w string) bool {
	for _, x := range words {
		if strings.HasPrefix(x, w) {
			return true
		}
	}
	return false
}

// stopwords are Italian words too common to search for.
var stopwords = map[string]bool{
	"a": true, "ad": true, "al": true, "alla": true, "alle": true, "agli": true, "ai": true, "che": true, "chi": true,
	"con": true, "da": true, "dal": true, "dalla": true, "dei": true, "del": true, "della": true, "delle": true, "degli": true,
	"di": true, "e": true, "ed": true, "gli": true, "i": true, "il": true, "in": true, "la": true, "le": true, "lo": true,
	"nel": true, "nella": true, "non": true, "o": true, "per": true, "su": true, "sul": true, "sulla": true, "tra": true,
	"fra": true, "un": true, "una": true, "uno": true, "mi": true, "ho": true,
}

// fold returns a transformer that drops accents. A chain keeps state between calls, so each
// call gets its own: a shared one breaks under concurrent searches.
func fold() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// Words splits a text into the forms it is searched by: lower case, without accents or
// apostrophes, without the commonest Italian words, and without a final vowel on longer words,
// so that singular and plural meet (anziano, anziani → anzian).
func Words(s string) []string {
	folded, _, err := transform.String(fold(), strings.ToLower(s))
	if err != nil {
		folded = strings.ToLower(s)
	}
	var out []string
	for _, w := range strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if stopwords[w] {
			continue
		}
		if len(w) > 4 && strings.ContainsRune("aeiou", rune(w[len(w)-1])) {
			w = w[:len(w)-1]
		}
		out = append(out, w)
	}
	return out
}

func labelsOf(labels map[string]string, ids []string) string {
	var out []string
	for _, id := range ids {
		out = append(out, labels[id])
	}
	return strings.Join(out, " ")
}
