package web

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/httpapi"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/i18n"
	"golang.org/x/crypto/bcrypt"
)

//go:embed templates/*.html
var files embed.FS

//go:embed templates/stile.css
var stylesheet []byte

// pages are parsed once; each server clones them with its own texts (see NewServer).
var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"t":    func(string, ...any) (string, error) { return "", errors.New("no texts") },
	"lang": func() string { return "" },
	"date": func(time.Time) string { return "" },
	"has":  func(list []string, s string) bool { return slices.Contains(list, s) },
	// count gives a plural text its number.
	"count": func(n int) map[string]any { return map[string]any{"Count": n} },
	"add1":  func(i int) int { return i + 1 },
	// dict gives a text several named values: (dict "Code" .Code "Date" .At).
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict: want key and value pairs")
		}
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, errors.New("dict: a key is not a string")
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}).ParseFS(files, "templates/*.html"))

// DefaultIdle is how long a session lasts without use, unless Config says otherwise.
const DefaultIdle = 30 * time.Minute

// Server is the web interface.
type Server struct {
	desk   *office.Desk
	texts  *i18n.Messages
	pages  *template.Template
	check  Login             // the shared code or password; nil: none
	ops    map[string][]byte // operator → bcrypt hash
	idle   time.Duration
	log    io.Writer
	actor  string
	now    func() time.Time
	secure bool
	pull   func(ctx context.Context, actor string) (office.PullResult, error)
	backup func() (time.Time, error)

	failures throttle
	pulling  sync.Mutex // one pull at a time, the scheduled one or the button's
	last     lastPull   // guarded by mu

	mu       sync.Mutex
	sessions map[string]*session
	mux      *http.ServeMux
}

type session struct {
	csrf    string
	actor   string // who logged in: an operator, or Config.Actor for the shared code
	expires time.Time
}

// Login tells whether a secret typed on the login page lets the person in.
type Login func(secret string) bool

// Config is what the interface needs besides the desk.
type Config struct {
	Login Login  // how the shared login secret is checked (Token or PasswordHash); nil: none
	Actor string // who acts, for the audit trail, when logged in with the shared secret
	// Operators log in with a name and a password of their own, each named in the audit trail
	// for what they do; see NewOperators.
	Operators Operators
	// Idle is how long a session lasts without use; zero: DefaultIdle.
	Idle time.Duration
	// Log receives a line for each failed login (the name typed and the address, never the
	// secret); nil: none.
	Log io.Writer
	Now func() time.Time // the clock
	// SecureCookie marks the session cookie Secure, for pages served over TLS directly or
	// behind a proxy that terminates TLS (the cookie is Secure on a TLS request anyway).
	SecureCookie bool
	// Pull moves the waiting requests from the queue into the case store; nil hides the button.
	Pull func(ctx context.Context, actor string) (office.PullResult, error)
	// Texts are the pages' texts; nil: Italian.
	Texts *i18n.Messages
	// LastBackup tells when the case store was last backed up (zero: never); the pages show it
	// and warn after a day without one. Nil: nothing shown.
	LastBackup func() (time.Time, error)
}

// backupState is what the pages say of the backups.
type backupState struct {
	At    time.Time
	Stale bool
	Error bool
}

// lastPull is how the latest pull went, shown on the list.
type lastPull struct {
	At     time.Time
	Result office.PullResult
	Failed bool
}

// MinTokenLength is the shortest access code accepted: shorter ones can be guessed.
const MinTokenLength = 16

// Token accepts exactly the given access code (printed at start or SHAPS_ADMIN_TOKEN); a code
// shorter than MinTokenLength is refused.
func Token(token string) (Login, error) {
	if n := len([]rune(token)); n < MinTokenLength {
		return nil, fmt.Errorf("access code: %d characters, want at least %d (or leave SHAPS_ADMIN_TOKEN empty for a random one)", n, MinTokenLength)
	}
	return func(secret string) bool { return subtle.ConstantTimeCompare([]byte(secret), []byte(token)) == 1 }, nil
}

// PasswordHash accepts the password whose bcrypt hash is given (SHAPS_ADMIN_PASSWORD_HASH); a
// value that is not a bcrypt hash, or one of a cost below bcrypt.DefaultCost, is refused.
func PasswordHash(hash string) (Login, error) {
	cost, err := bcrypt.Cost([]byte(hash))
	if err != nil {
		return nil, fmt.Errorf("password hash: not a bcrypt hash (%v): make one with htpasswd -nbBC 12 '' PASSWORD, the part after the colon", err)
	}
	if cost < bcrypt.DefaultCost {
		return nil, fmt.Errorf("password hash: bcrypt cost %d, want at least %d", cost, bcrypt.DefaultCost)
	}
	return func(secret string) bool { return bcrypt.CompareHashAndPassword([]byte(hash), []byte(secret)) == nil }, nil
}

