package catalog_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
)

// TestSlugProblem: folder and file names follow the same rule as the id fields of the forms.
func TestSlugProblem(t *testing.T) {
	for _, tc := range []struct {
		slug, want string
	}{
		{"centro-diurno", ""},
		{"a1", ""},
		{"a", "da 2 a 60 caratteri"},
		{strings.Repeat("a", 61), "da 2 a 60 caratteri"},
		{"a--b", "trattini singoli"},
		{"-a", "trattini singoli"},
		{"Festa_Grande", `es. "festa-grande"`},
	} {
		got := catalog.SlugProblem(tc.slug)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("SlugProblem(%q) = %q, want %q", tc.slug, got, tc.want)
		}
		rule, _ := catalog.FormatRule(catalog.FormatSlug)
		if ok := rule.Matches(tc.slug) && len(tc.slug) <= 60; ok != (got == "") {
			t.Errorf("%q: the id fields' rule says %v, SlugProblem says %q", tc.slug, ok, got)
		}
	}
}

func TestContrastWithWhite(t *testing.T) {
	for color, want := range map[string]float64{"#FFFFFF": 1, "#000000": 21, "#767676": 4.54, "#777777": 4.48, "#0b4f8a": 8.40} {
		if got := catalog.ContrastWithWhite(color); math.Abs(got-want) > 0.01 {
			t.Errorf("ContrastWithWhite(%s) = %.3f, want %.2f", color, got, want)
		}
	}
}

// phoneTable reads testdata/phones.txt: the numbers the phone rule takes and those it refuses.
func phoneTable(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "phones.txt"))
	if err != nil {
		t.Fatal(err)
	}
	table := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		verdict, phone, ok := strings.Cut(line, "\t")
		if !ok || (verdict != "ok" && verdict != "no") {
			t.Fatalf("phones.txt: %q is not ok|no, a tab, a number", line)
		}
		table[phone] = verdict == "ok"
	}
	return table
}

func TestPhoneRule(t *testing.T) {
	rule, _ := catalog.FormatRule(catalog.FormatPhone)
	for phone, want := range phoneTable(t) {
		if got := rule.Matches(phone); got != want {
			t.Errorf("phone rule on %q: got %v, want %v", phone, got, want)
		}
	}
}
