package httpapi

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/search"
	"github.com/shaps-portal/shaps/site"
	"github.com/shaps-portal/shaps/site/routes"
)

//go:embed templates/page.html
var templates embed.FS

// framePartials are the site's partials the intake's pages are made of, the same files the
// portal's pages are rendered from.
var framePartials = []string{"assets.html", "header.html", "footer.html", "breadcrumb-trail.html", "request-form.html"}

// Pages renders the intake's HTML pages: the form again with its errors, the thanks page, the
// search and short notices, inside the portal's frame, in each of the portal's languages.
// Everything from the citizen is escaped by html/template. The texts are read when first needed
// and the frame and the templates made on the first page rendered, so that a function's start,
// answering JSON, does not wait for them.
type Pages struct {
	catalog *intake.Catalog
	italian func() (Messages, error)   // the reference texts, read on first use
	made    func() (*madePages, error) // the frame and the templates, made on first use
	langs   map[string]*pageLanguage   // by code; each language's texts read on first use
	order   []string                   // the languages' codes, in the switcher's order
}

// madePages is what rendering needs beside the texts, made once and never changed after.
type madePages struct {
	frame  any // the page frame as the partials read it
	form   any // the form's choices as the partial reads them
	script any
	// tmpl is never executed: each language's templates are a copy of it, made when a page in
	// the language is first written (html/template copies only a template not yet executed).
	tmpl *template.Template
}

// pageLanguage is what the pages need of one language: its texts, read from the site on first
// use, and the templates that write them.
type pageLanguage struct {
	lang  site.Language
	data  any             // the language as the frame's partials read it
	texts func() Messages // its texts, Italian where its file lacks one
	// tmpl is the pages' templates writing its texts, made on first use: only executed, never
	// changed once made.
	tmpl func() (*template.Template, error)
}

// NewPages prepares the pages from the site in siteFS (its texts, its partials and the sources
// of its stylesheet and script), with the same data the portal's pages get. Nothing is read yet:
// the texts when first needed, the frame and the templates on the first page rendered.
func NewPages(cat *intake.Catalog, siteFS fs.FS) *Pages {
	p := &Pages{catalog: cat, langs: map[string]*pageLanguage{}}
	p.italian = sync.OnceValues(func() (Messages, error) { return LoadMessages(siteFS) })
	p.made = sync.OnceValues(func() (*madePages, error) { return makePages(cat, siteFS) })
	italian := func() Messages {
		m, err := p.italian()
		if err != nil {
			return Messages{} // a text is shown by its key; Check reports why at start
		}
		return m
	}
	for _, l := range site.Languages() {
		pl := &pageLanguage{lang: l, data: languageData(l), texts: italian}
		if l.Code != site.DefaultLanguage {
			// A language whose file cannot be read speaks Italian rather than fail a citizen's
			// page; the site's tests hold every file readable and complete.
			pl.texts = sync.OnceValue(func() Messages {
				m, err := LoadLanguage(siteFS, l.Code, italian())
				if err != nil {
					return italian()
				}
				return m
			})
		}
		pl.tmpl = sync.OnceValues(func() (*template.Template, error) {
			m, err := p.made()
			if err != nil {
				return nil, err
			}
			c, err := m.tmpl.Clone()
			if err != nil {
				return nil, fmt.Errorf("pages in %s: %w", l.Code, err)
			}
			return c.Funcs(textFuncs(pl.texts)), nil
		})
		p.langs[l.Code] = pl
		p.order = append(p.order, l.Code)
	}
	return p
}

// Check reads the Italian texts and makes the frame and the templates now, and says what keeps
// them from being made.
func (p *Pages) Check() error {
	if _, err := p.italian(); err != nil {
		return err
	}
	_, err := p.made()
	return err
}

// languageData is a language as the frame's partials read it: the keys of its JSON form.
func languageData(l site.Language) any {
	d, err := asTemplateData(l)
	if err != nil { // a Language always encodes; its code alone keeps the page in its language
		return map[string]any{"code": l.Code}
	}
	return d
}

