package main

import (
	"fmt"
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
	// The parts a page has besides its language's texts are the same in every language: here
	// the question how clear the page was.
	rated := map[string]bool{}
	for _, p := range italian {
		rated[p] = strings.Contains(readFile(t, filepath.Join(out, filepath.FromSlash(p))), `data-element="feedback"`)
	}
	for _, l := range site.Languages()[1:] {
		n := 0
		for _, p := range italian {
			b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(l.Home(), "/")+p)))
			if err != nil {
				t.Errorf("%s: got %v, want %s's %s", l.Code, err, l.Code, p)
				n++
			} else if got := strings.Contains(string(b), `data-element="feedback"`); got != rated[p] {
				t.Errorf("%s's %s: got the rating form %v, want %v as in Italian", l.Code, p, got, rated[p])
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
	// A hand-written page without a translation shows its Italian text, marked as Italian; a
	// translated one is in its language.
	handWritten, err := filepath.Glob("../content/*.md")
	if err != nil || len(handWritten) < 5 {
		t.Fatalf("content/*.md: got %v %v, want the hand-written pages", handWritten, err)
	}
	for _, f := range handWritten {
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		if strings.Contains(name, ".") {
			continue // a translation
		}
		for _, l := range site.Languages()[1:] {
			rel := strings.TrimPrefix(l.Home(), "/") + name + "/index.html"
			if name == "_index" {
				rel = strings.TrimPrefix(l.Home(), "/") + "index.html"
			}
			page := readFile(t, filepath.Join(out, filepath.FromSlash(rel)))
			_, err := os.Stat(strings.TrimSuffix(f, ".md") + "." + l.Code + ".md")
			translated := err == nil
			if marked := strings.Contains(page, `<div lang="it">`); marked == translated {
				t.Errorf("%s: translated %v, got its text marked Italian %v", rel, translated, marked)
			}
		}
	}
	mondays := map[string][2]string{
		"it": {"lunedì", "lun"}, "en": {"Monday", "Mon"}, "ro": {"luni", "lun."}, "ar": {"الاثنين", "إثنين"},
		"uk": {"понеділок", "пн"}, "sq": {"e hënë", "hën"}, "zh-hans": {"星期一", "周一"},
	}
	// Dates as each language writes them: an event's start (Hugo's locale, the 24-hour clock)
	// and a month's title.
	for code, want := range map[string][2]string{
		"it":      {"mercoledì 25 novembre 2026 15:30", "Novembre 2026"},
		"en":      {"Wednesday, November 25, 2026 15:30", "November 2026"},
		"ro":      {"miercuri, 25 noiembrie 2026 15:30", "Noiembrie 2026"},
		"ar":      {"الأربعاء، 25 نوفمبر 2026 15:30", "نوفمبر 2026"},
		"uk":      {"середа, 25 листопада 2026\u202fр. 15:30", "11.2026"}, // a narrow no-break space before р.
		"sq":      {"e mërkurë, 25 nëntor 2026 15:30", "Nëntor 2026"},
		"zh-hans": {"2026年11月25日星期三 15:30", "2026年11月"},
	} {
		l, _ := site.LanguageByCode(code)
		dir := filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(l.Home(), "/")))
		event := readFile(t, filepath.Join(dir, "eventi/filo-d-argento-iriense/merenda-in-compagnia/index.html"))
		if s := `<time datetime="2026-11-25T15:30">` + want[0] + `</time>`; !strings.Contains(event, s) {
			t.Errorf("%s: event page: want %s in it", code, s)
		}
		month := readFile(t, filepath.Join(dir, "eventi/2026/11/index.html"))
		if s := "<caption>" + want[1] + "</caption>"; !strings.Contains(month, s) {
			t.Errorf("%s: month page: want %s in it", code, s)
		}
		// The grid's first column is headed by Monday's short name, Monday's full name its title.
		if s := `<th scope="col"><abbr title="` + mondays[code][0] + `">` + mondays[code][1] + `</abbr></th>`; !strings.Contains(month, s) {
			t.Errorf("%s: month page: want %s in it", code, s)
		}
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

