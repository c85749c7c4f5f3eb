package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/httpapi"
)

var uidRE = regexp.MustCompile(`(?m)^UID:(\S+)\r$`)

func getCalendar(t *testing.T, url string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func uids(body string) []string {
	var out []string
	for _, m := range uidRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

func TestCalendar(t *testing.T) {
	srv, _ := newServer(t, 0)
	_, rondine := getCalendar(t, srv.URL+"/calendario/?associazioni=la-rondine")
	_, salute := getCalendar(t, srv.URL+"/calendario/?categorie=salute")
	if len(uids(rondine)) == 0 || len(uids(salute)) == 0 {
		t.Fatalf("got %d events for la-rondine and %d for salute, want some of each", len(uids(rondine)), len(uids(salute)))
	}
	union := map[string]bool{}
	for _, u := range append(uids(rondine), uids(salute)...) {
		union[u] = true
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("a%d", i)
	}
	long := "associazioni=" + strings.Join(many, ",")
	tests := []struct {
		name, query string
		status      int
		events      int // -1: not a calendar
		absent      []string
	}{
		{"one association", "associazioni=la-rondine", 200, len(uids(rondine)), nil},
		{"both, each event once", "associazioni=la-rondine&categorie=salute", 200, len(union), nil},
		{"unknown ids ignored", "associazioni=la-rondine,qxq-ignota,%3Cqxq%3E&categorie=salute,../../qxq", 200, len(union), []string{"qxq"}},
		{"repeated parameters and spaces", "associazioni=la-rondine&associazioni=+la-rondine+&categorie=salute", 200, len(union), nil},
		{"nothing known: an empty calendar", "associazioni=%0D%0AX-Evil:1&categorie=", 200, 0, []string{"X-Evil"}},
		{"no parameters", "", 200, 0, nil},
		{"one over the most allowed", "associazioni=" + strings.Join(many[:100], ",") + ",la-rondine", 400, -1, nil},
		{"the most allowed", "associazioni=" + strings.Join(many[:99], ",") + ",la-rondine", 200, len(uids(rondine)), nil},
		{"over the count", long, 400, -1, nil},
		{"over the length", "categorie=" + strings.Repeat("a", 17<<10), 414, -1, nil},
	}
	for _, tt := range tests {
		resp, body := getCalendar(t, srv.URL+"/calendario/?"+tt.query)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: got status %d, want %d", tt.name, resp.StatusCode, tt.status)
			continue
		}
		for _, a := range tt.absent {
			if strings.Contains(body, a) {
				t.Errorf("%s: the answer echoes %q", tt.name, a)
			}
		}
		if tt.events < 0 {
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("%s: got Content-Type %q, want text/plain", tt.name, ct)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%s: got Cache-Control %q, want no-store", tt.name, cc)
			}
			continue
		}
		got := uids(body)
		if len(got) != tt.events {
			t.Errorf("%s: got %d events, want %d", tt.name, len(got), tt.events)
		}
		for _, u := range got {
			if tt.events == len(union) && !union[u] {
				t.Errorf("%s: got event %s, in neither portal feed", tt.name, u)
			}
		}
		if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") || !strings.Contains(body, "X-WR-CALNAME:Eventi che seguo – ") {
			t.Errorf("%s: not the followed events' calendar:\n%.300s", tt.name, body)
		}
		for k, want := range map[string]string{
			"Content-Type":            "text/calendar; charset=utf-8",
			"Cache-Control":           "public, max-age=3600",
			"Content-Security-Policy": "default-src 'self'",
			"X-Content-Type-Options":  "nosniff",
		} {
			if got := resp.Header.Get(k); !strings.HasPrefix(got, want) {
				t.Errorf("%s: got %s %q, want %q", tt.name, k, got, want)
			}
		}
		if resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: sets a cookie", tt.name)
		}
	}
}

// The same address gives the same calendar, and a client that has it is told so.
func TestCalendarIsCacheable(t *testing.T) {
	srv, _ := newServer(t, 0)
	url := srv.URL + "/calendario/?associazioni=la-rondine&categorie=salute"
	first, a := getCalendar(t, url)
	_, b := getCalendar(t, url)
	if a != b {
		t.Fatal("two answers to the same address differ")
	}
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	again, body := getCalendar(t, url, "If-None-Match", etag)
	if again.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("with If-None-Match: got %d and %d bytes, want 304 and none", again.StatusCode, len(body))
	}
	other, _ := getCalendar(t, srv.URL+"/calendario/?associazioni=la-rondine", "If-None-Match", etag)
	if other.StatusCode != http.StatusOK {
		t.Errorf("another selection with the first's ETag: got %d, want 200", other.StatusCode)
	}
	resp, _ := getCalendar(t, srv.URL+"/calendario/?associazioni=la-rondine")
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/calendario/", nil)
	post, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	if post.StatusCode != http.StatusMethodNotAllowed || resp.StatusCode != http.StatusOK {
		t.Errorf("POST: got %d, want 405", post.StatusCode)
	}
}

// Nothing of what a calendar's address names reaches the log.
func TestCalendarLogsNothing(t *testing.T) {
	catalog, err := intake.LoadCatalog(os.DirFS("../../data"), now)
	if err != nil {
		t.Fatal(err)
	}
	pages := httpapi.NewPages(catalog, os.DirFS("../../site"))
	if err := pages.Check(); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	in := &intake.Intake{Directory: catalog, CodePrefix: "VG", Now: func() time.Time { return now }}
	h := httpapi.New(in, pages, httpapi.Options{Now: func() time.Time { return now }, Calendar: catalog.Data,
		Log: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	for _, q := range []string{"associazioni=la-rondine&categorie=salute", "associazioni=" + strings.Repeat("x", 20<<10)} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/calendario/?"+q, nil))
		if rec.Code == http.StatusNotFound {
			t.Fatalf("%.40s: got 404, want the calendar's answer", q)
		}
	}
	for _, s := range []string{"la-rondine", "salute", "xxxx", "associazioni"} {
		if strings.Contains(log.String(), s) {
			t.Errorf("the log holds %q:\n%s", s, log.String())
		}
	}
}
