package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// limiter allows each client a number of requests per minute. Clients are known by a salted
// hash of their address, kept only in memory and only for the current minute.
type limiter struct {
	perMinute int
	salt      [16]byte
	mu        sync.Mutex
	window    time.Time
	counts    map[[32]byte]int
	limited   int64
}

func newLimiter(perMinute int) *limiter {
	l := &limiter{perMinute: perMinute, counts: map[[32]byte]int{}}
	_, _ = rand.Read(l.salt[:])
	return l
}

// allow counts a request from client at now and reports whether it may go on, and if not, when
// the client may try again.
func (l *limiter) allow(client string, now time.Time) (bool, time.Duration) {
	if l.perMinute <= 0 {
		return true, 0
	}
	key := sha256.Sum256(append(l.salt[:], client...))
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := now.Truncate(time.Minute); !w.Equal(l.window) {
		l.window = w
		clear(l.counts)
	}
	l.counts[key]++
	if l.counts[key] > l.perMinute {
		l.limited++
		return false, l.window.Add(time.Minute).Sub(now)
	}
	return true, 0
}
