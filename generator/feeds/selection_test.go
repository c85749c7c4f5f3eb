package feeds_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/feeds"
)

// writeSelection writes the selection's calendar into dir as selezione.ics.
func writeSelection(t *testing.T, cat *catalog.Catalog, dir string, associations, categories []string) string {
	t.Helper()
	var buf bytes.Buffer
	c := feeds.Selection(cat, feeds.Options{BaseURL: cat.Portal.BaseURL, Since: now.AddDate(0, -6, 0), Labels: labels}, associations, categories, "Eventi che seguo", "area-personale/")
	if err := c.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "selezione.ics")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// The selection's calendar holds exactly the events of the portal's feeds of the associations
// and categories it names, each once and with the same occurrences, as two real parsers read
// them; unknown ids add nothing.
func TestSelectionMatchesThePortalsFeeds(t *testing.T) {
	tests := []struct {
		name                     string
		associations, categories []string
	}{
		{"an association and a category", []string{"la-rondine"}, []string{"salute"}},
		{"two associations, two categories, overlapping", []string{"teatro-aperto", "filo-d-argento-iriense"}, []string{"socialita-cultura", "famiglie-minori"}},
		{"unknown ids among them", []string{"qxq-ignota", "la-rondine", "<qxq>"}, []string{"salute", "../qxq"}},
	}
	for _, p := range realParsers() {
		t.Run(p.name, func(t *testing.T) {
			cat, dir := writeFeeds(t, "../../data")
			for _, tt := range tests {
				sel := writeSelection(t, cat, t.TempDir(), tt.associations, tt.categories)
				b, err := os.ReadFile(sel)
				if err != nil {
					t.Fatal(err)
				}
				checkFeed(t, tt.name, b)
				var portal []string
				for _, a := range tt.associations {
					if f := filepath.Join(dir, "associazioni", a, "calendario.ics"); exists(f) {
						portal = append(portal, f)
					}
				}
				for _, c := range tt.categories {
					if f := filepath.Join(dir, "categorie", c, "calendario.ics"); exists(f) {
						portal = append(portal, f)
					}
				}
				got := p.run(t, append([]string{sel}, portal...))
				want := map[string][]string{}
				for _, f := range portal {
					for _, ev := range got[f].Events {
						want[ev.UID] = ev.Starts
					}
				}
				if len(want) == 0 {
					t.Fatalf("%s: the portal's feeds hold no event; the test proves nothing", tt.name)
				}
				seen := map[string]bool{}
				for _, ev := range got[sel].Events {
					starts, ok := want[ev.UID]
					switch {
					case !ok:
						t.Errorf("%s: got event %s, in none of the portal's feeds %v", tt.name, ev.UID, portal)
					case seen[ev.UID]:
						t.Errorf("%s: got event %s twice", tt.name, ev.UID)
					case !slices.Equal(ev.Starts, starts):
						t.Errorf("%s %s: got starts %v, want %v", tt.name, ev.UID, ev.Starts, starts)
					}
					seen[ev.UID] = true
				}
				if len(seen) != len(want) {
					t.Errorf("%s: got %d events, want %d, those of the portal's feeds", tt.name, len(seen), len(want))
				}
				if name := got[sel].Name; !strings.HasPrefix(name, "Eventi che seguo – ") {
					t.Errorf("%s: got calendar name %q, want it to start with %q", tt.name, name, "Eventi che seguo – ")
				}
				if bytes.Contains(b, []byte("qxq")) {
					t.Errorf("%s: an unknown id is echoed in the calendar", tt.name)
				}
			}
		})
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
