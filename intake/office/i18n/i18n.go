package i18n

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"text/template"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml notices/*.yaml
var files embed.FS

// Messages are the office's texts in one language. Each text is a Go template over the data
// given with it ({{ . }}, {{ .Code }}); a text with "one" and "other" forms is chosen by a count
// (an int, or a map's "Count"). A text may write a value with a capital first letter, for the
// start of a sentence ({{ capital .Kind }}). Messages are immutable once loaded.
type Messages struct {
	Lang     string
	texts    map[string]forms
	fallback *Messages // where a missing text is looked for; nil: nowhere
}

type forms struct{ one, other *template.Template }

// funcs are the functions a text may call.
var funcs = template.FuncMap{"capital": capital}

// capital writes s with a capital first letter, in the scripts that have them.
func capital(s string) string {
	if s == "" {
		return s
	}
	c, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(c)) + s[n:]
}

// Load reads the message file of a language (it.yaml for "it").
func Load(lang string) (*Messages, error) {
	b, err := files.ReadFile(lang + ".yaml")
	if err != nil || strings.ContainsAny(lang, "/.") {
		return nil, fmt.Errorf("messages %q: no such language (want one of %v)", lang, Languages())
	}
	return parse(lang, lang+".yaml", b)
}

// parse reads the texts of a message file named name.
func parse(lang, name string, b []byte) (*Messages, error) {
	var raw map[string]yaml.Node
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("messages %s: %w", name, err)
	}
	m := &Messages{Lang: lang, texts: map[string]forms{}}
	newText := func(key, text string) (*template.Template, error) {
		return template.New(key).Funcs(funcs).Option("missingkey=error").Parse(text)
	}
	for key, n := range raw {
		var f forms
		var err error
		switch n.Kind {
		case yaml.ScalarNode:
			f.other, err = newText(key, n.Value)
			f.one = f.other
		case yaml.MappingNode:
			var plural struct{ One, Other string }
			if err = n.Decode(&plural); err == nil {
				if plural.One == "" || plural.Other == "" {
					err = fmt.Errorf("want both one and other")
				} else if f.one, err = newText(key, plural.One); err == nil {
					f.other, err = newText(key, plural.Other)
				}
			}
		default:
			err = fmt.Errorf("want a text, or one and other")
		}
		if err != nil {
			return nil, fmt.Errorf("messages %s:%d: %s: %w", name, n.Line, key, err)
		}
		m.texts[key] = f
	}
	return m, nil
}

// NoticeLanguages lists the languages that have a file of notices to citizens.
func NoticeLanguages() []string { return noticeLanguages(files) }

func noticeLanguages(fsys fs.FS) []string {
	entries, _ := fs.ReadDir(fsys, "notices")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return out
}

// LoadNotices reads the file of a language's notices to citizens (notices/ro.yaml for "ro"),
// alone, without the Italian that stands in for its missing texts.
func LoadNotices(lang string) (*Messages, error) { return loadNotices(files, lang) }

func loadNotices(fsys fs.FS, lang string) (*Messages, error) {
	name := "notices/" + lang + ".yaml"
	b, err := fs.ReadFile(fsys, name)
	if err != nil || strings.ContainsAny(lang, "/.") {
		return nil, fmt.Errorf("notices %q: no such language (want one of %v)", lang, noticeLanguages(fsys))
	}
	return parse(lang, name, b)
}

// allNotices are the notices of every language, read on first use: the office's pages need none
// of them.
var allNotices = sync.OnceValues(func() (map[string]*Messages, error) { return noticesIn(files) })

// noticesIn reads the notices of every language in fsys, each falling back to the Italian ones.
func noticesIn(fsys fs.FS) (map[string]*Messages, error) {
	it, err := loadNotices(fsys, "it")
	if err != nil {
		return nil, err
	}
	all := map[string]*Messages{"it": it}
	for _, lang := range noticeLanguages(fsys) {
		if lang == "it" {
			continue
		}
		m, err := loadNotices(fsys, lang)
		if err != nil {
			return nil, err
		}
		m.fallback = it
		all[lang] = m
	}
	return all, nil
}

// Notices returns the texts of the notices to citizens in lang: the e-mails that tell them what
// became of their requests. A language without a file of its own, and a text its file lacks,
// are in Italian.
func Notices(lang string) (*Messages, error) {
	all, err := allNotices()
	if err != nil {
		return nil, err
	}
	return inLanguage(all, lang), nil
}

func inLanguage(all map[string]*Messages, lang string) *Messages {
	if m, ok := all[lang]; ok {
		return m
	}
	return all["it"]
}

// Languages lists the languages that have a message file.
func Languages() []string {
	entries, _ := files.ReadDir(".")
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
		}
	}
	return out
}

// Italian returns the Italian messages, the office's default, loaded once.
var Italian = sync.OnceValues(func() (*Messages, error) { return Load("it") })

// Has tells whether the messages have a key of their own.
func (m *Messages) Has(key string) bool {
	_, ok := m.texts[key]
	return ok
}

// Keys lists the keys of their own, sorted.
func (m *Messages) Keys() []string { return slices.Sorted(maps.Keys(m.texts)) }

// T renders the text of key with data; a missing key or a field the text needs and data lacks
// is an error.
func (m *Messages) T(key string, data ...any) (string, error) {
	f, ok := m.texts[key]
	if !ok && m.fallback != nil {
		return m.fallback.T(key, data...)
	}
	if !ok {
		return "", fmt.Errorf("messages %s: no text %q", m.Lang, key)
	}
	var d any
	if len(data) > 0 {
		d = data[0]
	}
	t := f.other
	if count(d) == 1 {
		t = f.one
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return "", fmt.Errorf("messages %s: %w", m.Lang, err)
	}
	return b.String(), nil
}

// count is the number a plural text is chosen by.
func count(d any) int {
	switch v := d.(type) {
	case int:
		return v
	case map[string]any:
		if n, ok := v["Count"].(int); ok {
			return n
		}
	}
	return -1
}
