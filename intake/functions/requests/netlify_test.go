package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/sqsqueue/sqstest"
)

// TestUnderNetlifyCLI runs the function as Netlify runs it, under netlify-cli's
// "functions:serve --offline". netlify-cli listens on every interface, so the test runs itself
// again inside a private network namespace whose only interface is loopback.
func TestUnderNetlifyCLI(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", "..", ".."))
	netlify := filepath.Join(root, ".ci", "node_modules", ".bin", "netlify")
	if _, err := os.Stat(netlify); err != nil {
		netlify = tool(t, "netlify")
	}
	if os.Getenv("SHAPS_IN_NETNS") != "1" {
		unshare := tool(t, "unshare")
		tool(t, "ip")
		cmd := exec.Command(unshare, "-n", "--", "sh", "-c", `ip link set lo up && exec "$0" "$@"`,
			os.Args[0], "-test.run=^TestUnderNetlifyCLI$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "SHAPS_IN_NETNS=1", "GOPROXY=off", "GOFLAGS=-mod=readonly")
		out, err := cmd.CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("--- PASS: TestUnderNetlifyCLI")) {
			t.Fatalf("in a private network namespace: %v\n%s", err, out)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "netlify_test.go") {
				t.Log(strings.TrimSpace(l))
			}
		}
		return
	}

	sqs := sqstest.Start(t)
	queueURL := sqs.QueueURL(t, sqstest.Queue)
	sqs.Drain(t, queueURL)
	addr := freePort(t)
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	cmd := exec.Command(netlify, "functions:serve", "--offline", "--port", port)
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"SHAPS_QUEUE=sqs", "SHAPS_SQS_QUEUE_URL="+queueURL, "AWS_ENDPOINT_URL_SQS="+sqs.Endpoint,
		"SHAPS_AWS_REGION="+sqs.Region, "SHAPS_AWS_ACCESS_KEY_ID=test", "SHAPS_AWS_SECRET_ACCESS_KEY=test",
		"SHAPS_RATE_LIMIT=0", "NETLIFY_TELEMETRY_DISABLED=1", "BROWSER=none")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	url := "http://127.0.0.1:" + port + "/.netlify/functions/requests"
	body := `{"category":"salute","message":"Richiesta arrivata tramite Netlify.","contact_preference":"none","privacy":true}`
	var resp *http.Response
	var err error
	for deadline := time.Now().Add(120 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if resp, err = http.DefaultClient.Do(req); err == nil && resp.StatusCode != http.StatusNotFound {
			break
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	if err != nil || resp == nil {
		t.Fatalf("netlify functions:serve did not answer: %v\n%s", err, logs.String())
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var got struct{ ID, Code string }
	if resp.StatusCode != http.StatusAccepted || json.Unmarshal(b, &got) != nil || !strings.HasPrefix(got.Code, "VG-") {
		t.Fatalf("got %d %s, want 202 with a code\n%s", resp.StatusCode, b, logs.String())
	}
	if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("the function's response lacks its security headers: %v", resp.Header)
	}
	msgs := sqs.Drain(t, queueURL)
	if len(msgs) != 1 || !strings.Contains(msgs[0], `"code":"`+got.Code+`"`) {
		t.Errorf("got %q on the queue, want the request with code %s", msgs, got.Code)
	}
	t.Logf("netlify functions:serve: request %s stored on SQS", got.Code)
}