// makePages makes the frame and the templates of the pages.
func makePages(cat *intake.Catalog, siteFS fs.FS) (*madePages, error) {
	frame, err := site.NewFrame(siteFS, portal(cat.Portal))
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	pg := &madePages{}
	if pg.frame, err = asTemplateData(frame); err != nil {
		return nil, err
	}
	if pg.form, err = asTemplateData(newForm(cat)); err != nil {
		return nil, err
	}
	pg.script = pg.frame.(map[string]any)["script"]
	t, err := template.New("").Funcs(textFuncs(func() Messages { return Messages{} })).ParseFS(templates, "templates/page.html")
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

// textFuncs are the templates' functions that write texts, from those texts gives.
func textFuncs(texts func() Messages) template.FuncMap {
	return template.FuncMap{
		// The two functions the shared partials take from Hugo, with Hugo's meaning.
		"i18n": func(key string, count ...int) string {
			if len(count) > 0 {
				return texts().T(key, "Count", fmt.Sprint(count[0]))
			}
			return texts().T(key)
		},
		"slice": func(v ...any) []any { return v },
		// The intake's own.
		"days":      func(n int) string { return texts().T("status_response_days", "Days", fmt.Sprint(n)) },
		"shortDate": shortDate,
	}
}

// language is the language of code, or Italian's.
func (p *Pages) language(code string) *pageLanguage {
	if l, ok := p.langs[code]; ok {
		return l
	}
	return p.langs[site.DefaultLanguage]
}

// Texts are the texts of the language whose code is code: Italian for a code the portal does
// not have.
func (p *Pages) Texts(code string) Messages { return p.language(code).texts() }

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
	// Lang is the code of the page's language; Page is its path in Italian (routes.Status…),
	// and Params what its address in each language keeps, for the language switcher. Home is the
	// address of the language's home page, the start of its links.
	Lang   string
	Page   string
	Params url.Values
	Home   string
	View   string
	Title  string
	Text   string
	Code   string
	Frame  any
	// FrameContext is what the frame's partials (assets, header, footer) are given.
	FrameContext any
	Form         map[string]any // the request form's partial's context
	Values       map[string]string
	Errors       map[string]string
	Unavailable  bool
	Prefilled    bool            // the form comes filled in from a link
	Query        string          // the words searched for
	Hits         []hit           // what they found
	Suggestion   string          // the words as the search read them, when it read some as others
	Categories   []intake.Option // the portal's categories, proposed when a search finds nothing
	Key          string          // the request's key, on the thanks page
	StatusURL    string          // the request's status page
	Status       *statusView     // a request's status
	Days         int             // portal.yaml's response_days
	Answer       *answerView     // an association's answer to confirm
	Problems     []string        // why a page's rating was not taken
	Back         string          // the rated page, to go back to
}

// hit is a search result as the page of a language shows it: the title and the summary in that
// language (people's translation, else a program's, marked, else the Italian original, with its
// own lang), the link to its page in that language.
type hit struct {
	search.Entry
	TitleTag, SummaryTag string // the text's language tag, when it is not the page's
	Machine              bool   // the title or the summary is a program's translation
}

// hitsIn shows entries on the page in the language lang.
func hitsIn(lang site.Language, entries []search.Entry) []hit {
	out := make([]hit, 0, len(entries))
	for _, e := range entries {
		h := hit{Entry: e}
		if texts, ok := e.Texts[lang.Code]; ok && lang.Code != site.DefaultLanguage {
			h.URL = strings.TrimSuffix(lang.Home(), "/") + e.URL
			for _, f := range []struct {
				name string
				text *string
				tag  *string
			}{{"title", &h.Title, &h.TitleTag}, {"summary", &h.Summary, &h.SummaryTag}} {
				t, ok := texts[f.name]
				if !ok || t.Text == "" {
					continue
				}
				*f.text = t.Text
				if t.Tag != lang.Tag {
					*f.tag = t.Tag
				}
				h.Machine = h.Machine || t.Machine
			}
		}
		out = append(out, h)
	}
	return out
}

// Trail is the page's breadcrumb as the partial breadcrumb-trail.html reads it: the home page,
// then the page itself.
func (d pageData) Trail() map[string]any {
	return map[string]any{"home": d.Home, "links": nil, "current": d.Title}
}

// alternates are the page in each language, for the language switcher: the same page with the
// same address's parameters, or, for a page that has no address of its own (a form sent back
// with its errors, a notice), the request form in each language. A page in Italian only (an
// association's answer) has none but its own, and no switcher.
func (p *Pages) alternates(d pageData) []map[string]any {
	page, query := d.Page, ""
	if rt, ok := routes.Match(page); ok && rt.Lang == "" {
		l := p.language(d.Lang).lang
		return []map[string]any{{"code": l.Code, "tag": l.Tag, "name": l.Name, "url": page, "current": true}}
	}
	if page == "" {
		page = routes.Form
	} else if len(d.Params) > 0 {
		query = "?" + d.Params.Encode()
	}
	out := make([]map[string]any, 0, len(p.order))
	for _, code := range p.order {
		l := p.langs[code].lang
		out = append(out, map[string]any{"code": l.Code, "tag": l.Tag, "name": l.Name,
			"url": routes.InLanguage(l.Code, page) + query, "current": l.Code == d.Lang})
	}
	return out
}

// fieldOrder is the order of the fields on the form, for the error summary.
var fieldOrder = []string{"kind", "category", "service", "association", "message", "area", "name", "email", "phone", "contact_preference", "privacy"}

func (p *Pages) render(w http.ResponseWriter, status int, d pageData) {
	pl := p.language(d.Lang)
	m, err := p.made()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	d.Lang, d.Home = pl.lang.Code, pl.lang.Home()
	d.Frame = m.frame
	d.FrameContext = map[string]any{"frame": m.frame, "lang": pl.data, "alternates": p.alternates(d)}
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
	d.Form = map[string]any{"form": m.form, "script": m.script, "values": d.Values, "errors": d.Errors, "error_list": list,
		"lang": d.Lang, "home": d.Home}
	tmpl, err := pl.tmpl()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "page", d); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
