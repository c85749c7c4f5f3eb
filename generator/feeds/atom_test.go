package feeds_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/feeds"
)

// atomDoc is what RFC 4287 asks of a feed and its entries, read back with encoding/xml.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Authors []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Authors []struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary string `xml:"summary"`
	} `xml:"entry"`
}

// wantAtom is, from the YAML, every Atom feed the catalog must have, each with the ids of its
// entries in order: the events with an occurrence from the start of today, by the next one.
func wantAtom(cat *catalog.Catalog) map[string][]string {
	local := now.In(cat.Location)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, cat.Location)
	type up struct {
		id   string
		next time.Time
	}
	var ups []up
	feedsOf := map[string][]string{}
	want := map[string][]string{}
	for _, a := range cat.Associations {
		want["associazioni/"+a.Slug+"/"+feeds.AtomFile] = nil
		for _, e := range a.Events {
			occ, ok := e.Next(today)
			if !ok {
				continue
			}
			id := cat.Portal.BaseURL + "eventi/" + a.Slug + "/" + e.Slug + "/"
			ups = append(ups, up{id, occ.Start})
			feedsOf[id] = append(feedsOf[id], "associazioni/"+a.Slug+"/"+feeds.AtomFile)
			for _, c := range e.EffectiveCategories() {
				feedsOf[id] = append(feedsOf[id], "categorie/"+c+"/"+feeds.AtomFile)
			}
		}
	}
	for _, c := range cat.Portal.Categories {
		want["categorie/"+c.ID+"/"+feeds.AtomFile] = nil
	}
	slices.SortStableFunc(ups, func(x, y up) int { return cmp.Or(x.next.Compare(y.next), cmp.Compare(x.id, y.id)) })
	for _, u := range ups {
		for _, f := range feedsOf[u.id] {
			want[f] = append(want[f], u.id)
		}
	}
	return want
}

// TestAtomFeeds reads every Atom feed back with encoding/xml: each has what RFC 4287 requires
// (id, title, updated, an author, its self link) and holds exactly the upcoming events the YAML
// gives it, in order, each with its id, title, updated, author and link.
func TestAtomFeeds(t *testing.T) {
	for _, data := range []string{"testdata/data", "../../data"} {
		cat, dir := writeFeeds(t, data)
		want := wantAtom(cat)
		files := feedFiles(t, ".atom", dir)
		if len(files) != len(want) {
			t.Errorf("%s: got %d Atom feeds, want %d (one per association and per category)", data, len(files), len(want))
		}
		entries := 0
		for _, f := range files {
			rel := filepath.ToSlash(strings.TrimPrefix(f, dir+string(filepath.Separator)))
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var doc atomDoc
			if err := xml.Unmarshal(b, &doc); err != nil {
				t.Errorf("%s: %v", rel, err)
				continue
			}
			self := cat.Portal.BaseURL + rel
			if doc.ID != self || doc.Title == "" || len(doc.Authors) != 1 || doc.Authors[0].Name != cat.Portal.Name {
				t.Errorf("%s: got id %q, title %q, authors %v; want id %q, a title and the portal as author", rel, doc.ID, doc.Title, doc.Authors, self)
			}
			if _, err := time.Parse(time.RFC3339, doc.Updated); err != nil {
				t.Errorf("%s: updated %q is not an RFC 3339 date: %v", rel, doc.Updated, err)
			}
			var selfLink bool
			for _, l := range doc.Links {
				selfLink = selfLink || (l.Rel == "self" && l.Href == self && l.Type == "application/atom+xml")
			}
			if !selfLink {
				t.Errorf("%s: links %v, want rel=self to %s", rel, doc.Links, self)
			}
			var ids []string
			for _, e := range doc.Entries {
				ids = append(ids, e.ID)
				updated, err := time.Parse(time.RFC3339, e.Updated)
				if e.Title == "" || err != nil || len(e.Authors) != 1 || e.Authors[0].Name == "" || len(e.Links) != 1 || e.Links[0].Href != e.ID {
					t.Errorf("%s: entry %q: got title %q, updated %q, authors %v, links %v; want all of them", rel, e.ID, e.Title, e.Updated, e.Authors, e.Links)
				}
				if updated.After(now) {
					t.Errorf("%s: entry %q updated %s, after the build", rel, e.ID, e.Updated)
				}
				if doc.Updated < e.Updated {
					t.Errorf("%s: feed updated %s before its entry %q's %s", rel, doc.Updated, e.ID, e.Updated)
				}
			}
			entries += len(ids)
			if !slices.Equal(ids, want[rel]) {
				t.Errorf("%s: got entries\n%v\nwant\n%v", rel, ids, want[rel])
			}
		}
		if entries == 0 {
			t.Errorf("%s: no entry in any Atom feed", data)
		}
	}
}

