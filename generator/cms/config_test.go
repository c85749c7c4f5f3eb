package cms_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/cms"
	"go.yaml.in/yaml/v3"
)

var today = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const base = "../catalog/testdata/base"

// kinds pairs each kind of data file with its collection in the interface and its file in the
// base fixture.
var kinds = []struct {
	schema     catalog.Schema
	collection string
	file       string
}{
	{catalog.PortalSchema(), cms.PortalCollection, "portal.yaml"},
	{catalog.AssociationSchema(), cms.AssociationsCollection, "associations/alfa/association.yaml"},
	{catalog.ServiceSchema(), cms.ServicesCollection("alfa"), "associations/alfa/services/trasporto.yaml"},
	{catalog.EventSchema(), cms.EventsCollection("alfa"), "associations/alfa/events/incontro.yaml"},
}

func loadBase(t *testing.T, dir string) *catalog.Catalog {
	t.Helper()
	cat, ps := catalog.LoadDir(dir, today)
	if len(ps.Errors()) > 0 {
		t.Fatalf("base fixture: %v", ps.Error())
	}
	return cat
}

// decapConfig is the configuration as Decap reads it: the generated YAML, parsed.
func decapConfig(t *testing.T, cat *catalog.Catalog) map[string]any {
	t.Helper()
	b, err := cms.Build(cat, cms.Options{DataDir: "data", LocalBackend: "http://127.0.0.1:8081/api/v1"}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("generated config does not parse: %v", err)
	}
	return m
}

func formFields(t *testing.T, cfg map[string]any, collection string) []any {
	t.Helper()
	for _, c := range cfg["collections"].([]any) {
		c := c.(map[string]any)
		if c["name"] != collection {
			continue
		}
		if files, ok := c["files"].([]any); ok {
			return files[0].(map[string]any)["fields"].([]any)
		}
		return c["fields"].([]any)
	}
	t.Fatalf("no collection %q in the generated config", collection)
	return nil
}

