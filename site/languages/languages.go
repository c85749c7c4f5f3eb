// Package languages is the table of the languages the portal speaks, read by the site's
// templates and by the data's validator alike.
package languages

import "encoding/json"

// Language is one language the portal speaks. Italian is the reference: its pages live at the
// site's root and every other language's at /<Code>/.
type Language struct {
	Code string // Hugo's language key, the URL prefix and the key of translations in the data
	Tag  string // the BCP 47 tag of the html element's lang attribute and of hreflang
	Name string // the language's name in itself, as the switcher shows it
	RTL  bool   // written right to left
	// MonthLayout writes a month and its year (a Go layout, whose month name Hugo gives in the
	// language): CLDR's year-month pattern where the month's name in a date reads right alone,
	// its digits where it does not (Ukrainian names a month in a date in the genitive).
	MonthLayout string
}

// Home is the address of the language's home page, under which all its pages live: "/" for the
// reference language, "/<Code>/" for the others.
func (l Language) Home() string {
	if l.Code == Default {
		return "/"
	}
	return "/" + l.Code + "/"
}

// MarshalJSON gives the language as the frame's partials read it ("lang"): code, tag, name, rtl,
// home, the prefix of its pages' addresses, and month_layout.
func (l Language) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Code        string `json:"code"`
		Tag         string `json:"tag"`
		Name        string `json:"name"`
		RTL         bool   `json:"rtl"`
		Home        string `json:"home"`
		MonthLayout string `json:"month_layout"`
	}{l.Code, l.Tag, l.Name, l.RTL, l.Home(), l.MonthLayout})
}

// Default is the code of the reference language, whose texts every other translates.
const Default = "it"

// All returns the portal's languages, the reference first, in the switcher's order.
func All() []Language {
	return []Language{
		{Code: "it", Tag: "it", Name: "Italiano", MonthLayout: "January 2006"},
		{Code: "en", Tag: "en", Name: "English", MonthLayout: "January 2006"},
		{Code: "ro", Tag: "ro", Name: "Română", MonthLayout: "January 2006"},
		{Code: "ar", Tag: "ar", Name: "العربية", RTL: true, MonthLayout: "January 2006"},
		{Code: "uk", Tag: "uk", Name: "Українська", MonthLayout: "01.2006"},
		{Code: "sq", Tag: "sq", Name: "Shqip", MonthLayout: "January 2006"},
		{Code: "zh-hans", Tag: "zh-Hans", Name: "简体中文", MonthLayout: "2006年1月"},
	}
}

// ByCode returns the language whose code is code, and whether there is one.
func ByCode(code string) (Language, bool) {
	for _, l := range All() {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}
