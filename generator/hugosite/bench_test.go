package hugosite

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/feeds"
	"github.com/shaps-portal/shaps/site"
)

var benchNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// scaledData copies the demo data n times over, each copy with its own association slugs.
func scaledData(b *testing.B, n int) string {
	b.Helper()
	src := filepath.Join("..", "..", "data")
	dst := b.TempDir()
	copyFile := func(from, to string) {
		data, err := os.ReadFile(from)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	top, err := os.ReadDir(src)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range top { // portal.yaml and the Comune's logo
		if !e.IsDir() && filepath.Ext(e.Name()) != ".go" {
			copyFile(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()))
		}
	}
	entries, err := os.ReadDir(filepath.Join(src, "associations"))
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		for _, e := range entries {
			root := filepath.Join(src, "associations", e.Name())
			slug := e.Name()
			if i > 0 {
				slug = fmt.Sprintf("%s-%d", e.Name(), i)
			}
			err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(root, path)
				copyFile(path, filepath.Join(dst, "associations", slug, rel))
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	return dst
}

// peakHeap samples the heap while f runs and returns the largest size seen, in MB.
func peakHeap(f func()) float64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	return float64(peak.Load()) / (1 << 20)
}

func countPages(b *testing.B, dir string) int {
	b.Helper()
	n := 0
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".html") {
			n++
		}
		return err
	})
	return n
}

// cold leaves out the untimed first run of each side of BenchmarkPipeline, so that the first side
// measured also pays for what a process does once (go test -bench Pipeline -args -cold).
var cold = flag.Bool("cold", false, "BenchmarkPipeline: no untimed first run of each side")

// warmUp runs a side once, untimed, unless -cold: the side benchmarked first would otherwise pay
// alone for Hugo's first use in the process, which the sides after it find done.
func warmUp(run func()) {
	if !*cold {
		run()
	}
}

// BenchmarkPipeline measures load, validation, the Hugo build and the feeds on 1×, 10× and 100×
// the demo data, side by side with Hugo alone rendering the same pages from the same prepared data,
// and with plain embedded Hugo rendering as many minimal pages.
func BenchmarkPipeline(b *testing.B) {
	for _, scale := range []int{1, 10, 100} {
		data := scaledData(b, scale)
		pages := 0
		b.Run(fmt.Sprintf("portal/%dx", scale), func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "public")
			build := func() {
				cat, ps := catalog.LoadDir(data, benchNow)
				if len(ps.Errors()) > 0 {
					b.Fatal(ps.Error())
				}
				err := Build(context.Background(), cat, Options{
					Layout: Layout{SiteDir: "../../site", ContentDir: "../../content"},
					Out:    out,
					Now:    benchNow,
					Publish: func(dir string) error {
						_, err := feeds.Write(dir, cat, feeds.Options{BaseURL: cat.Portal.BaseURL, Since: benchNow.AddDate(0, -6, 0), Now: benchNow, Labels: feeds.Labels{AllEvents: "Eventi", Cancelled: "Annullato", Postponed: "Rinviato", Upcoming: "Prossimi eventi"}})
						return err
					},
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			warmUp(build)
			var peak float64
			for b.Loop() {
				peak = max(peak, peakHeap(build))
			}
			pages = countPages(b, out)
			reportPerPage(b, pages, peak)
		})
		b.Run(fmt.Sprintf("hugo-only/%dx", scale), func(b *testing.B) {
			// The same templates on the same prepared data: Hugo's share of the pipeline.
			cat, ps := catalog.LoadDir(data, benchNow)
			if len(ps.Errors()) > 0 {
				b.Fatal(ps.Error())
			}
			work := b.TempDir()
			frame, err := site.NewFrame(os.DirFS("../../site"), cat.Portal)
			if err != nil {
				b.Fatal(err)
			}
			if err := prepare(work, cat, frame, benchNow); err != nil {
				b.Fatal(err)
			}
			out := filepath.Join(b.TempDir(), "public")
			hugo := func() {
				if err := render(context.Background(), Layout{SiteDir: "../../site", ContentDir: "../../content"}, work, out, cat.Portal.BaseURL, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			warmUp(hugo)
			var peak float64
			for b.Loop() {
				peak = max(peak, peakHeap(hugo))
			}
			got := countPages(b, out)
			reportPerPage(b, got, peak)
		})
		b.Run(fmt.Sprintf("plain-hugo/%dx", scale), func(b *testing.B) {
			site, content := plainSite(b, pages)
			out := filepath.Join(b.TempDir(), "public")
			work := b.TempDir()
			if err := mkdirs(filepath.Join(work, "data"), filepath.Join(work, "assets")); err != nil {
				b.Fatal(err)
			}
			hugo := func() {
				if err := render(context.Background(), Layout{SiteDir: site, ContentDir: content}, work, out, "https://example.org/", io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			warmUp(hugo)
			var peak float64
			for b.Loop() {
				peak = max(peak, peakHeap(hugo))
			}
			got := countPages(b, out)
			reportPerPage(b, got, peak)
		})
	}
}

// reportPerPage reports the time per page of each run, the pages and the peak heap.
func reportPerPage(b *testing.B, pages int, peakMB float64) {
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(pages), "ms/page")
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(peakMB, "peak-heap-MB")
}

// plainSite writes a minimal Hugo site with n Markdown pages.
func plainSite(b *testing.B, n int) (site, content string) {
	b.Helper()
	site, content = b.TempDir(), b.TempDir()
	files := map[string]string{
		filepath.Join(site, "hugo.toml"):               "disableKinds = [\"taxonomy\", \"term\", \"rss\", \"sitemap\", \"robotsTXT\"]\n",
		filepath.Join(site, "layouts", "page.html"):    "<!DOCTYPE html><html lang=\"it\"><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}</html>\n",
		filepath.Join(site, "layouts", "home.html"):    "<!DOCTYPE html><html lang=\"it\"><title>{{ .Title }}</title></html>\n",
		filepath.Join(site, "layouts", "section.html"): "<!DOCTYPE html><html lang=\"it\"><title>{{ .Title }}</title></html>\n",
	}
	for _, d := range []string{"i18n", "assets", "static", "content"} {
		if err := os.MkdirAll(filepath.Join(site, d), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	for i := range n {
		files[filepath.Join(content, "pagine", fmt.Sprintf("p%d.md", i))] = fmt.Sprintf("---\ntitle: Pagina %d\n---\nUn paragrafo di **prova** numero %d.\n", i, i)
	}
	for path, body := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return site, content
}