func jsonSchema(t *testing.T, s catalog.Schema) map[string]any {
	t.Helper()
	b, err := catalog.JSONSchema(s, "/")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCollectionsWriteTheContractsFiles(t *testing.T) {
	cfg := decapConfig(t, loadBase(t, base))
	want := map[string][2]string{
		cms.AssociationsCollection:     {"data/associations", "{{slug}}/association"},
		cms.ServicesCollection("alfa"): {"data/associations/alfa/services", ""},
		cms.EventsCollection("alfa"):   {"data/associations/alfa/events", ""},
	}
	for _, c := range cfg["collections"].([]any) {
		c := c.(map[string]any)
		name := c["name"].(string)
		if name == cms.PortalCollection {
			if f := c["files"].([]any)[0].(map[string]any)["file"]; f != "data/portal.yaml" {
				t.Errorf("portal collection writes %v, want data/portal.yaml", f)
			}
			continue
		}
		w, ok := want[name]
		if !ok {
			t.Errorf("unexpected collection %q", name)
			continue
		}
		delete(want, name)
		path, _ := c["path"].(string)
		if c["folder"] != w[0] || path != w[1] || c["extension"] != "yaml" || c["format"] != "yaml" {
			t.Errorf("collection %s: folder %v, path %q, extension %v, format %v; want folder %s, path %q and YAML files",
				name, c["folder"], path, c["extension"], c["format"], w[0], w[1])
		}
	}
	if len(want) > 0 {
		t.Errorf("missing collections: %v", want)
	}
	if b := cfg["backend"].(map[string]any); b["name"] != "github" || b["open_authoring"] != true || cfg["publish_mode"] != "editorial_workflow" {
		t.Errorf("backend %v, publish mode %v: want github with open authoring and the editorial workflow", b, cfg["publish_mode"])
	}
}

// TestFormsAgreeWithSchemas walks every field of every form beside the JSON Schema and the data
// contract's definition: the same names in the same order, the same required fields, types,
// allowed values, patterns and ranges.
func TestFormsAgreeWithSchemas(t *testing.T) {
	cfg := decapConfig(t, loadBase(t, base))
	checked := 0
	for _, k := range kinds {
		js := jsonSchema(t, k.schema)
		checked += agree(t, k.schema.Kind, formFields(t, cfg, k.collection), k.schema.Fields, js, true)
	}
	if checked < 100 {
		t.Errorf("checked %d fields, want every field of the four kinds (more than 100)", checked)
	}
	t.Logf("%d fields agree in form, JSON Schema and contract", checked)
}

func agree(t *testing.T, at string, form []any, fields []catalog.Field, js map[string]any, present bool) int {
	t.Helper()
	props, _ := js["properties"].(map[string]any)
	if len(form) != len(fields) || len(props) != len(fields) {
		t.Errorf("%s: %d form fields, %d schema properties, %d fields in the contract; want the same", at, len(form), len(props), len(fields))
		return 0
	}
	var jsRequired []string
	for _, r := range asList(js["required"]) {
		jsRequired = append(jsRequired, r.(string))
	}
	n := 0
	for i, f := range fields {
		w := form[i].(map[string]any)
		path := at + "." + f.Name
		if w["name"] != f.Name {
			t.Errorf("%s: form field %d is %v, want %s", at, i, w["name"], f.Name)
			continue
		}
		p, ok := props[f.Name].(map[string]any)
		if !ok {
			t.Errorf("%s: not in the JSON Schema", path)
			continue
		}
		n++
		if h, _ := w["hint"].(string); h == "" {
			t.Errorf("%s: the form gives no help under the field", path)
		}
		if got, want := w["required"], f.Required && present; got != want {
			t.Errorf("%s: form required %v, want %v", path, got, want)
		}
		if got := slices.Contains(jsRequired, f.Name); got != f.Required {
			t.Errorf("%s: schema required %v, want %v", path, got, f.Required)
		}
		n += agreeValue(t, path, w, f, p, present && f.Required)
	}
	return n
}

// formType is the JSON type of the values a widget writes.
func formType(w map[string]any) string {
	switch w["widget"] {
	case "string", "markdown", "select", "image", "datetime":
		return "string"
	case "number":
		if w["value_type"] == "int" {
			return "integer"
		}
		return "number"
	case "boolean":
		return "boolean"
	case "object":
		return "object"
	case "list", "relation":
		return "array"
	}
	return fmt.Sprintf("unknown widget %v", w["widget"])
}

// num reads a number as YAML or JSON decoded it; NaN for anything else.
func num(v any) float64 {
	switch v := v.(type) {
	case int:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}

func asList(v any) []any {
	switch v := v.(type) {
	case []any:
		return v
	case nil:
		return nil
	}
	return []any{v}
}

func agreeValue(t *testing.T, path string, w map[string]any, f catalog.Field, p map[string]any, present bool) int {
	t.Helper()
	if got := formType(w); !slices.Contains(asList(p["type"]), any(got)) {
		t.Errorf("%s: the form writes %s, the schema wants %v", path, got, p["type"])
	}
	// Allowed values.
	var options []any
	for _, o := range asList(w["options"]) {
		options = append(options, o.(map[string]any)["value"])
	}
	var enum []any
	for _, v := range f.Enum {
		enum = append(enum, v)
	}
	if !reflect.DeepEqual(options, enum) || !reflect.DeepEqual(asList(p["enum"]), enum) {
		t.Errorf("%s: form options %v, schema enum %v, contract %v; want the same", path, options, p["enum"], f.Enum)
	}
	// Patterns, with the validator's message.
	rule, hasRule := catalog.FieldRule(f)
	pattern := asList(w["pattern"])
	switch {
	case hasRule && w["widget"] != "image":
		if len(pattern) != 2 || pattern[0] != rule.Pattern || pattern[1] != rule.Message {
			t.Errorf("%s: form pattern %v, want [%s, %s]", path, pattern, rule.Pattern, rule.Message)
		}
		if sp, ok := p["pattern"]; ok && sp != rule.Pattern {
			t.Errorf("%s: schema pattern %v, want %s", path, sp, rule.Pattern)
		}
	case len(pattern) > 0:
		t.Errorf("%s: form pattern %v on a field with no rule", path, pattern)
	}
	// Ranges.
	if f.HasRange {
		if num(w["min"]) != f.Min || num(w["max"]) != f.Max || num(p["minimum"]) != f.Min || num(p["maximum"]) != f.Max {
			t.Errorf("%s: form range %v–%v, schema %v–%v, want %v–%v", path, w["min"], w["max"], p["minimum"], p["maximum"], f.Min, f.Max)
		}
	}
	n := 0
	switch f.Type {
	case catalog.TypeObject:
		n += agree(t, path, asList(w["fields"]), f.Fields, p, present)
	case catalog.TypeMap:
		for _, sub := range asList(w["fields"]) {
			sub := sub.(map[string]any)
			n++
			n += agreeValue(t, path+"."+sub["name"].(string), sub, *f.Elem, p["additionalProperties"].(map[string]any), false)
		}
	case catalog.TypeList:
		items := p["items"].(map[string]any)
		if f.MinItems > 0 && (num(w["min"]) != float64(f.MinItems) || num(p["minItems"]) != float64(f.MinItems)) {
			t.Errorf("%s: form min %v, schema minItems %v, want %d", path, w["min"], p["minItems"], f.MinItems)
		}
		switch {
		case f.Elem.Type == catalog.TypeObject:
			n += agree(t, path+"[]", asList(w["fields"]), f.Elem.Fields, items, true)
		case w["widget"] == "relation":
			list := map[catalog.Format]string{catalog.FormatCategory: "categories", catalog.FormatAudience: "audiences"}[f.Elem.Format]
			if list == "" || w["value_field"] != list+".*.id" || w["collection"] != cms.PortalCollection || w["multiple"] != true {
				t.Errorf("%s: relation %v to %v, want the ids of portal.yaml's %s", path, w["value_field"], w["collection"], list)
			}
		default:
			inner := w["field"].(map[string]any)
			n += agreeValue(t, path+"[]", inner, *f.Elem, items, true)
		}
	}
	return n
}

// patternField is a form field checked by a pattern, at its path in the data file.
type patternField struct {
	kind, file, path string
	pattern, message string
}

func patternFields(t *testing.T, cfg map[string]any) []patternField {
	var out []patternField
	var walk func(file, kind, prefix string, ws []any)
	walk = func(file, kind, prefix string, ws []any) {
		for _, w := range ws {
			w := w.(map[string]any)
			path := prefix + w["name"].(string)
			if p := asList(w["pattern"]); len(p) == 2 {
				out = append(out, patternField{kind, file, path, p[0].(string), p[1].(string)})
			}
			switch {
			case w["widget"] == "object":
				walk(file, kind, path+".", asList(w["fields"]))
			case w["field"] != nil:
				inner := w["field"].(map[string]any)
				if p := asList(inner["pattern"]); len(p) == 2 {
					out = append(out, patternField{kind, file, path + "[0]", p[0].(string), p[1].(string)})
				}
			case w["widget"] == "list":
				walk(file, kind, path+"[0].", asList(w["fields"]))
			}
		}
	}
	for _, k := range kinds {
		walk(k.file, k.schema.Kind, "", formFields(t, cfg, k.collection))
	}
	return out
}

// samples are values editors might type, by the rule that checks them.
var samples = map[string][]string{
	"e-mail":                 {"info@associazione.it", "mario.rossi+eventi@comune.voghera.pv.it", "alfa@example", "info at associazione.it", "a..b@x.it", "@x.it", "info@associazione.it "},
	"telefono":               {"0383 123456", "+39 0383 123456", "333-1234567", "12", "telefono", "+39 (0383) 12", "0383123456789012345"},
	"indirizzo web":          {"https://www.associazione.it", "http://x.it/a?b=c", "www.alfa.it", "ftp://x.it", "https://", "https://a b.it"},
	"CAP":                    {"27058", "2705", "27058a"},
	"identificativo":         {"centro-diurno", "a1", "Centro", "a", "-a", "a--b", strings.Repeat("a", 61)},
	"lingua":                 {"it", "ar", "ita", "IT", "qq"},
	"non è un giorno":        {"MO", "2SA", "-1FR", "lunedì", "6MO", "mo"},
	"nome utente":            {"mario-rossi", "@org/team", "mario rossi", "-x"},
	"repository":             {"comune-voghera/shaps", "shaps", "a/b/c"},
	"colore":                 {"#0B4F8A", "#0b4f8a", "blu", "#0B4F8", "0B4F8A", "#GGGGGG", "#5B9BD5"},
	"fuso orario":            {"Europe/Rome", "UTC", "Europe Rome", "Mars/Base"},
	"non è una data scritta": {"2026-12-05", "05/12/2026", "2026-02-30"},
	"non è una data con ora": {"2026-12-05T15:30", "2026-12-05 15:30", "2026-12-05", "2026-12-05T15:30Z", "domani"},
	"troppo lungo":           {strings.Repeat("è", 200), strings.Repeat("a", 201)},
}

// beyondPatterns are the values a form lets through that the validator then refuses, with the
// same message: checks that no pattern can make.
var beyondPatterns = []string{"qq", "Mars/Base", strings.Repeat("a", 61), "2026-02-30"}

func samplesFor(message string) []string {
	for k, v := range samples {
		if strings.Contains(message, k) {
			return v
		}
	}
	return nil
}

// TestFormPatternsAgreeWithValidator types sample values into every patterned field, as
// Decap checks them (JavaScript's RegExp, run by node), and has the validator load a data
// folder holding each. A value the form refuses, the validator refuses with the same message;
// a value the form accepts, the validator accepts, but for the few checks beyond any pattern.
func TestFormPatternsAgreeWithValidator(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is missing; CI installs it")
		}
		t.Skip("node is missing: the form's patterns are JavaScript regular expressions")
	}
	cfg := decapConfig(t, loadBase(t, base))
	fields := patternFields(t, cfg)
	if len(fields) < 30 {
		t.Fatalf("found %d patterned fields, want every one (more than 30)", len(fields))
	}
	type trial struct {
		field patternField
		value string
	}
	var trials []trial
	var js []map[string]string
	for _, f := range fields {
		values := samplesFor(f.message)
		if len(values) == 0 {
			t.Errorf("%s %s: no sample values for the rule %q", f.kind, f.path, f.message)
		}
		for _, v := range values {
			trials = append(trials, trial{f, v})
			js = append(js, map[string]string{"pattern": f.pattern, "value": v})
		}
	}
	accepted := formVerdicts(t, node, js)
	t.Logf("%d patterned fields, %d sample values typed", len(fields), len(trials))
	schemas := compileSchemas(t)

	for i, tr := range trials {
		problems, doc := validatorProblems(t, tr.field, tr.value)
		if got := schemaAccepts(schemas[tr.field.kind], doc, tr.field.path); got != accepted[i] {
			t.Errorf("%s %s = %q: the form accepts it: %v; the JSON Schema accepts it: %v", tr.field.kind, tr.field.path, tr.value, accepted[i], got)
		}
		var same, other []string
		for _, m := range problems {
			if strings.HasPrefix(m, tr.field.message) {
				same = append(same, m)
			} else {
				other = append(other, m)
			}
		}
		at := fmt.Sprintf("%s %s = %q", tr.field.kind, tr.field.path, tr.value)
		switch {
		case !accepted[i]:
			// The validator adds what it found: the value, or the length of a text.
			if !slices.ContainsFunc(same, func(m string) bool { return strings.HasPrefix(m, tr.field.message+" (") }) {
				t.Errorf("%s: the form refuses it with %q; the validator said %q, want that message", at, tr.field.message, problems)
			}
		case len(same) > 0 && !slices.Contains(beyondPatterns, tr.value):
			t.Errorf("%s: the form accepts it, the validator refuses it: %q", at, same)
		case slices.Contains(beyondPatterns, tr.value) && len(same) == 0 && !slices.ContainsFunc(other, func(m string) bool { return strings.Contains(m, "esiste nel calendario") }):
			t.Errorf("%s: want the validator to refuse what no pattern can check; it said %q", at, problems)
		}
	}
}

