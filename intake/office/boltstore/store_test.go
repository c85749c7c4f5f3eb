package boltstore_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/boltstore"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func newCase(id, code string, received time.Time) office.Case {
	return office.Case{ID: id, Code: code, ReceivedAt: received, Status: office.StatusNew,
		Request: intake.Request{Kind: "richiesta", Category: "anziani", Message: "Serve aiuto per la spesa, abito in via Emilia 12.", Name: "Giovanna Bianchi", Language: "it"}}
}

func open(t *testing.T) (*boltstore.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "private", "cases.db")
	s, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestOpenIsPrivate(t *testing.T) {
	_, path := open(t)
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", p, got, want)
		}
	}
}

func TestAddOncePerID(t *testing.T) {
	s, _ := open(t)
	c := newCase("id-1", "VG-AAAA-11", t0)
	for i, want := range []bool{true, false} {
		added, err := s.Add(c, "admin", t0)
		if err != nil || added != want {
			t.Fatalf("Add #%d = %v, %v; want %v, nil", i+1, added, err, want)
		}
	}
	got, err := s.Get("VG-AAAA-11")
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Errorf("Get = %+v, %v; want %+v", got, err, c)
	}
	if _, err := s.Get("VG-ZZZZ-99"); !errors.Is(err, boltstore.ErrNotFound) {
		t.Errorf("Get of an unknown code: %v, want boltstore.ErrNotFound", err)
	}
}

func TestUpdateIsAtomicAndAudited(t *testing.T) {
	s, _ := open(t)
	if _, err := s.Add(newCase("id-1", "VG-AAAA-11", t0), "pull", t0); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(time.Hour)
	if _, err := s.Update("VG-AAAA-11", "anna", "routed", "to auser", at, func(c *office.Case) error {
		return c.AddRoute(office.Route{At: at, By: "anna", To: []string{"auser"}})
	}); err != nil {
		t.Fatal(err)
	}
	// A change that fails leaves the case and the trail as they were.
	_, err := s.Update("VG-AAAA-11", "anna", "closed", "fatto", at, func(c *office.Case) error {
		c.Status = office.StatusClosed
		return c.Close(at, "fatto", "")
	})
	if err == nil {
		t.Fatal("Update with a failing change succeeded")
	}
	got, _ := s.Get("VG-AAAA-11")
	if got.Status != office.StatusRouted || len(got.Routes) != 1 {
		t.Errorf("after a failed change: status %s, %d routes; want routed with 1", got.Status, len(got.Routes))
	}
	trail, err := s.Audit()
	if err != nil {
		t.Fatal(err)
	}
	want := []boltstore.AuditEntry{
		{At: t0, Actor: "pull", Action: "received", Code: "VG-AAAA-11"},
		{At: at, Actor: "anna", Action: "routed", Code: "VG-AAAA-11", Detail: "to auser"},
	}
	if !reflect.DeepEqual(trail, want) {
		t.Errorf("audit trail = %+v, want %+v", trail, want)
	}
}

