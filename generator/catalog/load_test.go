package catalog_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
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
	_, ps := catalog.LoadDir(dir, today)
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
	cat, ps := catalog.LoadDir(dir, today)
	if len(ps.Errors()) != 0 {
		t.Fatalf("demo data: got problems\n%s\nwant none", ps.Error())
	}
	// One demo association is stale on purpose, to show the notice.
	if w := ps.Warnings(); len(w) != 1 || !strings.Contains(w[0].String(), "banco-solidale-iriense/association.yaml") || !strings.Contains(w[0].Message, "più di 12 mesi fa") {
		t.Errorf("demo data: got warnings\n%s\nwant the one stale association", w.Error())
	}
	if len(cat.Synonyms) < 20 {
		t.Errorf("demo data: got %d synonyms from synonyms.yaml, want the starting list", len(cat.Synonyms))
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
			dir, ar, want := problemCase(t, file)
			got := problems(t, dir)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s\ngot:\n%s\nwant:\n%s", strings.TrimSpace(string(ar.Comment)), strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// problemCase writes the base fixture changed by the archive file into a folder, and returns it,
// the archive and the problems it wants.
func problemCase(t *testing.T, file string) (dir string, ar *txtar.Archive, want []string) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	copyDir(t, "testdata/base", dir)
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
	return dir, ar, want
}

// TestReadAheadChangesNothing: the files parsed ahead on other cores give the catalog and the
// problems that one core gives, on the demo data and on every problem case.
func TestReadAheadChangesNothing(t *testing.T) {
	cases, err := filepath.Glob("testdata/problems/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases found: %v", err)
	}
	dirs := map[string]string{"demo": filepath.Join("..", "..", "data")}
	for _, file := range cases {
		dir, _, _ := problemCase(t, file)
		dirs[filepath.Base(file)] = dir
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for name, dir := range dirs {
		runtime.GOMAXPROCS(1)
		one, oneProblems := catalog.LoadDir(dir, today)
		again, _ := catalog.LoadDir(dir, today)
		runtime.GOMAXPROCS(4)
		ahead, aheadProblems := catalog.LoadDir(dir, today)
		if !reflect.DeepEqual(oneProblems, aheadProblems) {
			t.Errorf("%s: problems with the read-ahead:\n%s\nwant, as on one core:\n%s", name, lines(aheadProblems), lines(oneProblems))
		}
		// A catalog holding a NaN (a case of a coordinate that is not finite) is unequal even to
		// itself loaded again.
		if reflect.DeepEqual(one, again) && !reflect.DeepEqual(one, ahead) {
			t.Errorf("%s: the catalog read ahead differs from the one read on one core", name)
		}
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

// baseFS is the base fixture as an in-memory file system, with files changed by edits.
func baseFS(t testing.TB, edits map[string]string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("testdata/base"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(filepath.Join("testdata", "base", filepath.FromSlash(p)))
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, content := range edits {
		m[p] = &fstest.MapFile{Data: []byte(content)}
	}
	return m
}

func lines(ps catalog.Problems) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return strings.Join(out, "\n")
}

// TestLoadFS: over an fs.FS, as the intake loads its embedded copy, problems name files by their
// path in it.
func TestLoadFS(t *testing.T) {
	cat, ps := catalog.Load(baseFS(t, map[string]string{"associations/alfa/services/trasporto.yaml": "name: Trasporto\n"}), today)
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Field))
	}
	want := "associations/alfa/services/trasporto.yaml:1:1: summary\nassociations/alfa/services/trasporto.yaml:1:1: categories"
	if strings.Join(got, "\n") != want {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
	if len(cat.Associations) != 1 || cat.Associations[0].LogoPath != "associations/alfa/logo.svg" || len(cat.Associations[0].Events) != 1 {
		t.Errorf("got %+v, want association alfa with its logo and event", cat.Associations)
	}
}

