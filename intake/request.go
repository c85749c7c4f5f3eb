package intake

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/site"
)

// Kinds of submission.
const (
	KindRequest = "richiesta"
	KindReport  = "segnalazione"
)

// Contact preferences.
var ContactPreferences = []string{"email", "phone", "none"}

// Request is what a citizen sends: only what the Comune needs to help, nothing about the device.
type Request struct {
	Kind              string `json:"kind"`
	Category          string `json:"category"`
	Association       string `json:"association,omitempty"`
	Service           string `json:"service,omitempty"`
	Message           string `json:"message"`
	Area              string `json:"area,omitempty"`
	Name              string `json:"name,omitempty"`
	Email             string `json:"email,omitempty"`
	Phone             string `json:"phone,omitempty"`
	ContactPreference string `json:"contact_preference,omitempty"`
	ShareContact      bool   `json:"share_contact"`
	Privacy           bool   `json:"privacy"`
	// Language is the code of the language of the page the request was sent from (one of
	// site.Languages()): the office answers the citizen in it.
	Language string `json:"lang"`
}

// Field limits.
const (
	MinMessage = 10
	MaxMessage = 4000
	MaxShort   = 200
)

// FieldErrors maps a field to the key of its message in the i18n file.
type FieldErrors map[string]string

// Directory says which categories, associations and services exist.
type Directory interface {
	HasCategory(id string) bool
	HasAssociation(slug string) bool
	HasService(key string) bool // association/slug
}

// phoneRule is the data contract's rule for phone numbers, so that the intake takes the numbers
// the portal publishes.
var phoneRule, _ = catalog.FormatRule(catalog.FormatPhone)

// Normalize trims the text fields and fills the defaults.
func (r *Request) Normalize() {
	for _, s := range []*string{&r.Kind, &r.Category, &r.Association, &r.Service, &r.Area, &r.Name, &r.Email, &r.Phone, &r.ContactPreference} {
		*s = strings.TrimSpace(*s)
	}
	r.Phone = asciiPhone(r.Phone)
	r.Message = strings.TrimSpace(multiLine(r.Message))
	if r.Kind == "" {
		r.Kind = KindRequest
	}
	r.Language = KnownLanguage(r.Language)
	if r.ContactPreference == "" {
		switch {
		case r.Email != "":
			r.ContactPreference = "email"
		case r.Phone != "":
			r.ContactPreference = "phone"
		default:
			r.ContactPreference = "none"
		}
	}
	if r.Service != "" && r.Association == "" {
		r.Association, _, _ = strings.Cut(r.Service, "/")
	}
}

// KnownLanguage is the portal's language whose code is code, in any case, or the default
// language for anything else: the language only chooses the texts a citizen reads, so a form
// from an old page, a missing field or a made-up code never costs a request.
func KnownLanguage(code string) string {
	if l, ok := site.LanguageByCode(strings.ToLower(strings.TrimSpace(code))); ok {
		return l.Code
	}
	return site.DefaultLanguage
}

// digitZeros are the zeros of the decimal digits a phone's keyboard may type besides 0-9:
// Arabic-Indic (Arabic), Extended Arabic-Indic (Persian, Urdu) and full-width (Chinese input).
var digitZeros = []rune{'\u0660', '\u06f0', '\uff10'}

// asciiPhone writes a phone number typed with another script's digits, or full-width signs and
// spaces, in the digits and signs the phone rule reads; anything else is left for Validate.
func asciiPhone(v string) string {
	return strings.Map(func(c rune) rune {
		for _, z := range digitZeros {
			if c >= z && c <= z+9 {
				return '0' + c - z
			}
		}
		switch {
		case c == '\uff0b':
			return '+'
		case c == '\uff0d', c == '\u2010', c == '\u2011', c == '\u2012', c == '\u2013':
			return '-'
		case c == '\uff0e':
			return '.'
		case c == '\uff0f':
			return '/'
		case unicode.Is(unicode.Zs, c):
			return ' '
		}
		return c
	}, v)
}

