package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"time"
)

// SMTP sends messages through a mail server, with STARTTLS and authentication.
type SMTP struct {
	Addr     string // host:port
	Username string
	Password string
	// RequireTLS refuses to send when the server does not offer STARTTLS; off only for a
	// server on the same machine.
	RequireTLS bool
	Attempts   int           // tries for temporary failures (4xx, network); default 3
	Backoff    time.Duration // pause after the first failure, doubled after each; default 1s
	Timeout    time.Duration // for one whole conversation with the server; default 60s
	TLSConfig  *tls.Config
}

// ErrRefused wraps a permanent refusal (a 5xx answer): trying again will not help.
var ErrRefused = errors.New("refused by the mail server")

// Send delivers m, trying again on temporary failures while ctx allows. It returns the server's
// address once the server has accepted the message.
func (s *SMTP) Send(ctx context.Context, m Message, _ string) (string, error) {
	body, err := m.Bytes()
	if err != nil {
		return "", fmt.Errorf("smtp: %w", err)
	}
	attempts, backoff := max(s.Attempts, 1), s.Backoff
	if s.Attempts == 0 {
		attempts = 3
	}
	if backoff == 0 {
		backoff = time.Second
	}
	for i := 1; ; i++ {
		err = s.send(ctx, m, body)
		if err == nil {
			return "smtp://" + s.Addr, nil
		}
		if errors.Is(err, ErrRefused) || i >= attempts {
			return "", fmt.Errorf("smtp to %s: %w", m.To, err)
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("smtp to %s: %w", m.To, err)
		case <-time.After(backoff):
			backoff *= 2
		}
	}
}

func (s *SMTP) send(ctx context.Context, m Message, body []byte) error {
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = time.Minute
	}
	var d net.Dialer
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := d.DialContext(dctx, "tcp", s.Addr)
	if err != nil {
		return err
	}
	if deadline, ok := dctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return classify(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLSConfig
		if cfg == nil {
			cfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(cfg); err != nil {
			return classify(err)
		}
	} else if s.RequireTLS {
		return fmt.Errorf("%w: the server does not offer STARTTLS", ErrRefused)
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return classify(err)
		}
	}
	from, to, err := addresses(m)
	if err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return classify(err)
	}
	if err := c.Rcpt(to); err != nil {
		return classify(err)
	}
	w, err := c.Data()
	if err != nil {
		return classify(err)
	}
	if _, err := w.Write(body); err != nil {
		return classify(err)
	}
	if err := w.Close(); err != nil {
		return classify(err)
	}
	return c.Quit()
}

func addresses(m Message) (string, string, error) {
	from, err := parseAddress(m.From)
	if err != nil {
		return "", "", err
	}
	to, err := parseAddress(m.To)
	return from, to, err
}

// classify marks 5xx answers as permanent.
func classify(err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) && tp.Code >= 500 {
		return fmt.Errorf("%w: %d %s", ErrRefused, tp.Code, tp.Msg)
	}
	return err
}
