package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	netmail "net/mail"
	"os"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/cases"
	"github.com/shaps-portal/shaps/intake/cases/boltstore"
	"github.com/shaps-portal/shaps/intake/cases/i18n"
	"github.com/shaps-portal/shaps/intake/mail"
	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/spf13/viper"
)

const usage = `usage: admin <command> [arguments]

commands:
  pull                       move waiting requests from the queue into the case store
  list [-status S] [-category ID] [-since YYYY-MM-DD] [-overdue]
  show CODE
  route CODE -to ASSOC[,ASSOC...] [-note TEXT]
  close CODE -outcome resolved|not-competent|duplicate|spam [-note TEXT] [-public-note TEXT]
  reopen CODE
  remind CODE                send the associations that have not answered the case's e-mail and links again
  stats [-from YYYY-MM-DD] [-to YYYY-MM-DD]
  export -format csv|json [-typed-areas]  anonymous counts and dates, one line per case
  purge -older-than 730d     erase the personal data of cases closed longer ago than that
  serve [-addr 127.0.0.1:8765] [-tls-cert FILE -tls-key FILE] [-behind-tls-proxy] [-pull-every 5m]
                             the web interface; log in with the code it prints (or SHAPS_ADMIN_TOKEN)`

// config is the administrator's settings: the intake's queue settings plus these.
type config struct {
	queue    setup.Config
	Cases    string // SHAPS_CASES, the case store file
	Outbox   string // SHAPS_OUTBOX, the folder of outgoing e-mails
	Data     string // SHAPS_DATA, the portal's data
	Actor    string // SHAPS_ADMIN, who is acting, for the audit trail
	MailFrom string // SHAPS_MAIL_FROM, the office's address; portal.yaml's contact.email by default
	Lang     string // SHAPS_ADMIN_LANG, the language of the web pages and the e-mails (a file in intake/cases/i18n)
	// SMTP, when SHAPS_SMTP_ADDR is set, sends the e-mails instead of the outbox folder.
	SMTP mail.SMTP
	// Notify sends citizens who left an e-mail a notice on routing and closing
	// (SHAPS_NOTIFY_CITIZENS, on unless "false").
	Notify bool
}

func loadConfig(getenv func(string) string) (config, error) {
	q, err := setup.Load(getenv, nil)
	if err != nil {
		return config{}, err
	}
	v := viper.New()
	for k, d := range map[string]string{"SHAPS_CASES": ".shaps/cases.db", "SHAPS_OUTBOX": ".shaps/outbox", "SHAPS_DATA": "data", "SHAPS_ADMIN": getenv("USER"), "SHAPS_MAIL_FROM": "", "SHAPS_ADMIN_LANG": "it"} {
		v.SetDefault(k, d)
		if e := getenv(k); e != "" {
			v.Set(k, e)
		}
	}
	c := config{queue: q, Cases: v.GetString("SHAPS_CASES"), Outbox: v.GetString("SHAPS_OUTBOX"), Data: v.GetString("SHAPS_DATA"),
		Actor: v.GetString("SHAPS_ADMIN"), MailFrom: v.GetString("SHAPS_MAIL_FROM"), Lang: v.GetString("SHAPS_ADMIN_LANG")}
	if c.Actor == "" {
		c.Actor = "admin"
	}
	c.SMTP = mail.SMTP{Addr: getenv("SHAPS_SMTP_ADDR"), Username: getenv("SHAPS_SMTP_USER"), Password: getenv("SHAPS_SMTP_PASSWORD"),
		RequireTLS: getenv("SHAPS_SMTP_REQUIRE_TLS") != "false"}
	c.Notify = getenv("SHAPS_NOTIFY_CITIZENS") != "false"
	return c, nil
}

// app holds what the commands share.
type app struct {
	cfg    config
	store  *boltstore.Store
	status setup.Status // the status board the desk writes, and the keys of the links to it
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, now func() time.Time) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("no command given")
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	cmd, rest := args[0], args[1:]
	if cmd == "help" || cmd == "-h" {
		fmt.Fprintln(stdout, usage)
		return nil
	}
	store, err := boltstore.Open(cfg.Cases)
	if err != nil {
		return err
	}
	defer store.Close()
	st, err := setup.OpenStatus(ctx, cfg.queue, setup.SecretLocal)
	if err != nil {
		return err
	}
	a := &app{cfg: cfg, store: store, status: st, stdout: stdout, stderr: stderr, now: now}
	switch cmd {
	case "pull":
		return a.pull(ctx)
	case "list":
		return a.list(rest)
	case "show":
		return a.show(rest)
	case "route":
		return a.route(ctx, rest)
	case "close":
		return a.close(ctx, rest)
	case "reopen":
		return a.reopen(ctx, rest)
	case "remind":
		return a.remind(ctx, rest)
	case "stats":
		return a.stats(rest)
	case "export":
		return a.export(rest)
	case "purge":
		return a.purge(ctx, rest)
	case "serve":
		return a.serve(ctx, rest, getenv)
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// parse reads a command's flags and its one optional CODE, before or after the flags.
func parse(fs *flag.FlagSet, args []string) (string, error) {
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
	return strings.ToUpper(strings.TrimSpace(code)), nil
}

func needCode(code, cmd string) error {
	if !intake.CodeOK(code) {
		return fmt.Errorf("%s: give the request's code, e.g. VG-7K4M-Q2", cmd)
	}
	return nil
}

// parseDate reads a YYYY-MM-DD date; empty is the zero time, an open bound.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

// desk builds the administrator's desk from the portal's data and the outbox.
func (a *app) desk() (*cases.Desk, error) {
	cat, err := intake.LoadCatalog(os.DirFS(a.cfg.Data), a.now())
	if err != nil {
		return nil, err
	}
	office := cases.Office{Portal: cat.Portal.Name, Municipality: cat.Portal.Municipality, From: a.cfg.MailFrom, BaseURL: cat.Portal.BaseURL,
		Keys: a.status.Signer}
	if office.From == "" && cat.Portal.Contact.Email != "" {
		office.From = (&netmail.Address{Name: cat.Portal.Municipality, Address: cat.Portal.Contact.Email}).String()
	}
	if office.Texts, err = i18n.Load(a.cfg.Lang); err != nil {
		return nil, fmt.Errorf("SHAPS_ADMIN_LANG: %w", err)
	}
	if office.Location, err = time.LoadLocation(cmp.Or(cat.Portal.Timezone, "Europe/Rome")); err != nil {
		return nil, fmt.Errorf("portal timezone: %w", err)
	}
	d := &cases.Desk{Store: a.store, Office: office, Now: a.now, NotifyCitizens: a.cfg.Notify, Board: a.status.Board}
	d.UsePortal(cat)
	outbox, err := mail.OpenOutbox(a.cfg.Outbox)
	if err != nil {
		return nil, err
	}
	d.Mailer, d.Copies = outbox, outbox
	if a.cfg.SMTP.Addr != "" {
		smtp := a.cfg.SMTP
		d.Mailer = &smtp
	}
	return d, nil
}