// formVerdicts runs each pattern as Decap does, RegExp(pattern).test(value), in node.
func formVerdicts(t *testing.T, node string, trials []map[string]string) []bool {
	t.Helper()
	in, _ := json.Marshal(trials)
	cmd := exec.Command(node, "-e", `let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
		console.log(JSON.stringify(JSON.parse(s).map(t=>RegExp(t.pattern).test(t.value))))})`)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got []bool
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(trials) {
		t.Fatalf("node answered %s (%v), want %d verdicts", out, err, len(trials))
	}
	return got
}

// compileSchemas compiles the four JSON Schemas with a JSON Schema implementation.
func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	out := map[string]*jsonschema.Schema{}
	for _, k := range kinds {
		out[k.schema.Kind] = compileSchema(t, k.schema)
	}
	return out
}

// compileSchema compiles the JSON Schema the portal publishes for s.
func compileSchema(t *testing.T, s catalog.Schema) *jsonschema.Schema {
	t.Helper()
	b, err := catalog.JSONSchema(s, "https://example.org/")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	url := "https://example.org/schema/" + s.Kind + ".schema.json"
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	compiled, err := c.Compile(url)
	if err != nil {
		t.Fatalf("JSON Schema %s: %v", s.Kind, err)
	}
	return compiled
}

