package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/search"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/site"
	"github.com/shaps-portal/shaps/site/routes"
)

// MaxBody is the largest request body taken in: the longest valid request in any script. A
// character of the message or of a short field takes at most 12 bytes on the wire (4 bytes of
// UTF-8, percent-encoded in a form, or two \u escapes in JSON); 8 KB more hold the other fields.
const MaxBody = 12*(intake.MaxMessage+4*intake.MaxShort) + 8<<10

// MaxFormEcho is how much of a form over MaxBody is still read, to give the person back the form
// with what they wrote and what to shorten. Beyond it, it is no person's form.
const MaxFormEcho = 4 * MaxBody

// RetryAfter is what a citizen is asked to wait when the queue cannot take a request.
const RetryAfter = 30 * time.Second

// Options configure the handler.
type Options struct {
	// AllowedOrigins are the origins (scheme://host[:port]) whose pages may post the form.
	AllowedOrigins []string
	// RateLimit is how many requests a client may send per minute; 0 turns the limit off.
	RateLimit int
	Now       func() time.Time
	// Log receives one line per request with its outcome and status, never what was sent.
	Log *slog.Logger
	// Search answers the portal's search page, /cerca/; nil leaves it unserved.
	Search Finder
	// Status and Signer answer the status page, /richieste/stato/, and give each request its
	// key; nil leaves the page unserved and the thanks page without a key.
	Status status.Reader
	Signer *status.Signer
	// Calendar is the catalog whose events /calendario/ gives, as one calendar of what a
	// citizen follows; nil leaves it unserved.
	Calendar *catalog.Catalog
}

// Finder finds the portal's pages by words.
type Finder interface {
	Search(query string, max int) search.Result
}

// Handler serves POST /api/requests and the pages of the request form.
type Handler struct {
	intake  *intake.Intake
	pages   *Pages
	opts    Options
	limiter *limiter
	lookups *limiter // the status page's: every code and key tried counts
	ratings *limiter // the pages' ratings': rating pages never uses up a citizen's requests
	mux     *http.ServeMux
}

// New builds the handler.
func New(in *intake.Intake, pages *Pages, opts Options) *Handler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{intake: in, pages: pages, opts: opts, limiter: newLimiter(opts.RateLimit), lookups: newLimiter(opts.RateLimit),
		ratings: newLimiter(opts.RateLimit), mux: http.NewServeMux()}
	serves := map[string]http.HandlerFunc{routes.Submit: h.submit, routes.Thanks: h.thanks, routes.Form: h.form, routes.Feedback: h.feedback}
	if opts.Search != nil {
		serves[routes.Search] = h.search
	}
	if opts.Status != nil && opts.Signer != nil {
		serves[routes.Status] = h.status
		serves[routes.Answer] = h.answer
	}
	if opts.Calendar != nil {
		serves[routes.Calendar] = h.calendar
	}
	for _, rt := range routes.Intake() {
		if f := serves[rt.Base]; f != nil { // the page in every language: each finds its own
			for _, p := range rt.Patterns() {
				h.mux.HandleFunc(p, f)
			}
		}
	}
	return h
}

// SetSecurityHeaders sets the headers every response of the portal carries; functions must set
// their own, since the host's header rules do not reach them.
func SetSecurityHeaders(h http.Header) {
	for _, x := range routes.Security() {
		h.Set(x.Name, x.Value)
	}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	routes.SetIntake(w.Header(), r.URL.Path)
	h.mux.ServeHTTP(w, r)
}

// outcome is how a submission ended, for the log and the response.
type outcome struct {
	status int
	what   string
}

func (h *Handler) submit(w http.ResponseWriter, r *http.Request) {
	start := h.opts.Now()
	o := h.handle(w, r)
	h.opts.Log.Info("request", "outcome", o.what, "status", o.status, "ms", h.opts.Now().Sub(start).Milliseconds())
}

