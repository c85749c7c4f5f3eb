package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/cms"
	"go.yaml.in/yaml/v3"
)

// lockedBuffer collects a running command's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestEditingInterfaceCreatesAnEvent opens /admin/ in Chromium against serve and its local
// backend (decap-server) on a copy of the demo data, creates an event for an association through
// the form, and checks that the form refuses an invalid start with the validator's message, that
// the new file lands where the data contract says, that validate accepts it, and that the portal
// rebuilds with its page.
func TestEditingInterfaceCreatesAnEvent(t *testing.T) {
	node, modules := editingTools(t)
	repo := t.TempDir()
	data := filepath.Join(repo, "data")
	copyTree(t, "../data", data)
	base, logs := serveEditing(t, data, "fs")

	logo := filepath.Join(t.TempDir(), "nuovo-logo.png")
	if err := os.WriteFile(logo, tinyPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runEditor(t, node, modules, base, logs, "SHAPS_COLLECTION="+cms.EventsCollection("la-rondine"),
		"SHAPS_ASSOCIATION=la-rondine", "SHAPS_LOGO="+logo)

	// The invalid start: the form's message is the validator's, for the same value.
	rule, _ := catalog.TypeRule(catalog.TypeMoment)
	if len(r.Refused) != 1 || !strings.Contains(r.Refused[0], rule.Message) {
		t.Errorf("form errors for start %q: got %q, want one holding the validator's message %q", "domani alle 15", r.Refused, rule.Message)
	}
	bad := writeData(t, map[string]string{"associations/alfa/events/incontro.yaml": "title: Merenda\nstart: domani alle 15\n"})
	var vout bytes.Buffer
	if err := run(context.Background(), []string{"validate", "-data", bad}, noEnv, &vout, &vout, testNow); err == nil ||
		!strings.Contains(vout.String(), "start: "+rule.Message+` (trovato "domani alle 15")`) {
		t.Errorf("validate of the same start: got %v\n%s\nwant the form's message", err, vout.String())
	}

	// The saved event: where the data contract says, as typed, and valid.
	const slug = "merenda-di-natale-e-servita"
	if !strings.HasSuffix(r.SavedURL, "/entries/"+slug) {
		t.Errorf("saved at %s, want the entry %s", r.SavedURL, slug)
	}
	file := filepath.Join(data, "associations", "la-rondine", "events", slug+".yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the new event's file: %v", err)
	}
	var ev map[string]any
	if err := yaml.Unmarshal(b, &ev); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	want := map[string]any{"title": "Merenda di Natale è servita", "start": "2026-12-12T15:30", "end": "2026-12-12T18:00",
		"categories": []any{"salute"}, "status": "scheduled"}
	for k, v := range want {
		if got, _ := json.Marshal(ev[k]); string(got) != mustJSON(v) {
			t.Errorf("%s: %s is %s, want %s", file, k, got, mustJSON(v))
		}
	}
	if len(ev) != len(want) {
		t.Errorf("%s holds %v, want only the fields filled in: %v", file, ev, want)
	}
	// The uploaded logo: in the association's folder, named in its profile.
	uploaded, err := os.ReadFile(filepath.Join(data, "associations", "la-rondine", "nuovo-logo.png"))
	if want, _ := os.ReadFile(logo); err != nil || !bytes.Equal(uploaded, want) {
		t.Errorf("uploaded logo in the association's folder: %v, %d bytes; want the %d bytes sent", err, len(uploaded), len(want))
	}
	if profile := readFile(t, filepath.Join(data, "associations", "la-rondine", "association.yaml")); !strings.Contains(profile, "\nlogo: nuovo-logo.png\n") {
		t.Errorf("association.yaml after the upload:\n%s\nwant logo: nuovo-logo.png", profile)
	}
	vout.Reset()
	if err := run(context.Background(), []string{"validate", "-data", data}, noEnv, &vout, &vout, testNow); err != nil {
		t.Errorf("validate after the edits: %v\n%s", err, vout.String())
	}

	// serve rebuilds on the change: the event has its page.
	page := base + "/eventi/la-rondine/" + slug + "/"
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(page)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: no page after the edit\n%s", page, logs.String())
		}
	}
}

// tinyPNG is a 4×4 red PNG.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{200, 0, 0, 255}}, image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// editorReport is what testdata/cms.mjs saw.
type editorReport struct {
	ConsoleErrors []string `json:"consoleErrors"`
	Refused       []string `json:"refused"`
	SavedURL      string   `json:"savedURL"`
	Title         string   `json:"title"`
}

// serveEditing runs serve on data, with the editing interface's local backend in mode, both on
// free loopback ports, until the test ends.
func serveEditing(t *testing.T, data, mode string) (string, *lockedBuffer) {
	t.Helper()
	addr, cmsAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	logs := &lockedBuffer{}
	env := map[string]string{"SHAPS_SPOOL_DIR": t.TempDir(), "SHAPS_QUEUE": "spool", "SHAPS_STATUS_DIR": t.TempDir(), "SHAPS_SIGNING_KEY": testSigningKey}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", addr, "-cms-addr", cmsAddr, "-cms-mode", mode, "-data", data,
			"-content", "../content", "-site", "../site", "-today", "2026-11-25"}, func(k string) string { return env[k] }, logs, logs, testNow)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(logs.String(), "editing interface at"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start the editing interface:\n%s", logs.String())
		}
	}
	base := "http://" + addr
	resp, err := http.Get(base + "/admin/config.yml")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/config.yml: %s", resp.Status)
	}
	return base, logs
}

