package hugosite

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// TestSwapNeverLeavesAGap: readers of the output folder find a page at every moment while one
// site after another is swapped in.
func TestSwapNeverLeavesAGap(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	site := func(i int) string {
		t.Helper()
		dir, err := os.MkdirTemp(parent, tempPrefix(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte{byte(i)}, 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	if err := swap(site(0), out); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var reads, misses atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
					misses.Add(1)
				}
				reads.Add(1)
			}
		}()
	}
	const swaps = 300
	for i := 1; i <= swaps; i++ {
		src := site(i)
		if err := swap(src, out); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(src); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if misses.Load() > 0 {
		t.Errorf("during %d swaps: %d of %d reads found no page, want none", swaps, misses.Load(), reads.Load())
	}
	if b, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil || b[0] != swaps%256 {
		t.Errorf("after the swaps: got %v, %v, want the last site", b, err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("beside the output: got %d entries, want only it", len(entries))
	}
}
