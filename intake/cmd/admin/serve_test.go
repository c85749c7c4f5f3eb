package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer that the serving goroutine and the test may use at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var started = regexp.MustCompile(`administration at (\S+) — access code: (\S+)`)

// serve starts "admin serve" with args and returns its address and access code; it stops with
// the test.
func (e *env) serve(args ...string) (string, string) {
	e.t.Helper()
	base, token, _ := e.serveOut(args...)
	return base, token
}

// serveOut is serve that also returns what the program prints.
func (e *env) serveOut(args ...string) (string, string, *lockedBuffer) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, append([]string{"serve"}, args...), func(k string) string { return e.vars[k] }, nil, &out, &out, func() time.Time { return e.clock })
	}()
	e.t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			e.t.Errorf("serve: %v", err)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := started.FindStringSubmatch(out.String()); m != nil {
			return m[1], m[2], &out
		}
		select {
		case err := <-errc:
			e.t.Fatalf("serve ended: %v\n%s", err, out.String())
		default:
		}
	}
	e.t.Fatalf("serve did not start:\n%s", out.String())
	return "", "", nil
}

// serveErr runs "admin serve" expecting it to refuse to start.
func (e *env) serveErr(args ...string) error {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var out bytes.Buffer
	err := run(ctx, append([]string{"serve"}, args...), func(k string) string { return e.vars[k] }, nil, &out, &out, func() time.Time { return e.clock })
	if err == nil {
		e.t.Fatalf("serve %v: started and ran, want it refused:\n%s", args, out.String())
	}
	return err
}

func TestServeRefusesClearTextOnTheNetwork(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.10:8765", "admin.comune.example:8765"} {
		e := newEnv(t)
		err := e.serveErr("-addr", addr)
		for _, want := range []string{"reachable from other machines", "-tls-cert", "SHAPS_ADMIN_TLS_CERT", "-behind-tls-proxy"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("serve -addr %s: got %q, want it to mention %q", addr, err, want)
			}
		}
	}
	e := newEnv(t)
	e.vars["SHAPS_ADMIN_TLS_CERT"] = "cert.pem"
	if err := e.serveErr("-addr", "0.0.0.0:0"); !strings.Contains(err.Error(), "both") {
		t.Errorf("a certificate without its key: got %v, want a message asking for both", err)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// sessionCookie logs in and returns the Set-Cookie header of the session.
func sessionCookie(t *testing.T, c *http.Client, base, token string) string {
	t.Helper()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.PostForm(base+"accesso", url.Values{"token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login at %s: got %d, want 303", base, resp.StatusCode)
	}
	return resp.Header.Get("Set-Cookie")
}

func TestServeOverTLS(t *testing.T) {
	e := newEnv(t)
	certFile, keyFile, pool := selfSigned(t, t.TempDir())
	e.vars["SHAPS_ADMIN_TLS_CERT"], e.vars["SHAPS_ADMIN_TLS_KEY"] = certFile, keyFile
	base, token := e.serve("-addr", "127.0.0.1:0")
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("got %s, want an https address", base)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if cookie := sessionCookie(t, c, base, token); !strings.Contains(cookie, "; Secure") {
		t.Errorf("session cookie over TLS: got %q, want it Secure", cookie)
	}
	if resp, err := http.Get(strings.Replace(base, "https:", "http:", 1) + "accesso"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP on the TLS port: got %d, want 400", resp.StatusCode)
		}
	}
}

func TestServeBehindTLSProxy(t *testing.T) {
	e := newEnv(t)
	base, token := e.serve("-addr", "127.0.0.1:0", "-behind-tls-proxy")
	if cookie := sessionCookie(t, &http.Client{}, base, token); !strings.Contains(cookie, "; Secure") {
		t.Errorf("session cookie behind a TLS proxy: got %q, want it Secure", cookie)
	}
	e = newEnv(t)
	base, token = e.serve("-addr", "127.0.0.1:0")
	if cookie := sessionCookie(t, &http.Client{}, base, token); strings.Contains(cookie, "Secure") {
		t.Errorf("session cookie in clear on loopback: got %q, want it without Secure (the browser would drop it)", cookie)
	}
}

// TestServePullsOnASchedule: the web interface pulls by itself, and a command run beside it
// is told at once what to do instead of a timeout.
func TestServePullsOnASchedule(t *testing.T) {
	e := newEnv(t)
	code := e.submit(report)
	_, _, out := e.serveOut("-addr", "127.0.0.1:0", "-pull-every", "50ms")
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "pulled 1 new case(s)"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not pull by itself:\n%s", out.String())
		}
	}
	start := time.Now()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"list"}, func(k string) string { return e.vars[k] }, nil, &stdout, &stderr, func() time.Time { return e.clock })
	if err == nil || !strings.Contains(err.Error(), "open in `admin serve` at http://127.0.0.1:") || !strings.Contains(err.Error(), "Ritira dalla coda") {
		t.Errorf("list beside serve: got %v, want it to say the store is open in admin serve and to use its button", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("list beside serve answered after %v, want at once", took)
	}
	if strings.Contains(stdout.String(), code) {
		t.Errorf("list beside serve printed cases")
	}
}

// TestServePullButton: the list's button pulls, only with the form's CSRF token; once serve
// stops, commands work again.
func TestServePullButton(t *testing.T) {
	e := newEnv(t)
	base, token, _ := e.serveOut("-addr", "127.0.0.1:0", "-pull-every", "0")
	code := e.submit(shared)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	sessionCookie(t, c, base, token)
	page := func() string {
		resp, err := c.Get(base)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	list := page()
	if strings.Contains(list, code) {
		t.Fatalf("the case is listed before any pull")
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(list)
	if csrf == nil || !strings.Contains(list, `action="/ritira"`) {
		t.Fatalf("no pull button with a CSRF token on the list:\n%s", list)
	}
	resp, err := c.PostForm(base+"ritira", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || strings.Contains(page(), code) {
		t.Errorf("pull without the CSRF token: got %d, want 403 and nothing pulled", resp.StatusCode)
	}
	resp, err = c.PostForm(base+"ritira", url.Values{"csrf": {csrf[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if list := page(); !strings.Contains(list, code) || !strings.Contains(list, "1 nuova richiesta") {
		t.Errorf("after the button: got\n%s\nwant the case listed and the pull reported", list)
	}
}

func TestServeRefusesWeakSecrets(t *testing.T) {
	for k, v := range map[string]string{"SHAPS_ADMIN_TOKEN": "12345", "SHAPS_ADMIN_PASSWORD_HASH": "$2a$10$nonvalido"} {
		e := newEnv(t)
		e.vars[k] = v
		if err := e.serveErr("-addr", "127.0.0.1:0"); !strings.Contains(err.Error(), "at least 16") && !strings.Contains(err.Error(), "not a bcrypt hash") {
			t.Errorf("%s=%s: got %v, want it refused with the reason", k, v, err)
		}
	}
}

// TestServeChecksTheHost: a page of another site whose name points at the office's machine (DNS
// rebinding) gets 421; the names given with -hosts, loopback and numeric addresses get the pages.
func TestServeChecksTheHost(t *testing.T) {
	e := newEnv(t)
	base, _ := e.serve("-addr", "127.0.0.1:0", "-hosts", "ufficio.comune.example")
	for host, want := range map[string]int{"attacker.example": http.StatusMisdirectedRequest, "ufficio.comune.example": http.StatusOK,
		"localhost": http.StatusOK, "": http.StatusOK} {
		req, err := http.NewRequest(http.MethodGet, base+"accesso", nil)
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %q: got %d, want %d", host, resp.StatusCode, want)
		}
	}
}
