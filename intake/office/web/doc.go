// Package web is the administrator's web interface, without JavaScript and with its texts from
// the message files of package i18n: the list of cases with filters and the pull button, a case
// page to route, close and reopen it, the statistics with the anonymous export, and the purge.
// Every page needs a login; every form carries a CSRF token; the citizen's text is escaped
// everywhere.
package web
