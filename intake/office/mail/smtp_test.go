package mail_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/office/mail"
)

func smtpServer(t *testing.T, extra ...string) (addr, folder string) {
	t.Helper()
	py := "/usr/bin/python3"
	if exec.Command(py, "-c", "import aiosmtpd").Run() != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3-aiosmtpd is not installed; .ci/run installs it")
		}
		t.Skip("python3-aiosmtpd is not installed (bash .ci/run installs it)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = ln.Addr().String()
	ln.Close()
	folder = t.TempDir()
	cmd := exec.Command(py, append([]string{"testdata/smtpd.py", addr[strings.LastIndexByte(addr, ':')+1:], folder, "shaps", "segreto"}, extra...)...)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ready := make(chan bool)
	go func() { s := bufio.NewScanner(out); ready <- s.Scan() && s.Text() == "ready" }()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("the SMTP server did not start")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the SMTP server did not start in time")
	}
	return addr, folder
}

func TestSMTP(t *testing.T) {
	addr, folder := smtpServer(t)
	msg := mail.Message{From: "Comune <uffici@comune.example>", To: "info@associazione.example", Subject: "[VG-AAAA-11] richiesta inoltrata – è urgente",
		Body: "Testo con accenti: città, perché.\n", Date: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	s := &mail.SMTP{Addr: addr, Username: "shaps", Password: "segreto", Attempts: 2, Backoff: 10 * time.Millisecond}
	if _, err := s.Send(context.Background(), msg, "x"); err != nil {
		t.Fatalf("send: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(folder, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("got %d messages at the server, want 1", len(files))
	}
	b, _ := os.ReadFile(files[0])
	if !strings.Contains(string(b), "Subject: =?utf-8?q?[VG-AAAA-11]") || !strings.Contains(string(b), "citt=C3=A0") {
		t.Errorf("the server got\n%s\nwant the encoded subject and body", b)
	}

	refused := msg
	refused.To = "rifiutato@associazione.example"
	start := time.Now()
	_, err := s.Send(context.Background(), refused, "x")
	if !errors.Is(err, mail.ErrRefused) {
		t.Errorf("refused recipient: got %v, want ErrRefused", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("a permanent refusal was retried")
	}

	wrong := &mail.SMTP{Addr: addr, Username: "shaps", Password: "sbagliata", Attempts: 1, Timeout: 3 * time.Second}
	if _, err := wrong.Send(context.Background(), msg, "x"); err == nil {
		t.Errorf("wrong password: got no error, want one")
	}
	strict := &mail.SMTP{Addr: addr, Username: "shaps", Password: "segreto", RequireTLS: true, Attempts: 1}
	if _, err := strict.Send(context.Background(), msg, "x"); err == nil {
		t.Errorf("a server without STARTTLS with RequireTLS: got no error, want one")
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns a pool that trusts it.
func selfSigned(t *testing.T) (cert, key string, pool *x509.CertPool) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(priv)
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	_ = os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	parsed, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(parsed)
	return cert, key, pool
}

func TestSMTPWithSTARTTLS(t *testing.T) {
	cert, key, pool := selfSigned(t)
	addr, folder := smtpServer(t, cert, key)
	msg := mail.Message{From: "uffici@comune.example", To: "info@associazione.example", Subject: "[VG-AAAA-11] prova", Body: "Cifrato.\n", Date: time.Now()}
	s := &mail.SMTP{Addr: addr, Username: "shaps", Password: "segreto", RequireTLS: true, Attempts: 1, Timeout: 10 * time.Second,
		TLSConfig: &tls.Config{ServerName: "127.0.0.1", RootCAs: pool, MinVersion: tls.VersionTLS12}}
	if _, err := s.Send(context.Background(), msg, "x"); err != nil {
		t.Fatalf("send over STARTTLS: %v", err)
	}
	if files, _ := filepath.Glob(filepath.Join(folder, "*.eml")); len(files) != 1 {
		t.Errorf("got %d messages at the server, want 1", len(files))
	}
	untrusted := &mail.SMTP{Addr: addr, Username: "shaps", Password: "segreto", RequireTLS: true, Attempts: 1, Timeout: 10 * time.Second}
	if _, err := untrusted.Send(context.Background(), msg, "x"); err == nil {
		t.Errorf("a certificate nobody vouches for: got no error, want the TLS handshake to fail")
	}
}
