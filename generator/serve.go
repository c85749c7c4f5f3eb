package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/shaps-portal/shaps/generator/cms"
	"github.com/shaps-portal/shaps/generator/settings"
	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/httpapi"
	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/shaps-portal/shaps/site/routes"
)

// serve builds the portal into a private directory, serves it, and rebuilds it whenever data,
// content or the site change. A failed rebuild keeps the last good site online and prints why.
func serve(ctx context.Context, c config, getenv func(string) string, stdout, stderr io.Writer, now func() time.Time) error {
	// The intake's settings first: one that does not parse stops serve before any work.
	intakeCfg, err := setup.Load(func(k string) string {
		if k == settings.ConfigEnv {
			return c.ConfigFile
		}
		return getenv(k)
	}, nil)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	out, err := os.MkdirTemp("", "shaps-serve-")
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer os.RemoveAll(out)
	c.Out = filepath.Join(out, "public")
	// Watch before the first build: a change made while it runs leads to a rebuild.
	w, err := newWatcher([]string{c.Data, c.Content, c.Site})
	if err != nil {
		return fmt.Errorf("serve: watch: %w", err)
	}
	defer w.fs.Close()
	rebuild := func() error {
		return build(ctx, c, getenv, stdout, stderr, c.clock(now))
	}
	if err := rebuild(); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	origin := "http://" + ln.Addr().String()
	requests, reloadIntake, queueInfo, err := intakeHandler(ctx, c, intakeCfg, origin, stderr, now)
	if err != nil {
		ln.Close()
		return fmt.Errorf("serve: %w", err)
	}
	public := publicHosts(c, origin, c.clock(now))
	srv := newHTTPServer(routes.HostGuard(public, portalHandler(newSiteHandler(c.Out, c.cmsOrigin()), requests)), serveLimits())
	fmt.Fprintf(stdout, "serving the portal at %s/ (Ctrl+C to stop); requests go to %s\n", origin, queueInfo)
	if c.CMSAddr != "" {
		stop := startEditing(ctx, c, origin, stdout, stderr)
		defer stop()
	}

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := w.run(ctx, func() {
			if err := rebuild(); err != nil {
				fmt.Fprintf(stderr, "rebuild failed, still serving the previous build: %v\n", err)
				return
			}
			// The form's lists and the search follow the data, as a deploy would.
			if err := reloadIntake(); err != nil {
				fmt.Fprintf(stderr, "the intake keeps the previous data: %v\n", err)
			}
			fmt.Fprintln(stdout, "rebuilt")
		}); err != nil {
			fmt.Fprintf(stderr, "watch: %v\n", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	wg.Wait()
	return err
}

// startEditing runs the editing interface's local backend, decap-server, so that /admin/ edits
// the data folder on this machine; without it /admin/ still opens and says what is missing.
func startEditing(ctx context.Context, c config, origin string, stdout, stderr io.Writer) (stop func()) {
	data, err := filepath.Abs(c.Data)
	if err != nil {
		fmt.Fprintf(stderr, "editing interface: %v\n", err)
		return func() {}
	}
	admin := filepath.Join(c.Site, "admin")
	b, err := cms.StartLocalBackend(ctx, admin, c.CMSAddr, c.CMSMode, filepath.Dir(data), stderr)
	switch {
	case errors.Is(err, cms.ErrNotInstalled):
		fmt.Fprintf(stdout, "editing interface not installed: run npm ci --prefix %s to edit the data at %s/admin/\n", admin, origin)
		return func() {}
	case err != nil:
		fmt.Fprintf(stderr, "editing interface: %v\n", err)
		return func() {}
	}
	where := "writing into " + data
	if c.CMSMode == "git" {
		where = "saving on branches of the git checkout of " + filepath.Dir(data)
	}
	fmt.Fprintf(stdout, "editing interface at %s/admin/, %s (local backend on %s)\n", origin, where, c.CMSAddr)
	return b.Stop
}

// watcher reports changes to files under some folders, including folders created later.
type watcher struct {
	fs *fsnotify.Watcher
}

// newWatcher starts watching dirs at once, so that no change made from now on is missed.
func newWatcher(dirs []string) (*watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	wt := &watcher{fs: w}
	for _, d := range dirs {
		if err := wt.add(d); err != nil {
			w.Close()
			return nil, err
		}
	}
	return wt, nil
}

func (w *watcher) add(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if d.Name() == "node_modules" {
			return filepath.SkipDir // the editing interface's packages, not the site
		}
		return w.fs.Add(path)
	})
}

