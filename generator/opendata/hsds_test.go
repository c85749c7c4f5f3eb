package opendata_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/opendata"
)

// required lists, per HSDS 3 object, the fields the specification marks required and their
// JSON types.
var required = map[string]map[string]string{
	"organization": {"id": "uuid", "name": "string", "description": "string"},
	"service":      {"id": "uuid", "name": "string", "status": "string"},
	"location":     {"id": "uuid", "location_type": "string"},
	"address":      {"id": "uuid", "address_1": "string", "city": "string", "state_province": "string", "postal_code": "string", "country": "string", "address_type": "string"},
	"phone":        {"id": "uuid", "number": "string"},
	"schedule":     {"id": "uuid"},
	"contact":      {"id": "uuid"},
	"language":     {"id": "uuid"},
}

// check walks an object and the objects it holds, by the field that holds them.
func check(t *testing.T, kind string, v map[string]any, path string) {
	t.Helper()
	for field, typ := range required[kind] {
		got, ok := v[field]
		s, isString := got.(string)
		switch {
		case !ok:
			t.Errorf("%s: %s lacks required %s", path, kind, field)
		case !isString || s == "":
			t.Errorf("%s: %s.%s is %v, want a non-empty %s", path, kind, field, got, typ)
		case typ == "uuid" && uuid.Validate(s) != nil:
			t.Errorf("%s: %s.%s = %q is not a UUID", path, kind, field, s)
		}
	}
	enums := map[string][]string{"status": {"active", "inactive", "defunct", "temporarily closed"}, "location_type": {"physical", "postal", "virtual"}, "address_type": {"physical", "postal", "virtual"}}
	for field, allowed := range enums {
		if s, ok := v[field].(string); ok && required[kind][field] != "" && !slices.Contains(allowed, s) {
			t.Errorf("%s: %s.%s = %q, want one of %v", path, kind, field, s, allowed)
		}
	}
	children := map[string]string{"phones": "phone", "locations": "location", "addresses": "address", "schedules": "schedule", "contacts": "contact", "languages": "language"}
	for field, child := range children {
		list, ok := v[field].([]any)
		if _, present := v[field]; present && !ok {
			t.Errorf("%s: %s.%s is not an array", path, kind, field)
		}
		for _, item := range list {
			check(t, child, item.(map[string]any), path+"."+field)
		}
	}
	if sal, ok := v["service_at_locations"].([]any); ok {
		for _, item := range sal {
			m := item.(map[string]any)
			if uuid.Validate(m["id"].(string)) != nil {
				t.Errorf("%s: service_at_location id is not a UUID", path)
			}
			check(t, "location", m["location"].(map[string]any), path+".service_at_locations")
		}
	}
	if org, ok := v["organization"].(map[string]any); ok {
		check(t, "organization", org, path+".organization")
	}
}

func TestHSDSExport(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cat, ps := catalog.LoadDir("../../data", now)
	if len(ps.Errors()) > 0 {
		t.Fatal(ps.Error())
	}
	dir := t.TempDir()
	if err := opendata.Write(dir, cat, cat.Portal.BaseURL, now); err != nil {
		t.Fatal(err)
	}
	read := func(name string) []map[string]any {
		b, err := os.ReadFile(filepath.Join(dir, "opendata", "hsds", name))
		if err != nil {
			t.Fatal(err)
		}
		var v []map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	orgs, services := read("organizations.json"), read("services.json")
	wantServices := 0
	for _, a := range cat.Associations {
		wantServices += len(a.Services)
	}
	if len(orgs) != len(cat.Associations) || len(services) != wantServices {
		t.Errorf("got %d organizations and %d services, want %d and %d", len(orgs), len(services), len(cat.Associations), wantServices)
	}
	ids := map[string]bool{}
	for _, o := range orgs {
		check(t, "organization", o, o["name"].(string))
		ids[o["id"].(string)] = true
	}
	for _, s := range services {
		check(t, "service", s, s["name"].(string))
		if !ids[s["organization_id"].(string)] {
			t.Errorf("service %s: organization_id points at no organization", s["name"])
		}
	}
	// Ids are stable: a second export gives the same.
	again, _ := opendata.Build(cat, cat.Portal.BaseURL)
	if again[0].ID != orgs[0]["id"] {
		t.Errorf("ids change between exports")
	}
}
