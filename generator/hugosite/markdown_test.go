package hugosite_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/hugosite"
	"go.yaml.in/yaml/v3"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

var layout = hugosite.Layout{SiteDir: filepath.Join("..", "..", "site"), ContentDir: filepath.Join("..", "..", "content")}

// build renders cat into a fresh directory and returns it.
func build(t *testing.T, cat *catalog.Catalog) (string, error) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	return out, hugosite.Build(context.Background(), cat, hugosite.Options{Layout: layout, Out: out, Now: now})
}

func page(t *testing.T, out, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	h1RE         = regexp.MustCompile(`<h1[ >]`)
	hrefSchemeRE = regexp.MustCompile(`(?i)(?:href|src)="([a-z][a-z0-9+.-]*):`)
	idRE         = regexp.MustCompile(` id="([^"]*)"`)
	remoteSrcRE  = regexp.MustCompile(`(?i)<(?:img|iframe|script|video|audio|source)[^>]*src="(?:[a-z][a-z0-9+.-]*:|//)`)
)

// publishedProblems says what a page made from data must never contain: a second h1, an address
// with a scheme other than the web's, e-mail's, phone's and calendars', anything loaded from
// another host, an id given twice.
// widgetPreviewRE is the portal's own frame on an association's page, in any language: the
// preview of its widget.
var widgetPreviewRE = regexp.MustCompile(`<iframe class="widget-preview" src="(?:/[a-z-]+)?/widget/associazioni/[a-z0-9-]+/" `)

func publishedProblems(html string) []string {
	var out []string
	if n := len(h1RE.FindAllString(html, -1)); n != 1 {
		out = append(out, "got "+strings.Repeat("h1 ", n)+"want one h1")
	}
	for _, m := range hrefSchemeRE.FindAllStringSubmatch(html, -1) {
		// webcal: is the portal's own link to subscribe to a calendar.
		if s := strings.ToLower(m[1]); s != "https" && s != "http" && s != "mailto" && s != "tel" && s != "webcal" {
			out = append(out, "got an address "+m[0]+", want only https, http, mailto, tel and webcal")
		}
	}
	if m := remoteSrcRE.FindString(html); m != "" {
		out = append(out, "got "+m+", want nothing loaded from another host")
	}
	if strings.Contains(widgetPreviewRE.ReplaceAllString(html, ""), "<iframe") {
		out = append(out, "got an iframe, want none but the preview of the portal's own widget")
	}
	seen := map[string]bool{}
	for _, m := range idRE.FindAllStringSubmatch(html, -1) {
		if seen[m[1]] {
			out = append(out, "got id "+m[1]+" twice, want each id once")
		}
		seen[m[1]] = true
	}
	return out
}

// TestMarkdownFromDataIsMarkdownOnly renders hostile Markdown straight into pages, without
// validate in between: the templates alone keep shortcodes inert, links to the web, e-mail and
// phone, images on the portal and one h1 per page.
func TestMarkdownFromDataIsMarkdownOnly(t *testing.T) {
	cat, ps := catalog.LoadDir(filepath.Join("..", "catalog", "testdata", "base"), now)
	if len(ps) != 0 {
		t.Fatal(ps.Error())
	}
	a := cat.Associations[0]
	a.Description = "Si scrive {{< come >}} e {{% quando %}} e {{< youtube abc >}}, anche `{{< in codice >}}`.\n\n" +
		"# Titolo\n\n## Sottotitolo\n\n###### Ultimo\n\nNota[^1]\n\n[^1]: la nota.\n"
	a.History = "[uno](java%0ascript:alert(1)) [due](&#106;avascript:alert(2)) [tre](<java\tscript:alert(3)>) " +
		"<javascript:alert(4)> [cinque](data:text/html,x) [sei](https://example.org/{{<x>}}) [sette](mailto:a@example.org) " +
		"![otto](https://evil.example/x.png) ![nove](\\/\\/evil.example/y.png) ![dieci](data:image/png;base64,AA) ![undici](/favicon.svg)\n" +
		"Storia[^1]\n\n[^1]: la nota della storia.\n"
	a.Services[0].Description = "```\n{{< youtube abc >}}\n```\n\n```go {linenos=true}\nx := 1\n```\n\n```x {a b}\ny\n```\n"
	out, err := build(t, cat)
	if err != nil {
		t.Fatalf("build: got %v, want the page built", err)
	}

	assoc := page(t, out, "associazioni/alfa/index.html")
	for _, p := range publishedProblems(assoc) {
		t.Errorf("association page: %s", p)
	}
	for _, want := range []string{
		"Si scrive {{&lt; come &gt;}} e {{% quando %}} e {{&lt; youtube abc &gt;}}, anche <code>{{&lt; in codice &gt;}}</code>.",
		"<h2>Titolo</h2>", "<h3>Sottotitolo</h3>", "<h6>Ultimo</h6>",
		"uno due tre", `<a href="https://example.org/%7b%7b%3cx%3e%7d%7d">sei</a>`, `<a href="mailto:a@example.org">sette</a>`,
		"otto nove dieci", `<img src="/favicon.svg" alt="undici">`,
	} {
		if !strings.Contains(assoc, want) {
			t.Errorf("association page: want %q in it", want)
		}
	}
	if strings.Contains(assoc, "\ufdd0") {
		t.Errorf("association page: got the shortcode mark U+FDD0 in it, want it taken out")
	}
	svc := page(t, out, "servizi/alfa/trasporto/index.html")
	if !strings.Contains(svc, "<code>{{&lt; youtube abc &gt;}}\n</code>") {
		t.Errorf("service page: want the code block with the shortcode as text in it")
	}
	// Hand-written pages keep their headings and anchors.
	if privacy := page(t, out, "privacy/index.html"); !strings.Contains(privacy, `<h2 id="titolare-del-trattamento">Titolare del trattamento</h2>`) {
		t.Errorf("privacy page: want its h2 with its id, as written")
	}
}

