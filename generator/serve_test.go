package main

import (
	"context"
	"io"
	"net"
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
	env := map[string]string{"SHAPS_SPOOL_DIR": t.TempDir(), "SHAPS_QUEUE": "spool", "SHAPS_STATUS_DIR": t.TempDir(), "SHAPS_SIGNING_KEY": testSigningKey}
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
	rebound, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/richieste/", nil)
	rebound.Host = "attacker.example"
	if resp, err := http.DefaultClient.Do(rebound); err != nil || resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("Host attacker.example: got %v %v, want 421", resp, err)
	} else {
		resp.Body.Close()
	}

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
	file := filepath.Join(t.TempDir(), "shaps.yaml")
	if err := os.WriteFile(file, []byte("rate_limit: lots\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env   map[string]string
		args  []string
		value string
	}{
		{map[string]string{"SHAPS_RATE_LIMIT": "ten"}, nil, "ten"},
		// the file named by -config holds the intake's settings too
		{nil, []string{"-config", file}, "lots"},
	} {
		env := map[string]string{"SHAPS_SPOOL_DIR": t.TempDir(), "SHAPS_QUEUE": "spool", "SHAPS_STATUS_DIR": t.TempDir(), "SHAPS_SIGNING_KEY": testSigningKey}
		for k, v := range tc.env {
			env[k] = v
		}
		var logs lockedBuffer
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // ends a serve that started anyway
		args := append([]string{"serve", "-addr", freeAddr(t), "-cms-addr", "", "-data", "../data", "-content", "../content", "-site", "../site"}, tc.args...)
		err := run(ctx, args, func(k string) string { return env[k] }, &logs, &logs, testNow)
		cancel()
		if want := `SHAPS_RATE_LIMIT="` + tc.value + `"`; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v %v: got %v, want an error naming %s", tc.env, tc.args, err, want)
		}
		if strings.Contains(logs.String(), "serving the portal") {
			t.Errorf("serve started anyway:\n%s", logs.String())
		}
	}
}

// A client that sends its body slowly, or keeps a connection idle, does not hold it for long.
func TestServeLetsGoOfSlowConnections(t *testing.T) {
	if l := serveLimits(); l.header <= 0 || l.header > 15*time.Second || l.read <= 0 || l.read > 30*time.Second || l.idle <= 0 || l.idle > 30*time.Second || l.write <= 0 {
		t.Errorf("serve's limits %+v: want headers and reads within 30 s, idle within 30 s, and a write limit", l)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) }),
		connLimits{header: 300 * time.Millisecond, read: 300 * time.Millisecond, write: time.Second, idle: 300 * time.Millisecond})
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	closedWithin := func(conn net.Conn, d time.Duration, feed func()) bool {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = io.Copy(io.Discard, conn) // returns when the server closes the connection
		}()
		stop := time.After(d)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return true
			case <-stop:
				return false
			case <-tick.C:
				feed()
			}
		}
	}
	slow, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	_, _ = io.WriteString(slow, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
	if !closedWithin(slow, 5*time.Second, func() { _, _ = io.WriteString(slow, "a") }) {
		t.Errorf("a body sent a byte every 50 ms: the connection is still open after 5 s, want it closed after the read limit")
	}
	idle, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	_, _ = io.WriteString(idle, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	if !closedWithin(idle, 5*time.Second, func() {}) {
		t.Errorf("an idle connection after a request: still open after 5 s, want it closed after the idle limit")
	}
}
