package site

import "github.com/shaps-portal/shaps/site/languages"

// Language is one language the portal speaks. Italian is the reference: its pages live at the
// site's root and every other language's at /<Code>/. The table is in site/languages, which the
// data's validator reads too.
type Language = languages.Language

// DefaultLanguage is the code of the reference language, whose texts every other translates.
const DefaultLanguage = languages.Default

// Languages returns the portal's languages, the reference first, in the switcher's order.
func Languages() []Language { return languages.All() }

// LanguageByCode returns the language whose code is code, and whether there is one.
func LanguageByCode(code string) (Language, bool) { return languages.ByCode(code) }