// schemaAccepts reports whether the schema finds nothing wrong at the field's path.
func schemaAccepts(s *jsonschema.Schema, doc any, path string) bool {
	err := s.Validate(doc)
	if err == nil {
		return true
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return false
	}
	pointer := "/" + strings.NewReplacer("[", "/", "]", "", ".", "/").Replace(path)
	for _, u := range ve.BasicOutput().Errors {
		if u.InstanceLocation == pointer {
			return false
		}
	}
	return true
}

// jsonValue turns a decoded YAML document into the values JSON has.
func jsonValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = jsonValue(x)
		}
	case []any:
		for i, x := range v {
			v[i] = jsonValue(x)
		}
	case int:
		return json.Number(fmt.Sprint(v))
	case float64:
		return json.Number(fmt.Sprint(v))
	case time.Time:
		return v.Format("2006-01-02")
	}
	return v
}

// validatorProblems writes value at the field's path into a copy of the base fixture and returns
// the validator's messages for that field, and the document as JSON values.
func validatorProblems(t *testing.T, f patternField, value string) ([]string, any) {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, base, dir)
	file := filepath.Join(dir, filepath.FromSlash(f.file))
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	set(doc, strings.Split(f.path, "."), value)
	b, err = yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, ps := catalog.LoadDir(dir, today)
	var out []string
	for _, p := range ps.Errors() {
		if p.File == file && p.Field == f.path {
			out = append(out, p.Message)
		}
	}
	var reread any
	if err := yaml.Unmarshal(b, &reread); err != nil {
		t.Fatal(err)
	}
	return out, jsonValue(reread)
}

