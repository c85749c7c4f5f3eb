package cms_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/cms"
)

var labels = cms.Labels{Title: "Redazione", NoScript: "Serve JavaScript.", Missing: "Non installata: npm ci --prefix site/admin."}

func TestPublishWithoutThePackage(t *testing.T) {
	out := t.TempDir()
	installed, err := cms.Publish(out, loadBase(t, base), cms.Options{DataDir: "data", Labels: labels}, filepath.Join(t.TempDir(), "admin"))
	if err != nil || installed {
		t.Fatalf("publish without the package: installed %v, error %v; want false, nil", installed, err)
	}
	page := readFile(t, filepath.Join(out, "admin", "index.html"))
	if !strings.Contains(page, labels.Missing) || strings.Contains(page, "<script") {
		t.Errorf("admin page without the package:\n%s\nwant how to install it, and no script", page)
	}
	if cfg := readFile(t, filepath.Join(out, "admin", "config.yml")); !strings.Contains(cfg, "collections:") {
		t.Errorf("config.yml:\n%s\nwant the collections all the same", cfg)
	}
}

func TestPublishCopiesTheBrowserBuildOnly(t *testing.T) {
	admin := t.TempDir()
	dist := cms.DistDir(admin)
	if err := os.MkdirAll(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"decap-cms.js", "103.decap-cms.js", "decap-cms.js.map", "103.decap-cms.js.map", "cms.js", "103.cms.js", "cms.css", "f728.wasm", "decap-cms.js.LICENSE.txt"} {
		if err := os.WriteFile(filepath.Join(dist, f), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	installed, err := cms.Publish(out, loadBase(t, base), cms.Options{DataDir: "data", Labels: labels}, admin)
	if err != nil || !installed {
		t.Fatalf("publish: installed %v, error %v; want true, nil", installed, err)
	}
	entries, err := os.ReadDir(filepath.Join(out, "admin"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{"103.decap-cms.js", "config.yml", "decap-cms.js", "decap-cms.js.LICENSE.txt", "f728.wasm", "index.html"}
	if !slices.Equal(got, want) {
		t.Errorf("published %v, want %v", got, want)
	}
	page := readFile(t, filepath.Join(out, "admin", "index.html"))
	for _, s := range []string{`<html lang="it">`, `<script src="/admin/decap-cms.js"></script>`, `href="/admin/config.yml"`, "noindex", "<title>Redazione · ", labels.NoScript} {
		if !strings.Contains(page, s) {
			t.Errorf("admin page:\n%s\nwant %s in it", page, s)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
