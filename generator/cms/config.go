package cms

import (
	"fmt"
	"path"
	"strings"

	"github.com/shaps-portal/shaps/generator/catalog"
	"go.yaml.in/yaml/v3"
)

// Labels are the interface's Italian texts, read from the site's i18n file.
type Labels struct {
	Title                   string
	NoScript                string
	Missing                 string
	Portal                  string
	PortalDescription       string
	Associations            string
	Association             string
	AssociationsDescription string
	Services                string
	Service                 string
	ServicesDescription     string
	Events                  string
	Event                   string
	EventsDescription       string
}

// Options say where the data lives and how editors reach it.
type Options struct {
	// DataDir is the data folder's path inside the repository, "data" in this one.
	DataDir string
	// Branch is the repository's main branch; pull requests are opened against it.
	Branch string
	// LocalBackend is the address of decap-server for editing on this machine, e.g.
	// http://127.0.0.1:8081/api/v1. The interface only uses it when opened on localhost.
	LocalBackend string
	Labels       Labels
}

// Config is Decap CMS's configuration, config.yml.
type Config struct {
	Backend      Backend            `yaml:"backend"`
	PublishMode  string             `yaml:"publish_mode"`
	LocalBackend LocalBackendConfig `yaml:"local_backend"`
	Locale       string             `yaml:"locale"`
	SiteURL      string             `yaml:"site_url,omitempty"`
	DisplayURL   string             `yaml:"display_url,omitempty"`
	LogoURL      string             `yaml:"logo_url"`
	MediaFolder  string             `yaml:"media_folder"`
	PublicFolder string             `yaml:"public_folder"`
	Slug         Slug               `yaml:"slug"`
	Collections  []Collection       `yaml:"collections"`
}

// Backend is the git host the interface reads and writes.
type Backend struct {
	Name           string `yaml:"name"`
	Repo           string `yaml:"repo,omitempty"`
	Branch         string `yaml:"branch"`
	OpenAuthoring  bool   `yaml:"open_authoring"`
	SquashMerges   bool   `yaml:"squash_merges"`
	CommitMessages struct {
		Create        string `yaml:"create"`
		Update        string `yaml:"update"`
		Delete        string `yaml:"delete"`
		UploadMedia   string `yaml:"uploadMedia"`
		DeleteMedia   string `yaml:"deleteMedia"`
		OpenAuthoring string `yaml:"openAuthoring"`
	} `yaml:"commit_messages"`
}

// LocalBackendConfig points the interface at decap-server when it runs on the editor's machine.
type LocalBackendConfig struct {
	URL          string   `yaml:"url"`
	AllowedHosts []string `yaml:"allowed_hosts"`
}

// Slug says how file names are made from titles: the data contract's slugs.
type Slug struct {
	Encoding            string `yaml:"encoding"`
	CleanAccents        bool   `yaml:"clean_accents"`
	SanitizeReplacement string `yaml:"sanitize_replacement"`
}

// Collection is one kind of file the interface edits.
type Collection struct {
	Name            string   `yaml:"name"`
	Label           string   `yaml:"label"`
	LabelSingular   string   `yaml:"label_singular,omitempty"`
	Description     string   `yaml:"description,omitempty"`
	Folder          string   `yaml:"folder,omitempty"`
	Path            string   `yaml:"path,omitempty"`
	Files           []File   `yaml:"files,omitempty"`
	Create          bool     `yaml:"create,omitempty"`
	Delete          *bool    `yaml:"delete,omitempty"`
	Extension       string   `yaml:"extension,omitempty"`
	Format          string   `yaml:"format,omitempty"`
	Slug            string   `yaml:"slug,omitempty"`
	IdentifierField string   `yaml:"identifier_field,omitempty"`
	Summary         string   `yaml:"summary,omitempty"`
	SortableFields  []string `yaml:"sortable_fields,omitempty"`
	MediaFolder     *string  `yaml:"media_folder,omitempty"`
	PublicFolder    *string  `yaml:"public_folder,omitempty"`
	Fields          []Widget `yaml:"fields,omitempty"`
	Editor          Editor   `yaml:"editor"`
}