func (h *Handler) handle(w http.ResponseWriter, r *http.Request) outcome {
	asJSON := false
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		return h.fail(w, asJSON, http.StatusMethodNotAllowed, "method", "err_method", site.DefaultLanguage)
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err == nil && mediaType == "application/json":
		asJSON = true
	case err == nil && mediaType == "application/x-www-form-urlencoded":
	default:
		return h.fail(w, false, http.StatusUnsupportedMediaType, "media-type", "err_media_type", site.DefaultLanguage)
	}
	if !h.sameSite(r) {
		return h.fail(w, asJSON, http.StatusForbidden, "cross-site", "err_cross_site", site.DefaultLanguage)
	}
	if ok, wait := h.limiter.allow(clientOf(r), h.opts.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.5))))
		return h.fail(w, asJSON, http.StatusTooManyRequests, "rate-limited", "err_rate_limited", site.DefaultLanguage)
	}
	limit := int64(MaxBody)
	if !asJSON {
		limit = MaxFormEcho
	}
	if r.ContentLength > limit {
		return h.fail(w, asJSON, http.StatusRequestEntityTooLarge, "too-large", "err_too_large", site.DefaultLanguage)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return h.fail(w, asJSON, http.StatusRequestEntityTooLarge, "too-large", "err_too_large", site.DefaultLanguage)
		}
		return h.fail(w, asJSON, http.StatusBadRequest, "malformed", "err_malformed", site.DefaultLanguage)
	}
	var (
		sub    intake.Submission
		values map[string]string
	)
	if asJSON {
		sub, err = decodeJSON(body)
	} else {
		sub, values, err = decodeForm(body)
	}
	if err != nil {
		return h.fail(w, asJSON, http.StatusBadRequest, "malformed", "err_malformed", site.DefaultLanguage)
	}
	// The answer is in the language of the page the form was sent from.
	lang := intake.KnownLanguage(sub.Language)
	texts := h.pages.Texts(lang)
	if len(body) > MaxBody {
		return h.tooLarge(w, sub, values, lang)
	}
	receipt, fieldErrs, err := h.intake.Submit(r.Context(), sub)
	switch {
	case err != nil:
		w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfter.Seconds())))
		if asJSON {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": texts.T("unavailable_text")})
		} else {
			h.pages.render(w, http.StatusServiceUnavailable, pageData{Lang: lang, View: "form", Title: texts.T("form_title"), Values: values, Unavailable: true})
		}
		return outcome{http.StatusServiceUnavailable, "queue-unavailable"}
	case fieldErrs != nil:
		msgs := map[string]string{}
		for f, key := range fieldErrs {
			msgs[f] = texts.T(key)
		}
		if asJSON {
			writeJSON(w, http.StatusBadRequest, map[string]any{"errors": msgs})
		} else {
			h.pages.render(w, http.StatusBadRequest, pageData{Lang: lang, View: "form", Title: texts.T("form_title_errors"), Values: values, Errors: msgs})
		}
		return outcome{http.StatusBadRequest, "invalid"}
	}
	what := "stored"
	if receipt.Discarded {
		what = "discarded"
	}
	answer, thanks := map[string]string{"id": receipt.ID, "code": receipt.Code}, "?codice="+url.QueryEscape(receipt.Code)
	if h.opts.Signer != nil {
		answer["key"] = h.opts.Signer.Key(receipt.Code, receipt.ReceivedAt.In(h.location()))
		thanks += "&chiave=" + url.QueryEscape(answer["key"])
	}
	if asJSON {
		writeJSON(w, http.StatusAccepted, answer)
		return outcome{http.StatusAccepted, what}
	}
	http.Redirect(w, r, routes.InLanguage(lang, routes.Thanks)+thanks, http.StatusSeeOther)
	return outcome{http.StatusSeeOther, what}
}

// tooLarge answers a form over MaxBody: too long for any valid request, so some field is over its
// limit. The form comes back with everything written in it and the fields to shorten.
func (h *Handler) tooLarge(w http.ResponseWriter, sub intake.Submission, values map[string]string, lang string) outcome {
	req := sub.Request
	req.Normalize()
	errs := req.Validate(h.intake.Directory)
	if errs == nil {
		errs = intake.FieldErrors{"message": "err_too_large"}
	}
	texts, msgs := h.pages.Texts(lang), map[string]string{}
	for f, key := range errs {
		msgs[f] = texts.T(key)
	}
	h.pages.render(w, http.StatusRequestEntityTooLarge, pageData{Lang: lang, View: "form", Title: texts.T("form_title_errors"), Values: values, Errors: msgs})
	return outcome{http.StatusRequestEntityTooLarge, "too-large"}
}

// fail answers a request that is refused, with a notice in the language whose code is lang (a
// submission refused before it is read is in Italian: its language is in what is not read).
func (h *Handler) fail(w http.ResponseWriter, asJSON bool, status int, what, key, lang string) outcome {
	texts := h.pages.Texts(lang)
	if asJSON {
		writeJSON(w, status, map[string]string{"error": texts.T(key)})
	} else {
		h.pages.render(w, status, pageData{Lang: lang, View: "notice", Title: texts.T("notice_title"), Text: texts.T(key)})
	}
	return outcome{status, what}
}

