package routes_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/shaps-portal/shaps/site/routes"
)

func TestAllowedHost(t *testing.T) {
	public := []string{"shaps.comune.voghera.pv.it"}
	for host, want := range map[string]bool{
		"127.0.0.1:1313": true, "localhost:1313": true, "LOCALHOST": true, "portale.localhost:1313": true, "[::1]:1313": true,
		"192.168.1.20:1313": true, "shaps.comune.voghera.pv.it": true, "Shaps.Comune.Voghera.PV.it.": true, "": true,
		"attacker.example:1313": false, "attacker.example": false, "127.0.0.1.nip.io:1313": false, "localhost.attacker.example": false,
		"shaps.comune.voghera.pv.it.attacker.example": false,
	} {
		if got := routes.AllowedHost(host, public); got != want {
			t.Errorf("AllowedHost(%q): got %v, want %v", host, got, want)
		}
	}
}

func TestHostGuard(t *testing.T) {
	h := routes.HostGuard([]string{"ufficio.comune.example"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for host, want := range map[string]int{"ufficio.comune.example:8765": 200, "127.0.0.1:8765": 200, "attacker.example": 421} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Host %s: got %d, want %d", host, w.Code, want)
		}
	}
}
