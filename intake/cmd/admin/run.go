package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	netmail "net/mail"
	"os"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/boltstore"
	"github.com/shaps-portal/shaps/intake/office/i18n"
	"github.com/shaps-portal/shaps/intake/office/mail"
	"github.com/shaps-portal/shaps/intake/setup"
)

const usage = `usage: admin <command> [arguments] [-config FILE] [-as OPERATOR]

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
  purge -older-than 730d     erase the personal data of cases closed longer ago than that, and older backups
  backup [-to DIR | -to s3://bucket/prefix]   an encrypted copy of the case store
  restore FILE -identity KEYFILE              bring a backup back into an empty case store, then purge
  operator add NAME          print the line that gives an operator their own password
  serve [-addr 127.0.0.1:8765] [-tls-cert FILE -tls-key FILE] [-behind-tls-proxy] [-pull-every 5m]
                             the web interface; log in with the code it prints (or SHAPS_ADMIN_TOKEN)`

// app holds what the commands share.
type app struct {
	getenv func(string) string
	cfg    config           // read by parse
	store  *boltstore.Store // opened by parse
	status setup.Status     // the status board the desk writes, and the keys of the links to it; opened by desk
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, now func() time.Time) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	if cmd == "help" || cmd == "-h" {
		fmt.Fprintln(stdout, usage)
		return nil
	}
	if cmd == "operator" {
		return operator(rest, stdin, stdout, stderr)
	}
	a := &app{getenv: getenv, stdout: stdout, stderr: stderr, now: now}
	defer a.closeStore()
	switch cmd {
	case "pull":
		return a.pull(ctx, rest)
	case "list":
		return a.list(ctx, rest)
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
		return a.export(ctx, rest)
	case "purge":
		return a.purge(ctx, rest)
	case "backup":
		return a.backup(ctx, rest)
	case "restore":
		return a.restore(ctx, rest)
	case "serve":
		return a.serve(ctx, rest)
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// openStore opens the case store.
func (a *app) openStore() error {
	if a.store != nil {
		return nil
	}
	var err error
	a.store, err = boltstore.Open(a.cfg.Cases)
	return err
}

// openStatus opens the status board and the keys of the links to it, once.
func (a *app) openStatus(ctx context.Context) error {
	if a.status.Board != nil {
		return nil
	}
	var err error
	a.status, err = setup.OpenStatus(ctx, a.cfg.queue, setup.SecretLocal)
	return err
}

// closeStore closes the case store, if a command opened it.
func (a *app) closeStore() {
	if a.store != nil {
		a.store.Close()
	}
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
func (a *app) desk(ctx context.Context) (*office.Desk, error) {
	if err := a.openStatus(ctx); err != nil {
		return nil, err
	}
	cat, err := intake.LoadCatalog(os.DirFS(a.cfg.Data), a.now())
	if err != nil {
		return nil, err
	}
	of := office.Office{Portal: cat.Portal.Name, Municipality: cat.Portal.Municipality, From: a.cfg.MailFrom, BaseURL: cat.Portal.BaseURL,
		Keys: a.status.Signer}
	if of.From == "" && cat.Portal.Contact.Email != "" {
		of.From = (&netmail.Address{Name: cat.Portal.Municipality, Address: cat.Portal.Contact.Email}).String()
	}
	if of.Texts, err = i18n.Load(a.cfg.Lang); err != nil {
		return nil, fmt.Errorf("SHAPS_ADMIN_LANG: %w", err)
	}
	if of.Location, err = time.LoadLocation(cmp.Or(cat.Portal.Timezone, "Europe/Rome")); err != nil {
		return nil, fmt.Errorf("portal timezone: %w", err)
	}
	d := &office.Desk{Store: a.store, Office: of, Now: a.now, NotifyCitizens: a.cfg.Notify, Board: a.status.Board}
	d.UsePortal(cat)
	outbox, err := mail.OpenOutbox(a.cfg.Outbox)
	if err != nil {
		return nil, err
	}
	d.Mailer, d.Copies = outbox, outbox
	if a.cfg.Backup.To != "" {
		if d.Vault, err = a.vault(ctx); err != nil {
			return nil, err
		}
	}
	if a.cfg.SMTP.Addr != "" {
		smtp := a.cfg.SMTP
		d.Mailer = &smtp
	}
	return d, nil
}
