package main

import (
	"bytes"
	"context"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/site/routes"
	"golang.org/x/net/html"
)

var testNow = func() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) }

func noEnv(string) string { return "" }

// buildSite runs "generator build" on a data directory and returns the output directory.
func buildSite(t *testing.T, data string, extra ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr bytes.Buffer
	args := append([]string{"build", "-data", data, "-out", out, "-content", "../content", "-site", "../site"}, extra...)
	if err := run(context.Background(), args, noEnv, &stdout, &stderr, testNow); err != nil {
		t.Fatalf("build: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(b)
}

func TestBuildDemoHasEveryPage(t *testing.T) {
	out := buildSite(t, "../data")
	cat, _ := catalog.LoadDir("../data", testNow())
	want := []string{"index.html", "404.html", "sitemap.xml", "robots.txt", "associazioni/index.html", "servizi/index.html",
		"eventi/index.html", "eventi/archivio/index.html", "categorie/index.html", "richieste/index.html", "chi-siamo/index.html",
		"come-funziona/index.html", "privacy/index.html", "note-legali/index.html", "faq/index.html", "argomenti/index.html", "schema/event.schema.json",
		"schema/synonyms.schema.json", "area-personale/index.html"}
	for _, c := range cat.Portal.Categories {
		want = append(want, "categorie/"+c.ID+"/index.html", "servizi/per-categoria/"+c.ID+"/index.html")
	}
	for _, a := range cat.Associations {
		want = append(want, "associazioni/"+a.Slug+"/index.html")
		for _, s := range a.Services {
			want = append(want, "servizi/"+a.Slug+"/"+s.Slug+"/index.html")
		}
		for _, e := range a.Events {
			want = append(want, "eventi/"+a.Slug+"/"+e.Slug+"/index.html")
		}
	}
	for _, p := range want {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("page %s: got %v, want it built", p, err)
		}
	}
	// The frame's stylesheet and scripts are named by their content.
	for _, pattern := range []string{"css/portal.*.css", "js/request.*.js", "js/search.*.js", "js/area.*.js"} {
		if m, _ := filepath.Glob(filepath.Join(out, pattern)); len(m) != 1 {
			t.Errorf("got %d files %s, want one", len(m), pattern)
		}
	}
	if len(want) < 8+25+30+10 {
		t.Errorf("got %d expected pages, want the demo's associations, services, events and categories", len(want))
	}

	home := readFile(t, filepath.Join(out, "index.html"))
	for _, s := range []string{`<html lang="it" dir="ltr">`, `href="#contenuto"`, `<main id="contenuto"`, "Comune di Voghera"} {
		if !strings.Contains(home, s) {
			t.Errorf("home page: want %q in it", s)
		}
	}
	if !strings.Contains(home, "Allenamento della memoria") || strings.Contains(home, "Fondazione Casa Serena · Fondazione Casa Serena") {
		t.Errorf("home page: want the upcoming event at the association's own seat, its name said once")
	}
	svc := readFile(t, filepath.Join(out, "servizi/filo-d-argento-iriense/telefono-amico/index.html"))
	// The Comuni model's service card: its parts in its order, each marked as its validator finds it.
	order := []string{`data-element="breadcrumb"`, `data-element="service-title"`, `data-element="service-status"`, `data-element="service-description"`,
		`data-element="service-topic"`, `data-element="page-index"`, `data-element="service-addressed"`, `data-element="service-how-to"`,
		`data-element="service-needed"`, `data-element="service-achieved"`, `data-element="service-calendar-text"`,
		`href="/richieste/?servizio=filo-d-argento-iriense/telefono-amico" data-element="service-generic-access"`,
		`data-element="service-file"`, `<h2 id="contatti">Contatti</h2>`, `data-element="service-area">Filo d&#39;Argento`}
	last := -1
	for _, s := range order {
		i := strings.Index(svc, s)
		if i < 0 || i < last {
			t.Errorf("service page: got %q at %d after %d, want the scheda-servizio parts in order", s, i, last)
		}
		last = i
	}
	if n := strings.Count(svc, "lun–ven 9:00–12:00"); n != 1 {
		t.Errorf("service page: hours shown %d times, want once when the service keeps its association's hours", n)
	}
	if !strings.Contains(svc, `<script type="application/ld+json" data-element="metatag">{"@context":"https://schema.org","@type":"GovernmentService"`) {
		t.Errorf("service page: want schema.org GovernmentService JSON-LD in it, marked as the model's metatag")
	}
	topics := readFile(t, filepath.Join(out, "argomenti/index.html"))
	if !strings.Contains(home, `<a href="/argomenti/" data-element="all-topics">`) || !strings.Contains(topics, `<h2 id="assistenza-sociale" data-element="topic-element">Assistenza sociale</h2>`) {
		t.Errorf("home and topics pages: want the link to all topics and each topic of the categories on its page")
	}
	ev := readFile(t, filepath.Join(out, "eventi/filo-d-argento-iriense/merenda-in-compagnia/index.html"))
	for _, s := range []string{"mercoledì 25 novembre 2026 15:30", "17:30", "Si ripete ogni settimana: mercoledì, fino al 30 giugno 2027", `"@type":"Event"`} {
		if !strings.Contains(ev, s) {
			t.Errorf("event page: want %q in it", s)
		}
	}
	if strings.Contains(ev, "si è già svolto") {
		t.Errorf("upcoming event page: says it is over")
	}
	over := readFile(t, filepath.Join(out, "eventi/fondazione-casa-serena/festa-dei-nonni/index.html"))
	if !strings.Contains(over, `<p class="notice">Questo evento si è già svolto. <a href="/eventi/">`) {
		t.Errorf("event page of 2 October, built on 25 November: want the notice that it is over")
	}
	cancelled := readFile(t, filepath.Join(out, "eventi/insieme-oltre/cena-solidale/index.html"))
	if !strings.Contains(cancelled, "Annullato") || !strings.Contains(cancelled, "EventCancelled") {
		t.Errorf("cancelled event page: want it shown as Annullato and EventCancelled")
	}
	allDay := readFile(t, filepath.Join(out, "eventi/banco-solidale-iriense/colletta-alimentare/index.html"))
	if !strings.Contains(allDay, "dal <time datetime=\"2026-11-28\">sabato 28 novembre 2026</time> al <time datetime=\"2026-11-29\">domenica 29 novembre 2026</time>") {
		t.Errorf("all-day event page: want the Italian date range in it")
	}
	if cat := readFile(t, filepath.Join(out, "categorie/aiuto-alimentare/index.html")); !strings.Contains(cat, `<a href="/richieste/?categoria=aiuto-alimentare">`) {
		t.Errorf("category page: want a link to the request form about its category")
	}
	assoc := readFile(t, filepath.Join(out, "associazioni/croce-azzurra-oltrepo/index.html"))
	for _, s := range []string{"mailto:segreteria@croceazzurraoltrepo.it", "tel:038347890", "openstreetmap.org/?mlat=44.9962", "76543", "Dati verificati il 2 ottobre 2026", `"@type":"NGO"`,
		`href="/admin/#/collections/associazioni/entries/croce-azzurra-oltrepo/association"`} {
		if !strings.Contains(assoc, s) {
			t.Errorf("association page: want %q in it", s)
		}
	}
}

// TestInternalLinksResolve follows every link and resource inside the site.
func TestInternalLinksResolve(t *testing.T) {
	out := buildSite(t, "../data")
	pages := 0
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		pages++
		page := readFile(t, path)
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		if strings.Contains(page, "ZgotmplZ") {
			t.Errorf("%s: a link was refused by the template's escaping (ZgotmplZ)", rel)
		}
		for _, link := range links(doc) {
			u, err := url.Parse(link)
			if err != nil {
				t.Errorf("%s: link %q does not parse: %v", rel, link, err)
				continue
			}
			if u.Host == "shaps.comune.voghera.pv.it" {
				u.Scheme, u.Host = "", ""
			}
			if u.Scheme != "" || u.Host != "" || u.Path == "" {
				continue
			}
			if !strings.HasPrefix(u.Path, "/") {
				t.Errorf("%s: link %q is relative, want site-absolute", rel, link)
				continue
			}
			if rt, ok := routes.Match(u.Path); ok && len(rt.Query) == 0 {
				continue // the intake answers it, not a file of the site (the personal area's calendar)
			}
			target := filepath.Join(out, filepath.FromSlash(u.Path))
			if strings.HasSuffix(u.Path, "/") {
				target = filepath.Join(target, "index.html")
			}
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s: link %q leads nowhere", rel, link)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 80 {
		t.Errorf("got %d pages, want at least 80", pages)
	}
}

func links(n *html.Node) []string {
	var out []string
	if n.Type == html.ElementNode {
		for _, a := range n.Attr {
			if a.Key == "href" || a.Key == "src" || (a.Key == "action" && n.Data == "form") {
				if n.Data == "form" {
					continue // the request form posts to the intake, not to a page
				}
				out = append(out, a.Val)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, links(c)...)
	}
	return out
}

func TestBuildsAreByteIdentical(t *testing.T) {
	a, b := buildSite(t, "../data"), buildSite(t, "../data")
	files := 0
	err := filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel, _ := filepath.Rel(a, path)
		other, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			t.Errorf("%s: in the first build only", rel)
			return nil
		}
		if !bytes.Equal(other, []byte(readFile(t, path))) {
			t.Errorf("%s: differs between two builds of the same data", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Errorf("got %d files, want the whole site compared", files)
	}
}

// writeData copies the catalog's base fixture and overrides files in it.
func writeData(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, filepath.Join("catalog", "testdata", "base"), dir)
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestTextFromDataIsEscaped(t *testing.T) {
	data := writeData(t, map[string]string{
		"associations/alfa/services/trasporto.yaml": `name: "Trasporto <script>alert(1)</script>"
summary: "Riassunto <b>grassetto</b> & co."
categories: [salute]
description: |
  Testo **in grassetto** e <script>alert(2)</script> e <img src=x onerror=alert(3)>.
`,
	})
	out := buildSite(t, data)
	page := readFile(t, filepath.Join(out, "servizi/alfa/trasporto/index.html"))
	for _, bad := range []string{"<script>alert", "<b>grassetto", "<img src=x", "onerror=alert"} {
		if strings.Contains(page, bad) {
			t.Errorf("service page: got %q in the HTML, want data text escaped or dropped", bad)
		}
	}
	for _, good := range []string{"Trasporto &lt;script&gt;alert(1)&lt;/script&gt;", "Riassunto &lt;b&gt;grassetto&lt;/b&gt; &amp; co.", "<strong>in grassetto</strong>"} {
		if !strings.Contains(page, good) {
			t.Errorf("service page: want %q in it", good)
		}
	}
	if strings.Contains(page, `"name":"Trasporto <script>`) {
		t.Errorf("service JSON-LD: got a raw <script> in it, want it escaped")
	}
}

func TestBadDataLeavesPreviousBuild(t *testing.T) {
	out := buildSite(t, "../data")
	before := readFile(t, filepath.Join(out, "index.html"))
	bad := writeData(t, map[string]string{"associations/alfa/events/incontro.yaml": "title: Incontro\nstart: domani\n"})
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"build", "-data", bad, "-out", out, "-content", "../content", "-site", "../site"}, noEnv, &stdout, &stderr, testNow)
	if err == nil {
		t.Fatal("build of bad data: got no error, want one")
	}
	want := filepath.Join(bad, "associations/alfa/events/incontro.yaml") + ":2:8: start: non è una data con ora locale"
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("build of bad data: got output\n%s\nwant a line starting %q", stdout.String(), want)
	}
	if after := readFile(t, filepath.Join(out, "index.html")); after != before {
		t.Errorf("build of bad data changed the previous site")
	}
}

