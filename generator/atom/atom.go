package atom

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"time"
)

// Namespace is the Atom namespace.
const Namespace = "http://www.w3.org/2005/Atom"

// MediaType is what an Atom feed is served and linked as.
const MediaType = "application/atom+xml"

// Feed is one Atom feed. ID, Title, Updated and Self are required; Author too, unless every
// entry has one.
type Feed struct {
	Lang      string // the language of its text, e.g. "it"
	ID        string // a permanent IRI
	Title     string
	Subtitle  string
	Updated   time.Time
	Author    *Person
	Self      string // the feed's own address
	Alternate string // the page it is the feed of
	Entries   []Entry
}

// Entry is one item of a feed.
type Entry struct {
	ID         string // a permanent IRI
	Title      string
	Updated    time.Time
	Published  time.Time // optional
	Author     *Person   // optional when the feed has one
	Link       string    // the entry's page
	Summary    string    // plain text
	Categories []Category
}

// Person is an author.
type Person struct {
	Name  string
	URI   string
	Email string
}

// Category is an entry's category: a term and, for people, its label.
type Category struct{ Term, Label string }

// Encode writes the feed as UTF-8 XML. It refuses a feed that lacks what RFC 4287 requires.
func (f *Feed) Encode(w io.Writer) error {
	if err := f.check(); err != nil {
		return err
	}
	doc := xmlFeed{
		NS: Namespace, Lang: f.Lang, ID: f.ID, Title: text(f.Title), Updated: stamp(f.Updated),
		Links: []xmlLink{{Rel: "self", Type: MediaType, Href: f.Self}},
	}
	if f.Subtitle != "" {
		st := text(f.Subtitle)
		doc.Subtitle = &st
	}
	if f.Alternate != "" {
		doc.Links = append(doc.Links, xmlLink{Rel: "alternate", Type: "text/html", Href: f.Alternate})
	}
	doc.Author = person(f.Author)
	for _, e := range f.Entries {
		xe := xmlEntry{ID: e.ID, Title: text(e.Title), Updated: stamp(e.Updated), Author: person(e.Author)}
		if !e.Published.IsZero() {
			xe.Published = stamp(e.Published)
		}
		if e.Link != "" {
			xe.Links = []xmlLink{{Rel: "alternate", Type: "text/html", Href: e.Link}}
		}
		if e.Summary != "" {
			s := text(e.Summary)
			xe.Summary = &s
		}
		for _, c := range e.Categories {
			xe.Categories = append(xe.Categories, xmlCategory(c))
		}
		doc.Entries = append(doc.Entries, xe)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("atom: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func (f *Feed) check() error {
	var errs []error
	missing := func(what, v string) {
		if v == "" {
			errs = append(errs, fmt.Errorf("atom: %s has no %s", f.ID, what))
		}
	}
	missing("id", f.ID)
	missing("title", f.Title)
	missing("self link", f.Self)
	if f.Updated.IsZero() {
		missing("updated", "")
	}
	for _, e := range f.Entries {
		if e.ID == "" || e.Title == "" || e.Updated.IsZero() {
			errs = append(errs, fmt.Errorf("atom: %s: entry %q lacks its id, title or updated", f.ID, e.ID))
		}
		if f.Author == nil && e.Author == nil {
			errs = append(errs, fmt.Errorf("atom: %s: entry %q has no author, nor has the feed", f.ID, e.ID))
		}
	}
	return errors.Join(errs...)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func text(s string) xmlText { return xmlText{Type: "text", Value: s} }

func person(p *Person) *xmlPerson {
	if p == nil {
		return nil
	}
	return &xmlPerson{Name: p.Name, URI: p.URI, Email: p.Email}
}

type xmlFeed struct {
	XMLName  xml.Name   `xml:"feed"`
	NS       string     `xml:"xmlns,attr"`
	Lang     string     `xml:"xml:lang,attr,omitempty"`
	ID       string     `xml:"id"`
	Title    xmlText    `xml:"title"`
	Subtitle *xmlText   `xml:"subtitle"`
	Updated  string     `xml:"updated"`
	Author   *xmlPerson `xml:"author"`
	Links    []xmlLink  `xml:"link"`
	Entries  []xmlEntry `xml:"entry"`
}

type xmlEntry struct {
	ID         string        `xml:"id"`
	Title      xmlText       `xml:"title"`
	Updated    string        `xml:"updated"`
	Published  string        `xml:"published,omitempty"`
	Author     *xmlPerson    `xml:"author"`
	Links      []xmlLink     `xml:"link"`
	Categories []xmlCategory `xml:"category"`
	Summary    *xmlText      `xml:"summary"`
}

type xmlText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type xmlPerson struct {
	Name  string `xml:"name"`
	URI   string `xml:"uri,omitempty"`
	Email string `xml:"email,omitempty"`
}

type xmlLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type xmlCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}
