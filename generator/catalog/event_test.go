package catalog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
)

// loadEvent loads the base fixture with one event file replaced by yaml.
func loadEvent(t *testing.T, yaml string) *catalog.Event {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, "testdata/base", dir)
	if err := os.WriteFile(filepath.Join(dir, "associations", "alfa", "events", "incontro.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, ps := catalog.LoadDir(dir, today)
	if len(ps) > 0 {
		t.Fatalf("fixture has problems:\n%s", ps.Error())
	}
	return cat.Associations[0].Events[0]
}

func TestOccurrences(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, rome)
	to := time.Date(2028, 1, 1, 0, 0, 0, 0, rome)
	tests := []struct {
		name string
		yaml string
		want []string // local starts, and ends
	}{
		{
			name: "weekly at 18:00 stays at 18:00 across the October change of hour",
			yaml: "title: Riunione\nstart: 2026-10-14T18:00\nend: 2026-10-14T19:30\nrecurrence:\n  freq: weekly\n  by_day: [WE]\n  until: 2026-11-04\n  except: [2026-10-21]\n",
			want: []string{
				"2026-10-14T18:00+02:00/2026-10-14T19:30+02:00",
				"2026-10-28T18:00+01:00/2026-10-28T19:30+01:00",
				"2026-11-04T18:00+01:00/2026-11-04T19:30+01:00",
			},
		},
		{
			name: "second Saturday of the month, counted",
			yaml: "title: Caffè\nstart: 2026-10-10T15:00\nend: 2026-10-10T17:00\nrecurrence:\n  freq: monthly\n  by_day: [2SA]\n  count: 3\n",
			want: []string{
				"2026-10-10T15:00+02:00/2026-10-10T17:00+02:00",
				"2026-11-14T15:00+01:00/2026-11-14T17:00+01:00",
				"2026-12-12T15:00+01:00/2026-12-12T17:00+01:00",
			},
		},
		{
			name: "all-day festival from 1 to 3 March ends at the start of the 4th",
			yaml: "title: Festa\nstart: 2027-03-01\nend: 2027-03-03\nall_day: true\n",
			want: []string{"2027-03-01T00:00+01:00/2027-03-04T00:00+01:00"},
		},
		{
			name: "every other day, all day, across the March change of hour",
			yaml: "title: Mercato\nstart: 2027-03-27\nall_day: true\nrecurrence:\n  freq: daily\n  interval: 2\n  count: 2\n",
			want: []string{
				"2027-03-27T00:00+01:00/2027-03-28T00:00+01:00",
				"2027-03-29T00:00+02:00/2027-03-30T00:00+02:00",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := loadEvent(t, tt.yaml)
			var got []string
			for _, o := range e.Occurrences(from, to) {
				got = append(got, o.Start.In(rome).Format("2006-01-02T15:04Z07:00")+"/"+o.End.In(rome).Format("2006-01-02T15:04Z07:00"))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestOccurrencesWindow(t *testing.T) {
	e := loadEvent(t, "title: Ogni giorno\nstart: 2026-01-01T10:00\nend: 2026-01-01T11:00\nrecurrence:\n  freq: daily\n")
	rome, _ := time.LoadLocation("Europe/Rome")
	from := time.Date(2026, 6, 1, 10, 30, 0, 0, rome) // inside the 1 June occurrence
	occ := e.Occurrences(from, from.AddDate(0, 0, 3))
	if len(occ) != 4 || occ[0].Start.Day() != 1 || occ[3].Start.Day() != 4 {
		t.Fatalf("got %d occurrences starting %v, want 4, from the one under way on 1 June to the one starting on 4 June", len(occ), occ)
	}
	if n := len(e.Occurrences(from, from.AddDate(20, 0, 0))); n != catalog.MaxOccurrences {
		t.Errorf("an endless daily rule: got %d occurrences, want the cap %d", n, catalog.MaxOccurrences)
	}
}
