package main

import (
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/boltstore"
)

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Mario Rossi", "Mario Rossi"},
		{"Niccolò, via Emilia 3", "Niccolò, via Emilia 3"},
		{"Mario\x1b]0;PWNED\a\x1b[2J", `Mario\x1b]0;PWNED\x07\x1b[2J`},
		{"Centro\nVG-FAKE-00\t2026", `Centro\nVG-FAKE-00\t2026`},
		{"a\rb\x7fc\u009bd", `a\rb\x7fc\u009bd`},
		{"evil\u202etxt.exe", `evil\u202etxt.exe`},
	} {
		if got := printable(tc.in); got != tc.want {
			t.Errorf("printable(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHostileFieldsOnTheTerminal: a case whose fields carry escape sequences and newlines
// neither reaches the terminal as control characters nor forges a row of the list.
func TestHostileFieldsOnTheTerminal(t *testing.T) {
	e := newEnv(t)
	st, err := boltstore.Open(e.vars["SHAPS_CASES"])
	if err != nil {
		t.Fatal(err)
	}
	c := office.Case{ID: "00000000-0000-4000-8000-000000000001", Code: "VG-7K4M-Q2", ReceivedAt: e.clock, Status: office.StatusNew,
		Request: intake.Request{Kind: "richiesta", Category: "salute", Name: "Mario\x1b]0;PWNED\a\x1b[2J", Phone: "0383\r\x1b[1A",
			Area:    "Centro\nVG-FAKE-00  2026-11-25 09:00  closed  richiesta  salute  Centro",
			Message: "Buongiorno,\nVG-FAKE-01  falso\x1b[31m rosso\nGrazie", Privacy: true}}
	if _, err := st.Add(c, "test", e.clock); err != nil {
		t.Fatal(err)
	}
	st.Close()
	list := e.admin("list")
	show := e.admin("show", "VG-7K4M-Q2")
	for name, out := range map[string]string{"list": list, "show": show} {
		for _, r := range out {
			if r < 0x20 && r != '\n' || r == 0x7f {
				t.Errorf("%s: printed the control character %q:\n%s", name, r, out)
				break
			}
		}
	}
	if n := countCases(list); n != 1 || strings.Contains(list, "\nVG-FAKE") {
		t.Errorf("list: got %d rows, want 1 and no forged row:\n%s", n, list)
	}
	if strings.Contains(show, "\nVG-FAKE") || !strings.Contains(show, "\n    VG-FAKE-01  falso\\x1b[31m rosso\n") {
		t.Errorf("show: want the message's lines indented and escaped, got:\n%s", show)
	}
	if !strings.Contains(show, `name: Mario\x1b]0;PWNED\x07\x1b[2J`) {
		t.Errorf("show: want the name with its escapes visible, got:\n%s", show)
	}
}
