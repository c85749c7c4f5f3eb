package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/hugosite"
	"github.com/shaps-portal/shaps/site/routes"
	"golang.org/x/net/html"
)

// checkWidgetLinks: every link of a widget opens the portal in the whole window, and one leads
// to the portal's home.
func checkWidgetLinks(t *testing.T, rel string, doc *html.Node) {
	t.Helper()
	home := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			if attr["target"] != "_top" || !strings.HasPrefix(attr["href"], "/") || strings.HasPrefix(attr["href"], "//") {
				t.Errorf("%s: link %q with target %q, want a path of the portal opened with target=_top", rel, attr["href"], attr["target"])
			}
			home = home || attr["href"] == languageOf(filepath.ToSlash(rel)).Home()
		}
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "form" || n.Data == "iframe") {
			t.Errorf("%s: has a <%s>, want none in a widget", rel, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !home {
		t.Errorf("%s: no link to the portal's home", rel)
	}
}

var (
	widgetSection = regexp.MustCompile(`<section aria-labelledby="w-(events|services)">`)
	widgetItem    = regexp.MustCompile(`<li><a href="(/(?:eventi|servizi)/[^"]+)" target="_top">`)
)

// TestWidgets: every association and every category has its widget in every form, each showing
// what its form says (the upcoming events, the services, or either, light or dark), the same
// items as the portal's page of it, and none is in the sitemap; the association's and the
// category's pages offer the code to copy, its preview and the Atom feed.
func TestWidgets(t *testing.T) {
	out := buildSite(t, "../data")
	cat, _ := catalog.LoadDir("../data", testNow())
	sitemap := readFile(t, filepath.Join(out, "sitemap.xml"))
	if strings.Contains(sitemap, "/widget/") {
		t.Errorf("the sitemap lists widgets, which repeat the portal's pages")
	}
	if _, err := os.Stat(filepath.Join(out, "widget", "index.html")); err == nil {
		t.Errorf("/widget/ has a page of its own, want only the widgets under it")
	}
	type owner struct{ widget, page, atom, name string }
	var owners []owner
	for _, a := range cat.Associations {
		owners = append(owners, owner{"widget/associazioni/" + a.Slug + "/", "associazioni/" + a.Slug + "/", "/associazioni/" + a.Slug + "/eventi.atom", a.Name})
	}
	for _, c := range cat.Portal.Categories {
		owners = append(owners, owner{"widget/categorie/" + c.ID + "/", "categorie/" + c.ID + "/", "/categorie/" + c.ID + "/eventi.atom", c.Label})
	}
	variants := hugosite.WidgetVariants()
	if len(variants) < 4 {
		t.Fatalf("got %d forms of the widgets, want at least events and services, light and dark", len(variants))
	}
	text, err := readLabels("../site/i18n/it.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]bool{}
	for _, v := range variants {
		if text.get(v.Label) == "" {
			t.Errorf("the form %q has no name %q in it.yaml", v.Path, v.Label)
		}
		if paths[v.Path] || (v.Path != "" && !strings.HasSuffix(v.Path, "/")) || (!v.Events && !v.Services) {
			t.Errorf("the form %q: want a path of its own ending in /, showing something", v.Path)
		}
		paths[v.Path] = true
	}
	framedEvents := 0
	for _, o := range owners {
		page := readFile(t, filepath.Join(out, o.page, "index.html"))
		for _, want := range []string{
			`<textarea id="widget-code" readonly`,
			fmt.Sprintf(`&lt;iframe src=&#34;%s%s&#34;`, cat.Portal.BaseURL, o.widget),
			fmt.Sprintf(`<iframe class="widget-preview" src="/%s"`, o.widget),
			fmt.Sprintf(`<link rel="alternate" type="application/atom+xml" title="Prossimi eventi (feed Atom)" href="%s">`, o.atom),
		} {
			if !strings.Contains(page, want) {
				t.Errorf("/%s: lacks %s", o.page, want)
			}
		}
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(o.atom))); err != nil {
			t.Errorf("/%s links %s, which is not built: %v", o.page, o.atom, err)
		}
		for _, v := range variants {
			path := o.widget + v.Path
			if !strings.Contains(page, cat.Portal.BaseURL+path) {
				t.Errorf("/%s: does not offer the form %s (%s)", o.page, path, v.Label)
			}
			w := readFile(t, filepath.Join(out, filepath.FromSlash(path), "index.html"))
			var sections []string
			for _, m := range widgetSection.FindAllStringSubmatch(w, -1) {
				sections = append(sections, m[1])
			}
			var want []string
			if v.Events {
				want = append(want, "events")
			}
			if v.Services {
				want = append(want, "services")
			}
			if strings.Join(sections, " ") != strings.Join(want, " ") {
				t.Errorf("/%s: got sections %v, want %v", path, sections, want)
			}
			if dark := strings.Contains(w, `<html lang="it" dir="ltr" class="scuro">`); dark != v.Dark {
				t.Errorf("/%s: dark %v, want %v", path, dark, v.Dark)
			}
			if !strings.Contains(w, "<h1><a href=\"/"+o.page+"\" target=\"_top\">") || !strings.Contains(w, `<meta name="robots" content="noindex">`) {
				t.Errorf("/%s: want an h1 linking to /%s and noindex", path, o.page)
			}
			// The items are the first of the portal's own page, in its order.
			var items []string
			for _, m := range widgetItem.FindAllStringSubmatch(w, -1) {
				items = append(items, m[1])
			}
			for _, it := range items {
				if !strings.Contains(page, `href="`+it+`"`) {
					t.Errorf("/%s: shows %s, which /%s does not list", path, it, o.page)
				}
				if strings.HasPrefix(it, "/eventi/") {
					framedEvents++
				}
			}
		}
	}
	if framedEvents == 0 {
		t.Errorf("no widget shows any event")
	}
}

