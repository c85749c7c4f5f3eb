package cms_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

func widgetNamed(ws []any, name string) map[string]any {
	for _, w := range ws {
		if w := w.(map[string]any); w["name"] == name {
			return w
		}
	}
	return nil
}

func names(ws []any) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.(map[string]any)["name"].(string))
	}
	return out
}

// TestFormsTakeTranslations: beside its Italian fields, the form of a service, an event or an
// association has a block per language of the portal but Italian, under translations and under
// machine_translations, each with the fields that translate, optional, folded until opened; what
// the form saves there is what the validator reads.
func TestFormsTakeTranslations(t *testing.T) {
	cfg := decapConfig(t, loadBase(t, base))
	langs := []string{"en", "ro", "ar", "uk", "sq", "zh-hans"}
	for _, k := range kinds[1:] {
		form := formFields(t, cfg, k.collection)
		for _, group := range []string{"translations", "machine_translations"} {
			w := widgetNamed(form, group)
			if w == nil {
				t.Errorf("%s: no %s in the form", k.schema.Kind, group)
				continue
			}
			if w["widget"] != "object" || w["required"] != false || w["collapsed"] != true {
				t.Errorf("%s.%s: got widget %v, required %v, collapsed %v; want an optional object, folded", k.schema.Kind, group, w["widget"], w["required"], w["collapsed"])
			}
			blocks := w["fields"].([]any)
			if got := names(blocks); !slices.Equal(got, langs) {
				t.Errorf("%s.%s: got languages %v, want %v", k.schema.Kind, group, got, langs)
			}
			for _, b := range blocks {
				b := b.(map[string]any)
				if en := widgetNamed(b["fields"].([]any), "summary"); b["name"] == "en" && (en == nil || en["label"] != "In breve in inglese") {
					t.Errorf("%s.%s.en.summary: got %v, want the label that names the language", k.schema.Kind, group, en)
				}
				if got, want := names(b["fields"].([]any)), k.schema.TranslatableFields(); !slices.Equal(got, want) {
					t.Errorf("%s.%s.%s: got fields %v, want %v", k.schema.Kind, group, b["name"], got, want)
				}
				for _, f := range b["fields"].([]any) {
					if f.(map[string]any)["required"] != false {
						t.Errorf("%s.%s.%s.%s: required, want optional", k.schema.Kind, group, b["name"], f.(map[string]any)["name"])
					}
				}
			}
		}
	}
	// The file as the form writes it: the Italian fields, the English ones under translations.
	dir := t.TempDir()
	copyTree(t, base, dir)
	saved := map[string]any{
		"name": "Trasporto", "summary": "Accompagnamento alle visite.", "categories": []string{"salute"},
		"translations": map[string]any{"en": map[string]any{"name": "Transport", "how_to_access": "Call **us**."}},
	}
	b, err := yaml.Marshal(saved)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "associations", "alfa", "services", "trasporto.yaml"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	cat := loadBase(t, dir)
	if got := cat.Associations[0].Services[0].Translations["en"]; got["name"] != "Transport" || got["how_to_access"] != "Call **us**." {
		t.Errorf("the saved translation: got %v, want the English name and how to access", got)
	}
}
