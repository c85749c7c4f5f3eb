package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"github.com/shaps-portal/shaps/site/routes"
	"net"
	"net/http"
	"time"

	"github.com/shaps-portal/shaps/intake/office/web"
)

// serve runs the web interface until ctx ends. It serves personal data, so it listens on a
// non-loopback address only over TLS (its own certificate, or a proxy in front that terminates
// TLS, declared as such).
func (a *app) serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if _, err := a.parse(fs, args, "addr", "tls-cert", "tls-key", "pull-every", "behind-tls-proxy", "hosts"); err != nil {
		return err
	}
	sc := a.cfg.Serve
	if (sc.TLSCert == "") != (sc.TLSKey == "") {
		return errors.New("serve: give both -tls-cert and -tls-key (SHAPS_ADMIN_TLS_CERT, SHAPS_ADMIN_TLS_KEY), or neither")
	}
	interval := sc.PullEvery
	useTLS := sc.TLSCert != ""
	if err := exposure(sc.Addr, useTLS || sc.BehindProxy); err != nil {
		return err
	}
	var tlsConfig *tls.Config
	hosts := sc.Hosts
	if useTLS {
		cert, err := tls.LoadX509KeyPair(sc.TLSCert, sc.TLSKey)
		if err != nil {
			return fmt.Errorf("serve: TLS certificate: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if cert.Leaf != nil {
			hosts = append(hosts, cert.Leaf.DNSNames...)
		}
	}
	ops, err := web.NewOperators(a.cfg.Serve.Operators)
	if err != nil {
		return fmt.Errorf("serve: SHAPS_ADMIN_OPERATORS: %w", err)
	}
	login, howTo, err := sharedLogin(sc, len(ops) > 0)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	d, err := a.desk(ctx)
	if err != nil {
		return err
	}
	h, err := web.NewServer(d, web.Config{Login: login, Actor: a.cfg.Actor, Operators: ops, Idle: sc.Idle, Log: a.stderr, Now: a.now, SecureCookie: useTLS || sc.BehindProxy, Pull: a.pullQueue, Texts: d.Office.Texts,
		LastBackup: a.store.LastBackup})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln, err := net.Listen("tcp", sc.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	scheme := "http"
	if useTLS {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	base := fmt.Sprintf("%s://%s/", scheme, ln.Addr())
	// The store stays open while serving: a command run beside it is told what to do instead.
	if err := a.store.Hold(fmt.Sprintf("`admin serve` at %s: pull from its list page (button \"Ritira dalla coda\"%s), do the rest there too, or stop it first%s", base, scheduleNote(interval), backupNote(a.cfg.Backup))); err != nil {
		ln.Close()
		return err
	}
	ctx, stop := context.WithCancel(ctx)
	pulling := make(chan struct{})
	defer func() { stop(); <-pulling }() // the store closes after the last pull
	go func() {
		defer close(pulling)
		if interval > 0 {
			a.pullEvery(ctx, h, interval)
		}
	}()
	backingUp := make(chan struct{})
	defer func() { stop(); <-backingUp }()
	go func() {
		defer close(backingUp)
		if a.cfg.Backup.To != "" && a.cfg.Backup.Recipients != "" {
			a.backupDaily(ctx, time.Hour)
		}
	}()
	fmt.Fprintf(a.stdout, "administration at %s — %s\n", base, howTo)
	// Another site's page whose name is made to point at this machine must not reach the cases.
	srv := &http.Server{Handler: routes.HostGuard(hosts, h), ReadHeaderTimeout: 10 * time.Second}
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

// sharedLogin is the login shared by the office, besides the operators' own: a password whose
// hash is configured, else an access code (configured, or made up and printed); with operators
// and neither configured, there is none.
func sharedLogin(sc serveConfig, operators bool) (web.Login, string, error) {
	switch {
	case sc.PasswordHash != "":
		login, err := web.PasswordHash(sc.PasswordHash)
		return login, "log in with the configured password" + orOperators(operators), err
	case sc.Token != "":
		login, err := web.Token(sc.Token)
		return login, "access code: " + sc.Token + orOperators(operators), err
	case operators:
		return nil, "log in with an operator's name and password", nil
	}
	token := web.NewToken()
	login, err := web.Token(token)
	return login, "access code: " + token, err
}

func orOperators(operators bool) string {
	if operators {
		return ", or with an operator's name and password"
	}
	return ""
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

func scheduleNote(every time.Duration) string {
	if every == 0 {
		return ""
	}
	return "; it also pulls every " + every.String()
}

func backupNote(b backupConfig) string {
	if b.To == "" || b.Recipients == "" {
		return ""
	}
	return "; it backs the store up by itself every day"
}

// pullEvery pulls from the queue at once and then on a schedule, until ctx ends, so that no
// request waits on the queue towards its retention limit while the office works in the browser.
func (a *app) pullEvery(ctx context.Context, h *web.Server, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if r, err := h.Pull(ctx, a.cfg.Actor); err != nil && ctx.Err() == nil {
			fmt.Fprintf(a.stderr, "admin serve: scheduled pull: %v\n", err)
		} else if r.Added > 0 {
			fmt.Fprintf(a.stdout, "pulled %d new case(s)\n", r.Added)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