// run calls changed once things have been quiet for 200 ms after a change, until ctx ends.
func (w *watcher) run(ctx context.Context, changed func()) error {
	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.fs.Events:
			if !ok {
				return nil // closed
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					_ = w.add(ev.Name)
				}
			}
			timer = time.After(200 * time.Millisecond)
		case err, ok := <-w.fs.Errors:
			if !ok {
				return nil
			}
			return err
		case <-timer:
			changed()
		}
	}
}

// newSiteHandler serves a built site with the headers the routes table gives its paths (as
// netlify.toml does), its 404 page and the calendar content type. The directory is read at each
// request, so rebuilds show at once.
func newSiteHandler(dir, cmsOrigin string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		routes.SetSite(w.Header(), r.URL.Path, cmsOrigin)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		clean := filepath.Join(dir, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
		fi, err := os.Stat(clean)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.IsDir() && !exists(filepath.Join(clean, "index.html"))) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			if b, err := os.ReadFile(filepath.Join(dir, "404.html")); err == nil {
				_, _ = w.Write(b)
			}
			return
		}
		files.ServeHTTP(w, r)
	})
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// intakeHandler wires the request form's intake to the configured queue: by default the spool,
// so that the whole portal works locally without any cloud account.
func intakeHandler(ctx context.Context, c config, cfg setup.Config, origin string, stderr io.Writer, now func() time.Time) (http.Handler, func() error, string, error) {
	cfg.AllowedOrigins = append(cfg.AllowedOrigins, origin, strings.Replace(origin, "127.0.0.1", "localhost", 1))
	q, err := setup.OpenQueue(ctx, cfg)
	if err != nil {
		return nil, nil, "", err
	}
	st, err := setup.OpenStatus(ctx, cfg, setup.SecretLocal)
	if err != nil {
		return nil, nil, "", err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	var current atomic.Pointer[httpapi.Handler]
	load := func() error {
		h, err := setup.Handler(cfg, q, st, os.DirFS(c.Data), os.DirFS(c.Site), now, log)
		if err != nil {
			return err
		}
		current.Store(h)
		return nil
	}
	if err := load(); err != nil {
		return nil, nil, "", err
	}
	info := "the spool in " + cfg.SpoolDir
	if cfg.Queue == "sqs" {
		info = "SQS"
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { current.Load().ServeHTTP(w, r) })
	return h, load, info, nil
}

// portalHandler routes as the host does, by the routes table: the intake's paths to the intake,
// those it takes only with some parameters to the intake when they are given, everything else to
// the built site.
func portalHandler(site, requests http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", site)
	for _, rt := range routes.Intake() {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if rt.Takes(r.URL.Query()) {
				requests.ServeHTTP(w, r)
				return
			}
			site.ServeHTTP(w, r)
		})
		for _, p := range rt.Patterns() {
			mux.Handle(p, h)
		}
	}
	return mux
}

// connLimits bound what a connection may hold of the server: its headers, its whole request, an
// answer, and the wait between requests.
type connLimits struct {
	header, read, write, idle time.Duration
}

// serveLimits are serve's: a form of 64 KB comes in well within them over any link.
func serveLimits() connLimits {
	return connLimits{header: 10 * time.Second, read: 20 * time.Second, write: 60 * time.Second, idle: 20 * time.Second}
}

func newHTTPServer(h http.Handler, l connLimits) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: l.header, ReadTimeout: l.read, WriteTimeout: l.write, IdleTimeout: l.idle}
}

// publicHosts are the names the portal is reached by besides the loopback ones: its public
// address (-base-url, or portal.yaml's base_url) and the one serve listens on.
func publicHosts(c config, origin string, today time.Time) []string {
	var hosts []string
	bases := []string{c.BaseURL, origin}
	if cat, err := intake.LoadCatalog(os.DirFS(c.Data), today); err == nil {
		bases = append(bases, cat.Portal.BaseURL)
	}
	for _, b := range bases {
		if u, err := url.Parse(b); err == nil && u.Hostname() != "" {
			hosts = append(hosts, strings.ToLower(u.Hostname()))
		}
	}
	return hosts
}
