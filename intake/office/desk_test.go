package office_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/boltstore"
	"github.com/shaps-portal/shaps/intake/office/mail"
)

func TestFilter(t *testing.T) {
	c := office.Case{Code: "VG-7K4M-Q2", ReceivedAt: t0, Status: office.StatusRouted, Request: intake.Request{Category: "salute"}}
	for _, tc := range []struct {
		name string
		f    office.Filter
		want bool
	}{
		{"empty", office.Filter{}, true},
		{"status", office.Filter{Status: office.StatusRouted}, true},
		{"other status", office.Filter{Status: office.StatusNew}, false},
		{"category", office.Filter{Category: "salute"}, true},
		{"other category", office.Filter{Category: "ascolto"}, false},
		{"since the day", office.Filter{Since: t0}, true},
		{"since later", office.Filter{Since: t0.Add(time.Second)}, false},
		{"all three", office.Filter{Status: office.StatusRouted, Category: "salute", Since: t0.Add(-time.Hour)}, true},
	} {
		if got := tc.f.Match(c); got != tc.want {
			t.Errorf("%s: Match got %v, want %v", tc.name, got, tc.want)
		}
		if got := len(tc.f.Apply([]office.Case{c, c})); got != map[bool]int{true: 2, false: 0}[tc.want] {
			t.Errorf("%s: Apply kept %d of 2", tc.name, got)
		}
	}
	if err := (office.Filter{Status: "aperta"}).Validate(); err == nil || !strings.Contains(err.Error(), `status "aperta"`) {
		t.Errorf("Validate of an unknown status: got %v", err)
	}
}

// TestDeskPurge: the purge erases the cases closed longer ago than the limit and the copies of
// their e-mails, and nothing of the others.
func TestDeskPurge(t *testing.T) {
	dir := t.TempDir()
	st, err := boltstore.Open(filepath.Join(dir, "cases.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	box, err := mail.OpenOutbox(filepath.Join(dir, "outbox"))
	if err != nil {
		t.Fatal(err)
	}
	clock := t0
	d := &office.Desk{Store: st, Mailer: box, Copies: box, Now: func() time.Time { return clock }, Areas: []string{"Centro"},
		Office:       office.Office{Municipality: "Comune di Voghera", From: "uffici@comune.example"},
		Associations: []office.Association{{Slug: "auser", Name: "Auser", Email: "auser@example.org"}}}
	for i, code := range []string{"VG-AAAA-11", "VG-BBBB-22", "VG-CCCC-33"} {
		c := office.Case{ID: code, Code: code, ReceivedAt: t0, Status: office.StatusNew,
			Request: intake.Request{Kind: "richiesta", Category: "salute", Area: "via Emilia 12", Name: "Maria Rossi", Message: "Testo privato."}}
		if _, err := st.Add(c, "pull", t0); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Route(context.Background(), code, "anna", []string{"auser"}, ""); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			clock = t0.Add(time.Duration(i) * 24 * time.Hour)
			if err := d.Close(context.Background(), code, "anna", "resolved", "", ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	clock = t0.Add(9*24*time.Hour + 12*time.Hour)
	due, err := d.Purgeable(9 * 24 * time.Hour)
	if err != nil || len(due) != 1 || due[0].Code != "VG-AAAA-11" {
		t.Fatalf("Purgeable(9 days): got %v %v, want VG-AAAA-11 only", due, err)
	}
	r, err := d.Purge(context.Background(), 9*24*time.Hour, "anna")
	if err != nil || len(r.Cases) != 1 || r.Cases[0].Code != "VG-AAAA-11" || r.Cases[0].Mails != 1 {
		t.Fatalf("Purge: got %+v %v, want VG-AAAA-11 and its one e-mail", r, err)
	}
	for code, purged := range map[string]bool{"VG-AAAA-11": true, "VG-BBBB-22": false, "VG-CCCC-33": false} {
		c, _ := st.Get(code)
		if got := c.Request.Message == "" && c.Request.Name == "" && c.Request.Area == ""; got != purged {
			t.Errorf("%s: personal data erased = %v, want %v", code, got, purged)
		}
		emls, _ := filepath.Glob(filepath.Join(dir, "outbox", "*-"+code+"-auser.eml"))
		if got := len(emls) == 0; got != purged {
			t.Errorf("%s: e-mail erased = %v, want %v", code, got, purged)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "cases.db")); strings.Count(string(b), "Maria Rossi") != 2 {
		t.Errorf("the store file holds the name %d times, want 2 (the two cases kept)", strings.Count(string(b), "Maria Rossi"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Purge(ctx, 0, "anna"); err == nil {
		t.Errorf("Purge with an ended context: got no error")
	}
}
