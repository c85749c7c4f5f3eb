package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/shaps-portal/shaps/site/routes"
)

// TestRoute: the function hands the intake the route the host's rewrite meant, from the
// function's own address as from the portal's paths.
func TestRoute(t *testing.T) {
	var got string
	h := route(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.URL.Path }))
	for _, rt := range routes.Intake() {
		for _, path := range []string{rt.Path, rt.FunctionTarget()} {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(rt.Methods[0], path, nil))
			if got != rt.Path {
				t.Errorf("%s %s: the intake got %q, want %q", rt.Methods[0], path, got, rt.Path)
			}
		}
	}
}
