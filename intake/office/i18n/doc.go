// Package i18n holds every text the office's tools show or send — the web pages, their labels and
// messages, the e-mails to associations and citizens — in one message file per language
// (it.yaml), so that another language is a file, not a code change.
package i18n
