package status_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/status"
)

func TestAnswerLinks(t *testing.T) {
	s := signer(t, secret)
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	a := status.Answer{Code: "VG-7K4M-Q2", Association: "la-rondine", Action: status.AnswerTakenUp, Expires: now.Add(status.LinkLife).Truncate(time.Second)}
	sig := s.SignAnswer(a)
	if status.LinkLife < 30*24*time.Hour {
		t.Errorf("links last %v, want at least 30 days", status.LinkLife)
	}
	changed := func(f func(*status.Answer)) status.Answer { b := a; f(&b); return b }
	tests := []struct {
		name string
		a    status.Answer
		sig  string
		at   time.Time
		want error
	}{
		{"as signed", a, sig, now, nil},
		{"on its last second", a, sig, a.Expires.Add(-time.Second), nil},
		{"expired", a, sig, a.Expires, status.ErrExpired},
		{"another action", changed(func(b *status.Answer) { b.Action = status.AnswerResolved }), sig, now, status.ErrForged},
		{"another association", changed(func(b *status.Answer) { b.Association = "croce-azzurra" }), sig, now, status.ErrForged},
		{"another code", changed(func(b *status.Answer) { b.Code = "VG-7K4M-Q3" }), sig, now, status.ErrForged},
		{"a later expiry", changed(func(b *status.Answer) { b.Expires = b.Expires.AddDate(1, 0, 0) }), sig, now, status.ErrForged},
		{"a signature altered", a, sig[:5] + map[bool]string{true: "B", false: "A"}[sig[5] == 'A'] + sig[6:], now, status.ErrForged},
		{"no signature", a, "", now, status.ErrForged},
		{"signed by another secret", a, signer(t, "another secret of thirty-two bytes!").SignAnswer(a), now, status.ErrForged},
		{"an unknown action, signed", changed(func(b *status.Answer) { b.Action = "cancella" }), s.SignAnswer(changed(func(b *status.Answer) { b.Action = "cancella" })), now, status.ErrForged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.CheckAnswer(tt.a, tt.sig, tt.at); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	if key := s.Key("VG-7K4M-Q2", now); s.CheckAnswer(a, key, now) == nil {
		t.Error("a status key passes as an answer signature: want each use its own key")
	}
}