// set puts v at a path of keys, where "name[0]" is the first item of a list.
func set(m map[string]any, path []string, v string) {
	key, list := strings.CutSuffix(path[0], "[0]")
	if len(path) == 1 {
		if list {
			m[key] = []any{v}
		} else {
			m[key] = v
		}
		return
	}
	if list {
		items, _ := m[key].([]any)
		if len(items) == 0 {
			items = []any{map[string]any{}}
		}
		item, _ := items[0].(map[string]any)
		if item == nil {
			item = map[string]any{}
		}
		set(item, path[1:], v)
		items[0] = item
		m[key] = items
		return
	}
	sub, _ := m[key].(map[string]any)
	if sub == nil {
		sub = map[string]any{}
	}
	set(sub, path[1:], v)
	m[key] = sub
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}

// TestDemoDataMeetsSchemas checks every demo file, which the validator accepts, against its JSON
// Schema too.
func TestDemoDataMeetsSchemas(t *testing.T) {
	schemas := compileSchemas(t)
	schemas["synonyms"] = compileSchema(t, catalog.SynonymsSchema())
	files := 0
	err := filepath.WalkDir("../../data", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".yaml" {
			return err
		}
		kind := "association"
		switch {
		case filepath.Base(path) == "portal.yaml":
			kind = "portal"
		case filepath.Base(path) == catalog.SynonymsFile:
			kind = "synonyms"
		case filepath.Base(filepath.Dir(path)) == "services":
			kind = "service"
		case filepath.Base(filepath.Dir(path)) == "events":
			kind = "event"
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var doc any
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return err
		}
		files++
		if err := schemas[kind].Validate(jsonValue(doc)); err != nil {
			t.Errorf("%s: the validator accepts it, the %s JSON Schema does not: %v", path, kind, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 70 {
		t.Errorf("checked %d files, want all the demo data (more than 70)", files)
	}
}
