package routes

import (
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/shaps-portal/shaps/site/languages"
)

// Function is the serverless function that answers the intake's routes; FunctionPath is its
// address on Netlify.
const (
	Function     = "requests"
	FunctionPath = "/.netlify/functions/" + Function
)

// The intake's paths, as the portal links them.
const (
	Submit = "/api/requests" // POST: a request or a report
	// POST: how clear a page was (stars, the follow-up choice, a short text), from the form at
	// the foot of the service cards and of the first-level pages
	Feedback = "/api/valutazioni"
	Thanks   = "/richieste/inviata/"  // GET ?codice=: the thanks page with the request's code
	Form     = "/richieste/"          // GET with a parameter that fills it in: the request form
	Search   = "/cerca/"              // GET ?q=: the search
	Status   = "/richieste/stato/"    // GET ?codice=&chiave=: a request's status; without them, the form to ask it
	Answer   = "/richieste/risposta/" // GET: an association's answer link, to confirm; POST: the answer
	// GET ?associazioni=&categorie=: one calendar of the events of what a citizen follows
	Calendar = "/calendario/"
)

// Route is a path of the portal that the intake answers instead of the static site.
type Route struct {
	Path string
	// Base is the route's path in the reference language, Italian, which names the page: the
	// same as Path for the Italian routes.
	Base string
	// Lang is the code of the language of the route's pages; empty for the routes that are in no
	// language of their own (the submission, which says its language in the form, the
	// associations' answers, the calendar).
	Lang string
	// Below makes the route the path and every path under it, and the path without its final
	// slash; otherwise it is the path alone.
	Below bool
	// Query, when set, limits the route to requests that give one of these parameters a value;
	// the others get the static page at the same path.
	Query []string
	// Alias is the route's name under the function's address (FunctionPath/<Alias>), where the
	// host's rewrite may send it; the routes with an empty alias share the function's own address
	// and are told apart by their methods.
	Alias   string
	Methods []string
	// Headers are what the intake's answers on this route carry besides Security and no-store.
	Headers []Header
	// inLanguages makes the route a page in every language of the portal.
	inLanguages bool
}

// Header is a header's name and value.
type Header struct{ Name, Value string }

// Intake lists the intake's routes: the Italian ones, then the pages that are in every language
// again under each other language's prefix (/en/richieste/stato/), with an alias of their own
// ("stato-en") so that the language reaches the function through any rewrite.
func Intake() []Route {
	var out []Route
	for _, rt := range italian() {
		rt.Base = rt.Path
		if rt.inLanguages {
			rt.Lang = languages.Default
		}
		out = append(out, rt)
	}
	for _, l := range languages.All() {
		if l.Code == languages.Default {
			continue
		}
		for _, rt := range italian() {
			if !rt.inLanguages {
				continue
			}
			alias := rt.Alias
			if alias == "" {
				alias = path.Base(rt.Path)
			}
			rt.Base, rt.Path, rt.Lang, rt.Alias = rt.Path, InLanguage(l.Code, rt.Path), l.Code, alias+"-"+l.Code
			out = append(out, rt)
		}
	}
	return out
}

// InLanguage is the address of the intake's page at p (one of the Italian paths above) in the
// language whose code is lang: under the language's prefix, as every page of the portal. For
// Italian, and for a code the portal does not have, it is p itself.
func InLanguage(lang, p string) string {
	l, ok := languages.ByCode(lang)
	if !ok {
		return p
	}
	return strings.TrimSuffix(l.Home(), "/") + p
}

