package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/spool"
)

// TestPullKilled kills "admin pull" with SIGKILL again and again while it moves 1,500 requests, at
// whatever point it has reached — between storing a case and deleting its message included. The
// pull after that must end with exactly one case per request and nothing left on the queue.
func TestPullKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the admin")
	}
	e := newEnv(t)
	bin := filepath.Join(t.TempDir(), "admin")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	s, err := spool.Open(e.vars["SHAPS_SPOOL_DIR"])
	if err != nil {
		t.Fatal(err)
	}
	const total = 1500
	for i := range total {
		body := fmt.Sprintf(`{"version":1,"id":"00000000-0000-4000-8000-%012d","code":"VG-%s","received_at":"2026-11-25T10:00:00Z","kind":"richiesta","category":"salute","message":"Richiesta %d","privacy":true}`,
			i, code(i), i)
		if err := s.Enqueue(context.Background(), intake.Message{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Body: []byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	var env []string
	for k, v := range e.vars {
		env = append(env, k+"="+v)
	}
	kills, midway := 0, false
	for round := range 8 {
		cmd := exec.Command(bin, "pull")
		cmd.Env = append(os.Environ(), env...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+round*15) * time.Millisecond)
		if cmd.Process.Signal(syscall.SIGKILL) == nil {
			kills++
		}
		_ = cmd.Wait()
		if n := countCases(e.admin("list")); n > 0 && n < total {
			midway = true // this kill interrupted a pull that had stored some and not all
		}
	}
	if !midway {
		t.Errorf("no kill landed in the middle of a pull; the test proves nothing")
	}
	out := e.admin("pull")
	if list := e.admin("list"); countCases(list) != total {
		t.Errorf("after %d kills and a last pull (%s): got %d cases, want %d", kills, strings.TrimSpace(out), countCases(list), total)
	}
	left, _ := filepath.Glob(filepath.Join(e.vars["SHAPS_SPOOL_DIR"], "*", "*.json"))
	if len(left) != 0 {
		t.Errorf("got %d messages left in the spool, want none", len(left))
	}
	t.Logf("%d kills; last pull: %s", kills, strings.TrimSpace(out))
}

// code makes a distinct valid code for request i.
func code(i int) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var b [6]byte
	for j := range b {
		b[j] = alphabet[i%32]
		i /= 32
	}
	return string(b[:4]) + "-" + string(b[4:])
}
