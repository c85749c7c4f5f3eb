package office

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// ExportRow is one case in the anonymous export: what statistics use, nothing that identifies.
type ExportRow struct {
	Code       string `json:"code"`
	ReceivedAt string `json:"received_at"`
	Kind       string `json:"kind"`
	Category   string `json:"category"`
	Area       string `json:"area"`
	Status     string `json:"status"`
	RoutedTo   string `json:"routed_to"`
	RoutedAt   string `json:"routed_at"`
	ClosedAt   string `json:"closed_at"`
	Outcome    string `json:"outcome"`
	Language   string `json:"lang"`
}

// Export makes one anonymous row per case. The area is kept as Purge keeps it, only when it is
// one of the portal's known areas (a typed street identifies), unless typedAreas asks for the
// areas as typed.
func Export(all []Case, areas []string, typedAreas bool) []ExportRow {
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	rows := make([]ExportRow, 0, len(all))
	for _, c := range all {
		var to []string
		for _, r := range c.Routes {
			to = append(to, r.To...)
		}
		area := KnownArea(c.Request.Area, areas)
		if typedAreas {
			area = c.Request.Area
		}
		rows = append(rows, ExportRow{c.Code, stamp(c.ReceivedAt), c.Request.Kind, c.Request.Category, area, string(c.Status),
			strings.Join(to, ";"), stamp(c.RoutedAt()), stamp(c.ClosedAt), c.Outcome, c.Request.Language})
	}
	return rows
}

// KnownArea returns the portal's known area that area names, or "" when it names none.
func KnownArea(area string, areas []string) string {
	for _, a := range areas {
		if strings.EqualFold(strings.TrimSpace(area), a) {
			return a
		}
	}
	return ""
}

// ExportFormats are the formats WriteExport writes.
var ExportFormats = []string{"csv", "json"}

// WriteExport writes the rows as CSV (with a header) or JSON.
func WriteExport(w io.Writer, format string, rows []ExportRow) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"code", "received_at", "kind", "category", "area", "status", "routed_to", "routed_at", "closed_at", "outcome", "lang"})
		for _, r := range rows {
			_ = cw.Write(inert(r.Code, r.ReceivedAt, r.Kind, r.Category, r.Area, r.Status, r.RoutedTo, r.RoutedAt, r.ClosedAt, r.Outcome, r.Language))
		}
		cw.Flush()
		return cw.Error()
	}
	return fmt.Errorf("export: format %q: want csv or json", format)
}

// inert keeps spreadsheets from reading a cell as a formula: a cell that starts with = + - @, a
// tab or a carriage return gets a leading apostrophe, which spreadsheets show as text.
func inert(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}
