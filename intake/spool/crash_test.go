package spool_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/data"
	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/shaps-portal/shaps/intake/spool"
	"github.com/shaps-portal/shaps/site"
)

// crashServerAddr names the variable that turns this test binary into the intake's server, so
// that the test can kill a real process of its own with SIGKILL.
const crashServerAddr = "SHAPS_SPOOL_CRASH_SERVER"

func TestMain(m *testing.M) {
	if addr := os.Getenv(crashServerAddr); addr != "" {
		if err := serveIntake(addr, os.Getenv("SHAPS_SPOOL_DIR")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveIntake serves the intake on a spool, wired as the function and serve wire it.
func serveIntake(addr, dir string) error {
	cfg, err := setup.Load(func(k string) string {
		return map[string]string{"SHAPS_QUEUE": "spool", "SHAPS_SPOOL_DIR": dir, "SHAPS_RATE_LIMIT": "0",
			"SHAPS_STATUS_DIR": filepath.Join(filepath.Dir(dir), "status"), "SHAPS_SIGNING_KEY": "the signing key of the spool's crash test"}[k]
	}, nil)
	if err != nil {
		return err
	}
	q, err := spool.Open(dir)
	if err != nil {
		return err
	}
	st, err := setup.OpenStatusReader(context.Background(), cfg)
	if err != nil {
		return err
	}
	h, err := setup.Handler(cfg, q, st, data.FS, site.FS, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	return http.ListenAndServe(addr, h)
}

// TestCrashLosesNothingAcknowledged kills the intake's server with SIGKILL in the middle of 1,000
// concurrent submissions: every submission that got a 2xx must be in the spool exactly once,
// whole and readable.
func TestCrashLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("runs and kills a server")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	spoolDir := filepath.Join(t.TempDir(), "spool")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashServerAddr+"="+addr, "SHAPS_SPOOL_DIR="+spoolDir)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	base := "http://" + addr
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/richieste/inviata/?codice=VG-7K4M-Q2"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", logs.String())
		}
	}

	const total = 1000
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: total}}
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
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, base+"/api/requests", bytes.NewReader([]byte(body)))
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
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
		t.Fatalf("too few acknowledgements before the deadline:\n%s", logs.String())
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