// TestWidgetHeaders: serve gives the widgets, the pages and the feeds the headers netlify.toml
// gives them: only the widgets may be framed by another site, the portal's pages may frame its
// widgets and nothing else, and the Atom feeds are served as Atom.
func TestWidgetHeaders(t *testing.T) {
	out := buildSite(t, "../data")
	srv := portalServer(t, out)
	tests := []struct {
		path, ancestors, contentType string
	}{
		{"/widget/associazioni/la-rondine/", routes.WidgetAncestors, "text/html; charset=utf-8"},
		{"/widget/associazioni/la-rondine/eventi/scuro/", routes.WidgetAncestors, "text/html; charset=utf-8"},
		{"/widget/categorie/salute/servizi/", routes.WidgetAncestors, "text/html; charset=utf-8"},
		{"/associazioni/la-rondine/", "'none'", "text/html; charset=utf-8"},
		{"/categorie/salute/", "'none'", "text/html; charset=utf-8"},
		{"/", "'none'", "text/html; charset=utf-8"},
		{"/associazioni/la-rondine/eventi.atom", "'none'", "application/atom+xml; charset=utf-8"},
		{"/categorie/salute/eventi.atom", "'none'", "application/atom+xml; charset=utf-8"},
		{"/associazioni/la-rondine/calendario.ics", "'none'", "text/calendar; charset=utf-8"},
		{"/cerca/?q=spesa", "'none'", "text/html; charset=utf-8"},
	}
	for _, tt := range tests {
		resp, err := http.Get(srv + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d, want 200", tt.path, resp.StatusCode)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if got := directive(csp, "frame-ancestors"); got != tt.ancestors {
			t.Errorf("serve %s: frame-ancestors %q, want %q", tt.path, got, tt.ancestors)
		}
		if got := resp.Header.Get("Content-Type"); got != tt.contentType {
			t.Errorf("serve %s: Content-Type %q, want %q", tt.path, got, tt.contentType)
		}
		if strings.Contains(tt.path, "?") {
			continue // the intake's: netlify.toml's header rules do not reach it
		}
		for k, v := range netlifyHeaders(t, tt.path) {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("serve %s: header %s is %q, want %q as in netlify.toml", tt.path, k, got, v)
			}
		}
		if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("serve %s: sets cookies %v, want none", tt.path, c)
		}
	}
	page, err := http.Get(srv + "/associazioni/la-rondine/")
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	if got := directive(page.Header.Get("Content-Security-Policy"), "frame-src"); got != "'self'" {
		t.Errorf("a portal page's frame-src %q, want 'self', for the widget's preview", got)
	}
}

// directive is the source list of a policy's directive.
func directive(policy, name string) string {
	for _, d := range strings.Split(policy, ";") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(d), name+" "); ok {
			return rest
		}
	}
	return ""
}

