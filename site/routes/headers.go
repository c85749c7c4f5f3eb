package routes

import (
	"net/http"
	"strings"
)

// Policy is the Content-Security-Policy of every page but the editing interface's and the
// widgets': the portal's own scripts, styles and images only, frames of the portal's own pages
// only (the widgets' previews), never framed by anyone, no plugins.
const Policy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// Widgets is where the widgets live: the only pages of the portal that other sites may frame.
const Widgets = "/widget/"

// WidgetAncestors are the sites that may frame the widgets, as a frame-ancestors source list:
// any site, since the associations' own sites are the point. A Comune that wants to name them
// writes them here instead, e.g. "'self' https://www.example.org https://*.example.net".
const WidgetAncestors = "*"

// WidgetPolicy is the policy of the widgets: their own stylesheet and nothing else, no script,
// no form, framed by ancestors. Browsers ignore X-Frame-Options when a policy has
// frame-ancestors, so the DENY every answer carries stays for those that know only that header.
func WidgetPolicy(ancestors string) string {
	return "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors " + ancestors + "; base-uri 'none'"
}

// Security are the headers every answer of the portal carries, the static site's and the
// intake's alike.
func Security() []Header {
	return []Header{
		{"Content-Security-Policy", Policy},
		{"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
		{"X-Content-Type-Options", "nosniff"},
		{"Referrer-Policy", "strict-origin-when-cross-origin"},
		{"Permissions-Policy", "geolocation=(), camera=(), microphone=(), interest-cohort=()"},
		{"X-Frame-Options", "DENY"},
	}
}

// EditingPolicy is the policy of the editing interface at /admin/. The interface is a JavaScript
// application that styles itself at run time and talks to the git host's API (and, on an
// editor's machine, to the local backend at localBackend, an origin like http://127.0.0.1:8081),
// so it needs more than the portal's pages, and only there.
func EditingPolicy(localBackend string) string {
	connect := "'self' blob: https://api.github.com"
	if localBackend != "" {
		connect += " " + localBackend
	}
	return "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data: blob: https://avatars.githubusercontent.com; connect-src " + connect + "; " +
		"worker-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
}

// HeaderRule gives headers to the static site's paths that match For: a path, with at most one
// "*" standing for any characters.
type HeaderRule struct {
	For     string
	Comment string // why, for netlify.toml's reader
	Headers []Header
}

// Site lists the static site's header rules, in order: a later rule's header replaces the same
// header of an earlier one. localBackend is the editing interface's local backend, on an
// editor's machine; empty on the host.
func Site(localBackend string) []HeaderRule {
	return []HeaderRule{
		{For: "/*.ics", Comment: "iCal feeds: calendar apps want the calendar media type, and a few hours of caching.",
			Headers: []Header{{"Content-Type", "text/calendar; charset=utf-8"}, {"Cache-Control", "public, max-age=3600"}}},
		{For: "/*.atom", Comment: "Atom feeds of the upcoming events: news readers want the Atom media type.",
			Headers: []Header{{"Content-Type", "application/atom+xml; charset=utf-8"}, {"Cache-Control", "public, max-age=3600"}}},
		{For: "/*", Headers: Security()},
		{For: Widgets + "*", Comment: "The widgets, made to be framed by the associations' own sites: the only pages other sites may\n" +
			"frame (every other page keeps frame-ancestors 'none').",
			Headers: []Header{{"Content-Security-Policy", WidgetPolicy(WidgetAncestors)}}},
		{For: "/admin/*", Comment: "The editing interface at /admin/ is a JavaScript application that styles itself at run time and\n" +
			"talks to the git host's API: it gets its own, wider policy (a later rule overrides the same\n" +
			"header of an earlier one), the same as `serve` gives it.",
			Headers: []Header{{"Content-Security-Policy", EditingPolicy(localBackend)}, {"Cache-Control", "no-cache"}}},
	}
}

// Matches reports whether the rule applies to path.
func (hr HeaderRule) Matches(path string) bool {
	prefix, suffix, star := strings.Cut(hr.For, "*")
	if !star {
		return path == hr.For
	}
	return len(path) >= len(prefix)+len(suffix) && strings.HasPrefix(path, prefix) && strings.HasSuffix(path, suffix)
}

// SetSite sets on h the headers the static site's rules give path.
func SetSite(h http.Header, path, localBackend string) {
	for _, hr := range Site(localBackend) {
		if hr.Matches(path) {
			set(h, hr.Headers)
		}
	}
}

// SetIntake sets on h the headers of the intake's answer at path: Security's, no caching, since
// each answer is made for one request and may hold what it was sent, then the route's. The host's
// header rules do not reach a function, so it sets them itself.
func SetIntake(h http.Header, path string) {
	set(h, Security())
	h.Set("Cache-Control", "no-store")
	if rt, ok := Match(path); ok {
		set(h, rt.Headers)
	}
}

func set(h http.Header, hs []Header) {
	for _, x := range hs {
		h.Set(x.Name, x.Value)
	}
}