// Operators are the operators' names and their passwords' bcrypt hashes.
type Operators map[string][]byte

// NewOperators checks each operator's name and hash (bcrypt, cost 10 or more).
func NewOperators(hashes map[string]string) (Operators, error) {
	ops := Operators{}
	for name, hash := range hashes {
		if err := office.ValidOperator(name); err != nil {
			return nil, err
		}
		if _, err := PasswordHash(hash); err != nil {
			return nil, fmt.Errorf("operator %s: %w", name, err)
		}
		ops[name] = []byte(hash)
	}
	return ops, nil
}

// unknownOperator is checked against when the name typed is nobody's, so that a wrong name
// takes as long as a wrong password and names cannot be told apart by timing. It is a constant:
// hashing at start would slow every run of the admin program.
var unknownOperator = []byte("$2a$10$WjZo1g/BGkeFrb0V9.GwWOW6VQ/HXs7IyWMmVsXpbWZ7WMftnWWqe")

// NewServer builds the interface.
func NewServer(desk *office.Desk, cfg Config) (*Server, error) {
	if cfg.Login == nil && len(cfg.Operators) == 0 {
		return nil, errors.New("no way to log in: give a shared code or password, or operators")
	}
	s := &Server{desk: desk, check: cfg.Login, ops: cfg.Operators, idle: cmp.Or(cfg.Idle, DefaultIdle), log: cmp.Or[io.Writer](cfg.Log, io.Discard), actor: cfg.Actor, now: cfg.Now, secure: cfg.SecureCookie, pull: cfg.Pull, texts: cfg.Texts, backup: cfg.LastBackup,
		sessions: map[string]*session{}, mux: http.NewServeMux()}
	if s.texts == nil {
		var err error
		if s.texts, err = i18n.Italian(); err != nil {
			return nil, err
		}
	}
	format, err := s.texts.T("date_format")
	if err != nil {
		return nil, err
	}
	if s.pages, err = pages.Clone(); err != nil {
		return nil, err
	}
	s.pages.Funcs(template.FuncMap{
		"t":    s.texts.T,
		"lang": func() string { return s.texts.Lang },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Local().Format(format)
		},
	})
	s.mux.HandleFunc("GET /stile.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		_, _ = w.Write(stylesheet)
	})
	s.mux.HandleFunc("GET /accesso", s.loginPage)
	s.mux.HandleFunc("POST /accesso", s.login)
	s.mux.HandleFunc("POST /uscita", s.auth(s.logout))
	s.mux.HandleFunc("GET /{$}", s.auth(s.list))
	s.mux.HandleFunc("GET /casi/{code}", s.auth(s.show))
	s.mux.HandleFunc("POST /casi/{code}/inoltra", s.auth(s.route))
	s.mux.HandleFunc("POST /casi/{code}/chiudi", s.auth(s.close))
	s.mux.HandleFunc("POST /casi/{code}/riapri", s.auth(s.reopen))
	s.mux.HandleFunc("POST /casi/{code}/sollecita", s.auth(s.remind))
	s.mux.HandleFunc("GET /statistiche", s.auth(s.stats))
	s.mux.HandleFunc("GET /esporta", s.auth(s.export))
	s.mux.HandleFunc("GET /cancellazione", s.auth(s.purgePage))
	s.mux.HandleFunc("POST /cancellazione", s.auth(s.purge))
	if s.pull != nil {
		s.mux.HandleFunc("POST /ritira", s.auth(s.pullNow))
	}
	return s, nil
}

// NewToken makes a random login secret.
func NewToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpapi.SetSecurityHeaders(w.Header())
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	s.mux.ServeHTTP(w, r)
}

const cookieName = "shaps_admin"

// auth lets only logged-in users through, and checks the CSRF token and the origin of every POST.
func (s *Server) auth(next func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := s.session(r)
		if sess == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/accesso", http.StatusSeeOther)
				return
			}
			s.fail(w, http.StatusUnauthorized, "error_login_needed")
			return
		}
		if r.Method == http.MethodPost {
			if o := r.Header.Get("Origin"); o != "" && !sameHost(o, r.Host) {
				s.fail(w, http.StatusForbidden, "error_other_site")
				return
			}
			if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(sess.csrf)) != 1 {
				s.fail(w, http.StatusForbidden, "error_form_expired")
				return
			}
		}
		next(w, r, sess)
	}
}