// TestWidgetFramedByAnotherSite: in Chromium, with the pages' policies enforced, a page of
// another origin (another port of 127.0.0.1) shows an association's and a category's widgets in
// its iframes, every link of them opening the whole window, and a link followed in the widget
// opens the portal's page at the top; the same page framing a normal page of the portal is
// refused.
func TestWidgetFramedByAnotherSite(t *testing.T) {
	out := buildSite(t, "../data")
	base := portalServer(t, out)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="it"><head><title>Il sito di un'associazione</title></head><body>
<h1>Il sito di un'associazione</h1>
<iframe id="widget" title="widget" src="%[1]s/widget/associazioni/la-rondine/eventi/" width="400" height="500"></iframe>
<iframe id="categoria" title="categoria" src="%[1]s/widget/categorie/salute/scuro/" width="400" height="500"></iframe>
<iframe id="pagina" title="pagina" src="%[1]s/associazioni/la-rondine/" width="400" height="500"></iframe>
</body></html>`, base)
	}))
	defer other.Close()
	if !strings.HasPrefix(other.URL, "http://127.0.0.1:") || other.URL == base {
		t.Fatalf("the other site %s: want another origin on 127.0.0.1 than the portal's %s", other.URL, base)
	}
	r := runBrowser(t, "framing", base, "", "SHAPS_OTHER="+other.URL+"/", "SHAPS_CLICK=widget")
	f := r.Framing
	for id, want := range map[string]string{"widget": "La Rondine cooperativa sociale", "categoria": "Salute e benessere"} {
		fr := f.Frames[id]
		if fr.H1 != want {
			t.Errorf("the other site's %s frame: got h1 %q at %q, want %q: the widget was not shown", id, fr.H1, fr.URL, want)
		}
		if len(fr.Links) == 0 {
			t.Errorf("the other site's %s frame: no links", id)
		}
		for _, target := range fr.Links {
			if target != "_top" {
				t.Errorf("the other site's %s frame: a link with target %q, want _top", id, target)
			}
		}
	}
	// Chromium shows its own error page in place of a refused frame.
	if fr := f.Frames["pagina"]; strings.Contains(fr.H1, "La Rondine") || strings.HasPrefix(fr.URL, base) || !strings.HasPrefix(fr.URL, "chrome-error:") {
		t.Errorf("the other site's frame of a portal page: got h1 %q at %q, want it refused", strings.TrimSpace(fr.H1), fr.URL)
	}
	if !strings.HasPrefix(f.ClickedHref, base+"/eventi/la-rondine/") || f.TopURL != f.ClickedHref || f.TopH1 == "" {
		t.Errorf("following the widget's link %q: the window went to %q (h1 %q), want the portal's event page at the top", f.ClickedHref, f.TopURL, f.TopH1)
	}
}

// TestWidgetWeightWorstCase: an association and a category with more events and services than
// a widget shows, every name long and every summary as long as validate allows, in letters of
// two bytes, still make widgets under the budget; text that looks like markup stays text.
func TestWidgetWeightWorstCase(t *testing.T) {
	data := t.TempDir()
	copyTree(t, "../data", data)
	dir := filepath.Join(data, "associations", "la-rondine")
	long := func(n int) string { return strings.Repeat("<b>Perché</b> è così lunga ", n/25+1)[:n] }
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
	for i := range 8 {
		event := fmt.Sprintf("title: %s\nstart: 2026-12-%02dT10:00\nend: 2026-12-%02dT12:00\nsummary: %s\nlocation:\n  name: %s\n  address: %s\ncategories: [salute]\n",
			quote(long(300)), 10+i, 10+i, quote(long(200)), quote(long(300)), quote(long(300)))
		if err := os.WriteFile(filepath.Join(dir, "events", fmt.Sprintf("lungo-%d.yaml", i)), []byte(event), 0o644); err != nil {
			t.Fatal(err)
		}
		service := fmt.Sprintf("name: %s\nsummary: %s\ncategories: [salute]\n", quote(long(300)), quote(long(200)))
		if err := os.WriteFile(filepath.Join(dir, "services", fmt.Sprintf("lungo-%d.yaml", i)), []byte(service), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := buildSite(t, data)
	for _, v := range hugosite.WidgetVariants() {
		for _, w := range []string{"widget/associazioni/la-rondine/", "widget/categorie/salute/"} {
			page := readFile(t, filepath.Join(out, filepath.FromSlash(w+v.Path), "index.html"))
			if strings.Contains(page, "<b>") {
				t.Errorf("/%s%s: text from the data came out as markup", w, v.Path)
			}
			if v.Events && !strings.Contains(page, "&lt;b&gt;Perché&lt;/b&gt;") {
				t.Errorf("/%s%s: the long names are not shown", w, v.Path)
			}
			css := regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`).FindStringSubmatch(page)
			if css == nil {
				t.Fatalf("/%s%s: no stylesheet", w, v.Path)
			}
			size := len(page) + len(readFile(t, filepath.Join(out, filepath.FromSlash(css[1]))))
			if size > maxWidget {
				t.Errorf("/%s%s: %d bytes with its stylesheet, want at most %d", w, v.Path, size, maxWidget)
			}
			t.Logf("/%s%s: %d bytes", w, v.Path, size)
		}
	}
}