func TestValidateCommand(t *testing.T) {
	bad := writeData(t, map[string]string{
		"associations/alfa/services/trasporto.yaml": "name: Trasporto\nsummary: Breve.\ncategories: [sport]\n",
		"associations/alfa/events/incontro.yaml":    "titel: Incontro\nstart: 2026-12-05T15:30\n",
	})
	tests := []struct {
		name    string
		data    string
		env     map[string]string
		wantErr bool
		want    []string
	}{
		{name: "good data with a stale association", data: "../data", want: []string{
			"../data/associations/banco-solidale-iriense/association.yaml:27:11: warning: reviewed: i dati sono stati verificati il 2025-06-10, più di 12 mesi fa; verificarli con l'associazione e aggiornare reviewed",
		}},
		{name: "warnings as annotations", data: "../data", env: map[string]string{"GITHUB_ACTIONS": "true"}, want: []string{
			"::warning file=../data/associations/banco-solidale-iriense/association.yaml,line=27,col=11::reviewed: i dati sono stati verificati il 2025-06-10, più di 12 mesi fa; verificarli con l'associazione e aggiornare reviewed",
		}},
		{name: "every problem at once", data: bad, wantErr: true, want: []string{
			bad + "/associations/alfa/events/incontro.yaml:1:1: titel: chiave sconosciuta \"titel\"; forse \"title\"?",
			bad + "/associations/alfa/events/incontro.yaml:1:1: title: manca una chiave obbligatoria; aggiungere title (Esempio: Merenda in compagnia)",
			bad + "/associations/alfa/services/trasporto.yaml:3:14: categories[0]: categoria sconosciuta \"sport\"; usare uno degli id di portal.yaml: salute, famiglie-minori",
		}},
		{name: "annotations for pull requests", data: bad, wantErr: true, env: map[string]string{"GITHUB_ACTIONS": "true"}, want: []string{
			"::error file=" + bad + "/associations/alfa/services/trasporto.yaml,line=3,col=14::categories[0]: categoria sconosciuta \"sport\"; usare uno degli id di portal.yaml: salute, famiglie-minori",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			getenv := func(k string) string { return tt.env[k] }
			err := run(context.Background(), []string{"validate", "-data", tt.data}, getenv, &stdout, &stderr, testNow)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error: %v", err, tt.wantErr)
			}
			lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
			for _, w := range tt.want {
				found := false
				for _, l := range lines {
					found = found || l == w
				}
				if !found {
					t.Errorf("got output\n%s\nwant the line\n%s", stdout.String(), w)
				}
			}
		})
	}
}

func TestConfigPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "shaps.yaml")
	if err := os.WriteFile(file, []byte("data: from-file\nout: file-out\naddr: 127.0.0.1:9999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SHAPS_CONFIG": file, "SHAPS_OUT": "env-out"}
	c, _, err := loadConfig("build", []string{"-data", "flag-data"}, func(k string) string { return env[k] }, "data", "out", "addr")
	if err != nil {
		t.Fatal(err)
	}
	if c.Data != "flag-data" || c.Out != "env-out" || c.Addr != "127.0.0.1:9999" || c.Site != "site" {
		t.Errorf("got data=%q out=%q addr=%q site=%q, want flag-data (flag), env-out (env), 127.0.0.1:9999 (file), site (default)", c.Data, c.Out, c.Addr, c.Site)
	}
}

// TestConfigUnparsable: a number the generator cannot read stops it, wherever it was written,
// rather than read as zero.
func TestConfigUnparsable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "shaps.yaml")
	if err := os.WriteFile(file, []byte("feed-past-months: six\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args    []string
		env     map[string]string
		wantErr string
	}{
		{[]string{"-feed-past-months", "6m"}, nil, `-feed-past-months "6m": want a whole number of months`},
		{nil, map[string]string{"SHAPS_FEED_PAST_MONTHS": "sei"}, `SHAPS_FEED_PAST_MONTHS="sei": want a whole number of months`},
		{nil, map[string]string{"SHAPS_CONFIG": file}, `SHAPS_FEED_PAST_MONTHS="six": want a whole number of months (key feed-past-months in ` + file + ")"},
	} {
		_, _, err := loadConfig("build", tc.args, func(k string) string { return tc.env[k] }, "feed-past-months")
		if err == nil || err.Error() != tc.wantErr {
			t.Errorf("loadConfig %v %v: got error %v, want %q", tc.args, tc.env, err, tc.wantErr)
		}
	}
}

