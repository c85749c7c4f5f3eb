package catalog_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/shaps-portal/shaps/generator/catalog"
)

// TestTranslatableFields: the texts that other languages may translate are the contract's.
func TestTranslatableFields(t *testing.T) {
	tests := []struct {
		schema catalog.Schema
		want   []string
	}{
		{catalog.AssociationSchema(), []string{"name", "summary", "description", "history"}},
		{catalog.ServiceSchema(), []string{"name", "summary", "description", "who", "how_to_access", "requirements", "outcome", "timing", "hours"}},
		{catalog.EventSchema(), []string{"title", "summary", "description"}},
	}
	for _, tt := range tests {
		if got := tt.schema.TranslatableFields(); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.schema.Kind, got, tt.want)
		}
	}
}

// TestTranslationsJSONSchema: the JSON Schema of a service takes its texts in the portal's other
// languages and refuses what validate refuses: Italian, an unknown language, a field that does not
// translate, an empty or too long text.
func TestTranslationsJSONSchema(t *testing.T) {
	b, err := catalog.JSONSchema(catalog.ServiceSchema(), "https://example.org/")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	url := "https://example.org/schema/service.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(url)
	if err != nil {
		t.Fatalf("JSON Schema service: %v", err)
	}
	tests := []struct {
		name  string
		group string // translations or machine_translations
		texts map[string]map[string]string
		ok    bool
	}{
		{"english and chinese", "translations", map[string]map[string]string{"en": {"name": "Transport", "how_to_access": "Call us."}, "zh-hans": {"name": "交通"}}, true},
		{"machine arabic", "machine_translations", map[string]map[string]string{"ar": {"summary": "نقل"}}, true},
		{"italian", "translations", map[string]map[string]string{"it": {"name": "Trasporto"}}, false},
		{"unknown language", "machine_translations", map[string]map[string]string{"fr": {"name": "Transport"}}, false},
		{"untranslatable field", "translations", map[string]map[string]string{"en": {"status": "active"}}, false},
		{"empty text", "translations", map[string]map[string]string{"en": {"name": ""}}, false},
		{"too long summary", "translations", map[string]map[string]string{"uk": {"summary": strings.Repeat("я", 201)}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := map[string]any{"name": "Trasporto", "summary": "Accompagnamento.", "categories": []string{"salute"}, tt.group: tt.texts}
			j, _ := json.Marshal(svc)
			v, err := jsonschema.UnmarshalJSON(strings.NewReader(string(j)))
			if err != nil {
				t.Fatal(err)
			}
			err = schema.Validate(v)
			if got := err == nil; got != tt.ok {
				t.Errorf("got accepted %v (%v), want %v", got, err, tt.ok)
			}
		})
	}
}

// TestLocalize: a text falls back from people's translation to a program's to the Italian one,
// field by field, and says which it is.
func TestLocalize(t *testing.T) {
	s := &catalog.Service{Name: "Trasporto", Summary: "Accompagnamento alle visite.", Description: "Con un'auto.",
		Translations: map[string]catalog.Translation{"en": {"name": "Transport"}, "zh-hans": {"name": "交通"}},
		MachineTranslations: map[string]catalog.Translation{
			"en": {"name": "Transportation", "summary": "Rides to appointments."},
			"uk": {"who": "Для всіх"}, // the Italian has none: not shown
		}}
	tests := []struct {
		lang, field string
		want        catalog.Text
		shown       bool
	}{
		{"it", "name", catalog.Text{Text: "Trasporto", Lang: "it", Tag: "it"}, true},
		{"en", "name", catalog.Text{Text: "Transport", Lang: "en", Tag: "en"}, true},
		{"en", "summary", catalog.Text{Text: "Rides to appointments.", Lang: "en", Tag: "en", Machine: true}, true},
		{"en", "description", catalog.Text{Text: "Con un'auto.", Lang: "it", Tag: "it", Italian: true}, true},
		{"zh-hans", "name", catalog.Text{Text: "交通", Lang: "zh-hans", Tag: "zh-Hans"}, true},
		{"ro", "summary", catalog.Text{Text: "Accompagnamento alle visite.", Lang: "it", Tag: "it", Italian: true}, true},
		{"uk", "who", catalog.Text{}, false},
		{"en", "status", catalog.Text{}, false},
	}
	for _, tt := range tests {
		got, ok := catalog.Localize(catalog.ServiceSchema(), s, tt.lang)[tt.field]
		if got != tt.want || ok != tt.shown {
			t.Errorf("%s %s: got %+v (shown %v), want %+v (shown %v)", tt.lang, tt.field, got, ok, tt.want, tt.shown)
		}
	}
	term := catalog.Term{ID: "salute", Label: "Salute", Translations: map[string]catalog.Translation{"ar": {"label": "الصحة"}}}
	if got := catalog.Localize(catalog.TermSchema(), term, "ar")["label"]; got != (catalog.Text{Text: "الصحة", Lang: "ar", Tag: "ar"}) {
		t.Errorf("a category's label in Arabic: got %+v, want its translation", got)
	}
}
