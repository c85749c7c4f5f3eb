// Package web is the administrator's web interface, in Italian and without JavaScript: the list
// of cases with filters, a case page to route, close and reopen it, and the statistics. Every page
// needs a login; every form carries a CSRF token; the citizen's text is escaped everywhere.
package web