// readOnly refuses, with 405, a request to a page that only shows something.
func readOnly(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

func (h *Handler) thanks(w http.ResponseWriter, r *http.Request) {
	if !readOnly(w, r) {
		return
	}
	code, key := r.URL.Query().Get("codice"), r.URL.Query().Get("chiave")
	if !intake.CodeOK(code) {
		code = ""
	}
	lang := languageOf(r)
	d := pageData{Lang: lang, Page: routes.Thanks, View: "thanks", Title: h.pages.Texts(lang).T("thanks_title"), Code: code}
	if code != "" {
		d.Params = url.Values{"codice": {code}}
	}
	// The key is shown only with the code it belongs to: a link with another key shows none.
	if h.opts.Signer != nil && code != "" {
		if _, ok := h.opts.Signer.Check(code, key); ok {
			d.Key, d.StatusURL = key, statusURL(lang, code, key)
			d.Params.Set("chiave", key)
		}
	}
	h.pages.render(w, http.StatusOK, d)
}

// languageOf is the code of the language of the page at r's address: Italian's for an address
// in no language.
func languageOf(r *http.Request) string {
	if rt, ok := routes.Match(r.URL.Path); ok && rt.Lang != "" {
		return rt.Lang
	}
	return site.DefaultLanguage
}

// statusURL is the address of the status page of a code and its key, in the language whose code
// is lang.
func statusURL(lang, code, key string) string {
	return routes.InLanguage(lang, routes.Status) + "?codice=" + url.QueryEscape(code) + "&chiave=" + url.QueryEscape(key)
}

// form shows the request form filled in from the link that led to it: ?servizio=<association>/<slug>
// (with its association and first category), ?associazione=, ?categoria=, ?tipo=segnalazione.
// The portal's own page is the same form, empty, and fills it in with a script; this page does it
// without one. Values that name nothing in the catalog are left out.
func (h *Handler) form(w http.ResponseWriter, r *http.Request) {
	if !readOnly(w, r) {
		return
	}
	q, cat := r.URL.Query(), h.pages.catalog
	v := map[string]string{}
	if s, ok := cat.Service(q.Get("servizio")); ok {
		v["service"] = s.Value
		v["association"], _, _ = strings.Cut(s.Value, "/")
		if len(s.Categories) > 0 && cat.HasCategory(s.Categories[0]) {
			v["category"] = s.Categories[0]
		}
	}
	if a := q.Get("associazione"); cat.HasAssociation(a) {
		v["association"] = a
	}
	if c := q.Get("categoria"); cat.HasCategory(c) {
		v["category"] = c
	}
	if q.Get("tipo") == intake.KindReport {
		v["kind"] = intake.KindReport
	}
	lang, kept := languageOf(r), url.Values{}
	for _, p := range []string{"servizio", "associazione", "categoria", "tipo"} {
		if x := q.Get(p); x != "" {
			kept.Set(p, x)
		}
	}
	h.pages.render(w, http.StatusOK, pageData{Lang: lang, Page: routes.Form, Params: kept, View: "form", Title: h.pages.Texts(lang).T("form_title"), Values: v, Prefilled: len(v) > 0})
}

// maxResults is how many results a search shows.
const maxResults = 50

// search shows what the portal holds about the words of ?q=. The words are not logged, and the
// page sends no referrer, since what people look for here can say much about them.
func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	if !readOnly(w, r) {
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > 100 {
		q = string([]rune(q)[:100])
	}
	lang := languageOf(r)
	d := pageData{Lang: lang, Page: routes.Search, View: "search", Title: h.pages.Texts(lang).T("search_title"), Query: q}
	if q != "" {
		res := h.opts.Search.Search(q, maxResults)
		l, _ := site.LanguageByCode(lang)
		d.Hits, d.Suggestion, d.Params = hitsIn(l, res.Entries), res.Suggestion, url.Values{"q": {q}}
		d.Title = h.pages.Texts(lang).T("search_results_title", "Query", q)
	}
	h.pages.render(w, http.StatusOK, d)
}

// sameSite accepts posts from the portal's own pages, from the allowed origins, and from
// clients that are not browsers (no Origin, no Sec-Fetch-Site); it refuses other sites' pages.
func (h *Handler) sameSite(r *http.Request) bool {
	site, origin := r.Header.Get("Sec-Fetch-Site"), r.Header.Get("Origin")
	switch {
	case site == "same-origin" || site == "none":
		return true
	case origin == "":
		return site == ""
	}
	return h.originAllowed(origin) || (site == "" && sameHost(origin, r.Host))
}

func (h *Handler) originAllowed(origin string) bool {
	for _, o := range h.opts.AllowedOrigins {
		if strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			return true
		}
	}
	return false
}

func sameHost(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && host != "" && strings.EqualFold(u.Host, host)
}

// clientOf identifies the sender for the rate limit only: the connection's address. No header is
// read here, since any client can send one; where a platform forwards the address in a header of
// its own, its adapter (lambdaproxy) puts it in RemoteAddr.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// location is the portal's timezone, where a request's day of receipt is reckoned.
func (h *Handler) location() *time.Location {
	if c := h.opts.Calendar; c != nil && c.Location != nil {
		return c.Location
	}
	return time.UTC
}
