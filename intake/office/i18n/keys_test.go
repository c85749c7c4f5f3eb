package i18n_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/i18n"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/site"
)

// Where the office's code asks for a text by a literal key.
var literalKeys = []*regexp.Regexp{
	regexp.MustCompile(`\bt "([a-z_-]+)"`),                    // pages: {{ t "key" }}
	regexp.MustCompile(`\.(?:text|T)\("([a-z_-]+)"[,)]`),      // Go: s.text("key"), texts.T("key")
	regexp.MustCompile(`\bfail\(w, [^,]+, "([a-z_-]+)"`),      // Go: s.fail(w, status, "key")
	regexp.MustCompile(`\bwrite\("([a-z_-]+)", "([a-z_-]+)"`), // Go: office.write("subject", "body")
}

// usedKeys returns every key the office's pages and code use: the literal ones found in the
// sources, and those made from a prefix and a domain value.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	used := map[string]string{}
	var sources []string
	for _, glob := range []string{"../*.go", "../web/*.go", "../web/templates/*.html"} {
		files, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, files...)
	}
	if len(sources) < 5 {
		t.Fatalf("found %d source files, want the cases package, the web package and its pages", len(sources))
	}
	for _, f := range sources {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range literalKeys {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				for _, k := range m[1:] {
					used[k] = f
				}
			}
		}
	}
	for _, s := range office.Statuses {
		used["status_"+string(s)] = "office.Statuses"
	}
	for _, o := range office.Outcomes {
		used["outcome_"+o] = "office.Outcomes"
	}
	for _, a := range office.Actions {
		used["event_"+a] = "office.Actions"
	}
	for _, n := range []string{"month", "category", "kind", "area", "association", "status", "language"} {
		used["stats_by_"+n] = "web.go: the statistics' tables"
	}
	for _, d := range []string{"inoltrata", "chiusa", "riaperta", "sollecitata"} {
		used["case_done_"+d] = "web.go: the case page after an action"
	}
	for _, l := range office.LanguageCodes() {
		used["language_"+l] = "the case's language, on the list and the case page"
	}
	for _, p := range []string{"email", "phone"} {
		used["mail_preference_"+p] = "forward.go: the contact preference"
	}
	for _, a := range status.Answers {
		used["mail_answer_"+a] = "forward.go: the answer links"
	}
	return used
}

// noticeKeys are the keys of the notices to citizens that Notice uses.
func noticeKeys() map[string]string {
	used := map[string]string{}
	for _, o := range office.Outcomes {
		used["mail_outcome_"+o] = "office.Outcomes"
	}
	for _, k := range []string{intake.KindRequest, intake.KindReport} {
		used["mail_kind_"+k] = "the request's kind"
	}
	for _, w := range []string{"routed", "taken", "closed"} {
		used["mail_notice_"+w], used["mail_notice_"+w+"_subject"] = "forward.go: Notice", "forward.go: Notice"
	}
	return used
}

// TestEveryLanguageHasEveryNotice fails when one of the portal's languages has no file of notices
// to citizens, when a file lacks a text Notice uses, and when it holds one nothing uses.
func TestEveryLanguageHasEveryNotice(t *testing.T) {
	used := noticeKeys()
	for _, l := range site.Languages() {
		m, err := i18n.LoadNotices(l.Code)
		if err != nil {
			t.Errorf("%s: %v", l.Code, err)
			continue
		}
		for k, where := range used {
			if !m.Has(k) {
				t.Errorf("notices/%s.yaml lacks %q, used in %s", l.Code, k, where)
			}
		}
		for _, k := range m.Keys() {
			if _, ok := used[k]; !ok {
				t.Errorf("notices/%s.yaml: %q is used nowhere", l.Code, k)
			}
		}
	}
	if got, want := len(i18n.NoticeLanguages()), len(site.Languages()); got != want {
		t.Errorf("files of notices for %v, want one for each of the portal's %d languages", i18n.NoticeLanguages(), want)
	}
}

// TestEveryKeyUsedIsThere fails when a page or the code asks for a text that a message file
// lacks, and when a message file holds a text nothing uses.
func TestEveryKeyUsedIsThere(t *testing.T) {
	used := usedKeys(t)
	if len(used) < 100 {
		t.Fatalf("found %d keys in use, want the office's hundred-odd texts: the patterns miss them", len(used))
	}
	for _, lang := range i18n.Languages() {
		m, err := i18n.Load(lang)
		if err != nil {
			t.Fatal(err)
		}
		for k, where := range used {
			if !m.Has(k) {
				t.Errorf("%s.yaml lacks %q, used in %s", lang, k, where)
			}
		}
		for _, k := range m.Keys() {
			if _, ok := used[k]; !ok {
				t.Errorf("%s.yaml: %q is used nowhere", lang, k)
			}
		}
	}
	if !slices.Contains(i18n.Languages(), "it") {
		t.Errorf("languages %v, want it among them", i18n.Languages())
	}
}