// Editor sets the editing screen; its preview pane is off, as the portal's look is not
// reproduced there.
type Editor struct {
	Preview bool `yaml:"preview"`
}

// File is one file of a files collection.
type File struct {
	Name         string   `yaml:"name"`
	Label        string   `yaml:"label"`
	File         string   `yaml:"file"`
	MediaFolder  *string  `yaml:"media_folder,omitempty"`
	PublicFolder *string  `yaml:"public_folder,omitempty"`
	Fields       []Widget `yaml:"fields"`
}

// Option is one choice of a select.
type Option struct {
	Label string `yaml:"label"`
	Value string `yaml:"value"`
}

// Widget is one field of a form.
type Widget struct {
	Name     string   `yaml:"name"`
	Label    string   `yaml:"label"`
	Widget   string   `yaml:"widget"`
	Required bool     `yaml:"required"`
	Hint     string   `yaml:"hint,omitempty"`
	Pattern  []string `yaml:"pattern,omitempty"`
	Options  []Option `yaml:"options,omitempty"`
	Multiple bool     `yaml:"multiple,omitempty"`
	// number
	ValueType string   `yaml:"value_type,omitempty"`
	Min       *float64 `yaml:"min,omitempty"`
	Max       *float64 `yaml:"max,omitempty"`
	Step      float64  `yaml:"step,omitempty"`
	// object and list
	Collapsed bool     `yaml:"collapsed,omitempty"`
	Fields    []Widget `yaml:"fields,omitempty"`
	Field     *Widget  `yaml:"field,omitempty"`
	Summary   string   `yaml:"summary,omitempty"`
	// relation
	Collection    string   `yaml:"collection,omitempty"`
	File          string   `yaml:"file,omitempty"`
	ValueField    string   `yaml:"value_field,omitempty"`
	SearchFields  []string `yaml:"search_fields,omitempty"`
	DisplayFields []string `yaml:"display_fields,omitempty"`
	OptionsLength int      `yaml:"options_length,omitempty"`
	// datetime
	Format     string `yaml:"format,omitempty"`
	DateFormat any    `yaml:"date_format,omitempty"`
	TimeFormat any    `yaml:"time_format,omitempty"`
	// markdown
	Buttons          []string  `yaml:"buttons,omitempty"`
	EditorComponents *[]string `yaml:"editor_components,omitempty"`
	Modes            []string  `yaml:"modes,omitempty"`
	// image
	ChooseURL    *bool         `yaml:"choose_url,omitempty"`
	MediaLibrary *MediaLibrary `yaml:"media_library,omitempty"`
}

// MediaLibrary limits uploads.
type MediaLibrary struct {
	MaxFileSize int `yaml:"max_file_size"`
}

// SocialNetworks are the keys an association's social map offers in the form.
var SocialNetworks = []string{"facebook", "instagram", "youtube", "x", "linkedin", "tiktok", "telegram", "whatsapp", "mastodon", "bluesky"}

// Collection names.
const (
	PortalCollection       = "portale"
	AssociationsCollection = "associazioni"
)

// ServicesCollection and EventsCollection name an association's collections.
func ServicesCollection(slug string) string { return "servizi-" + slug }

// EventsCollection names an association's events collection.
func EventsCollection(slug string) string { return "eventi-" + slug }

