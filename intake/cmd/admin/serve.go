package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/shaps-portal/shaps/intake/cases/web"
)

// serve runs the web interface until ctx ends. It serves personal data, so it listens on a
// non-loopback address only over TLS (its own certificate, or a proxy in front that terminates
// TLS, declared as such).
func (a *app) serve(ctx context.Context, args []string, getenv func(string) string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8765", "the address to listen on")
	certFile := fs.String("tls-cert", getenv("SHAPS_ADMIN_TLS_CERT"), "the TLS certificate file (PEM)")
	keyFile := fs.String("tls-key", getenv("SHAPS_ADMIN_TLS_KEY"), "the TLS private key file (PEM)")
	proxied := fs.Bool("behind-tls-proxy", getenv("SHAPS_ADMIN_BEHIND_TLS_PROXY") == "true", "a proxy in front terminates TLS")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if (*certFile == "") != (*keyFile == "") {
		return errors.New("serve: give both -tls-cert and -tls-key (SHAPS_ADMIN_TLS_CERT, SHAPS_ADMIN_TLS_KEY), or neither")
	}
	useTLS := *certFile != ""
	if err := exposure(*addr, useTLS || *proxied); err != nil {
		return err
	}
	var tlsConfig *tls.Config
	if useTLS {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return fmt.Errorf("serve: TLS certificate: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	token, hash := getenv("SHAPS_ADMIN_TOKEN"), getenv("SHAPS_ADMIN_PASSWORD_HASH")
	login, howTo := web.Token(token), "access code: "+token
	switch {
	case hash != "":
		login, howTo = web.PasswordHash(hash), "log in with the configured password"
	case token == "":
		token = web.NewToken()
		login, howTo = web.Token(token), "access code: "+token
	}
	d, err := a.desk()
	if err != nil {
		return err
	}
	h := web.NewServer(d, web.Config{Login: login, Actor: a.cfg.Actor, Now: a.now, SecureCookie: useTLS || *proxied})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	scheme := "http"
	if useTLS {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	fmt.Fprintf(a.stdout, "administration at %s://%s/ — %s\n", scheme, ln.Addr(), howTo)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	case err := <-errc:
		return err
	}
}

// exposure refuses to serve in clear text on an address other machines can reach.
func exposure(addr string, encrypted bool) error {
	if encrypted {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("serve: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("serve: %s is reachable from other machines and the pages hold personal data: "+
		"give a TLS certificate (-tls-cert and -tls-key, or SHAPS_ADMIN_TLS_CERT and SHAPS_ADMIN_TLS_KEY), "+
		"declare a proxy in front that terminates TLS (-behind-tls-proxy or SHAPS_ADMIN_BEHIND_TLS_PROXY=true), "+
		"or listen on 127.0.0.1", addr)
}
