package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/arabic"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/russian"
	"golang.org/x/text/unicode/norm"
)

// token is a word of a text as written, lower case, and where it is in the text.
type token struct {
	word       string // lower case, accents kept, for the stemmer
	folded     string // lower case, without accents: how it is compared with other words
	start, end int    // bytes of the text it came from
}

// tokenize splits a text into words: runs of letters and digits. An apostrophe ends a word, so
// that elisions (l'aiuto, dell'anziano, un'amica) leave the article apart, as a stop word; between
// two Cyrillic letters it is part of the word, as in Ukrainian (сім'я). Chinese is written without
// spaces: a run of Han characters gives each pair of neighbours as a word (食品包: 食品, 品包), or
// the character itself when it stands alone.
func tokenize(s string) []token {
	var out []token
	start := -1
	han := false
	flush := func(end int) {
		if start < 0 {
			return
		}
		if han {
			out = append(out, bigrams(s, start, end)...)
		} else {
			w := strings.ToLower(s[start:end])
			if strings.ContainsAny(w, apostrophes) {
				w = strings.Map(func(r rune) rune {
					if strings.ContainsRune(apostrophes, r) {
						return -1
					}
					return r
				}, w)
			}
			out = append(out, token{word: w, folded: fold(w), start: start, end: end})
		}
		start = -1
	}
	prev := rune(0)
	for i, r := range s {
		isHan := unicode.Is(unicode.Han, r)
		switch {
		case isHan || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if start >= 0 && isHan != han && !unicode.Is(unicode.Mn, r) {
				flush(i)
			}
			if start < 0 {
				start, han = i, isHan
			}
		case strings.ContainsRune(apostrophes, r) && start >= 0 && unicode.Is(unicode.Cyrillic, prev) && cyrillicAt(s, i+utf8.RuneLen(r)):
			// a Ukrainian apostrophe: the word goes on
		default:
			flush(i)
		}
		prev = r
	}
	flush(len(s))
	return out
}

// apostrophes are the characters written for an apostrophe.
const apostrophes = "'’ʼ"

func cyrillicAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.Is(unicode.Cyrillic, r)
}

// bigrams are the words of a run of Han characters, s[start:end]: each pair of neighbours, or
// the one character of a run of one.
func bigrams(s string, start, end int) []token {
	var at []int
	for i := range s[start:end] {
		at = append(at, start+i)
	}
	at = append(at, end)
	if len(at) == 2 {
		return []token{{word: s[start:end], folded: s[start:end], start: start, end: end}}
	}
	out := make([]token, 0, len(at)-2)
	for i := 0; i+2 < len(at); i++ {
		w := s[at[i]:at[i+2]]
		out = append(out, token{word: w, folded: w, start: at[i], end: at[i+2]})
	}
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

// stemmer reduces words to their stems with Snowball's stemmers, so that anziana and anziani,
// or mangiare and mangia, meet: words in Latin letters are read as Italian (the portal's texts,
// and the translations' words of other languages are analysed the same way in the index and in
// the query), Cyrillic ones with the Russian stemmer, whose endings Ukrainian shares in good part,
// Arabic ones without their article, with the Arabic stemmer. Chinese words are their characters.
// Its state, and the stems it has already found, are per caller.
type stemmer struct {
	env   *snowballstem.Env
	known map[string]string
}

func newStemmer() stemmer { return stemmer{env: snowballstem.NewEnv(""), known: map[string]string{}} }

// term is the form a word is indexed and searched by: its stem, without accents; "" for a
// stop word or a single letter.
func (st stemmer) term(t token) string {
	first, _ := utf8.DecodeRuneInString(t.folded)
	if unicode.Is(unicode.Han, first) {
		return t.folded
	}
	if n := utf8.RuneCountInString(t.folded); stopwords[t.folded] || n == 0 || (n < 2 && !unicode.IsDigit(first)) {
		return "" // accents alone fold to nothing
	}
	if stem, ok := st.known[t.word]; ok {
		return stem
	}
	word, stem := t.word, italian.Stem
	switch {
	case unicode.Is(unicode.Cyrillic, first):
		stem = russian.Stem
	case unicode.Is(unicode.Arabic, first):
		word, stem = arabicWord(t.folded), arabic.Stem
	}
	st.env.SetCurrent(word)
	stem(st.env)
	out := fold(st.env.Current())
	if out == "" {
		out = t.folded
	}
	st.known[t.word] = out
	return out
}

// arabicWord writes an Arabic word (without its short vowels, already folded) as the index
// compares it: one form of alef, of yeh and of teh marbuta, no tatweel, and without the article
// and the prepositions and conjunction joined to it (السلة, بالسيارة, والعائلات).
func arabicWord(w string) string {
	w = strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا", "ٱ", "ا", "ى", "ي", "ة", "ه", "ـ", "").Replace(w)
	for _, p := range []string{"وال", "بال", "كال", "فال", "لل", "ال"} {
		if rest, ok := strings.CutPrefix(w, p); ok && utf8.RuneCountInString(rest) >= 2 {
			return rest
		}
	}
	return w
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