// editingTools returns node and the test tools, or skips (fails under CI) without them or
// without the editing interface installed.
func editingTools(t *testing.T) (node, modules string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the editing interface in a browser")
	}
	node = lookPath(t, "node")
	lookPath(t, "chromium")
	modules = npmTools(t, "playwright-core")
	admin := filepath.Join("..", "site", "admin")
	for _, f := range []string{filepath.Join(cms.DistDir(admin), "decap-cms.js"), cms.ServerScript(admin)} {
		if _, err := os.Stat(f); err != nil {
			skipOrFail(t, f+" (npm ci --prefix site/admin)")
		}
	}
	return node, modules
}

// runEditor runs testdata/cms.mjs against the interface at base and checks what holds for
// every run: the page's title, and nothing refused by its Content-Security-Policy.
func runEditor(t *testing.T, node, modules, base string, logs *lockedBuffer, env ...string) editorReport {
	t.Helper()
	cmd := exec.Command(node, "testdata/cms.mjs")
	cmd.Env = append(append(os.Environ(), "SHAPS_BASE="+base, "SHAPS_NODE_MODULES="+modules), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("browser: %v\n%s\nserve:\n%s", err, stderr.String(), logs.String())
	}
	var r editorReport
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("browser output: %v\n%s", err, out)
	}
	if !strings.HasPrefix(r.Title, "Redazione") {
		t.Errorf("admin page title %q, want it to start with Redazione", r.Title)
	}
	for _, e := range r.ConsoleErrors {
		if strings.Contains(e, "Content Security Policy") || strings.Contains(e, "Refused to") {
			t.Errorf("the editing interface's CSP refuses something it needs: %s", e)
		} else {
			t.Logf("console error in the editing interface: %s", e)
		}
	}
	return r
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestEditorialWorkflowSavesOnABranch runs the local backend as the git host works: in a git
// checkout, saving a new event through the form keeps it as a draft on a branch of its own
// (what becomes a pull request on the git host), and the main branch does not change.
func TestEditorialWorkflowSavesOnABranch(t *testing.T) {
	node, modules := editingTools(t)
	gitBin := lookPath(t, "git")
	repo := t.TempDir()
	data := filepath.Join(repo, "data")
	copyTree(t, "../data", data)
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitBin, append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Redazione", "GIT_AUTHOR_EMAIL=redazione@example.org",
			"GIT_COMMITTER_NAME=Redazione", "GIT_COMMITTER_EMAIL=redazione@example.org")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "main")
	git("config", "user.name", "Redazione")
	git("config", "user.email", "redazione@example.org")
	git("add", "-A")
	git("commit", "-q", "-m", "dati")
	mainBefore := git("rev-parse", "main")

	base, logs := serveEditing(t, data, "git")
	r := runEditor(t, node, modules, base, logs, "SHAPS_TASK=draft", "SHAPS_COLLECTION="+cms.EventsCollection("la-rondine"))

	const slug = "tombola-di-santo-stefano"
	branch := "cms/" + cms.EventsCollection("la-rondine") + "/" + slug
	if !strings.HasSuffix(r.SavedURL, "/entries/"+slug) {
		t.Errorf("saved at %s, want the entry %s", r.SavedURL, slug)
	}
	if got := git("branch", "--list", "cms/*", "--format=%(refname:short)"); got != branch {
		t.Fatalf("branches after saving: %q, want the draft's own %q", got, branch)
	}
	if got := git("config", "branch."+branch+".description"); got != "decap-cms/draft" {
		t.Errorf("the branch's workflow status: %q, want decap-cms/draft", got)
	}
	file := "data/associations/la-rondine/events/" + slug + ".yaml"
	if got := git("diff", "--name-status", "main", branch); got != "A\t"+file {
		t.Errorf("the branch adds %q, want only A %s", got, file)
	}
	if got := git("rev-parse", "main"); got != mainBefore {
		t.Errorf("main moved from %s to %s; want it untouched until the draft is published", mainBefore, got)
	}
	if _, err := os.Stat(filepath.Join(repo, filepath.FromSlash(file))); !os.IsNotExist(err) {
		t.Errorf("%s is in the main checkout (%v); want it on the draft's branch only", file, err)
	}

	// The draft, checked out on its own, is valid data.
	wt := filepath.Join(t.TempDir(), "draft")
	git("worktree", "add", "-q", wt, branch)
	var vout bytes.Buffer
	if err := run(context.Background(), []string{"validate", "-data", filepath.Join(wt, "data")}, noEnv, &vout, &vout, testNow); err != nil {
		t.Errorf("validate on the draft's branch: %v\n%s", err, vout.String())
	}
	var ev map[string]any
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(wt, filepath.FromSlash(file)))), &ev); err != nil {
		t.Fatal(err)
	}
	if ev["title"] != "Tombola di Santo Stefano" || ev["start"] != "2026-12-26T16:00" {
		t.Errorf("the draft holds %v, want the title and start typed", ev)
	}
}