// pageKinds lists one Italian page of each kind the portal publishes: each template, each
// content adapter's kind of page, and hand-written pages.
var pageKinds = []string{
	"/", "/servizi/", "/servizi/filo-d-argento-iriense/telefono-amico/", "/servizi/filo-d-argento-iriense/",
	"/servizi/per-categoria/aiuto-alimentare/", "/servizi/per-destinatari/anziani/", "/associazioni/",
	"/associazioni/filo-d-argento-iriense/", "/eventi/", "/eventi/filo-d-argento-iriense/merenda-in-compagnia/",
	"/eventi/filo-d-argento-iriense/", "/eventi/archivio/", "/eventi/2026/11/", "/eventi/come-iscriversi/",
	"/categorie/", "/categorie/aiuto-alimentare/", "/argomenti/", "/richieste/", "/area-personale/", "/faq/",
	"/chi-siamo/", "/privacy/",
}

type rtlReport struct {
	Page            string `json:"page"`
	Width           int    `json:"width"`
	Dir             string `json:"dir"`
	HeaderDirection string `json:"headerDirection"`
	FormDirection   string `json:"formDirection"`
	Overflow        int    `json:"overflow"`
	Brand           *box   `json:"brand"`
	Search          *box   `json:"search"`
	FirstNav        *box   `json:"firstNav"`
	LastNav         *box   `json:"lastNav"`
	FirstCrumb      *box   `json:"firstCrumb"`
	LastCrumb       *box   `json:"lastCrumb"`
	Municipality    *box   `json:"municipality"`
	Languages       *box   `json:"languages"`
	Form            *box   `json:"form"`
	Label           *box   `json:"label"`
	Field           *box   `json:"field"`
	Radio           *box   `json:"radio"`
	RadioLabel      *box   `json:"radioLabel"`
}

type switchReport struct {
	From          string `json:"from"`
	FromLang      string `json:"fromLang"`
	To            string `json:"to"`
	Href          string `json:"href"`
	Landed        string `json:"landed"`
	LandedLang    string `json:"landedLang"`
	LandedCurrent string `json:"landedCurrent"`
	Back          string `json:"back"`
	BackLang      string `json:"backLang"`
}

type box struct {
	Left  int `json:"left"`
	Right int `json:"right"`
	Top   int `json:"top"`
	Width int `json:"width"`
}

