package i18n_test

import (
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/intake/office/i18n"
)

func TestT(t *testing.T) {
	m, err := i18n.Italian()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key  string
		data any
		want string
	}{
		{"nav_cases", nil, "Richieste"},
		{"case_title", "VG-7K4M-Q2", "Richiesta VG-7K4M-Q2"},
		{"list_caption", map[string]any{"Count": 1}, "1 richiesta"},
		{"list_caption", map[string]any{"Count": 3}, "3 richieste"},
		{"list_caption", map[string]any{"Count": 0}, "0 richieste"},
	} {
		if got, err := m.T(tc.key, tc.data); err != nil || got != tc.want {
			t.Errorf("T(%q, %v): got %q, %v, want %q", tc.key, tc.data, got, err, tc.want)
		}
	}
	if _, err := m.T("non_esiste"); err == nil || !strings.Contains(err.Error(), `no text "non_esiste"`) {
		t.Errorf("a missing key: got %v, want an error naming it", err)
	}
	if _, err := m.T("stats_summary", map[string]any{"Total": 1}); err == nil {
		t.Errorf("a text missing its data: got no error")
	}
	if _, err := i18n.Load("xx"); err == nil || !strings.Contains(err.Error(), "it") {
		t.Errorf("an unknown language: got %v, want an error listing the known ones", err)
	}
}
