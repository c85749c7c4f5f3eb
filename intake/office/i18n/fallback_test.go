package i18n

import (
	"testing"
	"testing/fstest"
)

// TestNoticeFallsBackToItalian: a text a language's file lacks is sent in Italian, and so is
// every text of a language without a file.
func TestNoticeFallsBackToItalian(t *testing.T) {
	all, err := noticesIn(fstest.MapFS{
		"notices/it.yaml": {Data: []byte("greeting: \"Gentile {{ .Name }}\"\nthanks: Grazie\n")},
		"notices/ro.yaml": {Data: []byte("greeting: \"Bună ziua, {{ .Name }}\"\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, key, want string }{
		{"ro", "greeting", "Bună ziua, Ana"},
		{"ro", "thanks", "Grazie"},
		{"it", "greeting", "Gentile Ana"},
		{"fr", "greeting", "Gentile Ana"},
		{"", "thanks", "Grazie"},
	} {
		got, err := inLanguage(all, tc.lang).T(tc.key, map[string]any{"Name": "Ana"})
		if err != nil || got != tc.want {
			t.Errorf("%s %s: got %q, %v, want %q", tc.lang, tc.key, got, err, tc.want)
		}
	}
	if _, err := inLanguage(all, "ro").T("missing"); err == nil {
		t.Errorf("a text no language has: got no error")
	}
}
