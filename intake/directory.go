package intake

import (
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
)

// Catalog is the part of the portal's data the intake checks references against: category ids,
// association slugs and service keys (association/slug). It is built from what catalog.Load
// reads, the very loader of the generator.
type Catalog struct {
	Data         *catalog.Catalog // everything loaded, for the search
	Portal       PortalInfo
	Categories   []Option // in portal.yaml's order
	Associations []Option // by slug, each with its services
	categories   map[string]bool
	associations map[string]bool
	services     map[string]bool
}

var _ Directory = (*Catalog)(nil)

// LoadCatalog loads a data folder (portal.yaml and the associations' folders) with catalog.Load
// and refuses data that validate would refuse; today is the day its date checks use.
func LoadCatalog(data fs.FS, today time.Time) (*Catalog, error) {
	cat, problems := catalog.Load(data, today)
	if errs := problems.Errors(); len(errs) > 0 {
		return nil, fmt.Errorf("load catalog: the data has %d error(s), which go run ./generator validate lists; the first: %s", len(errs), errs[0])
	}
	return NewCatalog(cat), nil
}

// NewCatalog builds the intake's directory from loaded data.
func NewCatalog(cat *catalog.Catalog) *Catalog {
	p := cat.Portal
	c := &Catalog{
		Data: cat,
		Portal: PortalInfo{Name: p.Name, Municipality: p.Municipality, BaseURL: p.BaseURL, AccessibilityStatementURL: p.AccessibilityStatementURL,
			Logo: p.Logo, Areas: p.Areas, Timezone: p.Timezone},
		categories: map[string]bool{}, associations: map[string]bool{}, services: map[string]bool{},
	}
	c.Portal.Color, c.Portal.Contact = p.Color, p.Contact
	c.Portal.ResponseDays, c.Portal.NameAssociations = p.ResponseDays, p.NameAssociations
	for _, t := range p.Categories {
		c.categories[t.ID] = true
		c.Categories = append(c.Categories, Option{Value: t.ID, Label: t.Label})
	}
	for _, a := range cat.Associations {
		c.associations[a.Slug] = true
		o := Option{Value: a.Slug, Label: a.Name, Categories: a.Categories, Email: a.Contacts.Email}
		for _, s := range a.Services {
			key := a.Slug + "/" + s.Slug
			c.services[key] = true
			o.Children = append(o.Children, Option{Value: key, Label: s.Name, Categories: s.Categories})
		}
		c.Associations = append(c.Associations, o)
	}
	return c
}

// HasCategory implements Directory.
func (c *Catalog) HasCategory(id string) bool { return c.categories[id] }

// HasAssociation implements Directory.
func (c *Catalog) HasAssociation(slug string) bool { return c.associations[slug] }

// HasService implements Directory.
func (c *Catalog) HasService(key string) bool { return c.services[key] }

// PortalInfo is what pages need of portal.yaml.
type PortalInfo struct {
	Name                      string
	Municipality              string
	BaseURL                   string
	AccessibilityStatementURL string
	Logo                      string   // the Comune's logo, published by the portal as /img/ente.<ext>
	Areas                     []string // quartieri e frazioni, proposed for the area
	Timezone                  string
	Color                     string                // the header's and the links' colour
	Contact                   catalog.PortalContact // the office, in the pages' footer
	ResponseDays              int                   // the usual working days to an answer
	NameAssociations          bool                  // the status page names the associations
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
