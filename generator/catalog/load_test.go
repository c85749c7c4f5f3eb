package catalog_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"golang.org/x/tools/txtar"
)

var today = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// copyDir copies the base fixture into a fresh directory.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}

// problems loads dir and returns its problems as lines with paths relative to dir.
func problems(t *testing.T, dir string) []string {
	t.Helper()
	_, ps := catalog.Load(dir, today)
	var lines []string
	for _, p := range ps {
		lines = append(lines, strings.TrimPrefix(p.String(), dir+string(filepath.Separator)))
	}
	return lines
}

func TestBaseFixtureIsValid(t *testing.T) {
	if got := problems(t, "testdata/base"); len(got) != 0 {
		t.Fatalf("base fixture: got problems\n%s\nwant none", strings.Join(got, "\n"))
	}
}

func TestDemoDataIsValid(t *testing.T) {
	dir := filepath.Join("..", "..", "data")
	cat, ps := catalog.Load(dir, today)
	if len(ps.Errors()) != 0 {
		t.Fatalf("demo data: got problems\n%s\nwant none", ps.Error())
	}
	// One demo association is stale on purpose, to show the notice.
	if w := ps.Warnings(); len(w) != 1 || !strings.Contains(w[0].String(), "banco-solidale-iriense/association.yaml") || !strings.Contains(w[0].Message, "più di 12 mesi fa") {
		t.Errorf("demo data: got warnings\n%s\nwant the one stale association", w.Error())
	}
	var services, events, recurring, allDay, cancelled int
	cats := map[string]bool{}
	for _, a := range cat.Associations {
		services += len(a.Services)
		events += len(a.Events)
		if a.LogoPath == "" || filepath.Ext(a.LogoPath) != ".svg" {
			t.Errorf("association %s: got logo %q, want its own SVG logo", a.Slug, a.LogoPath)
		}
		for _, s := range a.Services {
			for _, c := range s.Categories {
				cats[c] = true
			}
		}
		for _, e := range a.Events {
			for _, c := range e.EffectiveCategories() {
				cats[c] = true
			}
			if e.Recurrence != nil {
				recurring++
			}
			if e.AllDay {
				allDay++
			}
			if e.Status == "cancelled" {
				cancelled++
			}
		}
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"associations", len(cat.Associations), 8},
		{"services", services, 25},
		{"events", events, 30},
		{"recurring events", recurring, 2},
		{"all-day events", allDay, 1},
		{"cancelled events", cancelled, 1},
	}
	for _, c := range checks {
		if c.got < c.want {
			t.Errorf("demo data: got %d %s, want at least %d", c.got, c.what, c.want)
		}
	}
	for _, c := range cat.Portal.Categories {
		if !cats[c.ID] {
			t.Errorf("demo data: category %q has no service or event, want every category covered", c.ID)
		}
	}
}

// TestProblems loads the base fixture changed by each testdata/problems/*.txtar and compares the
// problems with the archive's "want" file, line by line.
func TestProblems(t *testing.T) {
	cases, err := filepath.Glob("testdata/problems/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases found: %v", err)
	}
	for _, file := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			copyDir(t, "testdata/base", dir)
			var want []string
			for _, f := range ar.Files {
				if f.Name == "want" {
					want = strings.Split(strings.TrimSpace(string(f.Data)), "\n")
					continue
				}
				path := filepath.Join(dir, filepath.FromSlash(f.Name))
				if bytes.Equal(bytes.TrimSpace(f.Data), []byte("#delete")) {
					if err := os.Remove(path); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got := problems(t, dir)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s\ngot:\n%s\nwant:\n%s", strings.TrimSpace(string(ar.Comment)), strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestLogoTooLarge(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "testdata/base", dir)
	big := append([]byte(`<svg xmlns="http://www.w3.org/2000/svg">`), bytes.Repeat([]byte(" "), catalog.MaxLogoBytes)...)
	if err := os.WriteFile(filepath.Join(dir, "associations", "alfa", "logo.svg"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(problems(t, dir), "\n")
	want := "associations/alfa/association.yaml:15:7: logo: logo.svg pesa 501 KB; ridurlo sotto i 500 KB"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestMissingPortalAndEmptyFile(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "testdata/base", dir)
	if err := os.Remove(filepath.Join(dir, "portal.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "associations", "alfa", "events", "incontro.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(problems(t, dir), "\n")
	want := "associations/alfa/events/incontro.yaml:1:1: il file è vuoto; scrivere almeno title, start\n" +
		"portal.yaml:1:1: il file manca; crearlo"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
