package hugosite

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/shaps-portal/shaps/site"
	"github.com/spf13/afero"
)

// Layout says where the site's parts are on disk.
type Layout struct {
	SiteDir    string // templates, i18n, assets, static and content adapters
	ContentDir string // hand-written pages
}

// render runs Hugo once over the site with the given data directory and extra asset directory,
// writing into publishDir. Template warnings are errors: a page must never silently miss a part.
func render(ctx context.Context, l Layout, workDir, publishDir, baseURL string, log io.Writer) error {
	abs := func(p string) (string, error) { return filepath.Abs(p) }
	siteDir, err := abs(l.SiteDir)
	if err != nil {
		return err
	}
	contentDir, err := abs(l.ContentDir)
	if err != nil {
		return err
	}
	mount := func(source, target string) map[string]any {
		return map[string]any{"source": source, "target": target}
	}
	// The hand-written pages are in Italian; one named <page>.<code>.md is <page> in that language.
	// Each Italian page stands for the languages it has no translation in, so that every
	// language has every page.
	allLanguages := mount(contentDir, "content")
	allLanguages["sites"] = map[string]any{"matrix": map[string]any{"languages": []string{"**"}}}
	mounts := []any{
		mount(filepath.Join(siteDir, "layouts"), "layouts"),
		mount(filepath.Join(siteDir, "i18n"), "i18n"),
		mount(filepath.Join(siteDir, "assets"), "assets"),
		mount(filepath.Join(workDir, "assets"), "assets"),
		mount(filepath.Join(siteDir, "static"), "static"),
		allLanguages,
		mount(filepath.Join(siteDir, "content"), "content"),
		mount(filepath.Join(workDir, "data"), "data"),
	}

	flags := config.New()
	flags.Set("workingDir", siteDir)
	flags.Set("publishDir", publishDir)
	flags.Set("cacheDir", filepath.Join(workDir, "cache"))
	flags.Set("resourceDir", filepath.Join(workDir, "resources"))
	flags.Set("module", map[string]any{"mounts": mounts})
	flags.Set("defaultContentLanguage", site.DefaultLanguage)
	flags.Set("languages", languages())
	if baseURL != "" {
		flags.Set("baseURL", baseURL)
	}

	logger := loggers.New(loggers.Options{Level: logg.LevelWarn, StdOut: log, StdErr: log, DistinctLevel: logg.LevelWarn})
	osFs := afero.NewOsFs()
	res, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags:    flags,
		Fs:       osFs,
		Logger:   logger,
		Filename: filepath.Join(siteDir, "hugo.toml"),
		Environ:  []string{},
	})
	if err != nil {
		return fmt.Errorf("load hugo config: %w", err)
	}
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{
		Configs:  res,
		Fs:       hugofs.NewFrom(osFs, res.LoadingInfo.BaseConfig),
		LogLevel: logger.Level(),
		StdErr:   logger.StdErr(),
	})
	if err != nil {
		return fmt.Errorf("prepare hugo: %w", err)
	}
	defer sites.Close()
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := sites.Build(hugolib.BuildCfg{}); err != nil {
		return fmt.Errorf("hugo: %w", err)
	}
	if n := sites.Log.LoggCount(logg.LevelWarn) + logger.LoggCount(logg.LevelWarn); n > 0 {
		return fmt.Errorf("hugo printed %d warning(s); a warning is an error here", n)
	}
	return nil
}

// languages is Hugo's [languages] table, made from site.Languages(): each language's name, its
// locale for dates and numbers, its direction and its place in the switcher.
func languages() map[string]any {
	out := map[string]any{}
	for i, l := range site.Languages() {
		dir := "ltr"
		if l.RTL {
			dir = "rtl"
		}
		out[l.Code] = map[string]any{"label": l.Name, "locale": l.Tag, "direction": dir, "weight": i + 1}
	}
	return out
}

func mkdirs(dirs ...string) error {
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	return nil
}
