package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/generator/settings"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/mail"
	"github.com/shaps-portal/shaps/intake/setup"
)

// settingsTable is every setting of the admin program: the intake's settings (the queue, the
// status board and its signing key, the S3 endpoint backups use too) and these.
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
	{Key: "admin_hosts", Env: "SHAPS_ADMIN_HOSTS", Flag: "hosts", Kind: settings.List,
		Usage: "the names the office reaches serve by, comma-separated (a TLS certificate's names count too)"},
	{Key: "admin_behind_tls_proxy", Env: "SHAPS_ADMIN_BEHIND_TLS_PROXY", Flag: "behind-tls-proxy", Default: "false", Kind: settings.Bool,
		Usage: "a proxy in front terminates TLS"},
	{Key: "purge_older_than", Env: "SHAPS_PURGE_OLDER_THAN", Flag: "older-than", Default: "730d",
		Usage: "erase cases closed longer ago than this, e.g. 730d; 0d erases every closed case"},
	{Key: "backup_to", Env: "SHAPS_BACKUP_TO", Flag: "to", Usage: "where backups go: a folder, or s3://bucket/prefix"},
	{Key: "backup_recipient", Env: "SHAPS_BACKUP_RECIPIENT", Usage: "the age public keys (age1…) backups are encrypted for"},
	{Key: "backup_identity", Env: "SHAPS_BACKUP_IDENTITY", Flag: "identity", Usage: "the age identity file (the private key) that opens a backup"},
	{Key: "backup_keep_daily", Env: "SHAPS_BACKUP_KEEP_DAILY", Default: "14", Kind: settings.Int, Want: "a whole number of daily backups"},
	{Key: "backup_keep_monthly", Env: "SHAPS_BACKUP_KEEP_MONTHLY", Default: "12", Kind: settings.Int, Want: "a whole number of monthly backups"},
	{Key: "operator", Env: "SHAPS_OPERATOR", Flag: "as", Usage: "the operator acting, named in the audit trail (SHAPS_ADMIN too)"},
	{Key: "admin_operators", Env: "SHAPS_ADMIN_OPERATORS", Kind: settings.Map,
		Want: "NAME:BCRYPT-HASH pairs separated by commas, as `admin operator add NAME` prints them"},
	{Key: "admin_session_idle", Env: "SHAPS_ADMIN_SESSION_IDLE", Default: "30m", Kind: settings.Duration,
		Want: "a duration such as 30m"},
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
	Lang     string // the language of the web pages and the e-mails (a file in intake/office/i18n)
	// SMTP, when its address is set, sends the e-mails instead of the outbox folder.
	SMTP mail.SMTP
	// Notify sends citizens who left an e-mail a notice on routing and closing.
	Notify bool
	Serve  serveConfig
	// PurgeAge is the storage limit: personal data of cases closed longer ago is erased, and
	// backups older than that are deleted.
	PurgeAge time.Duration
	Backup   backupConfig
}

// backupConfig is where backups go and for whom they are encrypted.
type backupConfig struct {
	To         string // a folder, or s3://bucket/prefix
	Recipients string // age public keys
	Identity   string // the age identity file, for restore
	Keep       office.Retention
	S3Endpoint string
}

// serveConfig is what only `admin serve` reads.
type serveConfig struct {
	Addr, TLSCert, TLSKey string
	PullEvery             time.Duration
	BehindProxy           bool
	Hosts                 []string // the names besides loopback ones and numeric addresses
	Token, PasswordHash   string
	Operators             map[string]string // name → bcrypt hash
	Idle                  time.Duration     // a session ends after this long without use
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
			PullEvery: v.Duration("admin_pull_every"), BehindProxy: v.Bool("admin_behind_tls_proxy"), Hosts: v.List("admin_hosts"),
			Token: v.String("admin_token"), PasswordHash: v.String("admin_password_hash"),
			Operators: v.Map("admin_operators"), Idle: v.Duration("admin_session_idle")},
	}
	c.Backup = backupConfig{To: v.String("backup_to"), Recipients: v.String("backup_recipient"), Identity: v.String("backup_identity"),
		Keep: office.Retention{Daily: v.Int("backup_keep_daily"), Monthly: v.Int("backup_keep_monthly")}, S3Endpoint: v.String("s3_endpoint")}
	if c.Backup.Keep.Daily < 1 || c.Backup.Keep.Monthly < 0 {
		return config{}, errors.New("SHAPS_BACKUP_KEEP_DAILY: want 1 or more; SHAPS_BACKUP_KEEP_MONTHLY: want 0 or more")
	}
	if c.PurgeAge, err = parseAge(v.String("purge_older_than")); err != nil {
		return config{}, fmt.Errorf("SHAPS_PURGE_OLDER_THAN (-older-than): %w", err)
	}
	if c.Actor, err = actor(v, getenv, c.Serve.Operators); err != nil {
		return config{}, err
	}
	if c.Serve.Idle <= 0 {
		return config{}, errors.New("SHAPS_ADMIN_SESSION_IDLE: want a duration above zero, such as 30m")
	}
	if c.Serve.PullEvery < 0 {
		return config{}, errors.New("SHAPS_ADMIN_PULL_EVERY (-pull-every): want a duration like 5m, or 0, not less")
	}
	return c, nil
}

// actor is who the audit trail names for what this program does: -as, else SHAPS_OPERATOR, else
// SHAPS_ADMIN (its older name), else the system's user. A name given with -as or SHAPS_OPERATOR
// must be one of the operators, when there are any, so that a typing error does not pass for
// a new person.
func actor(v settings.Values, getenv func(string) string, operators map[string]string) (string, error) {
	rank := map[string]int{"flag": 3, "env": 2, "file": 1}
	name, chosen := v.String("admin"), rank[v.Source("admin")]
	if op := v.String("operator"); op != "" && rank[v.Source("operator")] >= chosen {
		if _, ok := operators[op]; len(operators) > 0 && !ok {
			return "", fmt.Errorf("-as (SHAPS_OPERATOR) %q: not one of the operators (%s)", op, strings.Join(slices.Sorted(maps.Keys(operators)), ", "))
		}
		name = op
	}
	name = cmp.Or(name, getenv("USER"), "admin")
	if err := office.ValidOperator(name); err != nil {
		return "", fmt.Errorf("who is acting (-as, SHAPS_OPERATOR, SHAPS_ADMIN or USER): %w", err)
	}
	return name, nil
}

// parse reads a command's flags — its own, -config, and those of the settings named — and its
// one optional CODE, before or after the flags; then it reads the configuration and opens the
// case store.
func (a *app) parse(fs *flag.FlagSet, args []string, settingFlags ...string) (string, error) {
	settingsTable.Define(fs, append(settingFlags, "as")...)
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
