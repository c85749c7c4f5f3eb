package feeds_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/feeds"
)

var update = flag.Bool("update", false, "rewrite the golden feeds")

var (
	now    = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	labels = feeds.Labels{AllEvents: "Eventi", Cancelled: "Annullato", Postponed: "Rinviato", Upcoming: "Prossimi eventi"}
)

// writeFeeds loads a data directory and writes its feeds into a temporary site directory.
func writeFeeds(t *testing.T, data string) (*catalog.Catalog, string) {
	t.Helper()
	cat, ps := catalog.LoadDir(data, now)
	if len(ps.Errors()) > 0 {
		t.Fatalf("%s has problems:\n%s", data, ps.Error())
	}
	dir := t.TempDir()
	n, err := feeds.Write(dir, cat, feeds.Options{BaseURL: cat.Portal.BaseURL, Since: now.AddDate(0, -6, 0), Now: now, Labels: labels})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no feed written")
	}
	return cat, dir
}

// feedFiles lists the files under dir whose names end in ext (.ics, .atom).
func feedFiles(t *testing.T, ext, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ext) {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGoldenFeeds(t *testing.T) {
	_, dir := writeFeeds(t, "testdata/data")
	for _, name := range []string{"eventi/calendario.ics", "eventi/beta/testo-difficile/evento.ics", "categorie/famiglie-minori/calendario.ics"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(name, "/", "_"))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (go test -update rewrites it):\ngot:\n%s", name, golden, got)
		}
	}
}

var tzidRE = regexp.MustCompile(`TZID=([^:;]+)`)

// checkFeed applies the rules that make calendar apps drop a feed when broken.
func checkFeed(t *testing.T, name string, b []byte) {
	uids := map[string]bool{}
	t.Helper()
	if !utf8.Valid(b) {
		t.Errorf("%s: not valid UTF-8", name)
	}
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("%s: does not end with CRLF", name)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	declared := map[string]bool{}
	used := map[string]bool{}
	var inEvent bool
	var uidCount, stampCount int
	var unfolded []string
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("%s:%d: bare CR or LF inside a line", name, i+1)
		}
		if len(l) > 75 {
			t.Errorf("%s:%d: line of %d octets, want at most 75", name, i+1, len(l))
		}
		if !utf8.ValidString(l) {
			t.Errorf("%s:%d: a fold splits a UTF-8 character", name, i+1)
		}
		if strings.HasPrefix(l, " ") && len(unfolded) > 0 {
			unfolded[len(unfolded)-1] += l[1:]
			continue
		}
		unfolded = append(unfolded, l)
	}
	for _, l := range unfolded {
		switch {
		case l == "BEGIN:VEVENT":
			inEvent, uidCount, stampCount = true, 0, 0
		case l == "END:VEVENT":
			inEvent = false
			if uidCount != 1 || stampCount != 1 {
				t.Errorf("%s: a VEVENT has %d UID and %d DTSTAMP, want exactly one of each", name, uidCount, stampCount)
			}
		case strings.HasPrefix(l, "TZID:"):
			declared[strings.TrimPrefix(l, "TZID:")] = true
		case inEvent && strings.HasPrefix(l, "UID:"):
			uidCount++
			uid := strings.TrimPrefix(l, "UID:")
			if uids[uid] {
				t.Errorf("%s: UID %s appears twice", name, uid)
			}
			uids[uid] = true
		case inEvent && strings.HasPrefix(l, "DTSTAMP:"):
			stampCount++
		}
		for _, m := range tzidRE.FindAllStringSubmatch(l, -1) {
			used[m[1]] = true
		}
	}
	for tz := range used {
		if !declared[tz] {
			t.Errorf("%s: TZID %s is used but has no VTIMEZONE", name, tz)
		}
	}
}

func TestFeedsAreWellFormed(t *testing.T) {
	for _, data := range []string{"testdata/data", "../../data"} {
		_, dir := writeFeeds(t, data)
		files := feedFiles(t, ".ics", dir)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			checkFeed(t, strings.TrimPrefix(f, dir), b)
		}
	}
}

func TestDeterministicAndStable(t *testing.T) {
	_, a := writeFeeds(t, "../../data")
	_, b := writeFeeds(t, "../../data")
	for _, f := range feedFiles(t, ".ics", a) {
		x, _ := os.ReadFile(f)
		y, _ := os.ReadFile(filepath.Join(b, strings.TrimPrefix(f, a)))
		if !bytes.Equal(x, y) {
			t.Errorf("%s: differs between two runs on the same data", strings.TrimPrefix(f, a))
		}
	}
}

// parsed is what the real parsers report of a feed.
type parsed map[string]struct {
	Name   string `json:"name"`
	Events []struct {
		UID     string   `json:"uid"`
		Summary string   `json:"summary"`
		Status  string   `json:"status"`
		Starts  []string `json:"starts"`
	} `json:"events"`
}

