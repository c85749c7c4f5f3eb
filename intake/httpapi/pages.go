package httpapi

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/search"
)

//go:embed templates/page.html
var templates embed.FS

// Pages renders the intake's HTML pages: the form again with its errors, the thanks page and
// short notices. Everything from the citizen is escaped by html/template.
type Pages struct {
	catalog *intake.Catalog
	msg     Messages
	tmpl    *template.Template
}

// NewPages prepares the pages.
func NewPages(catalog *intake.Catalog, msg Messages) (*Pages, error) {
	funcs := template.FuncMap{
		"t":    func(key string) string { return msg.T(key) },
		"tn":   func(key string, n int) string { return msg.T(key, "Count", strconv.Itoa(n)) },
		"list": func(s ...string) []string { return s },
		"inputType": func(f string) string {
			return map[string]string{"email": "email", "phone": "tel"}[f] + map[bool]string{true: "text"}[f == "name"]
		},
		"ext":          func(name string) string { return strings.ToLower(path.Ext(name)) },
		"autocomplete": func(f string) string { return map[string]string{"name": "name", "email": "email", "phone": "tel"}[f] },
	}
	t, err := template.New("").Funcs(funcs).ParseFS(templates, "templates/page.html")
	if err != nil {
		return nil, err
	}
	return &Pages{catalog: catalog, msg: msg, tmpl: t}, nil
}

type fieldError struct{ Target, Message string }

type pageData struct {
	View        string
	Title       string
	Text        string
	Code        string
	Portal      intake.PortalInfo
	Catalog     *intake.Catalog
	Values      map[string]string
	Errors      map[string]string
	ErrorList   []fieldError
	Unavailable bool
	Prefilled   bool           // the form comes filled in from a link
	Query       string         // the words searched for
	Hits        []search.Entry // what they found
	Suggestion  string         // the words as the search read them, when it read some as others
}

// fieldOrder is the order of the fields on the form, for the error summary.
var fieldOrder = []string{"kind", "category", "service", "association", "message", "area", "name", "email", "phone", "contact_preference", "privacy"}

func (p *Pages) render(w http.ResponseWriter, status int, d pageData) {
	d.Portal = p.catalog.Portal
	d.Catalog = p.catalog
	if d.Values == nil {
		d.Values = map[string]string{}
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
	for _, k := range keys {
		target := "f-" + k
		switch k {
		case "kind":
			target = "f-kind-richiesta"
		case "contact_preference":
			target = "f-pref-email"
		}
		d.ErrorList = append(d.ErrorList, fieldError{Target: target, Message: d.Errors[k]})
	}
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, "page", d); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