// Validate returns every field that is wrong, with the key of the message that says why.
func (r *Request) Validate(dir Directory) FieldErrors {
	errs := FieldErrors{}
	if r.Kind != KindRequest && r.Kind != KindReport {
		errs["kind"] = "err_kind"
	}
	switch {
	case r.Category == "":
		errs["category"] = "err_category_missing"
	case !dir.HasCategory(r.Category):
		errs["category"] = "err_category_unknown"
	}
	if r.Association != "" && !dir.HasAssociation(r.Association) {
		errs["association"] = "err_association_unknown"
	}
	if r.Service != "" && !dir.HasService(r.Service) {
		errs["service"] = "err_service_unknown"
	}
	switch n := utf8.RuneCountInString(r.Message); {
	case !utf8.ValidString(r.Message):
		errs["message"] = "err_message_encoding"
	case n == 0:
		errs["message"] = "err_message_missing"
	case visible(r.Message) < MinMessage:
		errs["message"] = "err_message_short"
	case n > MaxMessage:
		errs["message"] = "err_message_long"
	}
	for field, v := range map[string]string{"area": r.Area, "name": r.Name, "email": r.Email, "phone": r.Phone} {
		switch {
		case utf8.RuneCountInString(v) > MaxShort || !utf8.ValidString(v):
			errs[field] = "err_too_long"
		case !singleLine(v):
			errs[field] = "err_single_line"
		}
	}
	if r.Email != "" && errs["email"] == "" && !validEmail(r.Email) {
		errs["email"] = "err_email"
	}
	if r.Phone != "" && errs["phone"] == "" && !phoneRule.Matches(r.Phone) {
		errs["phone"] = "err_phone"
	}
	switch r.ContactPreference {
	case "email":
		if r.Email == "" && errs["email"] == "" {
			errs["email"] = "err_reply_needs_email"
		}
	case "phone":
		if r.Phone == "" && errs["phone"] == "" {
			errs["phone"] = "err_reply_needs_phone"
		}
	case "none":
	default:
		errs["contact_preference"] = "err_contact_preference"
	}
	if r.ShareContact && r.Email == "" && r.Phone == "" && errs["email"] == "" {
		errs["email"] = "err_share_needs_contact"
	}
	if !r.Privacy {
		errs["privacy"] = "err_privacy"
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func validEmail(v string) bool {
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v {
		return false
	}
	domain := v[strings.LastIndexByte(v, '@')+1:]
	return strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".")
}

// singleLine reports whether v holds nothing that breaksLine.
func singleLine(v string) bool { return !strings.ContainsFunc(v, breaksLine) }

// breaksLine reports a control character (line breaks and tabs included) or a character that
// breaks or reorders a line: what would let a name or an area forge a line, a title or a colour
// on the office's screens.
func breaksLine(c rune) bool {
	return unicode.IsControl(c) || unicode.In(c, unicode.Zl, unicode.Zp) ||
		c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' // bidi embeddings, overrides, isolates
}

// OneLine is v with each character a single-line field refuses turned into a space: what a form
// shows back to be corrected, so that the person sees where it was.
func OneLine(v string) string {
	return strings.Map(func(c rune) rune {
		if breaksLine(c) {
			return ' '
		}
		return c
	}, v)
}

// multiLine keeps the lines and tabs of a message and drops every other control character;
// every line break becomes \n.
func multiLine(v string) string {
	if !utf8.ValidString(v) {
		return v // Validate refuses it as it came
	}
	v = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n").Replace(v)
	return strings.Map(func(c rune) rune {
		if unicode.IsControl(c) && c != '\n' && c != '\t' {
			return -1
		}
		return c
	}, v)
}

// visible counts the characters of v that show: spaces, zero-width and other format characters,
// and the letters that are drawn as blanks do not. A Chinese character, or a Japanese or Korean
// one, counts as two: those scripts say in one character what others say in a few letters, so a
// short sentence in Chinese ("我需要帮助买菜", I need help with the shopping) is a message too.
func visible(v string) int {
	n := 0
	for _, c := range v {
		switch {
		case unicode.IsSpace(c), unicode.IsControl(c), unicode.Is(unicode.Cf, c):
		case c == '\u115f', c == '\u1160', c == '\u3164', c == '\uffa0', c == '\u2800': // Hangul fillers, blank Braille pattern
		case unicode.In(c, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			n += 2
		default:
			n++
		}
	}
	return n
}