// FuzzValidatedDataBuilds puts field values into the base fixture, in Italian and in the texts'
// translations (people's in English, a program's in Arabic): whatever validate accepts must build,
// and the pages of every language shown must hold nothing publishedProblems refuses.
func FuzzValidatedDataBuilds(f *testing.F) {
	for _, seed := range []struct{ markdown, text string }{
		{"Fa **cose** utili.", "Associazione Alfa"},
		{"Fa {{< come >}} cose.", "{{< come >}}"},
		{"[x](java%0ascript:x)", "Nome"},
		{"Video {{< youtube abc >}}", "{{% youtube abc %}}"},
		{"{{</* commento */>}} {{< figure src=\"https://evil.example/x.png\" >}}", "{{"},
		{"# Titolo\n\nTesto.", "# Titolo"},
		{"![foto](https://evil.example/x.png)", "Nome"},
		{"[a](&#106;avascript:alert(1)) <javascript:alert(1)>", "Nome"},
		{"```\n{{< x >}}\n```\n\n    {{% y %}}\n\n`{{< z >}}`", "Nome"},
		{"[a](<{{< x >}}>) ![b](<{{%y%}}>) [c]: {{<x>}}\n\n[c]", "Nome"},
		{"{{{{<<>>}}}} {{,x}} {{%%}}", "}}{{"},
		{"| a | {{< b >}} |\n|---|---|\n| [c](tel:1) | d |", "Nome"},
		{"Nota[^1]\n\n[^1]: {{< nota >}}", "Nome"},
		{"Nota[^1]\n\n[^1]: [^1]", "Nome"},
		{"<script>alert(1)</script>\n\n<iframe src=\"https://evil.example\"></iframe>", "<b>Nome</b>"},
		{"www.example.org/{{<x>}} e https://example.org/\ufdd0", "Nome\ufdd0"},
		{"```{{<x>}}\ncodice\n```\n\n```goat\n+--{{<x>}}--+\n```\n\n```html\n<script>{{% y %}}</script>\n```", "Nome"},
		{"```goat\n.-+-.  o--*\n|'|`| /  \\\n'-+-' v  ^\n```", "Nome"},
		{"[a](/x \"{{< t >}}\") ![b](/favicon.svg '{{% u %}}') &#123;&#123;< v >}}", "Nome"},
	} {
		f.Add(seed.markdown, seed.text)
	}
	base := filepath.Join("..", "catalog", "testdata", "base")
	f.Fuzz(func(t *testing.T, markdown, text string) {
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
			t.Fatal(err)
		}
		alfa := filepath.Join(dir, "associations", "alfa")
		translated := func(title string) map[string]any {
			return map[string]any{
				"translations":         map[string]any{"en": map[string]any{title: text, "summary": text, "description": markdown}},
				"machine_translations": map[string]any{"ar": map[string]any{title: text, "description": markdown}},
			}
		}
		files := map[string]map[string]any{
			"association.yaml": {"name": text, "summary": text, "description": markdown, "history": markdown,
				"categories": []string{"salute"}, "contacts": map[string]any{"email": "alfa@example.org"}},
			"services/trasporto.yaml": {"name": text, "summary": text, "categories": []string{"salute"},
				"description": markdown, "how_to_access": markdown},
			"events/incontro.yaml": {"title": text, "summary": text, "description": markdown,
				"start": "2026-12-05T15:30", "end": "2026-12-05T18:00"},
		}
		for name, fields := range files {
			title := "name"
			if name == "events/incontro.yaml" {
				title = "title"
			}
			maps.Copy(fields, translated(title))
			b, err := yaml.Marshal(fields)
			if err != nil {
				t.Skip("not expressible in YAML")
			}
			if err := os.WriteFile(filepath.Join(alfa, filepath.FromSlash(name)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cat, ps := catalog.LoadDir(dir, now)
		if len(ps.Errors()) > 0 {
			return // refused by validate: nothing to build
		}
		out, err := build(t, cat)
		if err != nil {
			t.Fatalf("validate accepted markdown %q and text %q, build failed: %v", markdown, text, err)
		}
		for _, lang := range []string{"", "en/", "ar/"} {
			for _, path := range []string{"associazioni/alfa/index.html", "servizi/alfa/trasporto/index.html", "eventi/alfa/incontro/index.html"} {
				for _, p := range publishedProblems(page(t, out, lang+path)) {
					t.Errorf("markdown %q, text %q: %s: %s", markdown, text, lang+path, p)
				}
			}
		}
	})
}
