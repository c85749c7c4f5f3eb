package cms

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/site/routes"
)

// Package is the npm package of the interface, installed under the site's admin folder.
const Package = "decap-cms"

// DistDir is where the installed package keeps its browser build, below the admin folder.
func DistDir(adminDir string) string {
	return filepath.Join(adminDir, "node_modules", Package, "dist")
}

var page = template.Must(template.New("admin").Parse(`<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{.Labels.Title}} · {{.Portal}}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link href="/admin/config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
{{- if .Installed}}
<noscript><p>{{.Labels.NoScript}}</p></noscript>
<script src="/admin/decap-cms.js"></script>
{{- else}}
<main>
<h1>{{.Labels.Title}}</h1>
<p>{{.Labels.Missing}}</p>
</main>
{{- end}}
</body>
</html>
`))

// Publish writes the interface into dir/admin: its page, the configuration generated from the
// catalogue, and the browser build of the package installed under adminDir. Without that
// package the page says how to install it, and installed is false.
func Publish(dir string, cat *catalog.Catalog, o Options, adminDir string) (installed bool, err error) {
	out := filepath.Join(dir, "admin")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return false, fmt.Errorf("cms: %w", err)
	}
	cfg, err := Build(cat, o).Marshal()
	if err != nil {
		return false, err
	}
	if err := os.WriteFile(filepath.Join(out, "config.yml"), cfg, 0o644); err != nil {
		return false, fmt.Errorf("cms: %w", err)
	}
	installed, err = copyDist(DistDir(adminDir), out)
	if err != nil {
		return false, err
	}
	var b strings.Builder
	if err := page.Execute(&b, map[string]any{"Labels": o.Labels, "Portal": cat.Portal.Name, "Installed": installed}); err != nil {
		return false, fmt.Errorf("cms page: %w", err)
	}
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte(b.String()), 0o644); err != nil {
		return false, fmt.Errorf("cms: %w", err)
	}
	return installed, nil
}

// copyDist copies the browser build: the main script, the chunks it loads on demand, the
// WebAssembly it uses and its licence notices; not the source maps nor the other builds.
func copyDist(from, to string) (bool, error) {
	entries, err := os.ReadDir(from)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("cms: %w", err)
	}
	found := false
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !(strings.HasSuffix(n, "decap-cms.js") || strings.HasSuffix(n, ".wasm") || n == "decap-cms.js.LICENSE.txt") {
			continue
		}
		found = found || n == "decap-cms.js"
		if err := copyFile(filepath.Join(from, n), filepath.Join(to, n)); err != nil {
			return false, fmt.Errorf("cms: %w", err)
		}
	}
	return found, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ContentSecurityPolicy is the policy of the interface at /admin/, as the portal's routes give
// it (routes.EditingPolicy).
func ContentSecurityPolicy(localBackend string) string { return routes.EditingPolicy(localBackend) }
