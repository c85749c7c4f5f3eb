package catalog

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
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
func (r Rule) Problem(v string) string { return fmt.Sprintf("%s (trovato %q)", r.Message, v) }

var formatRules = map[Format]Rule{
	FormatEmail: {
		`^[A-Za-z0-9!#$%&'*+/=?^_{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`,
		"non è un indirizzo e-mail valido; va scritto come info@associazione.it",
	},
	FormatPhone: {
		`^\+?[0-9](?:[ ./-]*[0-9]){5,14}$`,
		"non è un numero di telefono valido; usare da 6 a 15 cifre, spazi e, se serve, un + iniziale, es. +39 0383 123456",
	},
	FormatURL: {
		`^https?://[^\s"<>/?#]+(?:[/?#][^\s"<>]*)?$`,
		"non è un indirizzo web valido; va scritto per intero, es. https://www.associazione.it",
	},
	FormatPostal: {
		`^[0-9]{5}$`,
		"non è un CAP valido; usare cinque cifre, es. 27058",
	},
	FormatSlug: {
		`^[a-z0-9](?:-?[a-z0-9])+$`,
		"non è un identificativo valido; usare da 2 a 60 lettere minuscole a-z, cifre e trattini singoli in mezzo, es. centro-diurno",
	},
	FormatLanguage: {
		`^[a-z]{2}$`,
		"non è un codice di lingua ISO 639-1 di due lettere; es. it, en, fr, ar",
	},
	FormatByDay: {
		`^(?:[+-]?[1-5])?(?:MO|TU|WE|TH|FR|SA|SU)$`,
		"non è un giorno; usare MO, TU, WE, TH, FR, SA o SU, con un numero davanti per i mesi (2SA = secondo sabato, -1FR = ultimo venerdì)",
	},
	FormatHandle: {
		`^@?[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:/[A-Za-z0-9._-]+)?$`,
		"non è un nome utente valido; es. mario-rossi",
	},
	FormatFile: {
		`^[^/\\]*[^/\\.][^/\\]*$`,
		"deve essere il nome di un file nella stessa cartella del file YAML, senza cartelle",
	},
	FormatRepo: {
		`^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]+$`,
		"non è un repository; va scritto come proprietario/nome, es. comune-voghera/shaps",
	},
	FormatColor: {
		`^#[0-9A-Fa-f]{6}$`,
		"non è un colore; va scritto in esadecimale come #RRGGBB, es. #0B4F8A",
	},
	FormatTimezone: {
		`^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$`,
		"non è un fuso orario conosciuto; es. Europe/Rome",
	},
}

// The rules of the date and time types, for forms that take them as text.
var typeRules = map[Type]Rule{
	TypeDate: {
		`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`,
		"non è una data scritta AAAA-MM-GG, es. 2026-12-05",
	},
	TypeDateTime: {
		`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$`,
		"non è una data con ora locale scritta AAAA-MM-GGTHH:MM, es. 2026-12-05T15:30",
	},
	TypeMoment: {
		`^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2})?$`,
		"non è una data con ora locale scritta AAAA-MM-GGTHH:MM (es. 2026-12-05T15:30), né una data AAAA-MM-GG per gli eventi di tutto il giorno",
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
		Message: fmt.Sprintf("troppo lungo; accorciarlo a non più di %d caratteri", n),
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

// MinContrast is WCAG 2.1 AA's contrast ratio for normal text.
const MinContrast = 4.5

// ContrastWithWhite is the WCAG contrast ratio between a #RRGGBB colour and white.
func ContrastWithWhite(hex string) float64 {
	var rgb [3]float64
	for i := range rgb {
		n, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(n) / 255
		if c <= 0.04045 {
			rgb[i] = c / 12.92
		} else {
			rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	l := 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
	return 1.05 / (l + 0.05)
}
