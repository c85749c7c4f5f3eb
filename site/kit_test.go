package site_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"maps"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/site"
)

func TestSubset(t *testing.T) {
	used := map[string]bool{"card": true, "btn": true, "btn-primary": true}
	tests := []struct {
		name, css, want string
	}{
		{"a rule of used classes", `.card{padding:1rem}`, `.card{padding:1rem;}`},
		{"a rule of an unused class", `.modal{display:none}`, ``},
		{"elements and :root stay", `:root{--x: '1'}body{margin:0}`, `:root{--x:'1';}body{margin:0;}`},
		{"only the used selectors of a list", `.card,.modal .btn,a.btn-primary:hover{color:red!important}`, `.card,a.btn-primary:hover{color:red!important;}`},
		{"a class inside :not counts", `.btn:not(.modal){x:1}`, ``},
		{"media blocks keep what they hold", `@media (min-width:992px){.card{x:1}.modal{y:2}}`, `@media (min-width:992px){.card{x:1;}}`},
		{"an emptied media block goes", `@media print{.modal{y:2}}`, ``},
		{"fonts and animations go", `@font-face{font-family:x;src:url(a)}@keyframes k{0%{a:b}}.btn{z:1}`, `.btn{z:1;}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := site.Subset([]byte(tt.css), used)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q want %q", got, tt.want)
			}
		})
	}
}

// TestNewKit cuts the real kit from site/node_modules, as npm ci --prefix site installs it.
func TestNewKit(t *testing.T) {
	k, err := site.NewKit(os.DirFS("."))
	if errors.Is(err, site.ErrNoKit) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("bootstrap-italia is not installed; .ci/run installs it (npm ci --prefix site)")
		}
		t.Skip("bootstrap-italia is not installed (npm ci --prefix site)")
	}
	if err != nil {
		t.Fatal(err)
	}
	css := string(k.CSS)
	for _, want := range []string{`--bootstrap-italia-version:"2.`, `.it-header-wrapper`, `.breadcrumb`, `font-family:"Titillium Web"`} {
		if !strings.Contains(css, want) {
			t.Errorf("kit: want %q in the stylesheet", want)
		}
	}
	// A class the templates never write stays out: the kit is large, the pages use little of it.
	if strings.Contains(css, ".it-carousel-wrapper") {
		t.Errorf("kit: got the carousel's rules, which no template uses")
	}
	if len(k.Fonts) != 3 {
		t.Errorf("got %d fonts, want 3 (Titillium Web 400, 600, 700)", len(k.Fonts))
	}
	size := 0
	for p, b := range k.Fonts {
		if !strings.Contains(css, "url("+p+")") {
			t.Errorf("font %s: want the stylesheet to declare it", p)
		}
		size += len(b) // woff2 is compressed already
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(k.CSS)
	w.Close()
	// The first visit's budget is 100 KB gzipped for the stylesheet and the fonts; the kit must
	// leave room for the site's own rules.
	if total := gz.Len() + size; total > 80_000 {
		t.Errorf("kit: got %d bytes gzipped with its fonts, want at most 80000", total)
	}
}

func TestNewFrameWithKit(t *testing.T) {
	src := fstest.MapFS{}
	for _, name := range []string{"assets/css/main.css", "assets/js/request.js", "assets/js/search.js", "assets/js/area.js"} {
		b, err := site.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		src[name] = &fstest.MapFile{Data: b}
	}
	without, err := site.NewFrame(src, catalog.Portal{})
	if err != nil {
		t.Fatal(err)
	}
	// The kit's first line, the hash of what it was cut from, is a comment the frame drops.
	src[site.KitPath] = &fstest.MapFile{Data: []byte("/* kit sha256:0123 */\n.it-kit-rule{color:red}")}
	with, err := site.NewFrame(src, catalog.Portal{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(with.Stylesheet.Body, []byte(".it-kit-rule{color:red}")) || with.Stylesheet.Path == without.Stylesheet.Path {
		t.Errorf("got %s starting %q, want the kit first and a new path", with.Stylesheet.Path, with.Stylesheet.Body[:30])
	}
}

// kitSources is a small site with a UI kit: its stylesheet, package, fonts and templates.
func kitSources() fstest.MapFS {
	src := fstest.MapFS{
		"node_modules/bootstrap-italia/dist/css/bootstrap-italia.min.css": {Data: []byte(".card{padding:1rem}.modal{display:none}.btn{color:red}")},
		"node_modules/bootstrap-italia/package.json":                      {Data: []byte(`{"version":"2.18.3"}`)},
		"layouts/home.html": {Data: []byte(`<div class="card">{{ .Title }}</div>`)},
	}
	for _, w := range []string{"400", "600", "700"} {
		src["node_modules/@fontsource/titillium-web/files/titillium-web-latin-"+w+"-normal.woff2"] = &fstest.MapFile{Data: []byte("font " + w)}
	}
	return src
}

// TestNewKitReusesItsCut: a kit cut from the same sources is taken as it is, and a change to any
// of them (the kit's stylesheet, its version, a font, a template's words) cuts it again, though
// a kit made before lies at KitPath.
func TestNewKitReusesItsCut(t *testing.T) {
	first, err := site.NewKit(kitSources())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(first.CSS), ".card{padding:1rem;}") || strings.Contains(string(first.CSS), ".modal") {
		t.Fatalf("got %s, want .card's rule and not .modal's", first.CSS)
	}

	// What lies at KitPath under the same first line is what the kit becomes: it is not cut again.
	src := kitSources()
	kept := append(bytes.Clone(first.CSS), "/* kept */\n"...)
	src[site.KitPath] = &fstest.MapFile{Data: kept}
	again, err := site.NewKit(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.CSS, kept) || len(again.Fonts) != 3 {
		t.Errorf("same sources: got %q and %d fonts, want the kit at KitPath and 3 fonts", again.CSS, len(again.Fonts))
	}

	changes := []struct {
		name, file, data, want string
	}{
		{"the kit's stylesheet", "node_modules/bootstrap-italia/dist/css/bootstrap-italia.min.css", ".card{padding:2rem}", ".card{padding:2rem;}"},
		{"the kit's version", "node_modules/bootstrap-italia/package.json", `{"version":"2.19.0"}`, `--bootstrap-italia-version:"2.19.0"`},
		{"a font", "node_modules/@fontsource/titillium-web/files/titillium-web-latin-600-normal.woff2", "another font", "font-weight:600"},
		{"a template's words", "layouts/home.html", `<div class="card"><a class="btn">x</a></div>`, ".btn{color:red;}"},
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			src := kitSources()
			src[site.KitPath] = &fstest.MapFile{Data: kept}
			src[c.file] = &fstest.MapFile{Data: []byte(c.data)}
			got, err := site.NewKit(src)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(got.CSS, kept) || bytes.Equal(got.CSS, first.CSS) || !strings.Contains(string(got.CSS), c.want) {
				t.Errorf("got %s, want a new kit with %s", got.CSS, c.want)
			}
			if fresh, _ := site.NewKit(withoutKit(src)); !bytes.Equal(got.CSS, fresh.CSS) {
				t.Errorf("got %s, want what a first cut gives: %s", got.CSS, fresh.CSS)
			}
		})
	}
}

func withoutKit(src fstest.MapFS) fstest.MapFS {
	out := maps.Clone(src)
	delete(out, site.KitPath)
	return out
}

// BenchmarkNewKit is the kit's share of a build: cut from the npm packages, and kept when the
// kit at KitPath was cut from the same sources (go test -run XXX -bench NewKit ./site/).
func BenchmarkNewKit(b *testing.B) {
	src := os.DirFS(".")
	if _, err := site.NewKit(src); errors.Is(err, site.ErrNoKit) {
		b.Skip("bootstrap-italia is not installed (npm ci --prefix site)")
	}
	mem := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == site.KitPath {
			return err
		}
		if !strings.HasPrefix(p, "node_modules/bootstrap-italia/dist/css/") && !strings.HasPrefix(p, "node_modules/@fontsource/titillium-web/files/titillium-web-latin-") &&
			p != "node_modules/bootstrap-italia/package.json" && !strings.HasPrefix(p, "layouts/") {
			return nil
		}
		data, err := fs.ReadFile(src, p)
		mem[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("cut", func(b *testing.B) {
		for b.Loop() {
			if _, err := site.NewKit(mem); err != nil {
				b.Fatal(err)
			}
		}
	})
	k, err := site.NewKit(mem)
	if err != nil {
		b.Fatal(err)
	}
	kept := maps.Clone(mem)
	kept[site.KitPath] = &fstest.MapFile{Data: k.CSS}
	b.Run("kept", func(b *testing.B) {
		for b.Loop() {
			if _, err := site.NewKit(kept); err != nil {
				b.Fatal(err)
			}
		}
	})
}
