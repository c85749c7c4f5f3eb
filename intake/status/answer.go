package status

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"time"
)

// The answers an association gives through the links of a routed request's e-mail.
const (
	AnswerTakenUp    = "presa-in-carico"   // we take care of it
	AnswerNotOurs    = "non-di-competenza" // it is not for us
	AnswerResolved   = "risolta"           // done
	MaxAnswerNote    = 1000                // characters of the optional note to the office
	answerLinkLayout = "v1"
)

// Answers lists the answers, in the order the e-mail offers them.
var Answers = []string{AnswerTakenUp, AnswerNotOurs, AnswerResolved}

// LinkLife is how long an answer link stays good.
const LinkLife = 45 * 24 * time.Hour

// Answer is what an answer link says: association answers Action about the request Code, and
// the link is good until Expires.
type Answer struct {
	Code        string
	Association string
	Action      string
	Expires     time.Time
}

// Errors of answer links.
var (
	ErrForged  = errors.New("the link is not one the Comune signed, or it was changed")
	ErrExpired = errors.New("the link has expired")
)

// SignAnswer returns the signature of a: an HMAC-SHA256 over code, association, action and
// expiry, 128 bits in base64url.
func (s *Signer) SignAnswer(a Answer) string {
	return base64.RawURLEncoding.EncodeToString(s.answerMAC(a))
}

// CheckAnswer reports whether sig signs a and a has not expired at now.
func (s *Signer) CheckAnswer(a Answer, sig string, now time.Time) error {
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if !hmac.Equal(s.answerMAC(a), got) || err != nil || !ValidCode(a.Code) || !slices.Contains(Answers, a.Action) {
		return ErrForged
	}
	if !now.Before(a.Expires) {
		return ErrExpired
	}
	return nil
}

func (s *Signer) answerMAC(a Answer) []byte {
	m := hmac.New(sha256.New, s.answers)
	for _, f := range []string{answerLinkLayout, a.Code, a.Association, a.Action, strconv.FormatInt(a.Expires.Unix(), 10)} {
		m.Write([]byte(f))
		m.Write([]byte{0})
	}
	return m.Sum(nil)[:16]
}
