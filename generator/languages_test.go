package main

import (
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/site"
	"github.com/shaps-portal/shaps/site/routes"
	"golang.org/x/net/html"
)

// sitePages lists the built site's HTML pages by their path below the site's root.
func sitePages(t *testing.T, out string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		pages = append(pages, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// languageOf is the language of the page at rel, by its address's prefix.
func languageOf(rel string) site.Language {
	first, _, _ := strings.Cut(rel, "/")
	if l, ok := site.LanguageByCode(first); ok && l.Code != site.DefaultLanguage {
		return l
	}
	l, _ := site.LanguageByCode(site.DefaultLanguage)
	return l
}

// italianPath is the address of the Italian page of rel, a page in any language.
func italianPath(rel string) string {
	l := languageOf(rel)
	return strings.TrimPrefix("/"+rel, strings.TrimSuffix(l.Home(), "/"))
}

// TestEveryLanguageHasEveryPage: each language publishes every page Italian does, at the same
// address under its prefix, each page says its language and direction, links to the same page
// in every language (switcher and hreflang, Italian as x-default) and keeps its links within
// its language.
func TestEveryLanguageHasEveryPage(t *testing.T) {
	out := buildSite(t, "../data")
	pages := sitePages(t, out)
	var italian []string
	for _, p := range pages {
		// The widgets are Italian only: the host lets other sites frame /widget/ alone.
		if languageOf(p).Code == site.DefaultLanguage && !strings.HasPrefix(p, "admin/") && !strings.HasPrefix(p, "widget/") {
			italian = append(italian, p)
		}
	}
	if len(italian) < 140 {
		t.Fatalf("got %d Italian pages, want the demo's every page", len(italian))
	}
	for _, l := range site.Languages()[1:] {
		n := 0
		for _, p := range italian {
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(l.Home(), "/")+p))); err != nil {
				t.Errorf("%s: got %v, want %s's %s", l.Code, err, l.Code, p)
				n++
			}
			if n > 5 {
				t.Fatalf("%s lacks more pages", l.Code)
			}
		}
	}
	// The sitemap robots.txt names lists every page of every language.
	sitemap := readFile(t, filepath.Join(out, "sitemap.xml"))
	if robots := readFile(t, filepath.Join(out, "robots.txt")); !strings.Contains(robots, "Sitemap: https://shaps.comune.voghera.pv.it/sitemap.xml") || !strings.Contains(sitemap, "<urlset") {
		t.Errorf("robots.txt and sitemap.xml: want robots.txt to name /sitemap.xml, a list of pages")
	}
	listed := 0
	for _, p := range pages {
		if strings.HasPrefix(p, "admin/") || strings.Contains(p, "widget/") || strings.HasSuffix(p, "404.html") {
			continue
		}
		if loc := "<loc>https://shaps.comune.voghera.pv.it/" + strings.TrimSuffix(p, "index.html") + "</loc>"; !strings.Contains(sitemap, loc) {
			t.Errorf("sitemap.xml: want %s in it", loc)
		}
		listed++
	}
	if listed < 7*100 {
		t.Errorf("got %d pages to list, want every language's", listed)
	}
	htmlTag := regexp.MustCompile(`<html lang="([^"]*)" dir="([^"]*)"`)
	switcher := regexp.MustCompile(`(?s)<ul class="languages">(.*?)</ul>`)
	switchLink := regexp.MustCompile(`<a href="([^"]*)" lang="([^"]*)" hreflang="([^"]*)"( aria-current="page")?>([^<]*)</a>`)
	hreflang := regexp.MustCompile(`<link rel="alternate" hreflang="([^"]*)" href="([^"]*)">`)
	base := "https://shaps.comune.voghera.pv.it"
	for _, p := range pages {
		if strings.HasPrefix(p, "admin/") {
			continue
		}
		l := languageOf(p)
		page := readFile(t, filepath.Join(out, filepath.FromSlash(p)))
		dir := "ltr"
		if l.RTL {
			dir = "rtl"
		}
		if m := htmlTag.FindStringSubmatch(page); m == nil || m[1] != l.Tag || m[2] != dir {
			t.Errorf("%s: got html element %v, want lang %q dir %q", p, m, l.Tag, dir)
		}
		if strings.Contains(p, "widget/") || p == "404.html" || strings.HasSuffix(p, "/404.html") {
			continue // framed by other sites, or the same page at every address: no other language to offer
		}
		// The switcher: every language once, in the table's order, named in itself, leading to
		// this very page in it; this language's link marked as the current page.
		sw := switcher.FindStringSubmatch(page)
		if sw == nil {
			t.Errorf("%s: no language switcher", p)
			continue
		}
		choices := switchLink.FindAllStringSubmatch(sw[1], -1)
		if len(choices) != len(site.Languages()) {
			t.Errorf("%s: got %d switcher links, want %d", p, len(choices), len(site.Languages()))
			continue
		}
		want := strings.TrimSuffix(italianPath(p), "index.html")
		for i, other := range site.Languages() {
			got := choices[i]
			href := strings.TrimSuffix(other.Home(), "/") + want
			if got[1] != href || got[2] != other.Tag || got[3] != other.Tag || got[5] != other.Name || (got[4] != "") != (other.Code == l.Code) {
				t.Errorf("%s: switcher link %d: got %s, want href %s, lang and hreflang %s, %s, current %v", p, i, got[0], href, other.Tag, other.Name, other.Code == l.Code)
			}
		}
		alternates := hreflang.FindAllStringSubmatch(page, -1)
		var gotAlt, wantAlt []string
		for _, a := range alternates {
			gotAlt = append(gotAlt, a[1]+" "+a[2])
		}
		for _, other := range site.Languages() {
			wantAlt = append(wantAlt, other.Tag+" "+base+strings.TrimSuffix(other.Home(), "/")+want)
			if other.Code == site.DefaultLanguage {
				wantAlt = append(wantAlt, "x-default "+base+want)
			}
		}
		if !slices.Equal(gotAlt, wantAlt) {
			t.Errorf("%s: got hreflang alternates %v, want %v", p, gotAlt, wantAlt)
		}
		// Links to the portal's pages stay in the page's language; files (feeds, stylesheets,
		// images), the editing interface and the switcher's links are the same for all.
		doc, err := html.Parse(strings.NewReader(switcher.ReplaceAllString(page, "")))
		if err != nil {
			t.Fatal(err)
		}
		for _, link := range links(doc) {
			u, err := url.Parse(link)
			if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") || path.Ext(u.Path) != "" || strings.HasPrefix(u.Path, "/admin/") {
				continue
			}
			if strings.HasPrefix(u.Path, routes.Widgets) {
				continue // the widget, its preview and its code, in Italian on every page
			}
			if rt, ok := routes.Match(u.Path); ok && len(rt.Query) == 0 {
				continue // the intake's calendar of what one follows: the same for every language
			}
			if languageOf(strings.TrimPrefix(u.Path, "/")).Code != l.Code {
				t.Errorf("%s: link %s leads out of %s", p, link, l.Code)
			}
		}
	}
}
