package folder_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/shaps-portal/shaps/intake/status/boardtest"
	"github.com/shaps-portal/shaps/intake/status/folder"
)

func TestBoard(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "status")
	b, err := folder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	boardtest.Run(t, b)
	if err := b.Put(context.Background(), boardtest.Sample("VG-AAAA-BB")); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "VG-AAAA-BB.json" {
		t.Fatalf("folder: got %v, want only VG-AAAA-BB.json (no temporary file left)", entries)
	}
	info, err := entries[0].Info()
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("file mode: got %v, want 0600", info.Mode().Perm())
	}
}
