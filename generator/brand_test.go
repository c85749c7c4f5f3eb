package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRebrandingNeedsOnlyData: another Comune changes portal.yaml (name, municipality, address,
// colour, logo) and nothing else; every page, the stylesheet and the intake's pages follow.
func TestRebrandingNeedsOnlyData(t *testing.T) {
	data := t.TempDir()
	copyTree(t, "../data", data)
	portal := readFile(t, filepath.Join(data, "portal.yaml"))
	for old, repl := range map[string]string{
		"name: SHAPS per Voghera":                                                  "name: SHAPS per Casteggio",
		"municipality: Comune di Voghera":                                          "municipality: Comune di Casteggio",
		"base_url: https://shaps.comune.voghera.pv.it/":                            "base_url: https://shaps.comune.casteggio.pv.it/",
		"logo: stemma.svg":                                                         "logo: stemma-casteggio.png",
		`color: "#0B4F8A"`:                                                         `color: "#6B1D1D"`,
		"address: Piazza Duomo 1, 27058 Voghera (PV)":                              "address: Piazza Cavour 1, 27045 Casteggio (PV)",
		"email: servizisociali@comune.voghera.pv.it":                               "email: sociale@comune.casteggio.pv.it",
		"controller: Comune di Voghera":                                            "controller: Comune di Casteggio",
		"dpo_email: dpo@comune.voghera.pv.it":                                      "dpo_email: dpo@comune.casteggio.pv.it",
		"accessibility_statement_url: https://form.agid.gov.it/view/shaps-voghera": "accessibility_statement_url: https://form.agid.gov.it/view/shaps-casteggio",
	} {
		if !strings.Contains(portal, old) {
			t.Fatalf("portal.yaml has no %q any more; update this test", old)
		}
		portal = strings.Replace(portal, old, repl, 1)
	}
	if err := os.WriteFile(filepath.Join(data, "portal.yaml"), []byte(portal), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "stemma-casteggio.png"), tinyPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	out := buildSite(t, data)

	// The chrome every page carries; the data's own text (an address in Voghera) may stay.
	chrome := regexp.MustCompile(`(?s)<header class="it-header-wrapper">.*?</header>|<footer class="it-footer">.*?</footer>`)
	title := regexp.MustCompile(`<title>(.*?)</title>`)
	pages := htmlPages(t, out)
	for _, p := range pages {
		if strings.Contains(p, string(filepath.Separator)+"admin"+string(filepath.Separator)) {
			continue
		}
		page := readFile(t, p)
		rel, _ := filepath.Rel(out, p)
		parts := chrome.FindAllString(page, -1)
		if isWidget(rel) {
			// A widget, framed by other sites, has no header nor footer: it names the portal.
			if len(parts) != 0 || !strings.Contains(page, `target="_top">SHAPS per Casteggio</a>`) {
				t.Errorf("%s: got %d of header and footer, want none and a link to the new portal", rel, len(parts))
			}
			if strings.Contains(strings.ToLower(page), "shaps per voghera") {
				t.Errorf("%s: still names the former portal", rel)
			}
		} else if len(parts) != 2 {
			t.Errorf("%s: got %d of header and footer, want both", rel, len(parts))
		}
		for _, part := range parts {
			if strings.Contains(strings.ToLower(part), "voghera") {
				t.Errorf("%s: the page's header or footer still names Voghera:\n%s", rel, part)
				break
			}
		}
		if m := title.FindStringSubmatch(page); m == nil || !strings.HasSuffix(m[1], "SHAPS per Casteggio") {
			t.Errorf("%s: title %q, want it to end with the new portal's name", rel, m)
		}
	}
	home := readFile(t, filepath.Join(out, "index.html"))
	for _, want := range []string{"<title>SHAPS per Casteggio</title>", `<p class="navbar-brand m-0">Comune di Casteggio</p>`,
		`<img class="icon" src="/img/ente.png" alt="" width="48" height="48">`, `href="https://shaps.comune.casteggio.pv.it/"`} {
		if !strings.Contains(home, want) {
			t.Errorf("home page: want %q in it", want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(out, "img", "ente.png")); err != nil || !bytes.Equal(b, tinyPNG(t)) {
		t.Errorf("img/ente.png: %v; want the Comune's logo published", err)
	}
	link := regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`).FindStringSubmatch(readFile(t, filepath.Join(out, "index.html")))
	if link == nil {
		t.Fatal("the home page links no stylesheet")
	}
	css := readFile(t, filepath.Join(out, filepath.FromSlash(link[1])))
	if !strings.HasSuffix(strings.TrimSpace(css), ":root{--brand:#6b1d1d}") {
		t.Errorf("stylesheet ends with %q, want the Comune's colour last", css[max(0, len(css)-60):])
	}
	widget := regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`).FindStringSubmatch(readFile(t, filepath.Join(out, "widget", "associazioni", "la-rondine", "index.html")))
	if widget == nil {
		t.Fatal("the widget links no stylesheet")
	}
	if css := readFile(t, filepath.Join(out, filepath.FromSlash(widget[1]))); !strings.HasSuffix(strings.TrimSpace(css), ":root{--brand:#6b1d1d}") {
		t.Errorf("the widgets' stylesheet ends with %q, want the Comune's colour last", css[max(0, len(css)-60):])
	}
	if !strings.Contains(readFile(t, filepath.Join(out, "sitemap.xml")), "https://shaps.comune.casteggio.pv.it/associazioni/") {
		t.Errorf("sitemap: want the new base URL")
	}

	// The intake renders its pages from the same portal.yaml.
	base := portalServerFor(t, out, data)
	resp, err := http.Get(base + "/richieste/inviata/?codice=VG-7K4M-Q2")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`<img class="icon" src="/img/ente.png"`, "Comune di Casteggio"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("intake's thanks page: want %q in it", want)
		}
	}
	if strings.Contains(b.String(), "Voghera") {
		t.Errorf("intake's thanks page still names Voghera")
	}
}