func TestAllOldestFirst(t *testing.T) {
	s, _ := open(t)
	for _, c := range []office.Case{newCase("z", "VG-AAAA-33", t0.Add(2*time.Hour)), newCase("a", "VG-AAAA-11", t0.Add(time.Hour)), newCase("m", "VG-AAAA-22", t0)} {
		if _, err := s.Add(c, "pull", t0); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.All()
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range all {
		codes = append(codes, c.Code)
	}
	if want := []string{"VG-AAAA-22", "VG-AAAA-11", "VG-AAAA-33"}; !reflect.DeepEqual(codes, want) {
		t.Errorf("All = %v, want %v", codes, want)
	}
}

// After a purge and Compact, the erased words are nowhere in the file, not even in free pages.
func TestCompactLeavesNoErasedData(t *testing.T) {
	s, path := open(t)
	if _, err := s.Add(newCase("id-1", "VG-AAAA-11", t0), "pull", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update("VG-AAAA-11", "retention", "purged", "", t0, func(c *office.Case) error { c.Purge(t0, nil); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"Giovanna", "Bianchi", "via Emilia"} {
		if bytes.Contains(raw, []byte(word)) {
			t.Errorf("%q is still in the file after purge and compaction", word)
		}
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("compacted file mode %v, want 0600", fi.Mode().Perm())
	}
	got, err := s.Get("VG-AAAA-11")
	if err != nil || got.PurgedAt.IsZero() || got.Request.Category != "anziani" {
		t.Errorf("after compaction Get = %+v, %v; want the purged case with its category", got, err)
	}
}

// Two requests whose codes coincide both become cases; the later gets a suffix.
func TestAddSameCodeTwice(t *testing.T) {
	s, _ := open(t)
	for i, id := range []string{"id-1", "id-2", "id-3"} {
		if added, err := s.Add(newCase(id, "VG-AAAA-11", t0.Add(time.Duration(i)*time.Hour)), "pull", t0); err != nil || !added {
			t.Fatalf("Add %s = %v, %v; want it added", id, added, err)
		}
	}
	for code, id := range map[string]string{"VG-AAAA-11": "id-1", "VG-AAAA-11-2": "id-2", "VG-AAAA-11-3": "id-3"} {
		c, err := s.Get(code)
		if err != nil || c.ID != id || c.Code != code {
			t.Errorf("Get(%s) = %s %s, %v; want case %s under that code", code, c.ID, c.Code, err, id)
		}
	}
	trail, _ := s.Audit()
	if last := trail[len(trail)-1]; last.Code != "VG-AAAA-11-3" || last.Detail != "code VG-AAAA-11 was taken" {
		t.Errorf("audit of the third = %+v, want its new code and why", last)
	}
}

func TestAside(t *testing.T) {
	s, _ := open(t)
	later := []byte(`{"version":2,"id":"id-9","code":"VG-BBBB-22","message":"Serve aiuto"}`)
	for range 2 {
		if err := s.SetAside(later, "read envelope: version 2, want 1", t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetAside([]byte("rotto"), "not json", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	aside, err := s.Aside()
	if err != nil || len(aside) != 2 || string(aside[0].Body) != string(later) || aside[0].Reason != "read envelope: version 2, want 1" {
		t.Fatalf("Aside = %+v, %v; want the two messages, oldest first, each once", aside, err)
	}
	if added, err := s.AddAside(aside[0].Key, newCase("id-9", "VG-BBBB-22", t0), "pull", t0); err != nil || !added {
		t.Fatalf("AddAside = %v, %v", added, err)
	}
	if _, err := s.Get("VG-BBBB-22"); err != nil {
		t.Errorf("the case from the message kept aside: %v", err)
	}
	n, err := s.DropAside(t0.Add(2*time.Hour), "retention", t0.Add(3*time.Hour))
	if err != nil || n != 1 {
		t.Errorf("DropAside = %d, %v; want the one left", n, err)
	}
	if aside, _ := s.Aside(); len(aside) != 0 {
		t.Errorf("after AddAside and DropAside: %d aside, want none", len(aside))
	}
}

// TestHeld: a program that keeps the store open says so, and another one opening it is told
// who holds it, soon; a note left by a holder that died does not stop anyone.
func TestHeld(t *testing.T) {
	s, path := open(t)
	if err := s.Hold("the web interface: use its button"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := boltstore.Open(path)
	var held *boltstore.HeldError
	if !errors.As(err, &held) || held.Holder != "the web interface: use its button" {
		t.Fatalf("open beside a holder: got %v, want a HeldError naming it", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("open beside a holder gave up after %v, want within seconds", took)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".holder"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the holder's note outlived Close: %v", err)
	}
	if err := os.WriteFile(path+".holder", []byte("a program that died"), 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := boltstore.Open(path)
	if err != nil {
		t.Fatalf("open after a holder died: %v", err)
	}
	again.Close()
	if _, err := os.Stat(path + ".holder"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dead holder's note stays: %v", err)
	}
}

// TestCompactWhileReading: the web interface reads while a purge compacts the file; every read
// sees the store, none a closed file (go test -race shows the race this guards against).
func TestCompactWhileReading(t *testing.T) {
	s, _ := open(t)
	for i := range 20 {
		if _, err := s.Add(newCase(fmt.Sprint(i), fmt.Sprintf("VG-AAAA-%02d", i), t0), "pull", t0); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	errs := make(chan error, 1)
	go func() {
		defer close(errs)
		for {
			select {
			case <-stop:
				return
			default:
			}
			all, err := s.All()
			if err == nil && len(all) != 20 {
				err = fmt.Errorf("read %d cases, want 20", len(all))
			}
			if err != nil {
				errs <- err
				return
			}
		}
	}()
	for range 5 {
		if err := s.Compact(); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	if err := <-errs; err != nil {
		t.Errorf("a read during Compact: %v", err)
	}
}