func sameHost(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, host)
}

func (s *Server) session(r *http.Request) *session {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[c.Value]
	if sess == nil || s.now().After(sess.expires) {
		delete(s.sessions, c.Value)
		return nil
	}
	sess.expires = s.now().Add(s.idle)
	return sess
}

// text is a text of the pages; a missing one shows as its key (a test keeps them all present).
func (s *Server) text(key string, data ...any) string {
	t, err := s.texts.T(key, data...)
	if err != nil {
		return key
	}
	return t
}

// fail answers with a short plain text.
func (s *Server) fail(w http.ResponseWriter, status int, key string, data ...any) {
	http.Error(w, s.text(key, data...), status)
}

// render executes a page whole before sending it, so that a failure is a clean 500.
func (s *Server) render(w http.ResponseWriter, status int, name string, data map[string]any) {
	if data["CSRF"] != nil && s.backup != nil { // the pages behind the login
		at, err := s.backup()
		data["Backup"] = backupState{At: at, Stale: err == nil && s.now().Sub(at) > office.BackupStale, Error: err != nil}
	}
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = b.WriteTo(w)
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, http.StatusOK, "", "")
}

func (s *Server) renderLogin(w http.ResponseWriter, status int, problem, name string) {
	s.render(w, status, "login.html", map[string]any{"Title": s.text("login_title"), "Error": problem,
		"Operators": len(s.ops) > 0, "Shared": s.check != nil, "Name": name})
}

// checkLogin tells who a login lets in: the operator named, or the shared secret's actor.
func (s *Server) checkLogin(name, secret string) (string, bool) {
	if name == "" {
		return s.actor, s.check != nil && s.check(secret)
	}
	hash, known := s.ops[name]
	if !known {
		hash = unknownOperator
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(secret)) == nil
	return name, ok && known
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	client, _, err := net.SplitHostPort(r.RemoteAddr) // the connection's own address, never a header
	if err != nil {
		client = r.RemoteAddr
	}
	name := strings.TrimSpace(r.PostFormValue("operatore"))
	if len(name) > 100 {
		name = name[:100]
	}
	if wait := s.failures.wait(client, name, s.now()); wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.renderLogin(w, http.StatusTooManyRequests, s.text("login_throttled", secs), name)
		return
	}
	actor, ok := s.checkLogin(name, r.PostFormValue("token"))
	if !ok {
		byClient, byName := s.failures.failed(client, name, s.now())
		fmt.Fprintf(s.log, "failed login as %q from %s: %d in a row from that address, %d for that name\n", name, client, byClient, byName)
		s.renderLogin(w, http.StatusUnauthorized, s.text("login_wrong"), name)
		return
	}
	s.failures.succeeded(client, name)
	id, csrf := NewToken(), NewToken()
	s.mu.Lock()
	s.sessions[id] = &session{csrf: csrf, actor: actor, expires: s.now().Add(s.idle)}
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure || r.TLS != nil})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ *session) {
	if c, err := r.Cookie(cookieName); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure || r.TLS != nil})
	http.Redirect(w, r, "/accesso", http.StatusSeeOther)
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, sess *session) {
	all, err := s.desk.Store.All()
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "error_store")
		return
	}
	q := r.URL.Query()
	f := office.Filter{Status: office.Status(q.Get("stato")), Category: q.Get("categoria"), Language: q.Get("lingua")}
	since := q.Get("dal")
	if since != "" {
		var err error
		if f.Since, err = time.Parse("2006-01-02", since); err != nil {
			s.fail(w, http.StatusBadRequest, "error_date")
			return
		}
	}
	if f.Validate() != nil {
		s.fail(w, http.StatusBadRequest, "error_filter")
		return
	}
	shown, late := f.Apply(all), s.overdue(all)
	onlyLate := q.Get("ritardo") != ""
	if onlyLate {
		shown = slices.DeleteFunc(shown, func(c office.Case) bool { return !slices.Contains(late, c.Code) })
	}
	slices.Reverse(shown) // newest first
	aside := 0
	if st, ok := s.desk.Store.(asideKeeper); ok {
		kept, err := st.Aside()
		if err != nil {
			s.fail(w, http.StatusInternalServerError, "error_store")
			return
		}
		aside = len(kept)
	}
	s.mu.Lock()
	last := s.last
	s.mu.Unlock()
	s.render(w, http.StatusOK, "list.html", map[string]any{"Title": s.text("list_title"), "Statuses": office.Statuses, "Cases": shown, "Status": string(f.Status), "Category": f.Category, "Since": since,
		"Languages": office.LanguageCodes(), "Language": f.Language,
		"Categories": s.desk.Categories, "CSRF": sess.csrf, "Operator": sess.actor, "Aside": aside, "CanPull": s.pull != nil, "LastPull": last,
		"Overdue": late, "OnlyOverdue": onlyLate})
}

