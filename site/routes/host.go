package routes

import (
	"net"
	"net/http"
	"slices"
	"strings"
)

// HostGuard answers 421 to a request whose Host is none of names: a page on another site whose
// name has been made to point at this machine (DNS rebinding) must not read what a server on a
// developer's or the office's machine holds. Loopback names and addresses written as numbers,
// which cannot be rebound, are let through.
func HostGuard(names []string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !AllowedHost(r.Host, names) {
			http.Error(w, "unknown host: open this server at one of its addresses", http.StatusMisdirectedRequest)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// AllowedHost reports whether a request's Host header (with or without a port) is one of names,
// a loopback name or an address written as numbers. Names compare without case or a final dot.
func AllowedHost(hostport string, names []string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	switch {
	case host == "": // HTTP/1.0 without a Host: no name to rebind
		return true
	case net.ParseIP(host) != nil:
		return true
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return true
	}
	return slices.ContainsFunc(names, func(n string) bool {
		return strings.TrimSuffix(strings.ToLower(n), ".") == host
	})
}