func TestGoldenAtomFeed(t *testing.T) {
	_, dir := writeFeeds(t, "testdata/data")
	name := "categorie/famiglie-minori/eventi.atom"
	got, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden", strings.ReplaceAll(name, "/", "_"))
	if *update {
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

// TestAtomRealParser reads every Atom feed with Debian's python3-feedparser, as news readers do:
// no complaint, Atom 1.0, and the entries of the YAML with their titles and links.
func TestAtomRealParser(t *testing.T) {
	py := tool(t, "python3 with feedparser", "/usr/bin/python3")
	if exec.Command(py, "-c", "import feedparser").Run() != nil {
		tool(t, "python3-feedparser")
	}
	for _, data := range []string{"testdata/data", "../../data"} {
		cat, dir := writeFeeds(t, data)
		want := wantAtom(cat)
		files := feedFiles(t, ".atom", dir)
		cmd := exec.Command(py, append([]string{"testdata/parse_feedparser.py"}, files...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("feedparser: %v\n%s", err, stderr.String())
		}
		var got map[string]struct {
			Version       string `json:"version"`
			Bozo          bool   `json:"bozo"`
			BozoException string `json:"bozo_exception"`
			Title, ID     string
			Updated       string `json:"updated"`
			Entries       []struct {
				ID, Title, Link, Updated, Author string
			} `json:"entries"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("feedparser output: %v", err)
		}
		if len(got) != len(files) {
			t.Fatalf("feedparser read %d feeds, want %d", len(got), len(files))
		}
		for _, f := range files {
			rel := filepath.ToSlash(strings.TrimPrefix(f, dir+string(filepath.Separator)))
			p := got[f]
			if p.Version != "atom10" || p.Bozo || p.Title == "" || p.ID != cat.Portal.BaseURL+rel || p.Updated == "" {
				t.Errorf("%s: feedparser got version %q, bozo %v (%s), title %q, id %q, updated %q; want a sound Atom 1.0 feed", rel, p.Version, p.Bozo, p.BozoException, p.Title, p.ID, p.Updated)
			}
			var ids []string
			for _, e := range p.Entries {
				ids = append(ids, e.ID)
				if e.Title == "" || e.Link != e.ID || e.Updated == "" || e.Author == "" {
					t.Errorf("%s: feedparser entry %+v: want a title, the event's link, updated and author", rel, e)
				}
			}
			if !slices.Equal(ids, want[rel]) {
				t.Errorf("%s: feedparser got entries\n%v\nwant\n%v", rel, ids, want[rel])
			}
		}
	}
}

// TestAtomDeterministic: the same data on the same day makes the same Atom feeds.
func TestAtomDeterministic(t *testing.T) {
	_, a := writeFeeds(t, "../../data")
	_, b := writeFeeds(t, "../../data")
	for _, f := range feedFiles(t, ".atom", a) {
		x, _ := os.ReadFile(f)
		y, _ := os.ReadFile(filepath.Join(b, strings.TrimPrefix(f, a)))
		if !bytes.Equal(x, y) {
			t.Errorf("%s: differs between two runs on the same data", strings.TrimPrefix(f, a))
		}
	}
}
