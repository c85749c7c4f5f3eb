package catalog

import (
	"fmt"
	"regexp"
)

// Rule is what a field asks of the shape of its value: a pattern that forms check while the user
// types, and the message that both the forms and the validator give when a value breaks it. The
// pattern is written in the syntax shared by Go's RE2 and JavaScript, so the validator, the JSON
// Schemas and the editing forms run the very same expression. Some formats have further checks
// that no pattern can make (a real language code, a known timezone); the validator makes them
// and reports them with the same message.
type Rule struct {
	Pattern string
	Message string
}

// Matches reports whether v has the shape the rule asks for.
func (r Rule) Matches(v string) bool { return compiled(r.Pattern).MatchString(v) }

// Problem is the validator's message for a value that breaks the rule: the form's message
// followed by the value that was found.
func (r Rule) Problem(v string) string { return fmt.Sprintf("%s (got %q)", r.Message, v) }

var formatRules = map[Format]Rule{
	FormatEmail: {
		`^[A-Za-z0-9!#$%&'*+/=?^_{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`,
		"not a valid e-mail address; write it like info@associazione.it",
	},
	FormatPhone: {
		`^\+?[0-9](?:[ ./-]*[0-9]){5,14}$`,
		"not a valid phone number; use 6 to 15 digits, spaces and an optional leading +, e.g. +39 0383 123456",
	},
	FormatURL: {
		`^https?://[^\s"<>/?#]+(?:[/?#][^\s"<>]*)?$`,
		"not a valid web address; write it in full, e.g. https://www.associazione.it",
	},
	FormatPostal: {
		`^[0-9]{5}$`,
		"not a valid postal code (CAP); use five digits, e.g. 27058",
	},
	FormatSlug: {
		`^[a-z0-9](?:-?[a-z0-9])+$`,
		"not a valid id; use 2 to 60 lowercase letters a-z, digits and single dashes inside, e.g. centro-diurno",
	},
	FormatLanguage: {
		`^[a-z]{2}$`,
		"not a two-letter ISO 639-1 language code; e.g. it, en, fr, ar",
	},
	FormatByDay: {
		`^(?:[+-]?[1-5])?(?:MO|TU|WE|TH|FR|SA|SU)$`,
		"not a day; use MO, TU, WE, TH, FR, SA or SU, optionally numbered for months (2SA = second Saturday, -1FR = last Friday)",
	},
	FormatHandle: {
		`^@?[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:/[A-Za-z0-9._-]+)?$`,
		"not a valid user name; e.g. mario-rossi",
	},
	FormatFile: {
		`^[^/\\]*[^/\\.][^/\\]*$`,
		"must be the name of a file in the association's folder, without folders",
	},
	FormatRepo: {
		`^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]+$`,
		"not a repository; write it as owner/name, e.g. comune-voghera/shaps",
	},
	FormatTimezone: {
		`^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$`,
		"not a known timezone; e.g. Europe/Rome",
	},
}

// The rules of the date and time types, for forms that take them as text.
var typeRules = map[Type]Rule{
	TypeDate: {
		`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`,
		"not a date written YYYY-MM-DD, e.g. 2026-12-05",
	},
	TypeDateTime: {
		`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$`,
		"not a local date and time written YYYY-MM-DDTHH:MM, e.g. 2026-12-05T15:30",
	},
	TypeMoment: {
		`^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2})?$`,
		"not a local date and time written YYYY-MM-DDTHH:MM (e.g. 2026-12-05T15:30), or a date YYYY-MM-DD for all-day events",
	},
}

// compiledRules holds every rule's expression, compiled once; it is never written after start-up.
var compiledRules = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for _, r := range formatRules {
		m[r.Pattern] = regexp.MustCompile(r.Pattern)
	}
	for _, r := range typeRules {
		m[r.Pattern] = regexp.MustCompile(r.Pattern)
	}
	return m
}()

func compiled(pattern string) *regexp.Regexp {
	if re, ok := compiledRules[pattern]; ok {
		return re
	}
	return regexp.MustCompile(pattern)
}

// FormatRule returns the rule of a checked format; formats whose values come from a list
// (categories, audiences) have none.
func FormatRule(f Format) (Rule, bool) {
	r, ok := formatRules[f]
	return r, ok
}

// TypeRule returns the rule of a date or time type.
func TypeRule(t Type) (Rule, bool) {
	r, ok := typeRules[t]
	return r, ok
}

// LengthRule returns the rule of a text with at most n characters.
func LengthRule(n int) Rule {
	return Rule{
		Pattern: fmt.Sprintf(`^[\s\S]{0,%d}$`, n),
		Message: fmt.Sprintf("too long; shorten it to at most %d characters", n),
	}
}

// FieldRule returns the rule a form checks on a text field as the user types, if it has one.
func FieldRule(f Field) (Rule, bool) {
	switch {
	case f.Type == TypeString && f.MaxLen > 0:
		return LengthRule(f.MaxLen), true
	case f.Type == TypeString && len(f.Enum) == 0:
		return FormatRule(f.Format)
	case f.Type == TypeDate || f.Type == TypeDateTime || f.Type == TypeMoment:
		return TypeRule(f.Type)
	}
	return Rule{}, false
}
