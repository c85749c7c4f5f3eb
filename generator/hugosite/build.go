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
	// Publish, when set, adds files to the finished site before it replaces Out (the iCal feeds).
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
	work, staging := filepath.Join(tmp, "work"), filepath.Join(tmp, "site")
	if err := mkdirs(work, staging); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := prepare(work, cat, frame, opts.Now); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := render(ctx, opts.Layout, work, staging, baseURL, opts.Log); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := copyTree(filepath.Join(opts.SiteDir, "static"), staging); err != nil {
		return fmt.Errorf("build: copy static files: %w", err)
	}
	if err := publishFrame(staging, frame, fonts, cat.Portal); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if opts.Publish != nil {
		if err := opts.Publish(staging); err != nil {
			return fmt.Errorf("build: %w", err)
		}
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
