package catalog_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/shaps-portal/shaps/generator/catalog"
	"go.yaml.in/yaml/v3"
)

// TestSynonymsJSONSchema: the JSON Schema derived from the synonyms' fields accepts the demo's
// file and refuses an entry without find, as validate does.
func TestSynonymsJSONSchema(t *testing.T) {
	b, err := catalog.JSONSchema(catalog.SynonymsSchema(), "https://example.org/")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	url := "https://example.org/schema/synonyms.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(url)
	if err != nil {
		t.Fatalf("JSON Schema synonyms: %v", err)
	}
	asJSON := func(src []byte) any {
		var v any
		if err := yaml.Unmarshal(src, &v); err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(v)
		out, err := jsonschema.UnmarshalJSON(strings.NewReader(string(j)))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	demo, err := os.ReadFile("../../data/synonyms.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(asJSON(demo)); err != nil {
		t.Errorf("the demo's synonyms.yaml: got %v, want it accepted", err)
	}
	if err := schema.Validate(asJSON([]byte("synonyms:\n  - words: [morta]\n"))); err == nil {
		t.Errorf("an entry without find: accepted, want refused")
	}
}