// TestArabicLaysOutRightToLeft measures in Chromium, on a wide and a narrow screen, the header
// and the request form of Arabic pages against the Italian ones: the text runs right to left,
// the Comune's name and emblem stand at the right, the navigation and the breadcrumb start there,
// the form's labels and fields hug the right edge, and nothing makes the page scroll sideways.
func TestArabicLaysOutRightToLeft(t *testing.T) {
	out := buildSite(t, "../data")
	base := portalServer(t, out)
	var paths []string
	for _, p := range []string{"/", "/richieste/", "/servizi/filo-d-argento-iriense/telefono-amico/", "/eventi/2026/11/"} {
		paths = append(paths, p, "/ar"+p)
	}
	list := filepath.Join(t.TempDir(), "pages.txt")
	if err := os.WriteFile(list, []byte(strings.Join(paths, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runBrowser(t, "rtl", base, list)
	if len(r.RTL) != 2*len(paths) {
		t.Fatalf("got %d measures, want %d", len(r.RTL), 2*len(paths))
	}
	for _, m := range r.RTL {
		rtl := strings.HasPrefix(m.Page, "/ar/")
		want := "ltr"
		if rtl {
			want = "rtl"
		}
		name := fmt.Sprintf("%s at %dpx", m.Page, m.Width)
		if m.Dir != want || m.HeaderDirection != want {
			t.Errorf("%s: got dir %q, header direction %q, want %s", name, m.Dir, m.HeaderDirection, want)
		}
		if m.Overflow > 0 {
			t.Errorf("%s: the page scrolls %dpx sideways, want it to fit the screen", name, m.Overflow)
		}
		// before reports whether a lies before b in the reading direction, on one line.
		before := func(what string, a, b *box) {
			t.Helper()
			if a == nil || b == nil {
				t.Errorf("%s: %s: got no box, want both parts", name, what)
				return
			}
			if a.Top != b.Top || a.Width == 0 || b.Width == 0 {
				return // on lines of their own, or hidden (the menu on a narrow screen): no order
			}
			if got := a.Left < b.Left; got == rtl {
				t.Errorf("%s: %s: got left %d and %d, want the first at the %s", name, what, a.Left, b.Left, map[bool]string{true: "right", false: "left"}[rtl])
			}
		}
		before("the emblem and the search", m.Brand, m.Search)
		before("the first and the last navigation link", m.FirstNav, m.LastNav)
		before("the Comune's name and the language switcher", m.Municipality, m.Languages)
		if m.Page != "/" && m.Page != "/ar/" {
			before("the breadcrumb's home and the current page", m.FirstCrumb, m.LastCrumb)
		}
		if strings.HasSuffix(m.Page, "/richieste/") {
			if m.FormDirection != want {
				t.Errorf("%s: got the form's direction %q, want %s", name, m.FormDirection, want)
			}
			if m.Form == nil || m.Label == nil || m.Field == nil || m.Radio == nil || m.RadioLabel == nil {
				t.Fatalf("%s: got no box of the form, its message's label and field or a choice", name)
			}
			start, fieldStart := m.Label.Left-m.Form.Left, m.Field.Left-m.Form.Left
			if rtl {
				start, fieldStart = m.Form.Right-m.Label.Right, m.Form.Right-m.Field.Right
			}
			if start > 2 || fieldStart > 2 {
				t.Errorf("%s: the message's label and field start %dpx and %dpx from the form's %s edge, want them on it", name, start, fieldStart, want)
			}
			before("a choice's button and its label", m.Radio, m.RadioLabel)
		}
	}
}

// TestLanguageSwitcherRoundTrips follows in Chromium, from every kind of page in every language,
// the switcher's link to the next language of the table (the last to the first), then the link
// back: each lands on the same page in the language chosen, marked as current there, and back on
// the page it left. So every language's switcher is left from, and every language reached, on
// every kind of page. (Every link of every switcher, 924 round trips, took 15 minutes on this
// machine; the links themselves are all checked by TestEveryLanguageHasEveryPage.)
func TestLanguageSwitcherRoundTrips(t *testing.T) {
	out := buildSite(t, "../data")
	base := portalServer(t, out)
	var lines []string
	ls := site.Languages()
	for i, l := range ls {
		next := ls[(i+1)%len(ls)]
		for _, p := range pageKinds {
			lines = append(lines, strings.TrimSuffix(l.Home(), "/")+p+" "+next.Tag)
		}
	}
	list := filepath.Join(t.TempDir(), "pages.txt")
	if err := os.WriteFile(list, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runBrowser(t, "switcher", base, list)
	if len(r.Switcher) != len(lines) {
		t.Errorf("got %d round trips, want %d", len(r.Switcher), len(lines))
	}
	for _, s := range r.Switcher {
		to, ok := languageByTag(s.To)
		if !ok {
			t.Errorf("%s: a link to %q, want a language of the portal", s.From, s.To)
			continue
		}
		want := strings.TrimSuffix(to.Home(), "/") + italianPath(strings.TrimPrefix(s.From, "/"))
		if s.Href != want || s.Landed != want || s.LandedLang != to.Tag || s.LandedCurrent != to.Tag {
			t.Errorf("%s → %s: got link %s landing on %s (lang %q, current %q), want %s in %s", s.From, s.To, s.Href, s.Landed, s.LandedLang, s.LandedCurrent, want, to.Tag)
		}
		if s.Back != s.From || s.BackLang != s.FromLang {
			t.Errorf("%s → %s → back: got %s (lang %q), want %s (lang %q)", s.From, s.To, s.Back, s.BackLang, s.From, s.FromLang)
		}
	}
}

func languageByTag(tag string) (site.Language, bool) {
	for _, l := range site.Languages() {
		if l.Tag == tag {
			return l, true
		}
	}
	return site.Language{}, false
}
