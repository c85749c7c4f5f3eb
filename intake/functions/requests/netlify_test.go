package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/sqsqueue/sqstest"
	"github.com/shaps-portal/shaps/intake/status/s3board/s3test"
)

// inPrivateNetwork runs the named test again inside a private network namespace whose only
// interface is loopback, since netlify-cli listens on every interface; it reports whether the
// caller is already inside (and should go on) or has had its run there (and should return).
func inPrivateNetwork(t *testing.T, name string, env ...string) bool {
	t.Helper()
	if os.Getenv("SHAPS_IN_NETNS") == "1" {
		return true
	}
	unshare := tool(t, "unshare")
	tool(t, "ip")
	args := []string{"-n"}
	if os.Geteuid() != 0 {
		args = []string{"-r", "-n"} // a user namespace first, for a developer who is not root
	}
	args = append(args, "--", "sh", "-c", `ip link set lo up && exec "$0" "$@"`, os.Args[0], "-test.run=^"+name+"$", "-test.v", "-test.count=1")
	cmd := exec.Command(unshare, args...)
	cmd.Env = append(append(os.Environ(), "SHAPS_IN_NETNS=1", "GOPROXY=off", "GOFLAGS=-mod=readonly"), env...)
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: "+name)) {
		t.Fatalf("in a private network namespace: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "netlify_test.go") {
			t.Log(strings.TrimSpace(l))
		}
	}
	return false
}

// netlifyCLI finds netlify-cli, installed by .ci/run under .ci/node_modules.
func netlifyCLI(t *testing.T, root string) string {
	t.Helper()
	netlify := filepath.Join(root, ".ci", "node_modules", ".bin", "netlify")
	if _, err := os.Stat(netlify); err != nil {
		netlify = tool(t, "netlify")
	}
	return netlify
}

// netlifyRun is netlify-cli running on loopback, with the intake sending to a goaws queue.
type netlifyRun struct {
	sqs      *sqstest.Server
	queueURL string
	base     string
	logs     *bytes.Buffer
}

// startNetlify starts goaws and "netlify <args> --port P" in the repository, configured for it.
func startNetlify(t *testing.T, netlify, root string, args ...string) netlifyRun {
	t.Helper()
	sqs := sqstest.Start(t)
	queueURL := sqs.QueueURL(t, sqstest.Queue)
	sqs.Drain(t, queueURL)
	s3 := s3test.Start(t)
	addr := freePort(t)
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	cmd := exec.Command(netlify, append(args, "--port", port)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"SHAPS_QUEUE=sqs", "SHAPS_SQS_QUEUE_URL="+queueURL, "AWS_ENDPOINT_URL_SQS="+sqs.Endpoint,
		"SHAPS_AWS_REGION="+sqs.Region, "SHAPS_AWS_ACCESS_KEY_ID=test", "SHAPS_AWS_SECRET_ACCESS_KEY=test",
		"SHAPS_RATE_LIMIT=0", "NETLIFY_TELEMETRY_DISABLED=1", "BROWSER=none",
		"SHAPS_STATUS_BUCKET="+s3test.Bucket, "AWS_ENDPOINT_URL_S3="+s3.URL, "SHAPS_SIGNING_KEY="+testSigningKey)
	logs := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return netlifyRun{sqs: sqs, queueURL: queueURL, base: "http://127.0.0.1:" + port, logs: logs}
}

