package intake

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// EnvelopeVersion is the version of the message format on the queue.
const EnvelopeVersion = 1

// Envelope is the message put on the queue: the request with its identity and time of arrival.
// It holds no IP address and no user agent.
type Envelope struct {
	Version    int       `json:"version"`
	ID         string    `json:"id"`
	Code       string    `json:"code"`
	ReceivedAt time.Time `json:"received_at"`
	Request
}

// Message is an envelope ready for a queue.
type Message struct {
	ID   string // the envelope's id: the same id means the same request
	Body []byte
}

// Queue stores messages durably. Enqueue returns nil only once the message is stored; storing
// the same ID twice may keep one or two copies, and the reader treats them as one.
type Queue interface {
	Enqueue(ctx context.Context, m Message) error
}

// ErrQueue wraps every failure to store a message: the citizen must be told to try again.
var ErrQueue = errors.New("the queue cannot take the request now")

// Submission is a request as it arrives, with the fields that only guard the form.
type Submission struct {
	Request
	Honeypot       string    // the hidden "website" field: people leave it empty
	StartedAt      time.Time // when the form was shown; zero when unknown (no JavaScript)
	IdempotencyKey string    // the same key and the same text give the same code and one stored request
}

// Receipt tells the citizen what happened.
type Receipt struct {
	ID         string
	Code       string
	ReceivedAt time.Time
	// Discarded is true when the submission looked automated: the sender sees the same thanks,
	// and nothing is stored.
	Discarded bool
}

// MinFillTime is the least time a person takes to fill in the form.
const MinFillTime = 3 * time.Second

// MaxClockAhead is how far ahead of the server's clock a device's clock may run: started_at up
// to this far in the future is a person with a clock a little ahead.
const MaxClockAhead = time.Hour

// MaxFormAge is how long a form may stay open in a browser before it is sent.
const MaxFormAge = 30 * 24 * time.Hour

// Intake checks submissions and enqueues them.
type Intake struct {
	Queue      Queue
	Directory  Directory
	CodePrefix string // e.g. VG: codes look like VG-7K4M-Q2
	Now        func() time.Time

	discarded atomic.Int64
	accepted  atomic.Int64
}

// Counts reports how many submissions were stored and how many were discarded as automated.
func (in *Intake) Counts() (accepted, discarded int64) {
	return in.accepted.Load(), in.discarded.Load()
}

// idNamespace makes ids from idempotency keys.
var idNamespace = uuid.MustParse("8f6d2c1e-4b7a-5e39-9c0d-3a1f5b2e7d64")

// requestID is the id of a request sent with an idempotency key: derived from the key and from
// what was written, so that the same form sent twice is one request, and a corrected one, sent
// again with the same key, is a new request with its own code instead of a duplicate to drop.
func requestID(key string, req Request) uuid.UUID {
	content, _ := json.Marshal(req) // a struct of strings and booleans always encodes
	return uuid.NewSHA1(idNamespace, append(append([]byte(key), 0), content...))
}

// Submit checks s and stores it. It returns field errors when the request must be corrected, and
// an error wrapping ErrQueue when it could not be stored; only a nil error means it is stored.
func (in *Intake) Submit(ctx context.Context, s Submission) (Receipt, FieldErrors, error) {
	now := in.Now().UTC()
	req := s.Request
	req.Normalize()
	id := uuid.New()
	if key := strings.TrimSpace(s.IdempotencyKey); validKey(key) {
		id = requestID(key, req)
	}
	r := Receipt{ID: id.String(), Code: Code(in.CodePrefix, id), ReceivedAt: now.Truncate(time.Second)}
	if s.Honeypot != "" {
		in.discarded.Add(1)
		r.Discarded = true
		return r, nil, nil
	}
	// Errors come before the time taken: a person who writes quickly and slips gets the form
	// back to correct, and nothing is stored either way.
	if errs := req.Validate(in.Directory); errs != nil {
		return Receipt{}, errs, nil
	}
	if automated(s.StartedAt, now) {
		in.discarded.Add(1)
		r.Discarded = true
		return r, nil, nil
	}
	body, err := json.Marshal(Envelope{Version: EnvelopeVersion, ID: r.ID, Code: r.Code, ReceivedAt: r.ReceivedAt, Request: req})
	if err != nil {
		return Receipt{}, nil, fmt.Errorf("encode request: %w", err)
	}
	if err := in.Queue.Enqueue(ctx, Message{ID: r.ID, Body: body}); err != nil {
		return Receipt{}, nil, fmt.Errorf("%w: %w", ErrQueue, err)
	}
	in.accepted.Add(1)
	return r, nil, nil
}

func validKey(k string) bool {
	if len(k) < 16 || len(k) > 128 {
		return false
	}
	for _, c := range k {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// codeAlphabet is Crockford's base 32: no I, L, O or U to misread over the phone.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Code is the short code of a request: the prefix and six characters derived from its id,
// e.g. VG-7K4M-Q2.
func Code(prefix string, id uuid.UUID) string {
	h := sha256.Sum256(id[:])
	var c [6]byte
	v := uint64(h[0])<<32 | uint64(h[1])<<24 | uint64(h[2])<<16 | uint64(h[3])<<8 | uint64(h[4])
	for i := range c {
		c[i] = codeAlphabet[v&31]
		v >>= 5
	}
	if prefix == "" {
		prefix = "RQ"
	}
	return prefix + "-" + string(c[:4]) + "-" + string(c[4:])
}

// CodeOK reports whether s has the shape of a code, so that pages can show it safely. A fourth
// part, one digit from 2 to 9, tells apart the rare requests whose codes coincide (VG-7K4M-Q2-2).
func CodeOK(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) == 4 && len(parts[3]) == 1 && parts[3][0] >= '2' && parts[3][0] <= '9' {
		parts = parts[:3]
	}
	if len(parts) != 3 || len(parts[0]) < 1 || len(parts[0]) > 4 || len(parts[1]) != 4 || len(parts[2]) != 2 {
		return false
	}
	for _, c := range parts[0] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	for _, p := range parts[1:] {
		for _, c := range p {
			if !strings.ContainsRune(codeAlphabet, c) {
				return false
			}
		}
	}
	return true
}

// automated reports whether a form shown at started looks filled in by a program: sent sooner
// after it was shown than a person could write it, or shown at a time no browser would give,
// further ahead than a device's clock runs or longer ago than a form stays open. Zero means
// unknown (no JavaScript).
func automated(started, now time.Time) bool {
	if started.IsZero() {
		return false
	}
	if started.After(now.Add(MaxClockAhead)) || now.Sub(started) > MaxFormAge {
		return true
	}
	return now.Sub(started) < MinFillTime && !started.After(now.Add(time.Minute))
}
