package httpapi

import (
	"fmt"
	"io/fs"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Messages are the portal's Italian UI strings, read from the Hugo site's i18n file so that the
// intake's pages and errors say exactly what the portal says.
type Messages map[string]string

// LoadMessages reads i18n/it.yaml from the site.
func LoadMessages(site fs.FS) (Messages, error) {
	b, err := fs.ReadFile(site, "i18n/it.yaml")
	if err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
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
