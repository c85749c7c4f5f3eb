package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// files lists the files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// entries lists the names in dir, leaving out the build's lock file, which stays.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		if e.Name() != ".public.lock" {
			names = append(names, e.Name())
		}
	}
	return names
}

func buildInto(out string) error {
	var stdout, stderr bytes.Buffer
	return run(context.Background(), []string{"build", "-data", "../data", "-out", out, "-content", "../content", "-site", "../site"}, noEnv, &stdout, &stderr, testNow)
}

// TestConcurrentBuildsIntoOneFolder: builds started together into one folder all succeed and
// leave exactly one complete output beside nothing else.
func TestConcurrentBuildsIntoOneFolder(t *testing.T) {
	want := files(t, buildSite(t, "../data"))
	out := filepath.Join(t.TempDir(), "public")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = buildInto(out)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("build %d: %v", i, err)
		}
	}
	if got := entries(t, filepath.Dir(out)); !slices.Equal(got, []string{"public"}) {
		t.Errorf("beside the output: got %v, want only public", got)
	}
	if got := files(t, out); !slices.Equal(got, want) {
		t.Errorf("the output has %d files, want the %d of one build", len(got), len(want))
	}
}

// TestBuildCleansStaleTemporaryFolders: what a killed build left beside the output goes with
// the next build.
func TestBuildCleansStaleTemporaryFolders(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	for _, d := range []string{".public.new-123456", "public.old-.public.new-654321", "public"} {
		if err := os.MkdirAll(filepath.Join(parent, d, "eventi"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(parent, d, "eventi", "index.html"), []byte("stale"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := buildInto(out); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, parent); !slices.Equal(got, []string{"public"}) {
		t.Errorf("beside the output after a build: got %v, want only public", got)
	}
	if page := readFile(t, filepath.Join(out, "eventi", "index.html")); page == "stale" {
		t.Errorf("the output still holds the stale page")
	}
}

// TestServeNeverMissesAPageDuringRebuilds: while the portal is rebuilt again and again, pages
// that exist in every build always answer 200.
func TestServeNeverMissesAPageDuringRebuilds(t *testing.T) {
	out := buildSite(t, "../data")
	srv := httptest.NewServer(newSiteHandler(out, ""))
	t.Cleanup(srv.Close)
	paths := []string{"/", "/servizi/", "/eventi/filo-d-argento-iriense/", "/associazioni/la-rondine/", "/favicon.svg"}
	var stop atomic.Bool
	var requests, misses atomic.Int64
	var missed sync.Map
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; !stop.Load(); i++ {
				p := paths[i%len(paths)]
				resp, err := http.Get(srv.URL + p)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				requests.Add(1)
				if resp.StatusCode != http.StatusOK {
					misses.Add(1)
					missed.Store(p, resp.StatusCode)
				}
			}
		}()
	}
	for range 4 {
		if err := buildInto(out); err != nil {
			t.Error(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if misses.Load() > 0 {
		var got []string
		missed.Range(func(k, v any) bool { got = append(got, k.(string)); return true })
		t.Errorf("during 4 rebuilds: %d of %d requests failed (%v), want every one answered 200", misses.Load(), requests.Load(), got)
	}
	t.Logf("%d requests during 4 rebuilds", requests.Load())
}
