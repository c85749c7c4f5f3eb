package search

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/site/languages"
)

// Kinds of entry. Of results that weigh the same, services come first, then events, then
// associations.
const (
	KindService     = "servizio"
	KindAssociation = "associazione"
	KindEvent       = "evento"
)

// Entry is one page that a search can find.
type Entry struct {
	Kind       string
	Title      string
	Summary    string
	URL        string
	Context    string   // the association, for services and events
	Categories []string // the categories' labels, for services
	// Texts are the title and the summary in the portal's other languages, by language code, as
	// the pages of that language show them (see catalog.Localize): "title" and "summary".
	Texts map[string]map[string]catalog.Text
}

// Result is what a search found, the best first, and the query as the search understood it
// when it read some words as others ("doposcula" as "doposcuola"): Suggestion, for a
// "Forse cercavi" line; empty when every word was read as written.
type Result struct {
	Entries    []Entry
	Suggestion string
}

// Index holds every entry. It is built on the first search, so that the function's start does
// not wait for it, and never changes after.
type Index struct {
	built func() *index
}

// New indexes the associations, the services that have not ended and the events that take place
// today or later, as catalog.Load read them, with the catalog's synonyms; cat must not change
// afterwards.
func New(cat *catalog.Catalog, today time.Time) *Index {
	return &Index{built: sync.OnceValue(func() *index { return build(cat, today) })}
}

// Len is the number of entries.
func (ix *Index) Len() int { return len(ix.built().entries) }

// The fields of an entry, each with its weight in the ranking: a word in the title counts
// most, one in the association's name (for its services and events) least.
const (
	fieldTitle = iota
	fieldSummary
	fieldLabels
	fieldText
	fieldOwner
	numFields
)

var fieldWeights = [numFields]float64{fieldTitle: 4, fieldSummary: 2, fieldLabels: 1.5, fieldText: 1, fieldOwner: 0.5}

// The translations of the title and the summary come after the Italian fields, a pair per
// language of the portal other than Italian, in languages.All's order, each weighing as its
// Italian field. Each language is a field of its own, so that an entry translated into six
// languages is not read as one with a long title.
func translatedField(lang, f int) int { return numFields + 2*lang + f - fieldTitle }

var otherLanguages = func() []string {
	var out []string
	for _, l := range languages.All() {
		if l.Code != languages.Default {
			out = append(out, l.Code)
		}
	}
	return out
}()

var allFields = numFields + 2*len(otherLanguages)

func fieldWeight(f int) float64 {
	if f < numFields {
		return fieldWeights[f]
	}
	return fieldWeights[fieldTitle+(f-numFields)%2]
}

// kindWeights put services first when they fit as well as an association or an event.
var kindWeights = map[string]float64{KindService: 1, KindEvent: 0.8, KindAssociation: 0.7}

// BM25's parameters, as commonly used.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

type posting struct {
	doc    int32
	weight float32 // the term's frequency in the entry, over its fields, weighted and normalised by their lengths
}

// index is the built index, read-only once built.
type index struct {
	entries  []Entry
	kind     []float64
	titles   [][]string       // the terms of each entry's title, for associations asked for by name
	terms    map[string]int32 // stem → id
	stems    []string         // the stems, sorted, for prefixes
	postings [][]posting      // by term id
	idf      []float64        // by term id
	words    *vocabulary      // the words as written, for typos
	synonyms []synonym
	// synonymTerms are the terms of the citizens' words in the synonyms, which are not typos
	// even where no page has them.
	synonymTerms map[string]bool
}

func build(cat *catalog.Catalog, today time.Time) *index {
	labels := map[string]string{}
	for _, t := range append(slices.Clip(cat.Portal.Categories), cat.Portal.Audiences...) {
		labels[t.ID] = t.Label
	}
	y, m, d := today.In(cat.Location).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, cat.Location)
	b := newBuilder()
	associationSchema, serviceSchema, eventSchema := catalog.AssociationSchema(), catalog.ServiceSchema(), catalog.EventSchema()
	for _, a := range cat.Associations {
		b.add(withTexts(Entry{Kind: KindAssociation, Title: a.Name, Summary: a.Summary, URL: "/associazioni/" + a.Slug + "/"}, associationSchema, a, "name"),
			[numFields]string{a.Name, a.Summary, labelsOf(labels, a.Categories), join(a.Description, a.History), ""})
		for _, s := range a.Services {
			if s.Status == "ended" {
				continue
			}
			costNotes := ""
			if s.Cost != nil {
				costNotes = s.Cost.Notes
			}
			var places []string
			for _, p := range s.Locations {
				places = append(places, p.Name)
			}
			cats := make([]string, 0, len(s.Categories))
			for _, c := range s.Categories {
				cats = append(cats, labels[c])
			}
			b.add(withTexts(Entry{Kind: KindService, Title: s.Name, Summary: s.Summary, URL: "/servizi/" + a.Slug + "/" + s.Slug + "/", Context: a.Name, Categories: cats}, serviceSchema, s, "name"),
				[numFields]string{s.Name, s.Summary, join(labelsOf(labels, s.Categories), labelsOf(labels, s.Audiences)),
					join(s.Description, s.Who, s.HowToAccess, s.Requirements, s.Outcome, s.Timing, costNotes, join(places...)), a.Name})
		}
		for _, e := range a.Events {
			if _, current := e.Next(from); !current {
				continue
			}
			place := ""
			if e.Location != nil {
				place = e.Location.Name
			}
			b.add(withTexts(Entry{Kind: KindEvent, Title: e.Title, Summary: e.Summary, URL: "/eventi/" + a.Slug + "/" + e.Slug + "/", Context: a.Name}, eventSchema, e, "title"),
				[numFields]string{e.Title, e.Summary, join(labelsOf(labels, e.EffectiveCategories()), labelsOf(labels, e.Audiences)),
					join(e.Description, place), a.Name})
		}
	}
	for _, s := range cat.Synonyms {
		for _, w := range s.Words {
			b.words.addText(w)
		}
	}
	ix := b.finish()
	ix.synonyms, ix.synonymTerms = compileSynonyms(cat.Synonyms, ix.terms)
	return ix
}

