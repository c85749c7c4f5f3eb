package search_test

import (
	"os"
	"reflect"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/intake/search"
)

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func TestWords(t *testing.T) {
	for in, want := range map[string][]string{
		"Compagnia agli anziani":  {"compagni", "anzian"},
		"Disabilità e INCLUSIONE": {"disabilit", "inclusion"},
		"l'aiuto per la spesa":    {"l", "aiut", "spes"},
		"Caffè  Alzheimer, 2026!": {"caff", "alzheimer", "2026"},
		"di la e":                 nil,
		"anziano":                 {"anzian"},
	} {
		if got := search.Words(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
}

const portal = `name: Portale di prova
municipality: Comune di Prova
base_url: https://shaps.example.org/
contact:
  email: info@example.org
privacy:
  controller: Comune di Prova
  dpo_email: dpo@example.org
accessibility_statement_url: https://example.org/accessibilita
categories:
  - id: salute
    label: Salute e benessere
  - id: tempo-libero
    label: Tempo libero
  - id: famiglie
    label: Famiglie e minori
audiences:
  - id: anziani
    label: Anziani
`

var files = fstest.MapFS{
	"portal.yaml":                               {Data: []byte(portal)},
	"associations/alfa/association.yaml":        {Data: []byte("name: Associazione Alfa\nsummary: Compagnia a domicilio.\ndescription: Visite e telefonate.\ncategories: [salute]\ncontacts:\n  email: alfa@example.org\n")},
	"associations/alfa/services/telefono.yaml":  {Data: []byte("name: Telefono amico\nsummary: Una telefonata a settimana.\ncategories: [salute]\naudiences: [anziani]\n")},
	"associations/alfa/services/chiuso.yaml":    {Data: []byte("name: Telefono chiuso\nsummary: Non più.\ncategories: [salute]\nstatus: ended\n")},
	"associations/alfa/events/merenda.yaml":     {Data: []byte("title: Merenda con gli anziani\nstart: 2026-12-05T15:30\ncategories: [tempo-libero]\n")},
	"associations/alfa/events/passata.yaml":     {Data: []byte("title: Merenda d'estate\nstart: 2026-07-05T15:30\ncategories: [tempo-libero]\n")},
	"associations/alfa/events/ogni-sabato.yaml": {Data: []byte("title: Caffè del sabato\nstart: 2026-01-03T10:00\ncategories: [tempo-libero]\nrecurrence:\n  freq: weekly\n")},
	"associations/alfa/events/finita.yaml":      {Data: []byte("title: Caffè di primavera\nstart: 2026-03-03T10:00\ncategories: [tempo-libero]\nrecurrence:\n  freq: weekly\n  until: 2026-05-30\n")},
	"associations/beta/association.yaml":        {Data: []byte("name: Beta APS\nsummary: Per chi cresce.\ndescription: Doposcuola.\ncategories: [famiglie]\ncontacts:\n  phone: 0383 654321\n")},
	"associations/beta/events/festa.yaml":       {Data: []byte("title: Festa di quartiere\nstart: 2026-12-12T16:00\n")},
	"associations/beta/events/corso.yaml":       {Data: []byte("title: Corso di cucina\nstart: 2026-10-05T18:00\nrecurrence:\n  freq: weekly\n  count: 4\n")},
	"associations/beta/events/laboratorio.yaml": {Data: []byte("title: Laboratorio di cucina\nstart: 2026-11-02T18:00\nrecurrence:\n  freq: weekly\n  count: 6\n")},
}

// index loads the files as the intake does, with catalog.Load, and indexes them.
func index(t *testing.T, data fstest.MapFS) *search.Index {
	t.Helper()
	cat, ps := catalog.Load(data, today)
	if errs := ps.Errors(); len(errs) > 0 {
		t.Fatalf("fixture has errors:\n%s", errs.Error())
	}
	return search.New(cat, today)
}

func TestFind(t *testing.T) {
	ix := index(t, files)
	urls := func(es []search.Entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.URL)
		}
		return out
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"telefono", []string{"/servizi/alfa/telefono/", "/associazioni/alfa/"}},                          // title before text; an ended service is not found
		{"anziano", []string{"/eventi/alfa/merenda/", "/servizi/alfa/telefono/"}},                         // in a title, then by audience label; singular meets plural
		{"merenda", []string{"/eventi/alfa/merenda/"}},                                                    // a past event is not found
		{"caffè", []string{"/eventi/alfa/ogni-sabato/"}},                                                  // a recurrence without end is current
		{"TELEFONATA settimana", []string{"/servizi/alfa/telefono/"}},                                     // every word must match
		{"salute alfa", []string{"/associazioni/alfa/", "/servizi/alfa/telefono/"}},                       // the association's name counts for its services
		{"famiglie", []string{"/associazioni/beta/", "/eventi/beta/festa/", "/eventi/beta/laboratorio/"}}, // events without categories have their association's
		{"cucina", []string{"/eventi/beta/laboratorio/"}},                                                 // four weeks from 5 October are over, six from 2 November are not
		{"di la", nil},
		{"sfratto", nil},
	}
	for _, tt := range tests {
		if got := urls(ix.Find(tt.query, 10)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Find(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
	if got := ix.Find("alfa", 1); len(got) != 1 {
		t.Errorf("Find with max 1: %d results", len(got))
	}
}

func TestDemoData(t *testing.T) {
	cat, ps := catalog.Load(os.DirFS("../../data"), today)
	if errs := ps.Errors(); len(errs) > 0 {
		t.Fatalf("demo data has errors:\n%s", errs.Error())
	}
	ix := search.New(cat, today)
	if ix.Len() < 8+25 {
		t.Errorf("indexed %d entries, want at least the demo's associations and services", ix.Len())
	}
	if got := ix.Find("trasporto dialisi", 5); len(got) == 0 {
		t.Errorf("Find(trasporto dialisi) in the demo found nothing")
	}
}

// TestConcurrentSearches searches from several goroutines at once, as serve and a warm function
// do: run under -race, it catches any state the searches share.
func TestConcurrentSearches(t *testing.T) {
	ix := index(t, files)
	queries := []string{"caffè", "Disabilità e INCLUSIONE", "città più è già", "anziano", "perché né così"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				q := queries[(g+i)%len(queries)]
				want := search.Words(q)
				if got := search.Words(q); !reflect.DeepEqual(got, want) {
					t.Errorf("Words(%q) = %q, then %q", q, want, got)
					return
				}
				ix.Find(q, 10)
			}
		})
	}
	wg.Wait()
}
