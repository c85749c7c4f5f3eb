package web

import (
	"sync"
	"time"
)

// Failed logins are throttled per client (address), per operator's name and over all clients
// together: from the last free failure on, each failure makes logins wait, twice as long each
// time, up to a limit. While a login must wait, the secret is not even checked, so guessing gains
// nothing; guessing one operator's password from many addresses waits as much as from one.
const (
	freePerClient = 5
	freeOverall   = 20
	firstDelay    = time.Second
	maxPerClient  = 15 * time.Minute
	maxOverall    = time.Minute // short: it also keeps the office out
	forgetAfter   = 24 * time.Hour
)

type throttle struct {
	mu        sync.Mutex
	clients   map[string]*strikes
	operators map[string]*strikes // by the name typed, known or not
	all       strikes
}

type strikes struct {
	failed int
	until  time.Time
	last   time.Time
}

// wait is how long a login from client as operator ("" for the shared code) must still wait;
// zero lets it through.
func (t *throttle) wait(client, operator string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.all.until.Sub(now)
	if s := t.clients[client]; s != nil {
		w = max(w, s.until.Sub(now))
	}
	if s := t.operators[operator]; s != nil && operator != "" {
		w = max(w, s.until.Sub(now))
	}
	return max(w, 0)
}

// failed records a failed login, and returns how many failures in a row the client and the
// operator now have.
func (t *throttle) failed(client, operator string, now time.Time) (byClient, byOperator int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	byClient = strike(&t.clients, client, now)
	if operator != "" {
		byOperator = strike(&t.operators, operator, now)
	}
	t.all.strike(now, freeOverall, maxOverall)
	return byClient, byOperator
}

func strike(m *map[string]*strikes, key string, now time.Time) int {
	if *m == nil {
		*m = map[string]*strikes{}
	}
	if len(*m) > 10000 {
		for k, s := range *m {
			if now.Sub(s.last) > forgetAfter {
				delete(*m, k)
			}
		}
	}
	s := (*m)[key]
	if s == nil {
		s = &strikes{}
		(*m)[key] = s
	}
	s.strike(now, freePerClient, maxPerClient)
	return s.failed
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

// succeeded forgets the failures of a client and of the operator once they log in.
func (t *throttle) succeeded(client, operator string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.clients, client)
	delete(t.operators, operator)
}
