package i18n

import (
	"bytes"
	"embed"
	"fmt"
	"maps"
	"slices"
	"sync"
	"text/template"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var files embed.FS

// Messages are the office's texts in one language. Each text is a Go template over the data
// given with it ({{ . }}, {{ .Code }}); a text with "one" and "other" forms is chosen by a count
// (an int, or a map's "Count"). Messages are immutable once loaded.
type Messages struct {
	Lang  string
	texts map[string]forms
}

type forms struct{ one, other *template.Template }

// Load reads the message file of a language (it.yaml for "it").
func Load(lang string) (*Messages, error) {
	b, err := files.ReadFile(lang + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("messages %q: no such language (want one of %v)", lang, Languages())
	}
	var raw map[string]yaml.Node
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("messages %s.yaml: %w", lang, err)
	}
	m := &Messages{Lang: lang, texts: map[string]forms{}}
	for key, n := range raw {
		var f forms
		switch n.Kind {
		case yaml.ScalarNode:
			f.other, err = template.New(key).Option("missingkey=error").Parse(n.Value)
			f.one = f.other
		case yaml.MappingNode:
			var plural struct{ One, Other string }
			if err = n.Decode(&plural); err == nil {
				if plural.One == "" || plural.Other == "" {
					err = fmt.Errorf("want both one and other")
				} else if f.one, err = template.New(key).Option("missingkey=error").Parse(plural.One); err == nil {
					f.other, err = template.New(key).Option("missingkey=error").Parse(plural.Other)
				}
			}
		default:
			err = fmt.Errorf("want a text, or one and other")
		}
		if err != nil {
			return nil, fmt.Errorf("messages %s.yaml:%d: %s: %w", lang, n.Line, key, err)
		}
		m.texts[key] = f
	}
	return m, nil
}

// Languages lists the languages that have a message file.
func Languages() []string {
	entries, _ := files.ReadDir(".")
	var out []string
	for _, e := range entries {
		out = append(out, e.Name()[:len(e.Name())-len(".yaml")])
	}
	return out
}

// Italian returns the Italian messages, the office's default, loaded once.
var Italian = sync.OnceValues(func() (*Messages, error) { return Load("it") })

// Has tells whether the messages have a key.
func (m *Messages) Has(key string) bool {
	_, ok := m.texts[key]
	return ok
}

// Keys lists the keys, sorted.
func (m *Messages) Keys() []string { return slices.Sorted(maps.Keys(m.texts)) }

// T renders the text of key with data; a missing key or a field the text needs and data lacks
// is an error.
func (m *Messages) T(key string, data ...any) (string, error) {
	f, ok := m.texts[key]
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
