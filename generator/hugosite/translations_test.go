package hugosite_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
	"go.yaml.in/yaml/v3"
)

// TestPagesShowTranslations builds the base fixture, whose service is translated into English
// and Ukrainian by people and into Arabic by a program: each page shows the text in its own
// language where there is one, a program's translation marked as such, and otherwise the Italian
// original, in an element that says it is Italian, after a notice.
func TestPagesShowTranslations(t *testing.T) {
	cat, ps := catalog.LoadDir(filepath.Join("..", "catalog", "testdata", "base"), now)
	if errs := ps.Errors(); len(errs) > 0 {
		t.Fatalf("fixture: %v", errs)
	}
	out, err := build(t, cat)
	if err != nil {
		t.Fatal(err)
	}
	const (
		onlyItalian = `<p class="text-notice">`
		italianIt   = "Questo testo è disponibile solo in italiano."
		machineIt   = "Traduzione automatica, non ancora rivista da una persona."
	)
	tests := []struct {
		name, path string
		want, not  []string
	}{
		{"Italian: the originals, no notice", "servizi/alfa/trasporto/index.html",
			[]string{`<h1 data-element="service-title">Trasporto</h1>`, `<p class="lead" data-element="service-description">Accompagnamento alle visite.</p>`},
			[]string{onlyItalian, "Transport", `<span lang="it">`, `<div lang="it">`, `data-element="service-description" lang="it"`}},
		{"English: people's translations, unmarked", "en/servizi/alfa/trasporto/index.html",
			[]string{`<h1 data-element="service-title">Transport</h1>`, `<p class="lead" data-element="service-description">Rides to medical appointments.</p>`, "<title>Transport"},
			[]string{onlyItalian}},
		{"Ukrainian: the name translated, the summary in Italian after the notice", "uk/servizi/alfa/trasporto/index.html",
			[]string{`<h1 data-element="service-title">Перевезення</h1>`, onlyItalian, `<p class="lead" data-element="service-description" lang="it">Accompagnamento alle visite.</p>`},
			nil},
		{"Arabic: the name in Italian, the summary a program's, marked", "ar/servizi/alfa/trasporto/index.html",
			[]string{`<h1 data-element="service-title" lang="it">Trasporto</h1>`, onlyItalian, `<p class="lead" data-element="service-description">مرافقة إلى المواعيد الطبية.</p>`},
			nil},
		{"Romanian: the association's Markdown description in Italian, marked", "ro/associazioni/alfa/index.html",
			[]string{`<h1 lang="it">Associazione Alfa</h1>`, `<div lang="it"><p>Fa <strong>cose</strong> utili.</p>`, onlyItalian},
			nil},
		{"English list: the card in English", "en/servizi/index.html",
			[]string{`data-element="service-link">Transport</a>`, `<p class="card-text">Rides to medical appointments.</p>`},
			nil},
		{"Romanian list: the card in Italian, said so", "ro/servizi/index.html",
			[]string{`data-element="service-link"><span lang="it">Trasporto</span></a>`, `<p class="card-text" lang="it">Accompagnamento alle visite.</p>`},
			nil},
	}
	for _, tt := range tests {
		html := page(t, out, tt.path)
		for _, w := range tt.want {
			if !strings.Contains(html, w) {
				t.Errorf("%s: %s: want %q in it", tt.name, tt.path, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(html, n) {
				t.Errorf("%s: %s: got %q in it, want it absent", tt.name, tt.path, n)
			}
		}
	}
	// The notices are in the page's language, as its i18n file words them.
	for _, tt := range []struct{ lang, path, key string }{
		{"en", "en/associazioni/alfa/index.html", "text_only_italian"},
		{"ar", "ar/servizi/alfa/trasporto/index.html", "text_machine_translated"},
		{"zh-hans", "zh-hans/servizi/alfa/trasporto/index.html", "text_only_italian"},
	} {
		b, err := os.ReadFile(filepath.Join(layout.SiteDir, "i18n", tt.lang+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var texts map[string]any
		if err := yaml.Unmarshal(b, &texts); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf(`<p class="text-notice">%s</p>`, texts[tt.key])
		if got := page(t, out, tt.path); !strings.Contains(got, want) {
			t.Errorf("%s: want the notice %s in it", tt.path, want)
		}
	}
	ar := page(t, out, "ar/servizi/alfa/trasporto/index.html")
	notices := regexp.MustCompile(`<p class="text-notice">([^<]*)</p>`).FindAllStringSubmatch(ar, -1)
	if len(notices) != 2 {
		t.Fatalf("Arabic service page: got notices %q, want two: the summary, a program's, shown as itself and as what one gets", notices)
	}
	for _, n := range notices {
		if n[1] == "" {
			t.Errorf("Arabic service page: got an empty notice")
		}
	}
	if it := page(t, out, "servizi/alfa/trasporto/index.html"); strings.Contains(it, italianIt) || strings.Contains(it, machineIt) {
		t.Errorf("Italian service page: got a translation notice, want none")
	}
}