// asideKeeper is a store that keeps the messages it could not read (see office.Pull).
type asideKeeper interface {
	Aside() ([]office.Aside, error)
}

func (s *Server) show(w http.ResponseWriter, r *http.Request, sess *session) {
	done := r.URL.Query().Get("fatto")
	if !slices.Contains([]string{"inoltrata", "chiusa", "riaperta"}, done) {
		done = ""
	}
	s.showCase(w, r, sess, http.StatusOK, done, "")
}

func (s *Server) showCase(w http.ResponseWriter, r *http.Request, sess *session, status int, done, problem string) {
	code := r.PathValue("code")
	if !intake.CodeOK(code) {
		http.NotFound(w, r)
		return
	}
	c, err := s.desk.Store.Get(code)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	var routed []string
	for _, rt := range c.Routes {
		routed = append(routed, rt.To...)
	}
	var history []office.Event
	if h, ok := s.desk.Store.(historyKeeper); ok {
		if history, err = h.History(c.Code); err != nil {
			s.fail(w, http.StatusInternalServerError, "error_store")
			return
		}
	}
	s.render(w, status, "case.html", map[string]any{"Title": s.text("case_title", c.Code), "Case": c, "Suggested": s.desk.Suggestions(c),
		"All": s.desk.Associations, "Routed": routed, "Category": s.desk.Categories[c.Request.Category], "Outcomes": office.Outcomes,
		"Service": cmp.Or(s.desk.Services[c.Request.Service], c.Request.Service), "Association": s.desk.AssociationName(c.Request.Association),
		"CSRF": sess.csrf, "Operator": sess.actor, "Done": done, "Problem": problem, "History": history, "Actions": office.Actions,
		"Overdue": len(s.overdue([]office.Case{c})) > 0})
}

// historyKeeper is a store that tells a case's audit trail.
type historyKeeper interface {
	History(code string) ([]office.Event, error)
}

func (s *Server) after(w http.ResponseWriter, r *http.Request, sess *session, err error, done string) {
	if err != nil {
		msg := s.text("case_failed", err.Error())
		if errors.Is(err, office.ErrState) {
			msg = s.text("case_wrong_state")
		}
		s.showCase(w, r, sess, http.StatusConflict, "", msg)
		return
	}
	http.Redirect(w, r, "/casi/"+r.PathValue("code")+"?fatto="+url.QueryEscape(done), http.StatusSeeOther)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, sess *session) {
	_ = r.ParseForm()
	_, err := s.desk.Route(r.Context(), r.PathValue("code"), sess.actor, r.PostForm["associazione"], r.PostFormValue("nota"))
	s.after(w, r, sess, err, "inoltrata")
}

func (s *Server) close(w http.ResponseWriter, r *http.Request, sess *session) {
	s.after(w, r, sess, s.desk.Close(r.Context(), r.PathValue("code"), sess.actor, r.PostFormValue("esito"), r.PostFormValue("nota"), r.PostFormValue("nota_pubblica")), "chiusa")
}

func (s *Server) reopen(w http.ResponseWriter, r *http.Request, sess *session) {
	s.after(w, r, sess, s.desk.Reopen(r.Context(), r.PathValue("code"), sess.actor), "riaperta")
}

func (s *Server) remind(w http.ResponseWriter, r *http.Request, sess *session) {
	_, err := s.desk.Remind(r.Context(), r.PathValue("code"), sess.actor)
	s.after(w, r, sess, err, "sollecitata")
}

