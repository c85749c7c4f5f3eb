package httpapi

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/site"
)

// maxFeedbackBody is the most read of a rating's form: a path, the stars, a choice and a short
// text, each character of it at most 12 bytes on the wire.
const maxFeedbackBody = 4 << 10

// feedbackFields are the names of the rating form's fields.
const (
	fieldPage     = "page"
	fieldStars    = "stars"
	fieldPositive = "positive" // the follow-up choice offered for 4 and 5 stars
	fieldNegative = "negative" // the one offered for 1 to 3 stars
	fieldText     = "text"
)

// feedback takes a page's rating from the form at the foot of the portal's pages and answers
// with a thanks page that leads back to the page. Nothing of the sender is kept or logged: the
// address counts for the rate limit only, in memory, for a minute.
func (h *Handler) feedback(w http.ResponseWriter, r *http.Request) {
	start := h.opts.Now()
	o := h.handleFeedback(w, r)
	h.opts.Log.Info("feedback", "outcome", o.what, "status", o.status, "ms", h.opts.Now().Sub(start).Milliseconds())
}

func (h *Handler) handleFeedback(w http.ResponseWriter, r *http.Request) outcome {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		return h.feedbackNotice(w, http.StatusMethodNotAllowed, "method", "/", "err_method")
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return h.feedbackNotice(w, http.StatusUnsupportedMediaType, "media-type", "/", "err_media_type")
	}
	if !h.sameSite(r) {
		return h.feedbackNotice(w, http.StatusForbidden, "cross-site", "/", "err_cross_site")
	}
	if ok, wait := h.ratings.allow(clientOf(r), h.opts.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.5))))
		return h.feedbackNotice(w, http.StatusTooManyRequests, "rate-limited", "/", "feedback_rate_limited")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFeedbackBody)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return h.feedbackNotice(w, http.StatusRequestEntityTooLarge, "too-large", "/", "feedback_err_text_long")
		}
		return h.feedbackNotice(w, http.StatusBadRequest, "malformed", "/", "err_malformed")
	}
	q := r.PostForm
	for _, k := range []string{fieldPage, fieldStars, fieldPositive, fieldNegative, fieldText} {
		if len(q[k]) > 1 {
			return h.feedbackNotice(w, http.StatusBadRequest, "malformed", "/", "err_malformed")
		}
	}
	f := intake.Feedback{Page: q.Get(fieldPage), Text: q.Get(fieldText)}
	stars, err := strconv.Atoi(q.Get(fieldStars))
	if err == nil {
		f.Stars = stars
	}
	// Both sets of choices are in the form, only the one for the stars shows: a choice left in
	// the other set, from stars changed afterwards, is not the person's answer.
	f.Choice = q.Get(fieldNegative)
	if f.Positive() {
		f.Choice = q.Get(fieldPositive)
	}
	back := "/"
	f.Normalize()
	if intake.PagePathOK(f.Page) {
		back = f.Page
	}
	lang := languageOfPage(back) // the thanks in the rated page's language
	texts := h.pages.Texts(lang)
	errs, err := h.intake.SubmitFeedback(r.Context(), f)
	switch {
	case err != nil:
		w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfter.Seconds())))
		return h.feedbackNotice(w, http.StatusServiceUnavailable, "queue-unavailable", back, "feedback_unavailable")
	case errs != nil:
		var msgs []string
		for _, k := range []string{"page", "stars", "choice", "text"} {
			if key, ok := errs[k]; ok {
				msgs = append(msgs, texts.T(key))
			}
		}
		h.pages.render(w, http.StatusBadRequest, pageData{Lang: lang, View: "feedback", Title: texts.T("feedback_invalid_title"), Problems: msgs, Back: back})
		return outcome{http.StatusBadRequest, "invalid"}
	}
	h.pages.render(w, http.StatusOK, pageData{Lang: lang, View: "feedback", Title: texts.T("feedback_thanks_title"), Text: texts.T("feedback_thanks_text"), Back: back})
	return outcome{http.StatusOK, "stored"}
}

// feedbackNotice answers a rating refused before it is read: the page says why and leads back.
func (h *Handler) feedbackNotice(w http.ResponseWriter, status int, what, back, key string) outcome {
	lang := languageOfPage(back)
	texts := h.pages.Texts(lang)
	h.pages.render(w, status, pageData{Lang: lang, View: "feedback", Title: texts.T("feedback_invalid_title"), Problems: []string{texts.T(key)}, Back: back})
	return outcome{status, what}
}

// languageOfPage is the code of the language of the portal's page at path, by its prefix.
func languageOfPage(path string) string {
	for _, l := range site.Languages() {
		if l.Code != site.DefaultLanguage && strings.HasPrefix(path, l.Home()) {
			return l.Code
		}
	}
	return site.DefaultLanguage
}
