package catalog

import (
	"reflect"
	"strings"

	"github.com/shaps-portal/shaps/site/languages"
)

// Text is one text of the data as a page in some language shows it.
type Text struct {
	Text string `json:"text"`
	// Lang is the code of the language Text is written in: the page's when translated, Italian
	// when the text has no translation in the page's language.
	Lang string `json:"lang"`
	// Tag is Lang's BCP 47 tag, for the lang attribute of the element that holds Text.
	Tag string `json:"tag"`
	// Machine is true when a program made the translation and no person has reviewed it yet.
	Machine bool `json:"machine,omitempty"`
	// Italian is true when the page is in another language and Text is the Italian original.
	Italian bool `json:"italian,omitempty"`
}

// Localize returns, for the language lang, every text of item (an *Association, a *Service, an
// *Event or a Term) that the schema says translates, by field name: the translation people made
// or reviewed, else the one a program made, else the Italian original. Fields empty in Italian
// are left out, as pages do not show them.
func Localize(s Schema, item any, lang string) map[string]Text {
	return LocalizeAll(s, item, []string{lang})[lang]
}

// LocalizeAll is Localize for each of langs, by language code, reading item once.
func LocalizeAll(s Schema, item any, langs []string) map[string]map[string]Text {
	italian, human, machine := texts(item)
	fields := s.TranslatableFields()
	out := make(map[string]map[string]Text, len(langs))
	for _, lang := range langs {
		texts := make(map[string]Text, len(fields))
		tag := languages.Default
		if l, ok := languages.ByCode(lang); ok {
			tag = l.Tag
		}
		for _, field := range fields {
			orig := italian[field]
			if strings.TrimSpace(orig) == "" {
				continue
			}
			t := Text{Text: orig, Lang: languages.Default, Tag: languages.Default, Italian: lang != languages.Default}
			if lang != languages.Default {
				if h := human[lang][field]; h != "" {
					t = Text{Text: h, Lang: lang, Tag: tag}
				} else if m := machine[lang][field]; m != "" {
					t = Text{Text: m, Lang: lang, Tag: tag, Machine: true}
				}
			}
			texts[field] = t
		}
		out[lang] = texts
	}
	return out
}

// texts reads an item's Italian text fields, by their names in the data, and its translations.
func texts(item any) (italian map[string]string, human, machine map[string]Translation) {
	v := reflect.Indirect(reflect.ValueOf(item))
	italian = map[string]string{}
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		switch f := v.Field(i); {
		case name == TranslationsKey:
			human = f.Interface().(map[string]Translation)
		case name == MachineTranslationsKey:
			machine = f.Interface().(map[string]Translation)
		case f.Kind() == reflect.String && name != "":
			italian[name] = f.String()
		}
	}
	return italian, human, machine
}

// checkTranslations warns of a translation whose Italian field is empty: pages show a field only
// when it has its Italian text, the reference.
func checkTranslations(c *fileCheck, item any) {
	italian, human, machine := texts(item)
	for _, group := range []struct {
		key   string
		langs map[string]Translation
	}{{TranslationsKey, human}, {MachineTranslationsKey, machine}} {
		for lang, t := range group.langs {
			for field, text := range t {
				if _, known := italian[field]; known && strings.TrimSpace(italian[field]) == "" && strings.TrimSpace(text) != "" {
					path := group.key + "." + lang + "." + field
					c.warn(c.at(path), path, "manca il testo italiano di %s, il riferimento: il portale non mostra la traduzione finché non c'è; scrivere %s", field, field)
				}
			}
		}
	}
}
