package site_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/site"
	"go.yaml.in/yaml/v3"
)

// readMessages reads i18n/<code>.yaml: each key with its text, or its plural forms' names.
func readMessages(t *testing.T, code string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("i18n", code+".yaml"))
	if err != nil {
		t.Fatalf("language %s: %v (want i18n/%s.yaml with the keys of i18n/it.yaml)", code, err, code)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("i18n/%s.yaml: %v", code, err)
	}
	return m
}

// Every language speaks every message Italian has, and none that Italian lacks: a missing key
// would show the Italian text on a page in another language, an extra one is a message no page
// says. A message with plural forms has them in the language's own forms, "other" among them.
func TestEveryLanguageHasItaliansMessages(t *testing.T) {
	it := readMessages(t, site.DefaultLanguage)
	if len(it) < 100 {
		t.Fatalf("i18n/it.yaml: got %d keys, want the portal's messages", len(it))
	}
	placeholder := regexp.MustCompile(`\{\{[^}]*\}\}`)
	for _, l := range site.Languages() {
		if l.Code == site.DefaultLanguage {
			continue
		}
		t.Run(l.Code, func(t *testing.T) {
			m := readMessages(t, l.Code)
			var missing, extra []string
			for k := range it {
				if _, ok := m[k]; !ok {
					missing = append(missing, k)
				}
			}
			for k := range m {
				if _, ok := it[k]; !ok {
					extra = append(extra, k)
				}
			}
			sort.Strings(missing)
			sort.Strings(extra)
			if len(missing) > 0 {
				t.Errorf("i18n/%s.yaml lacks %d key(s) Italian has: %v", l.Code, len(missing), missing)
			}
			if len(extra) > 0 {
				t.Errorf("i18n/%s.yaml has %d key(s) Italian lacks: %v", l.Code, len(extra), extra)
			}
			for k, v := range m {
				itv, ok := it[k]
				if !ok {
					continue
				}
				if forms, plural := v.(map[string]any); plural {
					if _, ok := forms["other"]; !ok {
						t.Errorf("i18n/%s.yaml %s: got plural forms %v, want \"other\" among them", l.Code, k, keys(forms))
					}
					continue
				}
				// A message fills in what Italian's fills in: a placeholder lost or misspelt
				// would print nothing, or the placeholder itself.
				if s, ok := itv.(string); ok {
					want := placeholders(placeholder, s)
					if got := placeholders(placeholder, fmt.Sprint(v)); !slices.Equal(got, want) {
						t.Errorf("i18n/%s.yaml %s: got placeholders %v, want %v as Italian's", l.Code, k, got, want)
					}
				}
			}
		})
	}
}

// Each message file is a language's of site.Languages(): one for a language the portal does not
// publish would never be read, and Hugo reads only YAML ones here.
func TestMessageFilesAreThePortalsLanguages(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("i18n", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if filepath.Ext(f) == ".md" {
			continue // the translators' guide, which Hugo ignores (hugo.toml's ignoreFiles)
		}
		code := strings.TrimSuffix(filepath.Base(f), ".yaml")
		if _, ok := site.LanguageByCode(code); !ok || filepath.Ext(f) != ".yaml" {
			t.Errorf("%s: got a message file for %q, want i18n/<code>.yaml for a code of site.Languages()", f, code)
		}
	}
}

// placeholders lists the values a message reads ({{ .Count }}, or .Count within an action of its
// own, as a translation that spells a number out may).
func placeholders(re *regexp.Regexp, s string) []string {
	var out []string
	for _, action := range re.FindAllString(s, -1) {
		for _, m := range regexp.MustCompile(`\.([A-Z][A-Za-z]*)`).FindAllStringSubmatch(action, -1) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
