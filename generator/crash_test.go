package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestCrashLosesNothingAcknowledged kills the local server with SIGKILL in the middle of 1,000
// concurrent submissions: every submission that got a 2xx must be in the spool exactly once,
// whole and readable.
func TestCrashLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "generator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	spoolDir := filepath.Join(dir, "spool")
	cmd := exec.Command(bin, "serve", "-addr", addr, "-cms-addr", "", "-data", "../data", "-content", "../content", "-site", "../site", "-today", "2026-11-25")
	cmd.Env = append(os.Environ(), "SHAPS_SPOOL_DIR="+spoolDir, "SHAPS_RATE_LIMIT=0", "SHAPS_QUEUE=spool",
		"SHAPS_STATUS_DIR="+filepath.Join(dir, "status"), "SHAPS_SIGNING_KEY="+testSigningKey)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	base := "http://" + addr
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", logs.String())
		}
	}

	const total = 1000
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: total, MaxConnsPerHost: 0}}
	var (
		mu    sync.Mutex
		acked = map[string]int{} // code → submission
		wg    sync.WaitGroup
		once  sync.Once
	)
	ackedEnough := make(chan struct{})
	gate := make(chan struct{})
	for i := range total {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			body := fmt.Sprintf(`{"category":"salute","message":"Richiesta numero %04d del test di crash.","contact_preference":"none","privacy":true}`, i)
			resp, err := client.Post(base+"/api/requests", "application/json", bytes.NewReader([]byte(body)))
			if err != nil {
				return // the server died before answering: not acknowledged
			}
			defer resp.Body.Close()
			var r struct{ Code string }
			if resp.StatusCode/100 != 2 || json.NewDecoder(resp.Body).Decode(&r) != nil {
				return
			}
			mu.Lock()
			acked[r.Code] = i
			if len(acked) >= total/4 {
				once.Do(func() { close(ackedEnough) })
			}
			mu.Unlock()
		}()
	}
	close(gate)
	select {
	case <-ackedEnough:
	case <-time.After(60 * time.Second):
		t.Fatal("too few acknowledgements before the deadline")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d of %d submissions acknowledged before SIGKILL", len(acked), total)

	files, _ := filepath.Glob(filepath.Join(spoolDir, "new", "*.json"))
	stored := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var env struct {
			ID, Code, Message string
			Version           int
		}
		if err := json.Unmarshal(b, &env); err != nil || env.Version != 1 {
			t.Errorf("%s: not a whole envelope: %v", filepath.Base(f), err)
			continue
		}
		stored[env.Code]++
	}
	for code, i := range acked {
		if n := stored[code]; n != 1 {
			t.Errorf("submission %d acknowledged as %s: found %d times in the spool, want exactly once", i, code, n)
		}
	}
	if len(stored) < len(acked) {
		t.Errorf("got %d stored, want at least the %d acknowledged", len(stored), len(acked))
	}
}
