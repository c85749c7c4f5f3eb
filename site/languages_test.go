package site_test

import (
	"encoding/json"
	"testing"

	"github.com/shaps-portal/shaps/site"
	"golang.org/x/text/language"
)

func TestLanguages(t *testing.T) {
	ls := site.Languages()
	if ls[0].Code != site.DefaultLanguage {
		t.Errorf("got %s first, want the reference language %s", ls[0].Code, site.DefaultLanguage)
	}
	seen := map[string]bool{}
	for _, l := range ls {
		if seen[l.Code] {
			t.Errorf("%s: got it twice, want each language once", l.Code)
		}
		seen[l.Code] = true
		if tag, err := language.Parse(l.Tag); err != nil || tag.String() != l.Tag {
			t.Errorf("%s: tag %q: got %v %v, want a canonical BCP 47 tag", l.Code, l.Tag, tag, err)
		}
		if l.Name == "" || l.MonthLayout == "" {
			t.Errorf("%s: got name %q and month layout %q, want both", l.Code, l.Name, l.MonthLayout)
		}
	}
}

// The frame's partials read a language as JSON, with its home page's address.
func TestLanguageAsThePartialsReadIt(t *testing.T) {
	for code, want := range map[string]string{
		"it":      `{"code":"it","tag":"it","name":"Italiano","rtl":false,"home":"/","month_layout":"January 2006"}`,
		"ar":      `{"code":"ar","tag":"ar","name":"العربية","rtl":true,"home":"/ar/","month_layout":"January 2006"}`,
		"zh-hans": `{"code":"zh-hans","tag":"zh-Hans","name":"简体中文","rtl":false,"home":"/zh-hans/","month_layout":"2006年1月"}`,
	} {
		l, ok := site.LanguageByCode(code)
		if !ok {
			t.Fatalf("LanguageByCode(%q): got none, want it", code)
		}
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != want {
			t.Errorf("%s: got %s, want %s", code, b, want)
		}
	}
}
