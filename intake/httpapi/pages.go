package httpapi

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"sort"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/search"
	"github.com/shaps-portal/shaps/site"
)

//go:embed templates/page.html
var templates embed.FS

// framePartials are the site's partials the intake's pages are made of, the same files the
// portal's pages are rendered from.
var framePartials = []string{"assets.html", "header.html", "footer.html", "breadcrumb-trail.html", "request-form.html"}

// Pages renders the intake's HTML pages: the form again with its errors, the thanks page, the
// search and short notices, inside the portal's frame. Everything from the citizen is escaped by
// html/template.
type Pages struct {
	catalog *intake.Catalog
	msg     Messages
	tmpl    *template.Template // only executed, never changed once parsed
	frame   any                // the page frame as the partials read it
	context any                // the frame's partials' context: the frame, Italian, no other language yet
	form    any                // the form's choices as the partial reads them
	script  any
}

// NewPages prepares the pages from the site in siteFS (its partials and the sources of its
// stylesheet and script), with the same data the portal's pages get.
func NewPages(cat *intake.Catalog, msg Messages, siteFS fs.FS) (*Pages, error) {
	frame, err := site.NewFrame(siteFS, portal(cat.Portal))
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	pg := &Pages{catalog: cat, msg: msg}
	if pg.frame, err = asTemplateData(frame); err != nil {
		return nil, err
	}
	if pg.form, err = asTemplateData(newForm(cat)); err != nil {
		return nil, err
	}
	pg.script = pg.frame.(map[string]any)["script"]
	it, _ := site.LanguageByCode(site.DefaultLanguage)
	if pg.context, err = asTemplateData(site.FrameContext{Frame: frame, Lang: it, Alternates: []site.Alternate{}}); err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		// The two functions the shared partials take from Hugo, with Hugo's meaning.
		"i18n": func(key string, count ...int) string {
			if len(count) > 0 {
				return msg.T(key, "Count", fmt.Sprint(count[0]))
			}
			return msg.T(key)
		},
		"slice": func(v ...any) []any { return v },
		// The intake's own.
		"days":      func(n int) string { return msg.T("status_response_days", "Days", fmt.Sprint(n)) },
		"shortDate": shortDate,
	}
	t, err := template.New("").Funcs(funcs).ParseFS(templates, "templates/page.html")
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	for _, name := range framePartials {
		b, err := fs.ReadFile(siteFS, "layouts/_partials/"+name)
		if err != nil {
			return nil, fmt.Errorf("pages: %w", err)
		}
		if _, err := t.New(name).Parse(string(b)); err != nil {
			return nil, fmt.Errorf("pages: %w", err)
		}
	}
	pg.tmpl = t
	return pg, nil
}

// portal is what the frame needs of portal.yaml.
func portal(p intake.PortalInfo) catalog.Portal {
	return catalog.Portal{Name: p.Name, Municipality: p.Municipality, Logo: p.Logo, Color: p.Color, Contact: p.Contact,
		AccessibilityStatementURL: p.AccessibilityStatementURL, Areas: p.Areas}
}

// newForm lists the form's choices as the portal's build does.
func newForm(c *intake.Catalog) site.Form {
	f := site.Form{Categories: []site.Choice{}, Associations: []site.Choice{}, Areas: c.Portal.Areas}
	for _, o := range c.Categories {
		f.Categories = append(f.Categories, site.Choice{Value: o.Value, Label: o.Label})
	}
	for _, a := range c.Associations {
		ac := site.Choice{Value: a.Value, Label: a.Label}
		for _, s := range a.Children {
			sc := site.Choice{Value: s.Value, Label: s.Label}
			if len(s.Categories) > 0 {
				sc.Category = s.Categories[0]
			}
			ac.Services = append(ac.Services, sc)
		}
		f.Associations = append(f.Associations, ac)
	}
	return f
}

// asTemplateData turns v into what Hugo makes of it in shaps.json: maps keyed by its JSON names.
func asTemplateData(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	var d any
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	return d, nil
}

type pageData struct {
	View  string
	Title string
	Text  string
	Code  string
	Frame any
	// FrameContext is what the frame's partials (assets, header, footer) are given.
	FrameContext any
	Form         map[string]any // the request form's partial's context
	Values       map[string]string
	Errors       map[string]string
	Unavailable  bool
	Prefilled    bool            // the form comes filled in from a link
	Query        string          // the words searched for
	Hits         []search.Entry  // what they found
	Suggestion   string          // the words as the search read them, when it read some as others
	Categories   []intake.Option // the portal's categories, proposed when a search finds nothing
	Key          string          // the request's key, on the thanks page
	StatusURL    string          // the request's status page
	Status       *statusView     // a request's status
	Days         int             // portal.yaml's response_days
	Answer       *answerView     // an association's answer to confirm
}

// Trail is the page's breadcrumb as the partial breadcrumb-trail.html reads it: the home page,
// then the page itself.
func (d pageData) Trail() map[string]any {
	return map[string]any{"links": nil, "current": d.Title}
}

// fieldOrder is the order of the fields on the form, for the error summary.
var fieldOrder = []string{"kind", "category", "service", "association", "message", "area", "name", "email", "phone", "contact_preference", "privacy"}

func (p *Pages) render(w http.ResponseWriter, status int, d pageData) {
	d.Frame = p.frame
	d.FrameContext = p.context
	d.Days = p.catalog.Portal.ResponseDays
	d.Categories = p.catalog.Categories
	if d.Values == nil {
		d.Values = map[string]string{}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	keys := make([]string, 0, len(d.Errors))
	for k := range d.Errors {
		keys = append(keys, k)
	}
	rank := map[string]int{}
	for i, f := range fieldOrder {
		rank[f] = i
	}
	sort.Slice(keys, func(i, j int) bool { return rank[keys[i]] < rank[keys[j]] })
	var list []map[string]string
	for _, k := range keys {
		target := "f-" + k
		switch k {
		case "kind":
			target = "f-kind-richiesta"
		case "contact_preference":
			target = "f-pref-email"
		}
		list = append(list, map[string]string{"target": target, "message": d.Errors[k]})
	}
	d.Form = map[string]any{"form": p.form, "script": p.script, "values": d.Values, "errors": d.Errors, "error_list": list}
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, "page", d); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