// withTexts gives an entry its title (the item's field title) and summary in every other
// language, as catalog.Localize chooses them.
func withTexts(e Entry, s catalog.Schema, item any, title string) Entry {
	e.Texts = map[string]map[string]catalog.Text{}
	for _, lang := range otherLanguages {
		texts := catalog.Localize(s, item, lang)
		e.Texts[lang] = map[string]catalog.Text{"title": texts[title], "summary": texts["summary"]}
	}
	return e
}

func join(s ...string) string { return strings.Join(s, " \n ") }

func labelsOf(labels map[string]string, ids []string) string {
	var out []string
	for _, id := range ids {
		out = append(out, labels[id])
	}
	return strings.Join(out, ", ")
}

// builder gathers the entries' terms, field by field.
type builder struct {
	st      stemmer
	entries []Entry
	fields  [][][]string // terms of each field of each entry
	words   *vocabulary
}

func newBuilder() *builder { return &builder{st: newStemmer(), words: newVocabulary()} }

// add indexes an entry by its Italian fields and by its title's and summary's translations:
// those people made or reviewed, else a program's.
func (b *builder) add(e Entry, italian [numFields]string) {
	fields := make([]string, allFields)
	copy(fields, italian[:])
	for i, lang := range otherLanguages {
		for f, name := range map[int]string{fieldTitle: "title", fieldSummary: "summary"} {
			if t := e.Texts[lang][name]; !t.Italian {
				fields[translatedField(i, f)] = t.Text
			}
		}
	}
	terms := make([][]string, allFields)
	for f, text := range fields {
		for _, t := range tokenize(text) {
			if term := b.st.term(t); term != "" {
				terms[f] = append(terms[f], term)
				b.words.add(t.folded, term)
			}
		}
	}
	b.entries = append(b.entries, e)
	b.fields = append(b.fields, terms)
}

func (b *builder) finish() *index {
	ix := &index{entries: b.entries, terms: map[string]int32{}, words: b.words}
	// A translation's length is compared with those of the entries translated into its language.
	avg, counts := make([]float64, allFields), make([]float64, allFields)
	for _, fs := range b.fields {
		for f := range fs {
			avg[f] += float64(len(fs[f]))
			if f < numFields || len(fs[f]) > 0 {
				counts[f]++
			}
		}
	}
	for f := range avg {
		avg[f] = max(avg[f]/max(counts[f], 1), 1)
	}
	for doc, fs := range b.fields {
		ix.kind = append(ix.kind, kindWeights[b.entries[doc].Kind])
		ix.titles = append(ix.titles, fs[fieldTitle])
		weights := map[string]float64{}
		for f, terms := range fs {
			norm := fieldWeight(f) / (1 - bm25B + bm25B*float64(len(terms))/avg[f])
			for _, t := range terms {
				weights[t] += norm
			}
		}
		for t, w := range weights {
			id, ok := ix.terms[t]
			if !ok {
				id = int32(len(ix.postings))
				ix.terms[t] = id
				ix.postings = append(ix.postings, nil)
				ix.stems = append(ix.stems, t)
			}
			ix.postings[id] = append(ix.postings[id], posting{doc: int32(doc), weight: float32(w)})
		}
	}
	n := float64(len(b.entries))
	for _, ps := range ix.postings {
		df := float64(len(ps))
		ix.idf = append(ix.idf, math.Log(1+(n-df+0.5)/(df+0.5)))
	}
	slices.Sort(ix.stems)
	ix.words.finish()
	return ix
}

// Weights of the terms a query is searched by, beside its own words (1).
const (
	weightSynonym   = 0.9 // a word of the portal that a synonym leads to
	weightInflected = 0.8 // the stem of another form of the word: the stemmer cuts italiana to italian, italiano to ital
	weightPrefix    = 0.4 // a longer word that starts with a word of the query, as while typing
	maxPrefixes     = 8   // longer words per word of the query
	minPrefix       = 4   // the shortest stem that is looked up as a prefix
	minRelevance    = 0.2 // share of the best score below which an entry is left out
	nameBonus       = 2   // an association whose name holds every word of the query: asked for by name
)

