package main

import (
	"errors"
	"flag"
	"slices"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/intake/mail"
	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/shaps-portal/shaps/settings"
)

// settingsTable is every setting of the admin program: the intake's queue settings and these.
// A config file's key is the variable's name in lower case without SHAPS_.
var settingsTable = append(slices.Clone(setup.Settings), settings.Table{
	{Key: "cases", Env: "SHAPS_CASES", Default: ".shaps/cases.db"},
	{Key: "outbox", Env: "SHAPS_OUTBOX", Default: ".shaps/outbox"},
	{Key: "data", Env: "SHAPS_DATA", Default: "data"},
	{Key: "admin", Env: "SHAPS_ADMIN"},
	{Key: "mail_from", Env: "SHAPS_MAIL_FROM"},
	{Key: "admin_lang", Env: "SHAPS_ADMIN_LANG", Default: "it"},
	{Key: "smtp_addr", Env: "SHAPS_SMTP_ADDR"},
	{Key: "smtp_user", Env: "SHAPS_SMTP_USER"},
	{Key: "smtp_password", Env: "SHAPS_SMTP_PASSWORD"},
	{Key: "smtp_require_tls", Env: "SHAPS_SMTP_REQUIRE_TLS", Default: "true", Kind: settings.Bool},
	{Key: "notify_citizens", Env: "SHAPS_NOTIFY_CITIZENS", Default: "true", Kind: settings.Bool},
	{Key: "admin_addr", Env: "SHAPS_ADMIN_ADDR", Flag: "addr", Default: "127.0.0.1:8765", Usage: "the address to listen on"},
	{Key: "admin_tls_cert", Env: "SHAPS_ADMIN_TLS_CERT", Flag: "tls-cert", Usage: "the TLS certificate file (PEM)"},
	{Key: "admin_tls_key", Env: "SHAPS_ADMIN_TLS_KEY", Flag: "tls-key", Usage: "the TLS private key file (PEM)"},
	{Key: "admin_pull_every", Env: "SHAPS_ADMIN_PULL_EVERY", Flag: "pull-every", Default: "5m", Kind: settings.Duration,
		Usage: "how often to pull from the queue, e.g. 5m; 0 only on the button", Want: "a duration like 5m, or 0"},
	{Key: "admin_behind_tls_proxy", Env: "SHAPS_ADMIN_BEHIND_TLS_PROXY", Flag: "behind-tls-proxy", Default: "false", Kind: settings.Bool,
		Usage: "a proxy in front terminates TLS"},
	{Key: "admin_token", Env: "SHAPS_ADMIN_TOKEN"},
	{Key: "admin_password_hash", Env: "SHAPS_ADMIN_PASSWORD_HASH"},
}...)

// config is the administrator's settings, read from settingsTable.
type config struct {
	queue    setup.Config
	Cases    string // the case store file
	Outbox   string // the folder of outgoing e-mails
	Data     string // the portal's data
	Actor    string // who is acting, for the audit trail
	MailFrom string // the office's address; portal.yaml's contact.email by default
	Lang     string // the language of the web pages and the e-mails (a file in intake/cases/i18n)
	// SMTP, when its address is set, sends the e-mails instead of the outbox folder.
	SMTP mail.SMTP
	// Notify sends citizens who left an e-mail a notice on routing and closing.
	Notify bool
	Serve  serveConfig
}

// serveConfig is what only `admin serve` reads.
type serveConfig struct {
	Addr, TLSCert, TLSKey string
	PullEvery             time.Duration
	BehindProxy           bool
	Token, PasswordHash   string
}

func newConfig(v settings.Values, getenv func(string) string) (config, error) {
	q, err := setup.FromValues(v)
	if err != nil {
		return config{}, err
	}
	c := config{queue: q, Cases: v.String("cases"), Outbox: v.String("outbox"), Data: v.String("data"),
		Actor: v.String("admin"), MailFrom: v.String("mail_from"), Lang: v.String("admin_lang"),
		SMTP: mail.SMTP{Addr: v.String("smtp_addr"), Username: v.String("smtp_user"), Password: v.String("smtp_password"),
			RequireTLS: v.Bool("smtp_require_tls")},
		Notify: v.Bool("notify_citizens"),
		Serve: serveConfig{Addr: v.String("admin_addr"), TLSCert: v.String("admin_tls_cert"), TLSKey: v.String("admin_tls_key"),
			PullEvery: v.Duration("admin_pull_every"), BehindProxy: v.Bool("admin_behind_tls_proxy"),
			Token: v.String("admin_token"), PasswordHash: v.String("admin_password_hash")},
	}
	if c.Actor == "" {
		c.Actor = getenv("USER")
	}
	if c.Actor == "" {
		c.Actor = "admin"
	}
	if c.Serve.PullEvery < 0 {
		return config{}, errors.New("SHAPS_ADMIN_PULL_EVERY (-pull-every): want a duration like 5m, or 0, not less")
	}
	return c, nil
}

// parse reads a command's flags — its own, -config, and those of the settings named — and its
// one optional CODE, before or after the flags; then it reads the configuration and opens the
// case store.
func (a *app) parse(fs *flag.FlagSet, args []string, settingFlags ...string) (string, error) {
	settingsTable.Define(fs, settingFlags...)
	code := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		code, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if code == "" && fs.NArg() > 0 {
		code = fs.Arg(0)
	}
	v, err := settingsTable.Load(fs, a.getenv)
	if err != nil {
		return "", err
	}
	if a.cfg, err = newConfig(v, a.getenv); err != nil {
		return "", err
	}
	if err := a.openStore(); err != nil {
		return "", err
	}
	return strings.ToUpper(strings.TrimSpace(code)), nil
}
