package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"github.com/shaps-portal/shaps/site"
	"net/http"
	"strings"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/feeds"
)

// MaxCalendarQuery is the longest query string /calendario/ reads: a hundred ids of each kind
// fit in it.
const MaxCalendarQuery = 16 << 10

// calendar answers /calendario/?associazioni=a,b&categorie=x with one calendar of the events of
// those associations and categories, the same events as the portal's feeds of each. Unknown ids
// name nothing; the address is the same for everyone who follows the same things, so the answer
// is cacheable and nothing of it is logged.
func (h *Handler) calendar(w http.ResponseWriter, r *http.Request) {
	if !readOnly(w, r) {
		return
	}
	if len(r.URL.RawQuery) > MaxCalendarQuery {
		h.calendarError(w, http.StatusRequestURITooLong)
		return
	}
	q := r.URL.Query()
	associations, okA := ids(q["associazioni"])
	categories, okC := ids(q["categorie"])
	if !okA || !okC {
		h.calendarError(w, http.StatusBadRequest)
		return
	}
	cat := h.opts.Calendar
	opts := feeds.Options{
		BaseURL: cat.Portal.BaseURL,
		Since:   h.opts.Now().In(cat.Location).AddDate(0, -feeds.PastMonths, 0),
		Labels: feeds.Labels{AllEvents: h.pages.Texts(site.DefaultLanguage).T("nav_events"), Cancelled: h.pages.Texts(site.DefaultLanguage).T("event_cancelled"),
			Postponed: h.pages.Texts(site.DefaultLanguage).T("event_postponed")},
	}
	var buf bytes.Buffer
	c := feeds.Selection(cat, opts, associations, categories, h.pages.Texts(site.DefaultLanguage).T("calendar_name"), strings.TrimPrefix(AreaPage, "/"))
	if err := c.Encode(&buf); err != nil {
		h.calendarError(w, http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Disposition", `inline; filename="calendario.ics"`)
	_, _ = w.Write(buf.Bytes())
}

// AreaPage is the citizen's own area, where the calendar's address is given.
const AreaPage = "/area-personale/"

// calendarError answers a query the calendar cannot take, in plain text and never cached.
func (h *Handler) calendarError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Del("ETag")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(h.pages.Texts(site.DefaultLanguage).T("calendar_bad_query") + "\n"))
}

// ids reads a parameter's comma-separated ids, once each, in order. Whatever could not be an id
// is dropped, as an unknown id is; more than feeds.MaxSelection ids is refused.
func ids(values []string) ([]string, bool) {
	var out []string
	seen := map[string]bool{}
	for _, v := range values {
		for id := range strings.SplitSeq(v, ",") {
			id = strings.TrimSpace(id)
			if catalog.SlugProblem(id) != "" || seen[id] {
				continue
			}
			if len(out) == feeds.MaxSelection {
				return nil, false
			}
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, true
}
