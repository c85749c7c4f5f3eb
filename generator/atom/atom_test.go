package atom_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/atom"
)

func ExampleFeed_Encode() {
	feed := &atom.Feed{
		Lang:    "it",
		ID:      "https://example.org/eventi.atom",
		Title:   "Prossimi eventi",
		Updated: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC),
		Author:  &atom.Person{Name: "Portale", URI: "https://example.org/"},
		Self:    "https://example.org/eventi.atom",
		Entries: []atom.Entry{{
			ID:      "https://example.org/eventi/festa/",
			Title:   "Festa di primavera & musica",
			Updated: time.Date(2026, 10, 30, 18, 0, 0, 0, time.UTC),
			Link:    "https://example.org/eventi/festa/",
			Summary: "1 marzo 2027 <all'aperto>",
		}},
	}
	_ = feed.Encode(os.Stdout)
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="it">
	//   <id>https://example.org/eventi.atom</id>
	//   <title type="text">Prossimi eventi</title>
	//   <updated>2026-11-01T09:00:00Z</updated>
	//   <author>
	//     <name>Portale</name>
	//     <uri>https://example.org/</uri>
	//   </author>
	//   <link rel="self" type="application/atom+xml" href="https://example.org/eventi.atom"></link>
	//   <entry>
	//     <id>https://example.org/eventi/festa/</id>
	//     <title type="text">Festa di primavera &amp; musica</title>
	//     <updated>2026-10-30T18:00:00Z</updated>
	//     <link rel="alternate" type="text/html" href="https://example.org/eventi/festa/"></link>
	//     <summary type="text">1 marzo 2027 &lt;all&#39;aperto&gt;</summary>
	//   </entry>
	// </feed>
}

func TestEncodeRefusesWhatRFC4287Requires(t *testing.T) {
	good := func() *atom.Feed {
		return &atom.Feed{ID: "urn:x", Title: "t", Updated: time.Unix(0, 0), Self: "https://x/f.atom", Author: &atom.Person{Name: "a"},
			Entries: []atom.Entry{{ID: "urn:e", Title: "e", Updated: time.Unix(0, 0)}}}
	}
	tests := []struct {
		name   string
		mutate func(f *atom.Feed)
		want   string
	}{
		{"no id", func(f *atom.Feed) { f.ID = "" }, "no id"},
		{"no title", func(f *atom.Feed) { f.Title = "" }, "no title"},
		{"no updated", func(f *atom.Feed) { f.Updated = time.Time{} }, "no updated"},
		{"no self link", func(f *atom.Feed) { f.Self = "" }, "no self link"},
		{"no author anywhere", func(f *atom.Feed) { f.Author = nil }, "no author"},
		{"entry without updated", func(f *atom.Feed) { f.Entries[0].Updated = time.Time{} }, "lacks"},
	}
	if err := good().Encode(&bytes.Buffer{}); err != nil {
		t.Fatalf("a complete feed: got %v, want no error", err)
	}
	for _, tt := range tests {
		f := good()
		tt.mutate(f)
		err := f.Encode(&bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}

// Text that is not XML's (control characters) or that looks like markup still makes a feed
// that parses, with the text intact where XML can hold it.
func TestHostileText(t *testing.T) {
	title := "<b>Tombola</b> & \"festa\" \x00\x1b ]]> ok"
	f := &atom.Feed{ID: "urn:x", Title: title, Updated: time.Unix(0, 0), Self: "https://x/f.atom", Author: &atom.Person{Name: "a & b"}}
	var b bytes.Buffer
	if err := f.Encode(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Title string `xml:"title"`
	}
	if err := xml.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, b.String())
	}
	if want := "<b>Tombola</b> & \"festa\" \uFFFD\uFFFD ]]> ok"; got.Title != want {
		t.Errorf("title: got %q, want %q", got.Title, want)
	}
}