const maxOccurrences = 60

// expected computes, from the YAML, the events and first occurrences each feed must hold.
func expected(cat *catalog.Catalog, file, dir string) map[string][]string {
	rel := filepath.ToSlash(strings.TrimPrefix(file, dir+string(filepath.Separator)))
	since := now.AddDate(0, -6, 0)
	out := map[string][]string{}
	for _, a := range cat.Associations {
		for _, e := range a.Events {
			single := rel == "eventi/"+a.Slug+"/"+e.Slug+"/evento.ics"
			inFeed := rel == "eventi/calendario.ics" || rel == "associazioni/"+a.Slug+"/calendario.ics"
			for _, c := range e.EffectiveCategories() {
				inFeed = inFeed || rel == "categorie/"+c+"/calendario.ics"
			}
			far := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
			if !single && (!inFeed || len(e.Occurrences(since, far)) == 0) {
				continue
			}
			var starts []string
			for _, o := range e.Occurrences(time.Time{}, far) {
				if len(starts) == maxOccurrences {
					break
				}
				if e.AllDay {
					starts = append(starts, o.Start.Format("2006-01-02"))
				} else {
					starts = append(starts, o.Start.UTC().Format("2006-01-02T15:04:05Z"))
				}
			}
			summary := e.Title
			if e.Status == "cancelled" {
				summary = labels.Cancelled + ": " + e.Title
			} else if e.Status == "postponed" {
				summary = labels.Postponed + ": " + e.Title
			}
			out[summary] = starts
		}
	}
	return out
}

func tool(t *testing.T, name string, path ...string) string {
	t.Helper()
	for _, p := range append([]string{name}, path...) {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; CI must install it (see .ci/run)", name)
	}
	t.Skipf("%s is not installed; run .ci/run or install it to run this test", name)
	return ""
}

// realParser runs a real iCalendar parser over files and prints what it read as parsed.
type realParser struct {
	name string
	cmd  func(t *testing.T, files []string) *exec.Cmd
}

func realParsers() []realParser {
	repo, _ := filepath.Abs("../..")
	nodeModules := filepath.Join(repo, ".ci", "node_modules")
	return []realParser{
		{"ical.js", func(t *testing.T, files []string) *exec.Cmd {
			if _, err := os.Stat(filepath.Join(nodeModules, "ical.js")); err != nil {
				tool(t, "ical.js in .ci/node_modules")
			}
			c := exec.Command(tool(t, "node"), append([]string{"testdata/parse-icaljs.mjs", "60"}, files...)...)
			// ESM ignores NODE_PATH: the script loads the package from this folder.
			c.Env = append(os.Environ(), "SHAPS_NODE_MODULES="+nodeModules)
			return c
		}},
		{"vobject", func(t *testing.T, files []string) *exec.Cmd {
			py := tool(t, "python3 with vobject", "/usr/bin/python3")
			if exec.Command(py, "-c", "import vobject").Run() != nil {
				tool(t, "python3-vobject")
			}
			return exec.Command(py, append([]string{"testdata/parse_vobject.py", "60"}, files...)...)
		}},
	}
}

// run parses files with the parser.
func (p realParser) run(t *testing.T, files []string) parsed {
	t.Helper()
	cmd := p.cmd(t, files)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s failed: %v\n%s", p.name, err, stderr.String())
	}
	var got parsed
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%s output: %v", p.name, err)
	}
	return got
}

func TestRealParsers(t *testing.T) {
	parsers := realParsers()
	for _, data := range []string{"testdata/data", "../../data"} {
		cat, dir := writeFeeds(t, data)
		files := feedFiles(t, ".ics", dir)
		for _, p := range parsers {
			t.Run(p.name+" "+data, func(t *testing.T) {
				got := p.run(t, files)
				if len(got) != len(files) {
					t.Fatalf("%s parsed %d feeds, want %d", p.name, len(got), len(files))
				}
				for _, f := range files {
					feed := got[f]
					want := expected(cat, f, dir)
					rel := strings.TrimPrefix(f, dir)
					if len(feed.Events) != len(want) {
						t.Errorf("%s %s: got %d events, want %d", p.name, rel, len(feed.Events), len(want))
					}
					if feed.Name == "" {
						t.Errorf("%s %s: no calendar name", p.name, rel)
					}
					for _, ev := range feed.Events {
						starts, ok := want[ev.Summary]
						if !ok {
							t.Errorf("%s %s: got event %q, not in the data", p.name, rel, ev.Summary)
							continue
						}
						if !slices.Equal(ev.Starts, starts) {
							t.Errorf("%s %s %q: got starts\n%v\nwant\n%v", p.name, rel, ev.Summary, ev.Starts, starts)
						}
					}
				}
			})
		}
	}
}
