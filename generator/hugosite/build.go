package hugosite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/site"
)

// Options configure one build of the portal.
type Options struct {
	Layout
	Out     string    // the output directory, replaced whole only when the build succeeds
	BaseURL string    // overrides portal.yaml's base_url when set
	Now     time.Time // decides what is upcoming and what is past
	Log     io.Writer // Hugo's own messages
	// Publish, when set, writes files into dir that are added to the site (the iCal feeds). It
	// runs while Hugo renders, beside the static files and the frame's; they all replace Hugo's
	// files of the same name.
	Publish func(dir string) error
}

// Build renders the catalog into opts.Out. It renders into a sibling directory first and swaps it
// in at the end, so that a failed build leaves the previous site untouched and readers of
// opts.Out always find a whole site, the previous or the new one. Builds into one folder run one
// at a time; each first removes what a killed build left beside it.
func Build(ctx context.Context, cat *catalog.Catalog, opts Options) error {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	baseURL := opts.BaseURL
	if baseURL == "" {
		baseURL = cat.Portal.BaseURL
	}
	fonts, err := writeKit(opts.SiteDir, opts.Log)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	frame, err := site.NewFrame(os.DirFS(opts.SiteDir), cat.Portal)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	out, err := filepath.Abs(opts.Out)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	unlock, err := lockOutput(ctx, out)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	defer unlock()
	if err := removeLeftovers(out); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	// Everything temporary lives in one sibling folder, so that a killed build leaves one thing
	// behind, which the next build removes.
	tmp, err := os.MkdirTemp(filepath.Dir(out), tempPrefix(out))
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	defer os.RemoveAll(tmp)
	work, staging, extras := filepath.Join(tmp, "work"), filepath.Join(tmp, "site"), filepath.Join(tmp, "extras")
	if err := mkdirs(work, staging, extras); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := prepare(work, cat, frame, opts.Now); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	// What is published beside Hugo's pages is written into a folder of its own while Hugo
	// renders, then moved over Hugo's output.
	added := make(chan error, 1)
	go func() {
		added <- publishBeside(extras, frame, fonts, cat.Portal, opts)
	}()
	err = render(ctx, opts.Layout, work, staging, baseURL, opts.Log)
	if addErr := <-added; err == nil {
		err = addErr
	}
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := moveOver(extras, staging); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	return swap(staging, out)
}

// prepare writes the data file and the logos that Hugo reads.
func prepare(work string, cat *catalog.Catalog, frame site.Frame, now time.Time) error {
	if err := mkdirs(filepath.Join(work, "data"), filepath.Join(work, "assets", "loghi")); err != nil {
		return err
	}
	v := newView(cat, frame, now)
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode site data: %w", err)
	}
	if err := os.WriteFile(filepath.Join(work, "data", "shaps.json"), b, 0o644); err != nil {
		return err
	}
	for _, a := range cat.Associations {
		if a.LogoPath == "" {
			continue
		}
		b, err := os.ReadFile(a.LogoPath)
		if err != nil {
			return fmt.Errorf("read logo: %w", err)
		}
		if err := os.WriteFile(filepath.Join(work, "assets", logoAsset(a)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// writeKit cuts the UI kit from the npm packages into the site's sources (site.KitPath), where the
// frame of the portal and of the intake, built after it, find it, and returns the fonts the
// stylesheet declares. Without the packages the portal is built with the site's own rules only.
func writeKit(siteDir string, log io.Writer) (map[string][]byte, error) {
	kit, err := site.NewKit(os.DirFS(siteDir))
	if errors.Is(err, site.ErrNoKit) {
		fmt.Fprintf(log, "%v; the pages are built without it\n", err)
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	target := filepath.Join(siteDir, filepath.FromSlash(site.KitPath))
	if old, err := os.ReadFile(target); err == nil && bytes.Equal(old, kit.CSS) {
		return kit.Fonts, nil
	}
	// Written aside and renamed, so that a build running beside this one reads a whole file.
	f, err := os.CreateTemp(filepath.Dir(target), ".kit-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(kit.CSS); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return nil, err
	}
	return kit.Fonts, os.Rename(f.Name(), target)
}

// publishBeside writes what the site publishes beside Hugo's pages into dir: the static files,
// the frame's files, then opts.Publish's, each replacing the one before of the same name.
func publishBeside(dir string, frame site.Frame, fonts map[string][]byte, p catalog.Portal, opts Options) error {
	if err := copyTree(filepath.Join(opts.SiteDir, "static"), dir); err != nil {
		return fmt.Errorf("copy static files: %w", err)
	}
	if err := publishFrame(dir, frame, fonts, p); err != nil {
		return err
	}
	if opts.Publish != nil {
		return opts.Publish(dir)
	}
	return nil
}

// moveOver moves the files under src into dst, replacing those of the same name; a folder dst
// lacks is moved whole.
func moveOver(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		from, to := filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())
		if e.IsDir() {
			fi, err := os.Lstat(to)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				if err := os.Rename(from, to); err != nil {
					return err
				}
			case err != nil:
				return err
			case fi.IsDir():
				if err := moveOver(from, to); err != nil {
					return err
				}
			default:
				return fmt.Errorf("%s: a page of the site where a folder is added", to)
			}
			continue
		}
		if err := os.Rename(from, to); err != nil {
			return err
		}
	}
	return nil
}

// publishFrame writes the files the page frame links: the stylesheet and the fonts it declares,
// the form's script and the Comune's emblem.
func publishFrame(dir string, frame site.Frame, fonts map[string][]byte, p catalog.Portal) error {
	files := map[string][]byte{frame.Stylesheet.Path: frame.Stylesheet.Body, frame.Script.Path: frame.Script.Body, frame.SearchScript.Path: frame.SearchScript.Body,
		frame.AreaScript.Path: frame.AreaScript.Body}
	for name, b := range fonts {
		files[name] = b
	}
	if p.LogoPath != "" {
		b, err := os.ReadFile(p.LogoPath)
		if err != nil {
			return fmt.Errorf("read the portal's logo: %w", err)
		}
		files[frame.Logo] = b
	}
	for name, b := range files {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func logoAsset(a *catalog.Association) string {
	return "loghi/" + a.Slug + strings.ToLower(filepath.Ext(a.LogoPath))
}

// copyTree copies the files under src into dst; Hugo as a library renders pages but leaves
// static files to its command line, so the generator copies them.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
