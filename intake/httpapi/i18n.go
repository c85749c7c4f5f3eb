package httpapi

import (
	"fmt"
	"io/fs"
	"maps"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Messages are the portal's UI strings in one language, read from the Hugo site's i18n files so
// that the intake's pages and errors say exactly what the portal says.
type Messages map[string]string

// LoadMessages reads the Italian texts, i18n/it.yaml, from the site: the reference, and what
// every other language falls back to.
func LoadMessages(site fs.FS) (Messages, error) {
	return readMessages(site, "it")
}

// LoadLanguage reads the texts of the language whose code is code (i18n/<code>.yaml) from the
// site, with the Italian text of every key its file lacks.
func LoadLanguage(site fs.FS, code string, italian Messages) (Messages, error) {
	m, err := readMessages(site, code)
	if err != nil {
		return nil, err
	}
	out := maps.Clone(italian)
	maps.Copy(out, m)
	return out, nil
}

func readMessages(site fs.FS, code string) (Messages, error) {
	if strings.ContainsAny(code, "/.") {
		return nil, fmt.Errorf("load messages: %q is no language code", code)
	}
	b, err := fs.ReadFile(site, "i18n/"+code+".yaml")
	if err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("load messages %s: %w", code, err)
	}
	m := Messages{}
	for k, v := range raw {
		if s, ok := v.(string); ok {
			m[k] = s
		}
	}
	return m, nil
}

// T returns the message for key, with {{ .Name }} placeholders filled from args (name, value…).
func (m Messages) T(key string, args ...string) string {
	s, ok := m[key]
	if !ok {
		return key
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{{ ."+args[i]+" }}", args[i+1])
	}
	return s
}
