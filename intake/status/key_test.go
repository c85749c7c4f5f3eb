package status_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/intake/status/folder"
)

func signer(t *testing.T, secret string) *status.Signer {
	t.Helper()
	s, err := status.NewSigner([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const secret = "0123456789abcdef0123456789abcdef"

func TestKey(t *testing.T) {
	s := signer(t, secret)
	received := time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)
	key := s.Key("VG-7K4M-Q2", received)
	if len(key) != status.KeyLen || strings.Trim(key, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") != "" {
		t.Fatalf("key %q: want %d characters of Crockford's base 32", key, status.KeyLen)
	}
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	flip := func(i int, bit int) string { // key with one bit of its character i flipped
		b := []byte(key)
		b[i] = alphabet[strings.IndexByte(alphabet, b[i])^bit]
		return string(b)
	}
	other := signer(t, "another secret of thirty-two bytes!")
	tests := []struct {
		name, code, key string
		want            bool
	}{
		{"the pair", "VG-7K4M-Q2", key, true},
		{"typed in lower case with dashes", "VG-7K4M-Q2", strings.ToLower(key[:4] + "-" + key[4:8] + " " + key[8:]), true},
		{"another code", "VG-7K4M-Q3", key, false},
		{"the code with a suffix", "VG-7K4M-Q2-2", key, false},
		{"a key altered by one character", "VG-7K4M-Q2", flip(15, 1), false},
		{"the key of another secret", "VG-7K4M-Q2", other.Key("VG-7K4M-Q2", received), false},
		{"the day moved by one, the signature kept", "VG-7K4M-Q2", flip(3, 16), false},
		{"too short", "VG-7K4M-Q2", key[:15], false},
		{"too long", "VG-7K4M-Q2", key + "0", false},
		{"not base 32", "VG-7K4M-Q2", "UUUUUUUUUUUUUUUU", false},
		{"empty", "VG-7K4M-Q2", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			day, ok := s.Check(tt.code, tt.key)
			if ok != tt.want {
				t.Fatalf("Check(%q, %q): got %v, want %v", tt.code, tt.key, ok, tt.want)
			}
			if ok && !day.Equal(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("day: got %v, want 2026-12-02", day)
			}
		})
	}
}

func TestShortSecretRefused(t *testing.T) {
	if _, err := status.NewSigner(bytes.Repeat([]byte("x"), status.MinSecret-1)); err == nil {
		t.Error("a 31-byte secret: got a signer, want an error")
	}
}

func TestLookup(t *testing.T) {
	b, err := folder.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	received := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{"just sent, not yet taken in", received.Add(time.Hour), status.Received},
		{"still on the queue after 13 days", received.AddDate(0, 0, 13), status.Received},
		{"no record past the queue's 14 days: erased", received.AddDate(0, 0, 15), status.Concluded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := status.Lookup(context.Background(), b, "VG-7K4M-Q2", received, tt.now)
			if err != nil || r.Status() != tt.want {
				t.Errorf("got %s (%v), want %s", r.Status(), err, tt.want)
			}
		})
	}
}

// A request sent just after midnight in Rome, still the day before in UTC, has a key that names
// the day the citizen and the office see: the portal's, not UTC's.
func TestKeyNamesTheLocalDay(t *testing.T) {
	s := signer(t, secret)
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	received := time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC).In(rome) // 00:30 on 2 December in Rome
	got, ok := s.Check("VG-7K4M-Q2", s.Key("VG-7K4M-Q2", received))
	if !ok {
		t.Fatal("the key does not check")
	}
	if want := "2026-12-02"; got.Format(time.DateOnly) != want {
		t.Errorf("day of receipt: got %s, want %s", got.Format(time.DateOnly), want)
	}
}