// Build derives the configuration from the catalogue: the portal file, the associations, and
// the services and events of each association, every field from the data contract's definitions.
func Build(cat *catalog.Catalog, o Options) Config {
	l := o.Labels
	branch := o.Branch
	if branch == "" {
		branch = "main"
	}
	c := Config{
		Backend:      Backend{Name: "github", Repo: cat.Portal.Repository, Branch: branch, OpenAuthoring: true, SquashMerges: true},
		PublishMode:  "editorial_workflow",
		LocalBackend: LocalBackendConfig{URL: o.LocalBackend, AllowedHosts: []string{"localhost", "127.0.0.1"}},
		Locale:       "it",
		SiteURL:      cat.Portal.BaseURL,
		DisplayURL:   cat.Portal.BaseURL,
		LogoURL:      "/favicon.svg",
		// Only logos are uploaded, and they go next to the file that names them (below); this
		// folder takes nothing.
		MediaFolder:  path.Join(o.DataDir, "associations"),
		PublicFolder: "",
		Slug:         Slug{Encoding: "ascii", CleanAccents: true, SanitizeReplacement: "-"},
	}
	m := &c.Backend.CommitMessages
	m.Create = "{{collection}}: nuova scheda «{{slug}}»"
	m.Update = "{{collection}}: aggiorna «{{slug}}»"
	m.Delete = "{{collection}}: elimina «{{slug}}»"
	m.UploadMedia = "Carica {{path}}"
	m.DeleteMedia = "Elimina {{path}}"
	m.OpenAuthoring = "{{message}} (proposta di {{author-login}})"

	noDelete := false
	here := "" // uploads go next to the file that names them: the Comune's logo into data/
	portalFile := path.Join(o.DataDir, "portal.yaml")
	c.Collections = append(c.Collections, Collection{
		Name: PortalCollection, Label: l.Portal, Description: l.PortalDescription, Delete: &noDelete,
		Files: []File{{Name: "portal", Label: l.Portal, File: portalFile, MediaFolder: &here, PublicFolder: &here,
			Fields: widgets(catalog.PortalSchema().Fields)}},
	})
	c.Collections = append(c.Collections, Collection{
		Name: AssociationsCollection, Label: l.Associations, LabelSingular: l.Association,
		Description: l.AssociationsDescription,
		Folder:      path.Join(o.DataDir, "associations"), Path: "{{slug}}/association",
		Create: true, Delete: &noDelete, Extension: "yaml", Format: "yaml",
		IdentifierField: "name", Summary: "{{name}}", SortableFields: []string{"name"},
		MediaFolder: &here, PublicFolder: &here,
		Fields: widgets(catalog.AssociationSchema().Fields),
	})
	for _, a := range cat.Associations {
		dir := path.Join(o.DataDir, "associations", a.Slug)
		c.Collections = append(c.Collections, Collection{
			Name: ServicesCollection(a.Slug), Label: fmt.Sprintf("%s · %s", l.Services, a.Name), LabelSingular: l.Service,
			Description: fmt.Sprintf("%s %s.", l.ServicesDescription, a.Name),
			Folder:      path.Join(dir, "services"), Create: true, Extension: "yaml", Format: "yaml",
			IdentifierField: "name", Summary: "{{name}}", SortableFields: []string{"name"},
			Fields: widgets(catalog.ServiceSchema().Fields),
		}, Collection{
			Name: EventsCollection(a.Slug), Label: fmt.Sprintf("%s · %s", l.Events, a.Name), LabelSingular: l.Event,
			Description: fmt.Sprintf("%s %s.", l.EventsDescription, a.Name),
			Folder:      path.Join(dir, "events"), Create: true, Extension: "yaml", Format: "yaml",
			IdentifierField: "title", Summary: "{{start}} · {{title}}", SortableFields: []string{"start", "title"},
			Fields: widgets(catalog.EventSchema().Fields),
		})
	}
	return c
}

// Marshal writes the configuration as YAML.
func (c Config) Marshal() ([]byte, error) {
	var b strings.Builder
	b.WriteString("# Generated by `go run ./generator build` from the data contract; do not edit.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("cms config: %w", err)
	}
	return []byte(b.String()), enc.Close()
}

func widgets(fields []catalog.Field) []Widget { return widgetsIn(fields, true) }

// widgetsIn maps the fields of an object. Inside an optional object the form asks for nothing:
// it cannot say "required once the object is filled in", so the validator alone says it.
func widgetsIn(fields []catalog.Field, present bool) []Widget {
	ws := make([]Widget, len(fields))
	for i, f := range fields {
		f.Required = f.Required && present
		ws[i] = widget(f)
	}
	return ws
}

func float(x float64) *float64 { return &x }