// Search returns the entries that fit the query, at most max, the best first. Not every word
// must match: each adds to an entry's score by how rare it is and how much it weighs there (BM25
// over the entry's fields, the title weighing most). Words the portal does not know are read as
// the closest ones it does, within one or two edits, and the synonyms add the portal's words for
// the citizens' ones.
func (ix *Index) Search(query string, max int) Result {
	x := ix.built()
	q := x.analyse(query)
	if len(q.weights) == 0 {
		return Result{Suggestion: q.suggestion}
	}
	scores := make([]float64, len(x.entries))
	for id, w := range q.weights {
		idf := x.idf[id]
		for _, p := range x.postings[id] {
			tf := float64(p.weight)
			scores[p.doc] += w * idf * tf * (bm25K1 + 1) / (tf + bm25K1)
		}
	}
	best := 0.0
	var hits []int
	for doc, s := range scores {
		if s > 0 {
			scores[doc] = s * x.kind[doc]
			if x.entries[doc].Kind == KindAssociation && named(x.titles[doc], q.terms) {
				scores[doc] *= nameBonus
			}
			best = math.Max(best, scores[doc])
			hits = append(hits, doc)
		}
	}
	hits = slices.DeleteFunc(hits, func(doc int) bool { return scores[doc] < minRelevance*best })
	order := map[string]int{KindService: 0, KindEvent: 1, KindAssociation: 2}
	slices.SortFunc(hits, func(a, b int) int {
		ea, eb := &x.entries[a], &x.entries[b]
		return cmp.Or(cmp.Compare(scores[b], scores[a]), cmp.Compare(order[ea.Kind], order[eb.Kind]), cmp.Compare(ea.Title, eb.Title), cmp.Compare(ea.URL, eb.URL))
	})
	out := make([]Entry, 0, min(len(hits), max))
	for _, doc := range hits[:min(len(hits), max)] {
		out = append(out, x.entries[doc])
	}
	return Result{Entries: out, Suggestion: q.suggestion}
}

// query is a query as the index reads it: the weight of each term, and the query rewritten
// with the words it was corrected to, if any.
type query struct {
	weights    map[int32]float64
	terms      []string // its own words, once corrected
	suggestion string
}

func (x *index) analyse(text string) query {
	st := newStemmer()
	q := query{weights: map[int32]float64{}}
	var terms []string
	var fixed strings.Builder
	last := 0
	for _, t := range tokenize(text) {
		term := st.term(t)
		if term == "" {
			continue
		}
		found := x.expand(term, q.weights)
		if !found && !x.synonymTerms[term] && !x.words.known(t.folded) {
			if word, ok := x.words.correct(t.folded); ok {
				fixed.WriteString(text[last:t.start])
				fixed.WriteString(word)
				last = t.end
				term = x.words.stem[word]
				x.expand(term, q.weights)
			}
		}
		terms = append(terms, term)
	}
	if last > 0 {
		fixed.WriteString(text[last:])
		q.suggestion = fixed.String()
	}
	q.terms = terms
	for _, s := range x.synonyms {
		if s.matches(terms) {
			for _, f := range s.find {
				for _, term := range f {
					x.add(q.weights, term, weightSynonym/math.Sqrt(float64(len(f))))
				}
			}
		}
	}
	return q
}

// expand adds to weights a term of the query and the indexed stems of the same family: those of
// the words that are the term and an ending, and longer stems that start with it, as while
// typing. It reports whether any is indexed.
func (x *index) expand(term string, weights map[int32]float64) bool {
	found := x.add(weights, term, 1)
	if len(term) < minPrefix {
		return found
	}
	for _, stem := range x.words.inflected(term) {
		found = x.add(weights, stem, weightInflected) || found
	}
	i, _ := slices.BinarySearch(x.stems, term)
	for n := 0; i < len(x.stems) && n < maxPrefixes && strings.HasPrefix(x.stems[i], term); i++ {
		if x.stems[i] != term {
			found = x.add(weights, x.stems[i], weightPrefix) || found
			n++
		}
	}
	return found
}

// add weighs a term of the query, keeping its largest weight; it reports whether it is indexed.
func (x *index) add(weights map[int32]float64, term string, w float64) bool {
	id, ok := x.terms[term]
	if ok && weights[id] < w {
		weights[id] = w
	}
	return ok
}

// named reports whether a title holds every term of the query, or a stem of the same family.
func named(title, terms []string) bool {
	if len(terms) == 0 {
		return false
	}
	for _, t := range terms {
		if !slices.ContainsFunc(title, func(w string) bool { return sameFamily(w, t) }) {
			return false
		}
	}
	return true
}

// sameFamily reports whether two stems are one word as the query expands it: equal, or one
// the start of the other, with at least minPrefix letters.
func sameFamily(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return a == b || (len(a) >= minPrefix && strings.HasPrefix(b, a))
}
