package spool_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/spool"
)

func TestWritersAndReaderTogether(t *testing.T) {
	s, err := spool.Open(filepath.Join(t.TempDir(), "spool"))
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 20, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("m-%02d-%02d", w, i)
				if err := s.Enqueue(context.Background(), intake.Message{ID: id, Body: []byte(`{"id":"` + id + `"}`)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	seen := map[string]int{}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	receive := func() int {
		ds, err := s.Receive(context.Background(), 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if want := `{"id":"` + d.ID + `"}`; string(d.Body) != want {
				t.Errorf("message %s: got %q, want %q", d.ID, d.Body, want)
			}
			seen[d.ID]++
			if err := s.Delete(d); err != nil {
				t.Fatal(err)
			}
		}
		return len(ds)
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			receive()
		}
	}
	for receive() > 0 {
	}
	if len(seen) != writers*each {
		t.Errorf("got %d distinct messages, want %d", len(seen), writers*each)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %s: read %d times, want once", id, n)
		}
	}
}

func TestSameIDStoredOnce(t *testing.T) {
	s, err := spool.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := s.Enqueue(context.Background(), intake.Message{ID: "abc", Body: []byte("first")}); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ := s.Receive(context.Background(), 10)
	if len(ds) != 1 || string(ds[0].Body) != "first" {
		t.Errorf("got %d messages, want the id stored once", len(ds))
	}
	if err := s.Enqueue(context.Background(), intake.Message{ID: "../x", Body: []byte("x")}); err == nil {
		t.Errorf("an id with a path in it: got no error, want one")
	}
}

func TestFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spool")
	s, err := spool.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Enqueue(context.Background(), intake.Message{ID: "p", Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, filepath.Join(dir, "new"), filepath.Join(dir, "tmp"), filepath.Join(dir, "cur")} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: got mode %v, want 0700", p, fi.Mode().Perm())
		}
	}
	fi, err := os.Stat(filepath.Join(dir, "new", "p.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("message file: got mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestReceiveTakesBackWhatADeadReaderLeft(t *testing.T) {
	dir := t.TempDir()
	s, _ := spool.Open(dir)
	_ = s.Enqueue(context.Background(), intake.Message{ID: "x", Body: []byte("{}")})
	first, _ := s.Receive(context.Background(), 10) // a reader takes it, then dies before Delete
	again, _ := spool.Open(dir)
	second, _ := again.Receive(context.Background(), 10)
	if len(first) != 1 || len(second) != 1 || second[0].ID != "x" {
		t.Errorf("got %d then %d deliveries, want the message delivered again after a reader died", len(first), len(second))
	}
}