// widget maps one field of the data contract to the form's widget.
func widget(f catalog.Field) Widget {
	w := Widget{Name: f.Name, Label: f.Label, Required: f.Required, Hint: f.Help}
	if w.Label == "" {
		w.Label = f.Name
	}
	if r, ok := catalog.FieldRule(f); ok {
		w.Pattern = []string{r.Pattern, r.Message}
	}
	switch f.Type {
	case catalog.TypeString:
		w.Widget = "string"
		switch {
		case len(f.Enum) > 0:
			w.Widget = "select"
			for i, v := range f.Enum {
				w.Options = append(w.Options, Option{Label: f.Choices[i], Value: v})
			}
		case f.Format == catalog.FormatFile:
			no := false
			w.Widget, w.Pattern = "image", nil
			w.ChooseURL = &no
			w.MediaLibrary = &MediaLibrary{MaxFileSize: catalog.MaxLogoBytes}
		}
	case catalog.TypeMarkdown:
		w.Widget = "markdown"
		w.Buttons = []string{"bold", "italic", "link", "heading-three", "bulleted-list", "numbered-list", "quote"}
		w.EditorComponents = &[]string{}
		w.Modes = []string{"rich_text", "raw"}
	case catalog.TypeInt, catalog.TypeNumber:
		w.Widget, w.ValueType, w.Step = "number", "int", 1
		if f.Type == catalog.TypeNumber {
			w.ValueType, w.Step = "float", 0.000001
		}
		if f.HasRange {
			w.Min, w.Max = float(f.Min), float(f.Max)
		}
	case catalog.TypeBool:
		w.Widget = "boolean"
	case catalog.TypeDate:
		w.Widget, w.Format, w.DateFormat, w.TimeFormat = "datetime", "YYYY-MM-DD", "YYYY-MM-DD", false
	case catalog.TypeDateTime:
		w.Widget, w.Format, w.DateFormat, w.TimeFormat = "datetime", "YYYY-MM-DDTHH:mm", "YYYY-MM-DD", "HH:mm"
	case catalog.TypeMoment:
		// A date or a date and time, by all_day: a text field, checked as the user types.
		w.Widget = "string"
	case catalog.TypeObject:
		w.Widget, w.Fields, w.Collapsed = "object", widgetsIn(f.Fields, f.Required), !f.Required
	case catalog.TypeMap:
		// Free keys have no widget; the form offers the usual networks, each a web address.
		w.Widget, w.Collapsed = "object", true
		for _, n := range SocialNetworks {
			e := *f.Elem
			e.Name, e.Label, e.Help = n, n, "Indirizzo completo della pagina, esempio: https://www."+n+".com/associazione"
			w.Fields = append(w.Fields, widget(e))
		}
	case catalog.TypeList:
		listWidget(&w, f)
	}
	return w
}

func listWidget(w *Widget, f catalog.Field) {
	e := *f.Elem
	if e.Format == catalog.FormatCategory || e.Format == catalog.FormatAudience {
		// References to the portal's taxonomies: chosen from portal.yaml's lists.
		list := "categories"
		if e.Format == catalog.FormatAudience {
			list = "audiences"
		}
		w.Widget, w.Multiple, w.Pattern = "relation", true, nil
		w.Collection, w.File = PortalCollection, "portal"
		w.ValueField = list + ".*.id"
		w.SearchFields = []string{list + ".*.label"}
		w.DisplayFields = []string{list + ".*.label"}
		w.OptionsLength = 100
		if f.MinItems > 0 {
			w.Min = float(float64(f.MinItems))
		}
		return
	}
	w.Widget = "list"
	if f.MinItems > 0 {
		w.Min = float(float64(f.MinItems))
	}
	if e.Type == catalog.TypeObject {
		w.Fields = widgets(e.Fields)
		w.Collapsed = true
		if len(e.Fields) > 0 {
			w.Summary = "{{fields." + e.Fields[0].Name + "}}"
		}
		return
	}
	e.Name, e.Label, e.Required = "value", f.Label, true
	inner := widget(e)
	w.Field = &inner
}
