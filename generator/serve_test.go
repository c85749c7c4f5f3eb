package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeFollowsTheData: serve rebuilds the portal when a file under data/ changes, and the
// intake's form and search follow; a change that breaks the data keeps the last good portal.
func TestServeFollowsTheData(t *testing.T) {
	data := t.TempDir()
	copyTree(t, "../data", data)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	logs := &lockedBuffer{}
	env := map[string]string{"SHAPS_SPOOL_DIR": t.TempDir(), "SHAPS_QUEUE": "spool"}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", addr, "-cms-addr", "", "-data", data, "-content", "../content", "-site", "../site", "-today", "2026-11-25"},
			func(k string) string { return env[k] }, logs, logs, testNow)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	waitFor := func(what string, n int) {
		t.Helper()
		for deadline := time.Now().Add(60 * time.Second); strings.Count(logs.String(), what) < n; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("serve did not say %q %d time(s):\n%s", what, n, logs.String())
			}
		}
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	waitFor("serving the portal", 1)

	service := filepath.Join(data, "associations", "filo-d-argento-iriense", "services", "lettura-ad-alta-voce.yaml")
	if err := os.WriteFile(service, []byte("name: Lettura ad alta voce\nsummary: Un volontario legge il giornale a chi non vede più bene.\ncategories: [compagnia-assistenza]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("rebuilt", 1)
	if code, _ := get("/servizi/filo-d-argento-iriense/lettura-ad-alta-voce/"); code != http.StatusOK {
		t.Errorf("the new service's page: got %d, want 200", code)
	}
	if _, page := get("/cerca/?q=giornale"); !strings.Contains(page, `href="/servizi/filo-d-argento-iriense/lettura-ad-alta-voce/"`) {
		t.Errorf("the search does not find the new service")
	}
	if _, page := get("/richieste/?servizio=filo-d-argento-iriense/lettura-ad-alta-voce"); !strings.Contains(page, `value="filo-d-argento-iriense/lettura-ad-alta-voce" selected`) {
		t.Errorf("the request form does not offer the new service")
	}

	if err := os.WriteFile(service, []byte("name: [rotto\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("rebuild failed, still serving the previous build", 1)
	if code, _ := get("/servizi/filo-d-argento-iriense/lettura-ad-alta-voce/"); code != http.StatusOK {
		t.Errorf("after a broken change: the last good page answers %d, want 200", code)
	}
}

// A setting of the intake that does not parse stops serve at once, with what is wrong: a rate
// limit in words must not turn the limit off.
func TestServeRefusesABadIntakeSetting(t *testing.T) {
	env := map[string]string{"SHAPS_SPOOL_DIR": t.TempDir(), "SHAPS_QUEUE": "spool", "SHAPS_RATE_LIMIT": "ten"}
	var logs lockedBuffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // ends a serve that started anyway
	defer cancel()
	err := run(ctx, []string{"serve", "-addr", freeAddr(t), "-cms-addr", "", "-data", "../data", "-content", "../content", "-site", "../site"},
		func(k string) string { return env[k] }, &logs, &logs, testNow)
	if err == nil || !strings.Contains(err.Error(), `SHAPS_RATE_LIMIT="ten"`) {
		t.Errorf("got %v, want an error naming SHAPS_RATE_LIMIT=\"ten\"", err)
	}
	if strings.Contains(logs.String(), "serving the portal") {
		t.Errorf("serve started anyway:\n%s", logs.String())
	}
}