// TestSymlinks: a link in the data folder is refused where it is, and what it points to is never
// read, so that neither a page nor a message shows a file that is not the data.
func TestSymlinks(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "passwd")
	if err := os.WriteFile(secret, []byte("root:x:0:0:SEGRETO:/root:/bin/bash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logo := filepath.Join(outside, "logo.svg")
	if err := os.WriteFile(logo, []byte(`<svg xmlns="http://www.w3.org/2000/svg"><title>SEGRETO</title></svg>`), 0o644); err != nil {
		t.Fatal(err)
	}
	otherAssoc := filepath.Join(outside, "gamma")
	copyDir(t, "testdata/base/associations/alfa", otherAssoc)

	dir := t.TempDir()
	copyDir(t, "testdata/base", dir)
	alfa := filepath.Join(dir, "associations", "alfa")
	for link, target := range map[string]string{
		filepath.Join(alfa, "services", "trasporto.yaml"): secret,                 // a data file leaving data/
		filepath.Join(alfa, "logo.svg"):                   logo,                   // a logo leaving data/
		filepath.Join(alfa, "events", "copia.yaml"):       "incontro.yaml",        // a link inside data/
		filepath.Join(dir, "associations", "gamma"):       otherAssoc,             // a folder leaving data/
		filepath.Join(alfa, "events", "altro.yaml"):       "../../../portal.yaml", // a data file pointing at another
	} {
		if err := os.Remove(link); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	const msg = "è un collegamento simbolico; i dati si leggono solo da file veri dentro la cartella dei dati: metterci il file al posto del collegamento"
	want := []string{
		"associations/alfa/association.yaml:15:7: logo: logo.svg " + msg,
		"associations/alfa/events/altro.yaml:1:1: " + msg,
		"associations/alfa/events/copia.yaml:1:1: " + msg,
		"associations/alfa/services/trasporto.yaml:1:1: " + msg,
		"associations/gamma:1:1: " + msg,
	}
	got := problems(t, dir)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := strings.Join(got, "\n"); strings.Contains(s, "SEGRETO") || strings.Contains(s, "root:") {
		t.Errorf("a message shows the content of a file outside the data:\n%s", s)
	}
}

// TestLimits: a file, a text and a folder too large for any real data are refused with a message
// that says the limit, before they cost time or memory.
func TestLimits(t *testing.T) {
	tooMany := fstest.MapFS{}
	for i := range catalog.MaxFiles + 1 {
		tooMany[fmt.Sprintf("associations/alfa/events/e%05d.yaml", i)] = &fstest.MapFile{}
	}
	tests := []struct {
		name  string
		edits map[string]string
		more  fstest.MapFS
		want  string
	}{
		{
			name:  "a file over the size limit",
			edits: map[string]string{"associations/alfa/services/trasporto.yaml": "name: Trasporto\n# " + strings.Repeat("x", catalog.MaxFileBytes)},
			want:  "associations/alfa/services/trasporto.yaml:1:1: il file pesa più di 1024 KB; accorciare i testi (al massimo 20000 caratteri ciascuno)",
		},
		{
			name:  "a text over the length limit",
			edits: map[string]string{"associations/alfa/services/trasporto.yaml": "name: Trasporto\nsummary: In breve.\ncategories: [salute]\ndescription: " + strings.Repeat("è", catalog.MaxText+1) + "\n"},
			want:  "associations/alfa/services/trasporto.yaml:4:14: description: troppo lungo; accorciarlo a non più di 20000 caratteri (ne ha 20001)",
		},
		{
			name:  "a text at the length limit",
			edits: map[string]string{"associations/alfa/services/trasporto.yaml": "name: Trasporto\nsummary: In breve.\ncategories: [salute]\ndescription: " + strings.Repeat("è", catalog.MaxText) + "\n"},
		},
		{
			name: "too many files",
			more: tooMany,
			want: "associations/alfa/events:1:1: la cartella dei dati ha più di 20000 file; se ne leggono al massimo 20000: togliere quelli che non servono",
		},
		{
			name:  "too many social links",
			edits: map[string]string{"associations/alfa/association.yaml": "name: Alfa\nsummary: In breve.\ndescription: Fa.\ncategories: [salute]\ncontacts: {email: alfa@example.org}\nsocial:\n" + strings.Repeat("  x: https://example.org\n", 0) + socialLinks(catalog.MaxMapItems+1)},
			want:  "associations/alfa/association.yaml:7:3: social: ha 101 voci; tenerne al massimo 100",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := baseFS(t, tt.edits)
			maps.Copy(data, tt.more)
			_, ps := catalog.Load(data, today)
			if got := lines(ps); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func socialLinks(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "  rete%d: https://example.org/%d\n", i, i)
	}
	return b.String()
}

// BenchmarkExtraKeys loads a service file with n unknown keys: the time per key must not grow
// with n (go test -run XXX -bench ExtraKeys ./generator/catalog/).
func BenchmarkExtraKeys(b *testing.B) {
	for _, n := range []int{10000, 40000} {
		var y strings.Builder
		y.WriteString("name: Trasporto\nsummary: In breve.\ncategories: [salute]\n")
		for i := range n {
			fmt.Fprintf(&y, "k%d: v\n", i)
		}
		data := baseFS(b, map[string]string{"associations/alfa/services/trasporto.yaml": y.String()})
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, ps := catalog.Load(data, today); len(ps) != n {
					b.Fatalf("got %d problems, want %d", len(ps), n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/key")
		})
	}
}
