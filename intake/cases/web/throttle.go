package web

import (
	"sync"
	"time"
)

// Failed logins are throttled per client and over all clients together: from the last free
// failure on, each failure makes logins wait, twice as long each time, up to a limit. While a login
// must wait, the secret is not even checked, so guessing gains nothing.
const (
	freePerClient = 5
	freeOverall   = 20
	firstDelay    = time.Second
	maxPerClient  = 15 * time.Minute
	maxOverall    = time.Minute // short: it also keeps the office out
	forgetAfter   = 24 * time.Hour
)

type throttle struct {
	mu      sync.Mutex
	clients map[string]*strikes
	all     strikes
}

type strikes struct {
	failed int
	until  time.Time
	last   time.Time
}

// wait is how long a login from client must still wait; zero lets it through.
func (t *throttle) wait(client string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.all.until.Sub(now)
	if s := t.clients[client]; s != nil {
		w = max(w, s.until.Sub(now))
	}
	return max(w, 0)
}

// failed records a failed login.
func (t *throttle) failed(client string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.clients == nil {
		t.clients = map[string]*strikes{}
	}
	if len(t.clients) > 10000 {
		for k, s := range t.clients {
			if now.Sub(s.last) > forgetAfter {
				delete(t.clients, k)
			}
		}
	}
	s := t.clients[client]
	if s == nil {
		s = &strikes{}
		t.clients[client] = s
	}
	s.strike(now, freePerClient, maxPerClient)
	t.all.strike(now, freeOverall, maxOverall)
}

func (s *strikes) strike(now time.Time, free int, limit time.Duration) {
	if now.Sub(s.last) > forgetAfter {
		s.failed = 0
	}
	s.failed++
	s.last = now
	if s.failed >= free {
		d := limit
		if n := s.failed - free; n < 30 {
			d = min(firstDelay<<n, limit)
		}
		s.until = now.Add(d)
	}
}

// succeeded forgets a client's failures once it logs in.
func (t *throttle) succeeded(client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.clients, client)
}
