package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/shaps-portal/shaps/intake/sqsqueue/sqstest"
	"github.com/shaps-portal/shaps/intake/status/s3board/s3test"
)

// testSigningKey is the function's secret in these tests.
const testSigningKey = "a signing key of thirty-two bytes or more"

// tool finds a program on PATH or in the project's .ci/bin; it skips on a laptop without it and
// fails under CI, which installs it.
func tool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p, err := filepath.Abs(filepath.Join("..", "..", "..", ".ci", "bin", name)); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; .ci/run installs it", name)
	}
	t.Skipf("%s is not installed (bash .ci/run installs it)", name)
	return ""
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// starts is how many times TestUnderLambdaEmulator starts the function afresh to measure its start
// (go test -run Emulator ./intake/functions/requests/ -args -starts 10); it reports the median
// and the range, never passes or fails on them.
var starts = flag.Int("starts", 1, "how many cold starts TestUnderLambdaEmulator measures")

// emulator is the function running under the Lambda runtime interface emulator.
type emulator struct {
	addr  string
	logs  *bytes.Buffer
	cmd   *exec.Cmd
	start time.Time // when the emulator was started
}

// startEmulator starts the emulator on the built function, with env added to the test's own.
func startEmulator(t *testing.T, rie, bootstrap string, env []string) *emulator {
	t.Helper()
	e := &emulator{addr: freePort(t), logs: &bytes.Buffer{}}
	e.cmd = exec.Command(rie, "--runtime-interface-emulator-address", e.addr, "--runtime-api-address", freePort(t), bootstrap)
	e.cmd.Env = append(os.Environ(), env...)
	e.cmd.Stdout, e.cmd.Stderr = e.logs, e.logs
	e.start = time.Now()
	if err := e.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.stop)
	return e
}

func (e *emulator) stop() {
	if e.cmd.Process != nil && e.cmd.ProcessState == nil {
		_ = e.cmd.Process.Kill()
		_ = e.cmd.Wait()
	}
}

// invoke sends one event, retrying every 2 ms while the emulator is not yet listening: the
// retry's period bounds how late the start is seen.
func (e *emulator) invoke(t *testing.T, ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	t.Helper()
	body, _ := json.Marshal(ev)
	var resp *http.Response
	var err error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		resp, err = http.Post("http://"+e.addr+"/2015-03-31/functions/function/invocations", "application/json", bytes.NewReader(body))
		if err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("invoke: %v\n%s", err, e.logs.String())
	}
	defer resp.Body.Close()
	var out events.APIGatewayProxyResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode response: %v\n%s", err, e.logs.String())
	}
	return out
}

