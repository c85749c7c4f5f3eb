package mail_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/office/mail"
)

// TestOutboxErase: Erase removes every message written under a name, and only those; a name
// that would match other files is refused.
func TestOutboxErase(t *testing.T) {
	dir := t.TempDir()
	box, err := mail.OpenOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := mail.Message{From: "uffici@comune.example", To: "a@example.org", Subject: "s", Body: "b", Date: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	for i, name := range []string{"VG-AAAA-11-auser", "VG-AAAA-11-auser", "VG-AAAA-11-2-auser", "VG-BBBB-22-auser"} {
		m.Date = m.Date.Add(time.Duration(i) * time.Second)
		if _, err := box.Send(context.Background(), m, name); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := box.Erase("VG-AAAA-11-auser"); err != nil || n != 2 {
		t.Errorf("Erase: got %d, %v, want 2 removed", n, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.eml")); len(left) != 2 {
		t.Errorf("got %d files left, want the 2 of other cases", len(left))
	}
	for _, bad := range []string{"", "*", "VG-*", "../x", "a[b"} {
		if _, err := box.Erase(bad); err == nil {
			t.Errorf("Erase(%q): got no error", bad)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.eml")); len(left) != 2 {
		t.Errorf("a refused name erased files: %d left", len(left))
	}
}
