package intake

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/shaps-portal/shaps/generator/catalog"
	"go.yaml.in/yaml/v3"
)

// Catalog is the part of the portal's data the intake checks references against: category ids,
// association slugs and service keys (association/slug). It reads the same files as the generator.
type Catalog struct {
	Portal       PortalInfo
	Categories   []Option // in portal.yaml's order
	Associations []Option // by slug, each with its services
	categories   map[string]bool
	associations map[string]bool
	services     map[string]bool
}

var _ Directory = (*Catalog)(nil)

// LoadCatalog reads portal.yaml and the associations' folders from a data directory.
func LoadCatalog(data fs.FS) (*Catalog, error) {
	b, err := fs.ReadFile(data, "portal.yaml")
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	var portal struct {
		PortalInfo `yaml:",inline"`
		Categories []struct {
			ID    string `yaml:"id"`
			Label string `yaml:"label"`
		} `yaml:"categories"`
	}
	if err := yaml.Unmarshal(b, &portal); err != nil {
		return nil, fmt.Errorf("load catalog: portal.yaml: %w", err)
	}
	c := &Catalog{Portal: portal.PortalInfo, categories: map[string]bool{}, associations: map[string]bool{}, services: map[string]bool{}}
	for _, t := range portal.Categories {
		c.categories[t.ID] = true
		c.Categories = append(c.Categories, Option{Value: t.ID, Label: t.Label})
	}
	if len(c.categories) == 0 {
		return nil, fmt.Errorf("load catalog: portal.yaml has no categories")
	}
	entries, err := fs.ReadDir(data, "associations")
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c.associations[e.Name()] = true
		a := readAssociation(data, e.Name())
		services, _ := fs.ReadDir(data, path.Join("associations", e.Name(), "services"))
		for _, s := range services {
			if slug, ok := strings.CutSuffix(s.Name(), ".yaml"); ok {
				key := e.Name() + "/" + slug
				c.services[key] = true
				a.Children = append(a.Children, readService(data, path.Join("associations", e.Name(), "services", s.Name()), key, slug))
			}
		}
		c.Associations = append(c.Associations, a)
	}
	return c, nil
}

// HasCategory implements Directory.
func (c *Catalog) HasCategory(id string) bool { return c.categories[id] }

// HasAssociation implements Directory.
func (c *Catalog) HasAssociation(slug string) bool { return c.associations[slug] }

// HasService implements Directory.
func (c *Catalog) HasService(key string) bool { return c.services[key] }

// PortalInfo is what pages need of portal.yaml.
type PortalInfo struct {
	Name                      string                `yaml:"name"`
	Municipality              string                `yaml:"municipality"`
	BaseURL                   string                `yaml:"base_url"`
	AccessibilityStatementURL string                `yaml:"accessibility_statement_url"`
	Logo                      string                `yaml:"logo"`  // the Comune's logo, published by the portal as /img/ente.<ext>
	Areas                     []string              `yaml:"areas"` // quartieri e frazioni, proposed for the area
	Timezone                  string                `yaml:"timezone"`
	Color                     string                `yaml:"color"`   // the header's and the links' colour
	Contact                   catalog.PortalContact `yaml:"contact"` // the office, in the pages' footer
}

// Option is a choice in the form: a category, an association (with its services) or a service.
// For associations, Categories and Email come from association.yaml.
type Option struct {
	Value, Label string
	Children     []Option
	Categories   []string
	Email        string
}

// Association returns the association with a slug.
func (c *Catalog) Association(slug string) (Option, bool) {
	for _, a := range c.Associations {
		if a.Value == slug {
			return a, true
		}
	}
	return Option{}, false
}

func readAssociation(data fs.FS, slug string) Option {
	a := Option{Value: slug, Label: slug}
	b, err := fs.ReadFile(data, path.Join("associations", slug, "association.yaml"))
	if err != nil {
		return a
	}
	var v struct {
		Name       string   `yaml:"name"`
		Categories []string `yaml:"categories"`
		Contacts   struct {
			Email string `yaml:"email"`
		} `yaml:"contacts"`
	}
	if yaml.Unmarshal(b, &v) == nil {
		if v.Name != "" {
			a.Label = v.Name
		}
		a.Categories, a.Email = v.Categories, v.Contacts.Email
	}
	return a
}

// readService reads a service's name and categories; the name falls back on its slug.
func readService(data fs.FS, file, key, slug string) Option {
	o := Option{Value: key, Label: slug}
	b, err := fs.ReadFile(data, file)
	if err != nil {
		return o
	}
	var v struct {
		Name       string   `yaml:"name"`
		Categories []string `yaml:"categories"`
	}
	if yaml.Unmarshal(b, &v) == nil {
		if v.Name != "" {
			o.Label = v.Name
		}
		o.Categories = v.Categories
	}
	return o
}

// Service returns the service with a key (association/slug).
func (c *Catalog) Service(key string) (Option, bool) {
	slug, _, _ := strings.Cut(key, "/")
	a, ok := c.Association(slug)
	if !ok {
		return Option{}, false
	}
	for _, s := range a.Children {
		if s.Value == key {
			return s, true
		}
	}
	return Option{}, false
}
