package status

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strings"
	"time"
)

// MinSecret is the shortest secret the portal signs with, in bytes.
const MinSecret = 32

// KeyLen is the length of a key: 16 characters of Crockford's base 32, 80 bits, of which 16 are
// the day the request was received and 64 its signature.
const KeyLen = 16

// epoch is the first day a key can name.
var epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// alphabet is Crockford's base 32, as the codes use it.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Signer makes and checks keys with the portal's secret. A key is derived from the code and the
// day of receipt, so the pair proves itself: nothing is written when a key is given, and neither
// the queue nor the case store ever holds it.
type Signer struct {
	secret  []byte // derived from the portal's secret for keys alone, immutable
	answers []byte // derived from it for the associations' answer links alone, immutable
}

// NewSigner returns a signer for the portal's secret, which must be at least MinSecret bytes.
func NewSigner(secret []byte) (*Signer, error) {
	if len(secret) < MinSecret {
		return nil, errors.New("the signing secret is too short: want at least 32 bytes")
	}
	return &Signer{secret: derive(secret, "shaps status key v1"), answers: derive(secret, "shaps answer link v1")}, nil
}

// derive makes from the portal's secret a key for one use, so that a value signed for one use
// is never valid for another.
func derive(secret []byte, use string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(use))
	return m.Sum(nil)
}

// Key is the key of the request with code received at received, which names the day of receipt
// in received's location (the portal's timezone).
func (s *Signer) Key(code string, received time.Time) string {
	day := dayOf(received)
	var raw [10]byte
	binary.BigEndian.PutUint16(raw[:2], day)
	copy(raw[2:], s.mac(code, day))
	return encode(raw)
}

// Check reports whether key is the key of code, and the day the request was received, which the
// key carries. It does the same work for every code and every key, well formed or not, so that
// its time tells nothing about either.
func (s *Signer) Check(code, key string) (time.Time, bool) {
	raw, wellFormed := decode(key)
	day := binary.BigEndian.Uint16(raw[:2])
	ok := hmac.Equal(s.mac(code, day), raw[2:])
	if !ok || !wellFormed || day > maxDay {
		return time.Time{}, false
	}
	return epoch.AddDate(0, 0, int(day)), true
}

// maxDay keeps the day's top bit clear, so that every key starts with a digit 0-7.
const maxDay = 1<<15 - 1

func (s *Signer) mac(code string, day uint16) []byte {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(code))
	m.Write([]byte{0, byte(day >> 8), byte(day)})
	return m.Sum(nil)[:8]
}

// dayOf is the calendar day of t where t is located: callers give the time of receipt in the
// portal's timezone, so that the key names the day the citizen and the office both see.
func dayOf(t time.Time) uint16 {
	y, m, d := t.Date()
	days := int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24)
	return uint16(min(max(days, 0), maxDay))
}

// encode writes 80 bits as 16 characters.
func encode(raw [10]byte) string {
	hi := uint64(binary.BigEndian.Uint16(raw[:2]))
	lo := binary.BigEndian.Uint64(raw[2:])
	var out [KeyLen]byte
	for i := KeyLen - 1; i >= 0; i-- {
		out[i] = alphabet[lo&31]
		lo = lo>>5 | (hi&31)<<59
		hi >>= 5
	}
	return string(out[:])
}

// decode reads a key as a person may type it: in any case, with spaces or dashes, O for 0 and
// I or L for 1. A key that is not 16 such characters decodes to zeros and false.
func decode(key string) ([10]byte, bool) {
	var raw [10]byte
	if len(key) > 4*KeyLen {
		return raw, false
	}
	key = strings.NewReplacer("-", "", " ", "", "O", "0", "o", "0", "I", "1", "i", "1", "L", "1", "l", "1").Replace(key)
	key = strings.ToUpper(key)
	if len(key) != KeyLen {
		return raw, false
	}
	var hi, lo uint64
	for i := 0; i < KeyLen; i++ {
		v := strings.IndexByte(alphabet, key[i])
		if v < 0 {
			return [10]byte{}, false
		}
		hi = hi<<5 | lo>>59
		lo = lo<<5 | uint64(v)
	}
	binary.BigEndian.PutUint16(raw[:2], uint16(hi))
	binary.BigEndian.PutUint64(raw[2:], lo)
	return raw, true
}
