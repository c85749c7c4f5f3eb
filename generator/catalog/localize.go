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
	v := reflect.Indirect(reflect.ValueOf(item))
	italian := map[string]string{}
	var human, machine map[string]Translation
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
	tag := func(code string) string {
		l, _ := languages.ByCode(code)
		return l.Tag
	}
	out := map[string]Text{}
	for _, field := range s.TranslatableFields() {
		orig := italian[field]
		if strings.TrimSpace(orig) == "" {
			continue
		}
		t := Text{Text: orig, Lang: languages.Default, Tag: tag(languages.Default), Italian: lang != languages.Default}
		if lang != languages.Default {
			if h := human[lang][field]; h != "" {
				t = Text{Text: h, Lang: lang, Tag: tag(lang)}
			} else if m := machine[lang][field]; m != "" {
				t = Text{Text: m, Lang: lang, Tag: tag(lang), Machine: true}
			}
		}
		out[field] = t
	}
	return out
}
