package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/italian"
	"golang.org/x/text/unicode/norm"
)

// token is a word of a text as written, lower case, and where it is in the text.
type token struct {
	word       string // lower case, accents kept, for the stemmer
	folded     string // lower case, without accents: how it is compared with other words
	start, end int    // bytes of the text it came from
}

// tokenize splits a text into words: runs of letters and digits. An apostrophe ends a word, so
// that elisions (l'aiuto, dell'anziano, un'amica) leave the article apart, as a stop word.
func tokenize(s string) []token {
	var out []token
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ToLower(s[start:end])
		out = append(out, token{word: w, folded: fold(w), start: start, end: end})
		start = -1
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

// fold drops the accents of a word. It keeps no state: norm's String functions allocate what
// each call needs, unlike a transform.Chain, whose buffers belong to one caller at a time.
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w) && ascii; i++ {
		ascii = w[i] < utf8.RuneSelf
	}
	if ascii {
		return w
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// stemmer reduces Italian words to their stems with Snowball's Italian stemmer, so that
// anziana and anziani, or mangiare and mangia, meet. Its state, and the stems it has already
// found, are per caller.
type stemmer struct {
	env   *snowballstem.Env
	known map[string]string
}

func newStemmer() stemmer { return stemmer{env: snowballstem.NewEnv(""), known: map[string]string{}} }

// term is the form a word is indexed and searched by: its stem, without accents; "" for a
// stop word or a single letter.
func (st stemmer) term(t token) string {
	first, _ := utf8.DecodeRuneInString(t.folded)
	if n := utf8.RuneCountInString(t.folded); stopwords[t.folded] || n == 0 || (n < 2 && !unicode.IsDigit(first)) {
		return "" // accents alone fold to nothing
	}
	if stem, ok := st.known[t.word]; ok {
		return stem
	}
	st.env.SetCurrent(t.word)
	italian.Stem(st.env)
	stem := fold(st.env.Current())
	if stem == "" {
		stem = t.folded
	}
	st.known[t.word] = stem
	return stem
}

// Terms analyses a text as the search does: the words' stems, lower case and without accents,
// without elided articles and the commonest Italian words.
func Terms(s string) []string {
	st := newStemmer()
	var out []string
	for _, t := range tokenize(s) {
		if term := st.term(t); term != "" {
			out = append(out, term)
		}
	}
	return out
}

// stopwords are words too common to tell one page from another, as they look once folded:
// articles and prepositions (with the elided forms left by an apostrophe), pronouns and
// possessives, the forms of essere and avere and of the verbs a request is made with, and the
// courtesies that start and end a question.
var stopwords = setOf(`
	il lo la i gli le un uno una l di a da in con su per tra fra
	del dello della dei degli delle dell al allo alla ai agli alle all dal dallo dalla dai dagli
	dalle dall nel nello nella nei negli nelle nell sul sullo sulla sui sugli sulle sull col coi
	d c s m t v n quest quell
	e ed o od ma pero anche se che perche quindi oppure ne neanche nemmeno pure sia cioe
	io tu lui lei noi voi loro mi ti ci vi si me te ce ve glie
	mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra
	vostri vostre questo questa questi queste quello quella quelli quelle quel quei
	qualcuno qualcuna qualcosa qualche cosa cose chi cui quale quali quanto quanta quanti quante
	non piu gia ancora molto molta molti molte poco tanto tanta tanti tante troppo sempre mai
	come dove quando cosi qui qua li ora adesso poi allora bene proprio davvero tutto tutta tutti
	tutte ogni altro altra altri altre stesso stessa tipo
	sono sei siamo siete era erano ero eravamo sara sarei sarebbe stato stata stati state essere
	ho hai ha abbiamo avete hanno avevo aveva avevamo avere avrei avrebbe
	posso puoi puo possiamo potete possono potrei potrebbe potete
	devo devi deve dobbiamo dovete devono dovrei dovrebbe
	voglio vuoi vuole vogliamo volete vogliono vorrei vorremmo volevo
	sto stai sta stiamo stanno fare faccio fa fanno fatto
	serve servono servirebbe bisogno cerco cerca cerchiamo cercando cercare trovare trovo
	sapere so sai sa sapete sanno conoscete qualcuno
	buongiorno buonasera salve ciao grazie favore cortesia gentilmente scusate scusi
	niente nulla ecc etc
`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