// initReport is the function's init as the emulator reports it: from starting the function to
// its first wait for an event.
var initReport = regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`)

func (e *emulator) initDuration() (time.Duration, bool) {
	m := initReport.FindStringSubmatch(e.logs.String())
	if m == nil {
		return 0, false
	}
	ms, err := strconv.ParseFloat(m[1], 64)
	return time.Duration(ms * float64(time.Millisecond)), err == nil
}

// spread is a sample's median and range, for the log.
func spread(ds []time.Duration) string {
	s := slices.Clone(ds)
	slices.Sort(s)
	r := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	if len(s) == 1 {
		return r(s[0])
	}
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return fmt.Sprintf("median %s (%s–%s) over %d starts", r(med), r(s[0]), r(s[len(s)-1]), len(s))
}

// TestUnderLambdaEmulator builds the function as the AWS workflow builds it and runs it under the Lambda
// runtime interface emulator, sending to a real SQS server on loopback.
func TestUnderLambdaEmulator(t *testing.T) {
	rie := tool(t, "aws-lambda-rie")
	dir := t.TempDir()
	bootstrap := filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", bootstrap, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	fi, _ := os.Stat(bootstrap)
	t.Logf("bootstrap binary: %.1f MB", float64(fi.Size())/(1<<20))

	sqs := sqstest.Start(t)
	queueURL := sqs.QueueURL(t, sqstest.Queue)
	sqs.Drain(t, queueURL)

	s3 := s3test.Start(t)
	env := []string{
		"SHAPS_QUEUE=sqs", "SHAPS_SQS_QUEUE_URL=" + queueURL, "AWS_ENDPOINT_URL_SQS=" + sqs.Endpoint, "AWS_REGION=" + sqs.Region,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "SHAPS_CODE_PREFIX=VG", "SHAPS_RATE_LIMIT=0",
		"SHAPS_STATUS_BUCKET=" + s3test.Bucket, "AWS_ENDPOINT_URL_S3=" + s3.URL, "SHAPS_SIGNING_KEY=" + testSigningKey}
	post := events.APIGatewayProxyRequest{
		HTTPMethod: "POST", Path: "/api/requests",
		Headers: map[string]string{"Content-Type": "application/json", "Host": "portale.example"},
		Body:    `{"category":"salute","message":"Serve un passaggio per una visita.","phone":"0383 123456","contact_preference":"phone","privacy":true}`,
	}

	// Cold starts, each a new emulator and function answering one request, which must reach
	// the queue.
	var firsts, inits []time.Duration
	for i := 1; i < *starts; i++ {
		e := startEmulator(t, rie, bootstrap, env)
		r := e.invoke(t, post)
		firsts = append(firsts, time.Since(e.start))
		if d, ok := e.initDuration(); ok {
			inits = append(inits, d)
		}
		e.stop()
		if r.StatusCode != 202 {
			t.Fatalf("start %d: got %d %s, want 202\n%s", i, r.StatusCode, r.Body, e.logs.String())
		}
		if got := sqs.Drain(t, queueURL); len(got) != 1 {
			t.Fatalf("start %d: got %d messages on the queue, want 1", i, len(got))
		}
	}

	e := startEmulator(t, rie, bootstrap, env)
	logs := e.logs
	invoke := func(ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
		t.Helper()
		return e.invoke(t, ev)
	}
	first := invoke(post)
	firsts = append(firsts, time.Since(e.start))
	if d, ok := e.initDuration(); ok {
		inits = append(inits, d)
	}
	t.Logf("start to first response under the emulator: %s", spread(firsts))
	if len(inits) > 0 {
		t.Logf("the function's init as the emulator reports it: %s", spread(inits))
	}
	if first.StatusCode != 202 || !strings.Contains(first.Body, `"code":"VG-`) {
		t.Fatalf("JSON post: got %d %s, want 202 with a code\n%s", first.StatusCode, first.Body, logs.String())
	}
	if first.Headers["Content-Security-Policy"] == "" || first.Headers["Strict-Transport-Security"] == "" {
		t.Errorf("the function's response lacks its security headers: %v", first.Headers)
	}
	var receipt struct{ Code, Key string }
	_ = json.Unmarshal([]byte(first.Body), &receipt)
	state := invoke(events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/richieste/stato/",
		QueryStringParameters: map[string]string{"codice": receipt.Code, "chiave": receipt.Key}, Headers: map[string]string{"Accept": "application/json"}})
	if state.StatusCode != 200 || !strings.Contains(state.Body, `"status":"ricevuta"`) || state.Headers["Referrer-Policy"] != "no-referrer" {
		t.Errorf("status of the request just sent: got %d %v %s, want 200 ricevuta, no referrer", state.StatusCode, state.Headers, state.Body)
	}

	// The search index is built on the first search, not at the start.
	searchStart := time.Now()
	found := invoke(events.APIGatewayProxyRequest{
		HTTPMethod: "GET", Path: "/cerca/", QueryStringParameters: map[string]string{"q": "doposcula"},
		Headers: map[string]string{"Host": "portale.example"},
	})
	t.Logf("first search, its index built: %v", time.Since(searchStart).Round(time.Millisecond))
	if found.StatusCode != 200 || !strings.Contains(found.Body, `href="/servizi/ponte-sullo-staffora/doposcuola/"`) {
		t.Errorf("search: got %d, want 200 with the Doposcuola\n%s", found.StatusCode, found.Body)
	}

	form := "kind=segnalazione&category=ascolto&message=Un+vicino+anziano+%C3%A8+solo+da+giorni.&contact_preference=none&privacy=true"
	second := invoke(events.APIGatewayProxyRequest{
		HTTPMethod: "POST", Path: "/api/requests", IsBase64Encoded: true,
		Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"},
		Body:    base64.StdEncoding.EncodeToString([]byte(form)),
	})
	if second.StatusCode != 303 || !strings.HasPrefix(second.Headers["Location"], "/richieste/inviata/?codice=VG-") {
		t.Errorf("base64 form post: got %d %v, want 303 to the thanks page", second.StatusCode, second.Headers)
	}

	got := sqs.Drain(t, queueURL)
	if len(got) != 2 {
		t.Fatalf("got %d messages on the queue, want 2", len(got))
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{`"message":"Serve un passaggio per una visita."`, `"message":"Un vicino anziano è solo da giorni."`} {
		if !strings.Contains(joined, want) {
			t.Errorf("queue: want %s in\n%s", want, joined)
		}
	}

	sqs.Stop()
	defer sqs.Start()
	down := invoke(events.APIGatewayProxyRequest{
		HTTPMethod: "POST", Path: "/api/requests",
		Headers: map[string]string{"Content-Type": "application/json"},
		Body:    `{"category":"salute","message":"Il messaggio che non deve andare perso.","contact_preference":"none","privacy":true}`,
	})
	if down.StatusCode != 503 || down.Headers["Retry-After"] == "" || strings.Contains(down.Body, "code") {
		t.Errorf("queue down: got %d %v %s, want 503 with Retry-After and no code", down.StatusCode, down.Headers, down.Body)
	}
	if strings.Contains(logs.String(), "Il messaggio") || strings.Contains(logs.String(), "0383") {
		t.Errorf("the function logged what the citizen wrote:\n%s", logs.String())
	}
}

// TestRefusesToStartWithoutItsSecrets: the function needs the status board's bucket and the
// signing key; without them it stops at once, saying which is missing.
func TestRefusesToStartWithoutItsSecrets(t *testing.T) {
	base := map[string]string{"SHAPS_SQS_QUEUE_URL": "http://127.0.0.1:1/queue/q", "AWS_REGION": "eu-south-1",
		"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
	tests := []struct {
		name, want string
		env        map[string]string
	}{
		{"no bucket", "SHAPS_STATUS=s3 needs SHAPS_STATUS_BUCKET", nil},
		{"no signing key", "SHAPS_SIGNING_KEY is not set", map[string]string{"SHAPS_STATUS_BUCKET": "b"}},
		{"a short signing key", "SHAPS_SIGNING_KEY: 5 bytes, want at least 32", map[string]string{"SHAPS_STATUS_BUCKET": "b", "SHAPS_SIGNING_KEY": "short"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if v, ok := tt.env[k]; ok {
					return v
				}
				return base[k]
			}
			err := run(t.Context(), getenv, os.Stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}
