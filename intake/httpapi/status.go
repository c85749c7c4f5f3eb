package httpapi

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/site/routes"
)

// statusView is what the status page shows of a request: never the message, the name or a
// contact, which the board does not hold anyway.
type statusView struct {
	Code         string        `json:"code"`
	Kind         string        `json:"kind,omitempty"`
	Category     string        `json:"category,omitempty"`
	Received     string        `json:"received"`
	Status       string        `json:"status"`
	Steps        []status.Step `json:"steps,omitempty"`
	Outcome      string        `json:"outcome,omitempty"`
	Note         string        `json:"note,omitempty"`
	Associations []string      `json:"-"` // named on the page when the portal says so
}

// status answers /richieste/stato/: without a code and a key, the form to ask for them; with a
// pair that proves itself, the request's status; with any other pair, one and the same answer
// whether the code exists or the key is wrong, reached by the same work. Every pair tried counts
// against the client's rate. Nothing of the address is logged.
func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	if !readOnly(w, r) {
		return
	}
	start := h.opts.Now()
	o := h.lookup(w, r)
	h.opts.Log.Info("status", "outcome", o.what, "status", o.status, "ms", h.opts.Now().Sub(start).Milliseconds())
}

func (h *Handler) lookup(w http.ResponseWriter, r *http.Request) outcome {
	q := r.URL.Query()
	asJSON := wantsJSON(r)
	code := strings.ToUpper(strings.TrimSpace(q.Get("codice")))
	key := strings.TrimSpace(q.Get("chiave"))
	lang := languageOf(r)
	texts := h.pages.Texts(lang)
	d := pageData{Lang: lang, Page: routes.Status, View: "status-form", Title: texts.T("status_title"), Values: map[string]string{}}
	if intake.CodeOK(code) {
		d.Values["codice"] = code // echoed the same whether it exists or not
	}
	if code == "" && key == "" && !asJSON {
		h.pages.render(w, http.StatusOK, d)
		return outcome{http.StatusOK, "form"}
	}
	if ok, wait := h.lookups.allow(clientOf(r), h.opts.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.5))))
		return h.fail(w, asJSON, http.StatusTooManyRequests, "status-rate-limited", "status_rate_limited", lang)
	}
	received, ok := h.opts.Signer.Check(code, key)
	if !ok {
		if asJSON {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": texts.T("status_not_found_json")})
		} else {
			d.Title = texts.T("status_not_found_title")
			d.Errors = map[string]string{"codice": texts.T("status_not_found")}
			h.pages.render(w, http.StatusNotFound, d)
		}
		return outcome{http.StatusNotFound, "status-not-found"}
	}
	rec, err := status.Lookup(r.Context(), h.opts.Status, code, received, h.opts.Now())
	if err != nil {
		w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfter.Seconds())))
		return h.fail(w, asJSON, http.StatusServiceUnavailable, "status-unavailable", "unavailable_text", lang)
	}
	v := h.view(rec, texts)
	if asJSON {
		writeJSON(w, http.StatusOK, v)
		return outcome{http.StatusOK, "status-" + v.Status}
	}
	d.View, d.Title, d.Status = "status", texts.T("status_of", "Code", code), &v
	d.Params = url.Values{"codice": {code}, "chiave": {key}} // the same status in another language
	h.pages.render(w, http.StatusOK, d)
	return outcome{http.StatusOK, "status-" + v.Status}
}

// view turns a record into what the citizen reads: the category's and the outcome's names, and
// the associations' names only when the portal names them.
func (h *Handler) view(rec status.Record, texts Messages) statusView {
	v := statusView{Code: rec.Code, Kind: rec.Kind, Received: rec.Received, Status: rec.Status(), Steps: rec.Steps, Note: rec.Note}
	if rec.Category != "" {
		v.Category = rec.Category
		for _, c := range h.pages.catalog.Categories {
			if c.Value == rec.Category {
				v.Category = c.Label
			}
		}
	}
	if rec.Outcome != "" && v.Status == status.Closed {
		v.Outcome = texts.T("status_outcome_" + rec.Outcome)
	}
	if h.pages.catalog.Portal.NameAssociations {
		for _, slug := range rec.Associations {
			name := slug
			for _, a := range h.pages.catalog.Associations {
				if a.Value == slug {
					name = a.Label
				}
			}
			v.Associations = append(v.Associations, name)
		}
	}
	return v
}

// wantsJSON reports whether the client asked for JSON rather than a page.
func wantsJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if t, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && t == "application/json" {
			return true
		}
	}
	return false
}

// shortDate writes a YYYY-MM-DD day as Italians do, 02/12/2026.
func shortDate(day string) string {
	t, err := time.Parse(status.DateLayout, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}
