// Package boardtest holds the behaviour every status board adapter must have, run by each
// adapter's tests against the real thing (a folder, an S3 server).
package boardtest

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/shaps-portal/shaps/intake/status"
)

// Sample is a record with every field filled in.
func Sample(code string) status.Record {
	return status.Record{Version: status.Version, Code: code, Kind: "richiesta", Category: "salute", Received: "2026-11-30",
		Steps: []status.Step{{Step: status.Received, Date: "2026-11-30"}, {Step: status.Read, Date: "2026-12-01"},
			{Step: status.Forwarded, Date: "2026-12-01"}, {Step: status.Closed, Date: "2026-12-02"}},
		Outcome: "resolved", Note: "La consegna è fissata.", Associations: []string{"la-rondine"}}
}

// Run checks b: a record written is read back as it was, rewritten replaces it, deleted is gone
// (and deleting it again is no error), an unknown code is status.ErrNotFound, and a code that
// is no request's code is refused before it reaches the store.
func Run(t *testing.T, b status.Board) {
	t.Helper()
	ctx := context.Background()
	if _, err := b.Get(ctx, "VG-0000-00"); !errors.Is(err, status.ErrNotFound) {
		t.Errorf("get of an unknown code: got %v, want ErrNotFound", err)
	}
	r := Sample("VG-7K4M-Q2")
	if err := b.Put(ctx, r); err != nil {
		t.Fatalf("put: %v", err)
	}
	got, err := b.Get(ctx, r.Code)
	if err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("get: got %+v, %v, want %+v", got, err, r)
	}
	r.Steps, r.Outcome, r.Note = r.Steps[:3], "", ""
	if err := b.Put(ctx, r); err != nil {
		t.Fatalf("put again: %v", err)
	}
	if got, err := b.Get(ctx, r.Code); err != nil || got.Status() != status.Forwarded || got.Note != "" {
		t.Errorf("get after a rewrite: got status %s note %q (%v), want %s and no note", got.Status(), got.Note, err, status.Forwarded)
	}
	if err := b.Delete(ctx, r.Code); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := b.Get(ctx, r.Code); !errors.Is(err, status.ErrNotFound) {
		t.Errorf("get after delete: got %v, want ErrNotFound", err)
	}
	if err := b.Delete(ctx, r.Code); err != nil {
		t.Errorf("delete of a record already gone: got %v, want nil", err)
	}
	for _, code := range []string{"../VG-7K4M-Q2", "VG-7K4M-Q2/../../x", "vg-7k4m-q2", ""} {
		bad := Sample(code)
		if err := b.Put(ctx, bad); err == nil {
			t.Errorf("put with code %q: got nil, want an error", code)
		}
		if _, err := b.Get(ctx, code); err == nil || errors.Is(err, status.ErrNotFound) {
			t.Errorf("get with code %q: got %v, want a refusal", code, err)
		}
	}
}