// TestUnderNetlifyCLI runs the function as Netlify runs it, under netlify-cli's
// "functions:serve --offline".
func TestUnderNetlifyCLI(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", "..", ".."))
	netlify := netlifyCLI(t, root)
	if !inPrivateNetwork(t, "TestUnderNetlifyCLI") {
		return
	}

	n := startNetlify(t, netlify, root, "functions:serve", "--offline")
	sqs, queueURL, logs := n.sqs, n.queueURL, n.logs

	url := n.base + "/.netlify/functions/requests"
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

// TestPortalUnderNetlifyDev serves the built portal with netlify.toml's redirects and headers and
// the function, as Netlify does, under "netlify dev --offline": the static pages with their
// security headers, a link that fills in the request form (one per parameter the intake reads),
// a submission from the form through to SQS, and the thanks page with its code.
func TestPortalUnderNetlifyDev(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", "..", ".."))
	netlify := netlifyCLI(t, root)
	public := os.Getenv("SHAPS_TEST_PUBLIC")
	if public == "" {
		public = filepath.Join(t.TempDir(), "public")
		build := exec.Command(tool(t, "go"), "run", "./generator", "build", "-out", public, "-cms-addr", "")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("build the portal: %v\n%s", err, out)
		}
	}
	if !inPrivateNetwork(t, "TestPortalUnderNetlifyDev", "SHAPS_TEST_PUBLIC="+public) {
		return
	}

	// Edge functions are off: netlify-cli would download their runtime, and the portal has none.
	n := startNetlify(t, netlify, root, "dev", "--offline", "--internal-disable-edge-functions", "--dir", public,
		"--functions", filepath.Join("intake", "functions"))
	sqs, queueURL, logs, base := n.sqs, n.queueURL, n.logs, n.base
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 60 * time.Second}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, logs.String())
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	for deadline := time.Now().Add(120 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		resp, err := client.Get(base + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("netlify dev did not serve the portal: %v\n%s", err, logs.String())
		}
	}

	resp, home := get("/")
	if !strings.Contains(home, `<html lang="it" dir="ltr">`) || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("home page: got %d with headers %v, want the portal with netlify.toml's security headers", resp.StatusCode, resp.Header)
	}
	if resp, _ := get("/eventi/calendario.ics"); !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Errorf("calendar feed: Content-Type %q, want text/calendar", resp.Header.Get("Content-Type"))
	}
	if resp, _ := get("/associazioni/la-rondine/eventi.atom"); !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Errorf("Atom feed: Content-Type %q, want application/atom+xml", resp.Header.Get("Content-Type"))
	}
	// Only the widgets may be framed by other sites: the later header rule replaces the policy.
	for path, want := range map[string]string{"/": "frame-ancestors 'none'", "/associazioni/la-rondine/": "frame-ancestors 'none'",
		"/widget/associazioni/la-rondine/": "frame-ancestors *", "/widget/categorie/salute/eventi/scuro/": "frame-ancestors *"} {
		resp, _ := get(path)
		if csp := resp.Header.Get("Content-Security-Policy"); resp.StatusCode != http.StatusOK || !strings.Contains(csp, want+";") {
			t.Errorf("%s: got %d with policy %q, want %s", path, resp.StatusCode, csp, want)
		}
	}
	_, static := get("/richieste/")
	if !strings.Contains(static, "Che cosa succede dopo l") || strings.Contains(static, "Il modulo indica già") {
		t.Errorf("/richieste/ without parameters: want the static page, got\n%s", static)
	}
	prefills := map[string][]string{
		"?servizio=filo-d-argento-iriense/telefono-amico": {`value="filo-d-argento-iriense/telefono-amico" selected`, `value="filo-d-argento-iriense" selected`, `value="compagnia-assistenza" selected`},
		"?associazione=croce-azzurra-oltrepo":             {`value="croce-azzurra-oltrepo" selected`},
		"?categoria=salute":                               {`value="salute" selected`},
		"?tipo=segnalazione":                              {`value="segnalazione" checked`},
	}
	for query, wants := range prefills {
		resp, page := get("/richieste/" + query)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Il modulo indica già") || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("/richieste/%s: got %d, want the form from the function, filled in, with its headers\n%s", query, resp.StatusCode, page)
			continue
		}
		for _, want := range wants {
			if !strings.Contains(page, want) {
				t.Errorf("/richieste/%s: want %s in the form", query, want)
			}
		}
	}

	for _, path := range []string{"/cerca/?q=trasporto+dialisi", "/cerca?q=trasporto+dialisi"} {
		resp, page := get(path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<a href="/servizi/croce-azzurra-oltrepo/trasporto-visite/">`) || resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: got %d, want the search's results from the function\n%s", path, resp.StatusCode, page)
		}
	}

	for _, path := range []string{"/calendario/?associazioni=la-rondine&categorie=salute", "/.netlify/functions/requests/calendario?associazioni=la-rondine"} {
		resp, feed := get(path)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") ||
			resp.Header.Get("Cache-Control") != "public, max-age=3600" || !strings.Contains(feed, "UID:la-rondine.") {
			t.Errorf("%s: got %d %q %q, want the calendar of what is followed from the function, cacheable\n%.300s", path, resp.StatusCode,
				resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), feed)
		}
	}

	form := "kind=richiesta&category=salute&service=filo-d-argento-iriense%2Ftelefono-amico&message=Mi+serve+compagnia+il+pomeriggio.&contact_preference=none&privacy=true"
	resp, err := client.Post(base+"/api/requests", "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	location := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(location, "/richieste/inviata/?codice=VG-") {
		t.Fatalf("form submission: got %d to %q, want 303 to the thanks page\n%s", resp.StatusCode, location, logs.String())
	}
	// The thanks page's address holds the request's key too: the code is its own parameter.
	thanksURL, err := url.Parse(location)
	if err != nil {
		t.Fatal(err)
	}
	code := thanksURL.Query().Get("codice")
	if thanksURL.Query().Get("chiave") == "" {
		t.Errorf("form submission: got %q, want the thanks page with the request's key", location)
	}
	if _, thanks := get(location); !strings.Contains(thanks, "<strong>"+code+"</strong>") {
		t.Errorf("thanks page: want the code %s in it", code)
	}
	msgs := sqs.Drain(t, queueURL)
	if len(msgs) != 1 || !strings.Contains(msgs[0], `"code":"`+code+`"`) || !strings.Contains(msgs[0], `"service":"filo-d-argento-iriense/telefono-amico"`) {
		t.Errorf("got %q on the queue, want the request %s about the service", msgs, code)
	}
	t.Logf("netlify dev: static pages, the search, %d filled-in forms and request %s through netlify.toml", len(prefills), code)
}
