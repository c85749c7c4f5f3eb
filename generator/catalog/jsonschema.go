package catalog

import (
	"cmp"
	"encoding/json"
	"fmt"
)

// JSONSchema renders a schema as JSON Schema (draft 2020-12), for editors with a YAML language
// server. It is derived from the same fields as the validator; checks that span fields or files
// (end after start, known category ids, logo files) are the validator's alone.
func JSONSchema(s Schema, baseURL string) ([]byte, error) {
	root := objectSchema(s.Fields)
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = fmt.Sprintf("%sschema/%s.schema.json", baseURL, s.Kind)
	root["title"] = s.Title
	return json.MarshalIndent(root, "", "  ")
}

func objectSchema(fields []Field) map[string]any {
	props := map[string]any{}
	var req []string
	for _, f := range fields {
		props[f.Name] = fieldSchema(f)
		if f.Required {
			req = append(req, f.Name)
		}
	}
	o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(req) > 0 {
		o["required"] = req
	}
	return o
}

func fieldSchema(f Field) map[string]any {
	var s map[string]any
	switch f.Type {
	case TypeObject:
		s = objectSchema(f.Fields)
	case TypeList:
		s = map[string]any{"type": "array", "items": fieldSchema(*f.Elem), "uniqueItems": f.Elem.Type != TypeObject}
		if f.MinItems > 0 {
			s["minItems"] = f.MinItems
		}
	case TypeMap:
		s = map[string]any{"type": "object", "additionalProperties": fieldSchema(*f.Elem), "maxProperties": MaxMapItems}
	case TypeBool:
		s = map[string]any{"type": "boolean"}
	case TypeInt, TypeNumber:
		s = map[string]any{"type": string(f.Type)}
		if f.HasRange {
			s["minimum"], s["maximum"] = f.Min, f.Max
		}
	case TypeDate, TypeDateTime, TypeMoment:
		r, _ := TypeRule(f.Type)
		s = map[string]any{"type": "string", "pattern": r.Pattern}
	default:
		s = map[string]any{"type": "string"}
		if f.Required || f.MinLen > 0 {
			s["minLength"] = max(f.MinLen, 1)
		}
		s["maxLength"] = cmp.Or(f.MaxLen, MaxText)
		if len(f.Enum) > 0 {
			s["enum"] = f.Enum
		}
		if r, ok := FormatRule(f.Format); ok {
			s["pattern"] = r.Pattern
		}
	}
	if f.Type == TypeString && (f.Format == FormatPostal || f.Format == FormatPhone) {
		// YAML reads 27058 as a number; the validator accepts it, and so must the editor. The
		// pattern still checks the text form, as JSON Schema applies it to strings only.
		s["type"] = []string{"string", "integer"}
	}
	if f.Label != "" {
		s["title"] = f.Label
	}
	if f.Help != "" {
		s["description"] = f.Help
	}
	return s
}
