package httpapi

import (
	"errors"
	"github.com/shaps-portal/shaps/site"
	"github.com/shaps-portal/shaps/site/routes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/shaps-portal/shaps/intake/status"
)

// answerView is what the confirmation page shows and posts back.
type answerView struct {
	Code, Association, Name, Action, Expires, Signature string
}

// maxAnswerBody is the most read of an answer's form: the link's fields and a note.
const maxAnswerBody = 16 << 10

// answer serves an association's answer link: GET shows what it would answer and a button
// (mail scanners open links, and nothing changes for them); POST puts the answer on the queue.
// A link not signed by the Comune, or changed, an expired one and one already answered get a
// page that says so, and nothing is queued.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request) {
	start := h.opts.Now()
	o := h.handleAnswer(w, r)
	h.opts.Log.Info("answer", "outcome", o.what, "status", o.status, "ms", h.opts.Now().Sub(start).Milliseconds())
}

func (h *Handler) handleAnswer(w http.ResponseWriter, r *http.Request) outcome {
	var q url.Values
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		q = r.URL.Query()
	case http.MethodPost:
		if !h.sameSite(r) {
			return h.fail(w, false, http.StatusForbidden, "cross-site", "err_cross_site", site.DefaultLanguage)
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxAnswerBody)
		if err := r.ParseForm(); err != nil {
			return h.fail(w, false, http.StatusBadRequest, "malformed", "err_malformed", site.DefaultLanguage)
		}
		q = r.PostForm
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		return h.fail(w, false, http.StatusMethodNotAllowed, "method", "err_method", site.DefaultLanguage)
	}
	if ok, wait := h.lookups.allow(clientOf(r), h.opts.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.5))))
		return h.fail(w, false, http.StatusTooManyRequests, "answer-rate-limited", "status_rate_limited", site.DefaultLanguage)
	}
	exp, _ := strconv.ParseInt(q.Get("scade"), 10, 64)
	a := status.Answer{Code: q.Get("codice"), Association: q.Get("associazione"), Action: q.Get("azione"), Expires: time.Unix(exp, 0).UTC()}
	switch err := h.opts.Signer.CheckAnswer(a, q.Get("firma"), h.opts.Now()); {
	case errors.Is(err, status.ErrExpired):
		return h.answerNotice(w, http.StatusGone, "answer-expired", "answer_expired")
	case err != nil || !h.pages.catalog.HasAssociation(a.Association):
		return h.answerNotice(w, http.StatusForbidden, "answer-forged", "answer_forged")
	}
	rec, err := h.opts.Status.Get(r.Context(), a.Code)
	switch {
	case err == nil && slices.Contains(rec.Answered, status.Answered{Association: a.Association, Action: a.Action}):
		return h.answerNotice(w, http.StatusConflict, "answer-replayed", "answer_already")
	case err != nil && !errors.Is(err, status.ErrNotFound):
		w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfter.Seconds())))
		return h.fail(w, false, http.StatusServiceUnavailable, "status-unavailable", "unavailable_text", site.DefaultLanguage)
	}
	if r.Method != http.MethodPost {
		v := &answerView{Code: a.Code, Association: a.Association, Name: a.Association, Action: a.Action, Expires: q.Get("scade"), Signature: q.Get("firma")}
		for _, o := range h.pages.catalog.Associations {
			if o.Value == a.Association {
				v.Name = o.Label
			}
		}
		h.pages.render(w, http.StatusOK, pageData{Page: routes.Answer, View: "answer", Title: h.pages.Texts(site.DefaultLanguage).T("answer_title", "Code", a.Code), Answer: v})
		return outcome{http.StatusOK, "answer-shown"}
	}
	if err := h.intake.SubmitAnswer(r.Context(), a, q.Get("nota")); err != nil {
		w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfter.Seconds())))
		return h.fail(w, false, http.StatusServiceUnavailable, "queue-unavailable", "unavailable_text", site.DefaultLanguage)
	}
	return h.answerNotice(w, http.StatusOK, "answer-queued", "answer_done")
}

// answerNotice answers with a page of one message, key_title its title.
func (h *Handler) answerNotice(w http.ResponseWriter, status int, what, key string) outcome {
	h.pages.render(w, status, pageData{Page: routes.Answer, View: "notice", Title: h.pages.Texts(site.DefaultLanguage).T(key + "_title"), Text: h.pages.Texts(site.DefaultLanguage).T(key)})
	return outcome{status, what}
}