// overdue lists the codes of the cases no association took in charge in time.
func (s *Server) overdue(all []office.Case) []string {
	loc := s.desk.Office.Location
	if loc == nil {
		loc = time.UTC
	}
	var out []string
	for _, c := range all {
		if c.Overdue(s.desk.ResponseDays, s.now(), loc) {
			out = append(out, c.Code)
		}
	}
	return out
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request, sess *session) {
	all, err := s.desk.Store.All()
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "error_store")
		return
	}
	st := office.Compute(all, time.Time{}, time.Time{})
	pages, err := s.desk.Store.Feedback()
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "error_store")
		return
	}
	type table struct {
		Name   string // stats_by_<Name> is its title
		Counts map[string]int
	}
	tables := []table{{"month", st.ByMonth}, {"category", st.ByCategory}, {"kind", st.ByKind}, {"area", st.ByArea},
		{"association", st.ByAssociation}, {"status", st.ByStatus}, {"language", st.ByLanguage}}
	s.render(w, http.StatusOK, "stats.html", map[string]any{"Title": s.text("stats_title"), "S": st, "Tables": tables, "CSRF": sess.csrf, "Operator": sess.actor,
		"ToRouted": st.MedianToRouted.Round(time.Minute).String(), "ToClosed": st.MedianToClosed.Round(time.Minute).String(),
		"ToRead": st.MedianToRead.Round(time.Minute).String(), "ToTakenUp": roundedMedians(st.MedianToTakenUp),
		"Feedback": office.FeedbackStats(pages), "Positive": intake.PositiveChoices, "Negative": intake.NegativeChoices})
}

// roundedMedians writes each association's median to the minute.
func roundedMedians(m map[string]time.Duration) map[string]string {
	out := map[string]string{}
	for k, d := range m {
		out[k] = d.Round(time.Minute).String()
	}
	return out
}

// Pull moves the waiting requests into the case store, one pull at a time, and keeps how it went
// for the list. The program calls it on a schedule; the list's button calls it too.
func (s *Server) Pull(ctx context.Context, actor string) (office.PullResult, error) {
	if s.pull == nil {
		return office.PullResult{}, errors.New("pull: no queue configured")
	}
	s.pulling.Lock()
	defer s.pulling.Unlock()
	r, err := s.pull(ctx, actor)
	s.mu.Lock()
	s.last = lastPull{At: s.now(), Result: r, Failed: err != nil}
	s.mu.Unlock()
	return r, err
}

func (s *Server) pullNow(w http.ResponseWriter, r *http.Request, sess *session) {
	if _, err := s.Pull(r.Context(), sess.actor); err != nil {
		s.fail(w, http.StatusBadGateway, "error_pull", err.Error())
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) export(w http.ResponseWriter, r *http.Request, _ *session) {
	format := r.URL.Query().Get("formato")
	if !slices.Contains(office.ExportFormats, format) {
		s.fail(w, http.StatusBadRequest, "error_format")
		return
	}
	all, err := s.desk.Store.All()
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "error_store")
		return
	}
	rows := office.Export(all, s.desk.Areas, r.URL.Query().Get("zone") == "digitate")
	w.Header().Set("Content-Type", map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/json"}[format])
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, s.text("export_filename", map[string]any{"Date": s.now().Format("2006-01-02"), "Format": format})))
	_ = office.WriteExport(w, format, rows)
}

// purgeDays reads the storage limit in days from a form, 730 when absent.
func purgeDays(v string) (int, bool) {
	if v == "" {
		return 730, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0 && n <= 100*365
}

func (s *Server) purgePage(w http.ResponseWriter, r *http.Request, sess *session) {
	days, ok := purgeDays(r.URL.Query().Get("giorni"))
	if !ok {
		s.fail(w, http.StatusBadRequest, "error_days")
		return
	}
	s.renderPurge(w, sess, http.StatusOK, days, "", nil)
}

func (s *Server) renderPurge(w http.ResponseWriter, sess *session, status, days int, problem string, done *office.PurgeResult) {
	due, err := s.desk.Purgeable(time.Duration(days) * 24 * time.Hour)
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "error_store")
		return
	}
	s.render(w, status, "purge.html", map[string]any{"Title": s.text("purge_title"), "CSRF": sess.csrf, "Operator": sess.actor,
		"Days": days, "Due": due, "Problem": problem, "Done": done})
}

// purge erases the personal data of the cases closed longer ago than the limit, once the
// person has confirmed it.
func (s *Server) purge(w http.ResponseWriter, r *http.Request, sess *session) {
	days, ok := purgeDays(r.PostFormValue("giorni"))
	if !ok {
		s.fail(w, http.StatusBadRequest, "error_days")
		return
	}
	if r.PostFormValue("conferma") != "si" {
		s.renderPurge(w, sess, http.StatusBadRequest, days, s.text("purge_unconfirmed"), nil)
		return
	}
	res, err := s.desk.Purge(r.Context(), time.Duration(days)*24*time.Hour, sess.actor)
	if err != nil {
		s.renderPurge(w, sess, http.StatusInternalServerError, days, s.text("purge_failed", err.Error()), &res)
		return
	}
	s.renderPurge(w, sess, http.StatusOK, days, "", &res)
}