// copyTree copies the folder src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}

// TestBuildNotesMissingRepository: without portal.yaml's repository the published editing
// interface cannot reach the git host, and build says so.
func TestBuildNotesMissingRepository(t *testing.T) {
	for _, tc := range []struct {
		data string
		note bool
	}{{writeData(t, nil), true}, {"../data", false}} {
		var stdout, stderr bytes.Buffer
		args := []string{"build", "-data", tc.data, "-out", filepath.Join(t.TempDir(), "public"), "-content", "../content", "-site", "../site"}
		if err := run(context.Background(), args, noEnv, &stdout, &stderr, testNow); err != nil {
			t.Fatalf("build %s: %v\n%s", tc.data, err, stderr.String())
		}
		if got := strings.Contains(stderr.String(), "portal.yaml has no repository"); got != tc.note {
			t.Errorf("build %s: note about the missing repository %v, want %v\n%s", tc.data, got, tc.note, stderr.String())
		}
	}
}

// TestAssociationListPages: the addresses of a service or an event shortened by hand,
// /servizi/<association>/ and /eventi/<association>/, are pages listing that association's
// services, and its upcoming then its past events, with one h1 and a link back to it.
func TestAssociationListPages(t *testing.T) {
	out := buildSite(t, "../data")
	cat, _ := catalog.LoadDir("../data", testNow())
	now := testNow().In(cat.Location)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, cat.Location)
	pastSeen := false
	for _, a := range cat.Associations {
		var services, upcoming, past []string
		for _, s := range a.Services {
			services = append(services, "/servizi/"+a.Slug+"/"+s.Slug+"/")
		}
		for _, e := range a.Events {
			if _, ok := e.Next(today); ok {
				upcoming = append(upcoming, "/eventi/"+a.Slug+"/"+e.Slug+"/")
			} else {
				past = append(past, "/eventi/"+a.Slug+"/"+e.Slug+"/")
			}
		}
		pastSeen = pastSeen || len(past) > 0
		for _, p := range []struct {
			path, prefix string
			want         []string
		}{
			{"servizi/" + a.Slug + "/index.html", "/servizi/" + a.Slug + "/", services},
			{"eventi/" + a.Slug + "/index.html", "/eventi/" + a.Slug + "/", append(append([]string{}, upcoming...), past...)},
		} {
			page := readFile(t, filepath.Join(out, p.path))
			doc, err := html.Parse(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(page, "<h1"); n != 1 || !strings.Contains(page, "<h1>") || !strings.Contains(page, html.EscapeString(a.Name)+"</h1>") {
				t.Errorf("%s: got %d h1, want one naming %s", p.path, n, a.Name)
			}
			var listed []string
			back := false
			for _, l := range links(doc) {
				if strings.HasPrefix(l, p.prefix) && l != p.prefix && !strings.HasSuffix(l, ".ics") {
					listed = append(listed, l)
				}
				back = back || l == "/associazioni/"+a.Slug+"/"
			}
			// Each item links once, from its title.
			if !sameSet(listed, p.want) {
				t.Errorf("%s: lists %v, want %v", p.path, listed, p.want)
			}
			if !back {
				t.Errorf("%s: no link back to /associazioni/%s/", p.path, a.Slug)
			}
		}
		events := readFile(t, filepath.Join(out, "eventi", a.Slug, "index.html"))
		heading := strings.Index(events, "<h2>Eventi passati</h2>")
		for _, u := range upcoming {
			if i := strings.Index(events, `href="`+u+`"`); i < 0 || (heading >= 0 && i > heading) {
				t.Errorf("eventi/%s/: upcoming %s at %d, want it before the past events (%d)", a.Slug, u, i, heading)
			}
		}
		for _, u := range past {
			if i := strings.Index(events, `href="`+u+`"`); i < heading || heading < 0 {
				t.Errorf("eventi/%s/: past %s at %d, want it under the past events' heading (%d)", a.Slug, u, i, heading)
			}
		}
		if len(past) > 0 && !strings.Contains(events, `href="/eventi/archivio/"`) {
			t.Errorf("eventi/%s/: has past events, want a link to the archive", a.Slug)
		}
	}
	if !pastSeen {
		t.Errorf("no association of the demo has a past event: the test checks less than it should")
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		if seen[s]--; seen[s] < 0 {
			return false
		}
	}
	return true
}
