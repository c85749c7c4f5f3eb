package main

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/cases"
	"github.com/shaps-portal/shaps/intake/cases/boltstore"
	"github.com/shaps-portal/shaps/intake/cases/web"
	"github.com/shaps-portal/shaps/intake/mail"
	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/shaps-portal/shaps/intake/spool"
	"github.com/shaps-portal/shaps/intake/sqsqueue"
	"github.com/spf13/viper"
)

const usage = `usage: admin <command> [arguments]

commands:
  pull                       move waiting requests from the queue into the case store
  list [-status S] [-category ID] [-since YYYY-MM-DD]
  show CODE
  route CODE -to ASSOC[,ASSOC...] [-note TEXT]
  close CODE -outcome resolved|not-competent|duplicate|spam [-note TEXT]
  reopen CODE
  stats [-from YYYY-MM-DD] [-to YYYY-MM-DD]
  export -format csv|json    anonymous counts and dates, one line per case
  purge -older-than 730d     erase the personal data of cases closed longer ago than that
  serve [-addr 127.0.0.1:8765]  the web interface; log in with the code it prints (or SHAPS_ADMIN_TOKEN)`

// config is the administrator's settings: the intake's queue settings plus these.
type config struct {
	queue    setup.Config
	Cases    string // SHAPS_CASES, the case store file
	Outbox   string // SHAPS_OUTBOX, the folder of outgoing e-mails
	Data     string // SHAPS_DATA, the portal's data
	Actor    string // SHAPS_ADMIN, who is acting, for the audit trail
	MailFrom string // SHAPS_MAIL_FROM, the office's address
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
	for k, d := range map[string]string{"SHAPS_CASES": ".shaps/cases.db", "SHAPS_OUTBOX": ".shaps/outbox", "SHAPS_DATA": "data", "SHAPS_ADMIN": getenv("USER"), "SHAPS_MAIL_FROM": ""} {
		v.SetDefault(k, d)
		if e := getenv(k); e != "" {
			v.Set(k, e)
		}
	}
	c := config{queue: q, Cases: v.GetString("SHAPS_CASES"), Outbox: v.GetString("SHAPS_OUTBOX"), Data: v.GetString("SHAPS_DATA"),
		Actor: v.GetString("SHAPS_ADMIN"), MailFrom: v.GetString("SHAPS_MAIL_FROM")}
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
	stdout io.Writer
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
	a := &app{cfg: cfg, store: store, stdout: stdout, now: now}
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
		return a.close(rest)
	case "reopen":
		return a.reopen(rest)
	case "stats":
		return a.stats(rest)
	case "export":
		return a.export(rest)
	case "purge":
		return a.purge(rest)
	case "serve":
		return a.serve(ctx, rest, getenv("SHAPS_ADMIN_TOKEN"), getenv("SHAPS_ADMIN_PASSWORD_HASH"))
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

func (a *app) pull(ctx context.Context) error {
	var inbox cases.Inbox
	switch a.cfg.queue.Queue {
	case "sqs":
		client, err := setup.SQSClient(ctx, a.cfg.queue)
		if err != nil {
			return err
		}
		inbox = sqsInbox{sqsqueue.NewInbox(client, a.cfg.queue.SQSQueueURL, 2*time.Second)}
	default:
		s, err := spool.Open(a.cfg.queue.SpoolDir)
		if err != nil {
			return err
		}
		inbox = spoolInbox{s}
	}
	r, err := cases.Pull(ctx, inbox, a.store, a.cfg.Actor, a.now)
	fmt.Fprintf(a.stdout, "received %d, new cases %d, already known %d, unreadable %d\n", r.Received, r.Added, r.Duplicates, r.SetAside)
	if r.Recovered > 0 {
		fmt.Fprintf(a.stdout, "%d message(s) kept aside earlier are now cases\n", r.Recovered)
	}
	if r.StillAside > 0 {
		fmt.Fprintf(a.stdout, "%d message(s) this version cannot read are kept aside in the case store and read again on every pull: update the admin program (go install or git pull)\n", r.StillAside)
	}
	return err
}

type spoolInbox struct{ s *spool.Spool }

func (in spoolInbox) Receive(ctx context.Context, max int) ([]cases.Delivery, error) {
	ds, err := in.s.Receive(ctx, max)
	out := make([]cases.Delivery, len(ds))
	for i, d := range ds {
		out[i] = cases.Delivery{Body: d.Body, Delete: func(context.Context) error { return in.s.Delete(d) }}
	}
	return out, err
}

type sqsInbox struct{ in *sqsqueue.Inbox }

func (in sqsInbox) Receive(ctx context.Context, max int) ([]cases.Delivery, error) {
	ds, err := in.in.Receive(ctx, max)
	out := make([]cases.Delivery, len(ds))
	for i, d := range ds {
		out[i] = cases.Delivery{Body: d.Body, Delete: func(ctx context.Context) error { return in.in.Delete(ctx, d) }}
	}
	return out, err
}

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

func (a *app) list(args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	status := fs.String("status", "", "new, routed or closed")
	category := fs.String("category", "", "a category id")
	since := fs.String("since", "", "received on or after YYYY-MM-DD")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	from, err := parseDate(*since)
	if err != nil {
		return err
	}
	all, err := a.store.All()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CODE\tRECEIVED\tSTATUS\tKIND\tCATEGORY\tAREA")
	for _, c := range all {
		if (*status != "" && string(c.Status) != *status) || (*category != "" && c.Request.Category != *category) || c.ReceivedAt.Before(from) {
			continue
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Code, c.ReceivedAt.Format("2006-01-02 15:04"), c.Status, c.Request.Kind, c.Request.Category, c.Request.Area)
	}
	return w.Flush()
}

func (a *app) show(args []string) error {
	code, err := parse(flag.NewFlagSet("show", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	if err := needCode(code, "show"); err != nil {
		return err
	}
	c, err := a.store.Get(code)
	if err != nil {
		return err
	}
	r := c.Request
	fmt.Fprintf(a.stdout, "%s  %s  received %s\n", c.Code, c.Status, c.ReceivedAt.Format(time.RFC3339))
	fmt.Fprintf(a.stdout, "kind: %s\ncategory: %s\n", r.Kind, r.Category)
	for _, kv := range [][2]string{{"association", r.Association}, {"service", r.Service}, {"area", r.Area}, {"name", r.Name}, {"email", r.Email}, {"phone", r.Phone}, {"reply", r.ContactPreference}} {
		if kv[1] != "" {
			fmt.Fprintf(a.stdout, "%s: %s\n", kv[0], kv[1])
		}
	}
	fmt.Fprintf(a.stdout, "contact may be shared with associations: %v\n\n%s\n", r.ShareContact, r.Message)
	for _, rt := range c.Routes {
		fmt.Fprintf(a.stdout, "\nrouted %s by %s to %s %s", rt.At.Format(time.RFC3339), rt.By, strings.Join(rt.To, ", "), rt.Note)
	}
	if c.Status == cases.StatusClosed {
		fmt.Fprintf(a.stdout, "\nclosed %s: %s %s", c.ClosedAt.Format(time.RFC3339), c.Outcome, c.CloseNote)
	}
	fmt.Fprintln(a.stdout)
	return nil
}

// desk builds the administrator's desk from the portal's data and the outbox.
func (a *app) desk() (*cases.Desk, error) {
	cat, err := intake.LoadCatalog(os.DirFS(a.cfg.Data), a.now())
	if err != nil {
		return nil, err
	}
	office := cases.Office{Portal: cat.Portal.Name, Municipality: cat.Portal.Municipality, From: a.cfg.MailFrom}
	if office.Location, err = time.LoadLocation(cmp.Or(cat.Portal.Timezone, "Europe/Rome")); err != nil {
		return nil, fmt.Errorf("portal timezone: %w", err)
	}
	d := &cases.Desk{Store: a.store, Office: office, Now: a.now, Categories: map[string]string{}, NotifyCitizens: a.cfg.Notify}
	for _, o := range cat.Associations {
		d.Associations = append(d.Associations, cases.Association{Slug: o.Value, Name: o.Label, Email: o.Email, Categories: o.Categories})
	}
	for _, o := range cat.Categories {
		d.Categories[o.Value] = o.Label
	}
	if a.cfg.SMTP.Addr != "" {
		smtp := a.cfg.SMTP
		d.Mailer = &smtp
		return d, nil
	}
	if d.Mailer, err = mail.OpenOutbox(a.cfg.Outbox); err != nil {
		return nil, err
	}
	return d, nil
}

func (a *app) route(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("route", flag.ContinueOnError)
	to := fs.String("to", "", "the associations, comma-separated")
	note := fs.String("note", "", "a note for the associations")
	code, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := needCode(code, "route"); err != nil {
		return err
	}
	d, err := a.desk()
	if err != nil {
		return err
	}
	if *to == "" {
		c, err := a.store.Get(code)
		if err != nil {
			return err
		}
		var names []string
		for _, s := range d.Suggestions(c) {
			names = append(names, s.Slug)
		}
		fmt.Fprintf(a.stdout, "suggested for %s: %s\nroute it with -to ASSOC[,ASSOC...]\n", code, strings.Join(names, ", "))
		return nil
	}
	if d.Office.From == "" {
		return errors.New("route: set SHAPS_MAIL_FROM, the office's e-mail address")
	}
	sent, err := d.Route(ctx, code, a.cfg.Actor, strings.Split(*to, ","), *note)
	for _, p := range sent {
		fmt.Fprintf(a.stdout, "written %s\n", p)
	}
	if err == nil {
		fmt.Fprintf(a.stdout, "%s routed to %s\n", code, *to)
	}
	return err
}

func (a *app) close(args []string) error {
	fs := flag.NewFlagSet("close", flag.ContinueOnError)
	outcome := fs.String("outcome", "", strings.Join(cases.Outcomes, ", "))
	note := fs.String("note", "", "a note")
	code, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := needCode(code, "close"); err != nil {
		return err
	}
	d, err := a.desk()
	if err != nil {
		return err
	}
	if err := d.Close(context.Background(), code, a.cfg.Actor, *outcome, *note); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s closed: %s\n", code, *outcome)
	return nil
}

func (a *app) reopen(args []string) error {
	code, err := parse(flag.NewFlagSet("reopen", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	if err := needCode(code, "reopen"); err != nil {
		return err
	}
	d := &cases.Desk{Store: a.store, Now: a.now}
	if err := d.Reopen(code, a.cfg.Actor); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s reopened\n", code)
	return nil
}

func (a *app) stats(args []string) error {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fromS := fs.String("from", "", "YYYY-MM-DD")
	toS := fs.String("to", "", "YYYY-MM-DD, exclusive")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	from, err := parseDate(*fromS)
	if err != nil {
		return err
	}
	to, err := parseDate(*toS)
	if err != nil {
		return err
	}
	all, err := a.store.All()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	s := cases.Compute(all, from, to)
	return enc.Encode(struct {
		cases.Stats
		MedianToRouted string `json:"median_to_routed"`
		MedianToClosed string `json:"median_to_closed"`
	}{s, s.MedianToRouted.Round(time.Minute).String(), s.MedianToClosed.Round(time.Minute).String()})
}

// export writes one anonymous line per case: what statistics use, nothing that identifies.
func (a *app) export(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", "csv", "csv or json")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	all, err := a.store.All()
	if err != nil {
		return err
	}
	type row struct {
		Code       string `json:"code"`
		ReceivedAt string `json:"received_at"`
		Kind       string `json:"kind"`
		Category   string `json:"category"`
		Area       string `json:"area"`
		Status     string `json:"status"`
		RoutedTo   string `json:"routed_to"`
		RoutedAt   string `json:"routed_at"`
		ClosedAt   string `json:"closed_at"`
		Outcome    string `json:"outcome"`
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	var rows []row
	for _, c := range all {
		var to []string
		for _, r := range c.Routes {
			to = append(to, r.To...)
		}
		rows = append(rows, row{c.Code, stamp(c.ReceivedAt), c.Request.Kind, c.Request.Category, c.Request.Area, string(c.Status),
			strings.Join(to, ";"), stamp(c.RoutedAt()), stamp(c.ClosedAt), c.Outcome})
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "csv":
		w := csv.NewWriter(a.stdout)
		_ = w.Write([]string{"code", "received_at", "kind", "category", "area", "status", "routed_to", "routed_at", "closed_at", "outcome"})
		for _, r := range rows {
			_ = w.Write([]string{r.Code, r.ReceivedAt, r.Kind, r.Category, r.Area, r.Status, r.RoutedTo, r.RoutedAt, r.ClosedAt, r.Outcome})
		}
		w.Flush()
		return w.Error()
	}
	return fmt.Errorf("export: format %q: want csv or json", *format)
}

func parseAge(s string) (time.Duration, error) {
	days, ok := strings.CutSuffix(s, "d")
	n, err := strconv.Atoi(days)
	if !ok || err != nil || n < 0 {
		return 0, fmt.Errorf("age %q: want a number of days like 730d", s)
	}
	return time.Duration(n) * 24 * time.Hour, nil
}

func (a *app) purge(args []string) error {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	older := fs.String("older-than", "730d", "erase cases closed longer ago than this, e.g. 730d; 0d erases every closed case")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	age, err := parseAge(*older)
	if err != nil {
		return err
	}
	catalog, err := intake.LoadCatalog(os.DirFS(a.cfg.Data), a.now())
	if err != nil {
		return fmt.Errorf("purge: the portal's known areas: %w", err)
	}
	areas := catalog.Portal.Areas
	now := a.now()
	all, err := a.store.All()
	if err != nil {
		return err
	}
	n := 0
	for _, c := range all {
		if c.Status != cases.StatusClosed || !c.PurgedAt.IsZero() || c.ClosedAt.After(now.Add(-age)) {
			continue
		}
		if _, err := a.store.Update(c.Code, a.cfg.Actor, "purged", "", now, func(c *cases.Case) error { c.Purge(now, areas); return nil }); err != nil {
			return err
		}
		mails, err := a.eraseOutbox(c)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "erased the personal data of %s (closed %s) and %d e-mail(s) of it in the outbox\n", c.Code, c.ClosedAt.Format("2006-01-02"), mails)
		n++
	}
	dropped, err := a.store.DropAside(now.Add(-age), a.cfg.Actor, now)
	if err != nil {
		return err
	}
	if dropped > 0 {
		fmt.Fprintf(a.stdout, "erased %d unreadable message(s) kept aside since before %s\n", dropped, now.Add(-age).Format("2006-01-02"))
	}
	if n+dropped > 0 {
		if err := a.store.Compact(); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.stdout, "%d case(s) purged\n", n)
	return nil
}

// eraseOutbox removes the e-mails about a case from the outbox folder (they are named
// <time>-<code>-<association or "cittadino">.eml), which hold the same personal data as the case.
func (a *app) eraseOutbox(c cases.Case) (int, error) {
	names := []string{"cittadino"}
	for _, r := range c.Routes {
		names = append(names, r.To...)
	}
	n := 0
	for _, name := range names {
		files, err := filepath.Glob(filepath.Join(a.cfg.Outbox, "*-"+c.Code+"-"+name+".eml"))
		if err != nil {
			return n, err
		}
		for _, f := range files {
			if err := os.Remove(f); err != nil {
				return n, fmt.Errorf("erase %s: %w", f, err)
			}
			n++
		}
	}
	return n, nil
}

func (a *app) serve(ctx context.Context, args []string, token, hash string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8765", "the address to listen on")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	d, err := a.desk()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	var h http.Handler
	switch {
	case hash != "":
		h = web.NewServerWith(d, web.PasswordHash(hash), a.cfg.Actor, a.now)
		fmt.Fprintf(a.stdout, "administration at http://%s/ — log in with the configured password\n", ln.Addr())
	default:
		if token == "" {
			token = web.NewToken()
		}
		h = web.NewServer(d, token, a.cfg.Actor, a.now)
		fmt.Fprintf(a.stdout, "administration at http://%s/ — access code: %s\n", ln.Addr(), token)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	case err := <-errc:
		return err
	}
}
