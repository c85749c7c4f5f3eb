package site

import "github.com/shaps-portal/shaps/site/languages"

// Language is one language the portal speaks. Italian is the reference: its pages live at the
// site's root and every other language's at /<Code>/. The table is in site/languages, which the
// data's validator reads too.
type Language = languages.Language

// Alternate is a page in one language, as the language switcher and the hreflang links name it.
type Alternate struct {
	Code    string `json:"code"`
	Tag     string `json:"tag"`
	Name    string `json:"name"`
	URL     string `json:"url"`
	Current bool   `json:"current"` // the language of the page that links it
}

// FrameContext is what the frame's partials (header.html, footer.html, assets.html) are given,
// by Hugo and by the intake alike: the page frame, the page's language and the page in every
// language it is published in, its own among them, in the switcher's order.
type FrameContext struct {
	Frame      Frame       `json:"frame"`
	Lang       Language    `json:"lang"`
	Alternates []Alternate `json:"alternates"`
}

// DefaultLanguage is the code of the reference language, whose texts every other translates.
const DefaultLanguage = languages.Default

// Languages returns the portal's languages, the reference first, in the switcher's order.
func Languages() []Language { return languages.All() }

// LanguageByCode returns the language whose code is code, and whether there is one.
func LanguageByCode(code string) (Language, bool) { return languages.ByCode(code) }