// italian lists the intake's routes in the reference language.
func italian() []Route {
	return []Route{
		{Path: Submit, Methods: []string{http.MethodPost}},
		// The thanks page's address holds the request's key: it is sent to no other site.
		{Path: Thanks, Below: true, Methods: []string{http.MethodGet, http.MethodHead}, inLanguages: true,
			Headers: []Header{{"Referrer-Policy", "no-referrer"}}},
		// A request's status, for whoever holds its code and key: they are in the address, so it
		// is sent to no other site, and the answer is never kept by a cache (no-store, as every
		// answer of the intake).
		{Path: Status, Below: true, Alias: "stato", Methods: []string{http.MethodGet, http.MethodHead}, inLanguages: true,
			Headers: []Header{{"Referrer-Policy", "no-referrer"}}},
		// An association's answer: the link in its e-mail only shows what it would answer (mail
		// scanners open links); the page's button posts the answer. The link is signed and sent
		// to no other site.
		{Path: Answer, Below: true, Alias: "risposta", Methods: []string{http.MethodGet, http.MethodHead, http.MethodPost},
			Headers: []Header{{"Referrer-Policy", "no-referrer"}}},
		// The portal's own page is the same form, empty, filled in by a script from the address;
		// the intake renders it filled in for a browser without one.
		{Path: Form, Query: []string{"servizio", "associazione", "categoria", "tipo"}, Alias: "modulo",
			Methods: []string{http.MethodGet, http.MethodHead}, inLanguages: true},
		// A static site cannot search without JavaScript. What people look for can say much
		// about them: the results send no referrer.
		{Path: Search, Below: true, Alias: "cerca", Methods: []string{http.MethodGet, http.MethodHead}, inLanguages: true,
			Headers: []Header{{"Referrer-Policy", "no-referrer"}}},
		// The same address gives everyone the same calendar, which holds nothing personal: calendar
		// apps and caches may keep it as they keep the portal's feeds.
		{Path: Calendar, Alias: "calendario", Methods: []string{http.MethodGet, http.MethodHead},
			Headers: []Header{{"Content-Type", "text/calendar; charset=utf-8"}, {"Cache-Control", "public, max-age=3600"}, {"Referrer-Policy", "no-referrer"}}},
		// A page's rating is anonymous: the answer, a thanks with a link back to the page, sends
		// no referrer, and no cache keeps it.
		{Path: Feedback, Alias: "valutazione", Methods: []string{http.MethodPost},
			Headers: []Header{{"Referrer-Policy", "no-referrer"}}},
	}
}

// Patterns are the route's patterns for an http.ServeMux.
func (rt Route) Patterns() []string {
	switch {
	case rt.Below && strings.HasSuffix(rt.Path, "/"):
		return []string{rt.Path, strings.TrimSuffix(rt.Path, "/")}
	case strings.HasSuffix(rt.Path, "/"):
		return []string{rt.Path + "{$}"}
	}
	return []string{rt.Path}
}

// Takes reports whether a request at the route's path is the intake's: always, unless the route
// is limited to some parameters and q gives none of them a value.
func (rt Route) Takes(q url.Values) bool {
	if len(rt.Query) == 0 {
		return true
	}
	for _, p := range rt.Query {
		if q.Get(p) != "" {
			return true
		}
	}
	return false
}

// Match returns the route that path belongs to.
func Match(path string) (Route, bool) {
	for _, rt := range Intake() {
		if path == rt.Path || (rt.Below && (strings.HasPrefix(path, rt.Path) || path == strings.TrimSuffix(rt.Path, "/"))) {
			return rt, true
		}
	}
	return Route{}, false
}

// FunctionTarget is where the host's rewrite sends the route: the function's address, followed
// by the alias when the route has one.
func (rt Route) FunctionTarget() string {
	if rt.Alias == "" {
		return FunctionPath
	}
	return FunctionPath + "/" + rt.Alias
}

// Resolve is the intake's path for a request that reached the function at path: a path of the
// portal is kept as it is, and an address under the function's (which is what some hosts hand
// over after a rewrite) is named by its alias, or, without one, by its method.
func Resolve(method, path string) string {
	if _, ok := Match(path); ok {
		return path
	}
	alias := ""
	if p := strings.TrimSuffix(path, "/"); p != FunctionPath {
		alias = p[strings.LastIndexByte(p, '/')+1:]
	}
	var byMethod string
	for _, rt := range Intake() {
		if alias != "" && rt.Alias == alias {
			return rt.Path
		}
		if rt.Alias == "" && byMethod == "" && contains(rt.Methods, method) {
			byMethod = rt.Path
		}
	}
	if byMethod == "" {
		return Submit // any other method: the submission, which says which it allows
	}
	return byMethod
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
