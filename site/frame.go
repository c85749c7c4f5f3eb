package site

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/site/routes"
	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// Frame is what surrounds every page's content, the portal's and the intake's alike: the
// Comune's identity for the header and the footer, and the stylesheet, the form's script and the
// personal area's script under the paths they are published at. The partials header.html, footer.html, assets.html and
// request-form.html read it with the keys of its JSON form: Hugo from shaps.json's "frame", the
// intake from the same JSON, so that both render the very same markup.
type Frame struct {
	Name                      string  `json:"name"`
	Municipality              string  `json:"municipality"`
	Logo                      string  `json:"logo,omitempty"` // the emblem's path on the site
	Contact                   Contact `json:"contact"`
	AccessibilityStatementURL string  `json:"accessibility_statement_url,omitempty"`
	Stylesheet                Asset   `json:"stylesheet"`
	Script                    Asset   `json:"script"`        // the request form's enhancement
	SearchScript              Asset   `json:"search_script"` // the search page's results while typing
	// AreaScript keeps the citizen's personal area in their own browser: every page loads it,
	// and it acts where the page asks it to (the area, the form, the thanks page, "Segui").
	AreaScript Asset `json:"area_script"`
	// StatusPage is the address of a request's status page (code and key), the intake's route;
	// the personal area offers its form there.
	StatusPage string `json:"status_page,omitempty"`
}

// Contact is how citizens reach the Comune's office, as the footer shows it.
type Contact struct {
	Address string `json:"address,omitempty"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Tel     string `json:"tel,omitempty"` // the phone number's digits, for a tel: link
}

// Asset is a published file named by its content, so that a browser never keeps a stale copy,
// with its Subresource Integrity hash.
type Asset struct {
	Path      string `json:"path"`
	Integrity string `json:"integrity"`
	Body      []byte `json:"-"`
}

// NewFrame builds the frame of a portal from the site's sources in src (assets/css/main.css,
// assets/js/request.js, assets/js/search.js, assets/js/area.js): the stylesheet is the UI kit's subset (KitPath, when
// the generator has made it), the site's CSS and the Comune's colour, minified. The same sources and portal.yaml give the same paths, in the generator and in the
// function, which has only the sources.
func NewFrame(src fs.FS, p catalog.Portal) (Frame, error) {
	f := Frame{
		Name:                      p.Name,
		Municipality:              p.Municipality,
		AccessibilityStatementURL: p.AccessibilityStatementURL,
		Contact:                   Contact{Address: p.Contact.Address, Email: p.Contact.Email, Phone: p.Contact.Phone},
	}
	if p.Logo != "" {
		f.Logo = LogoPath(p.Logo)
	}
	f.StatusPage = routes.Status
	if f.Contact.Phone != "" {
		f.Contact.Tel = strings.Map(func(r rune) rune {
			if r == '+' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, f.Contact.Phone)
	}
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("text/javascript", js.Minify)
	style, err := fs.ReadFile(src, "assets/css/main.css")
	if err != nil {
		return Frame{}, fmt.Errorf("frame: %w", err)
	}
	// The UI kit, as the generator has cut it from the npm packages, comes first, so that the
	// site's own rules refine it; a checkout where it was never built has the site's rules only.
	if kit, err := fs.ReadFile(src, KitPath); err == nil {
		style = append(append(kit, '\n'), style...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return Frame{}, fmt.Errorf("frame: %w", err)
	}
	// The Comune's colour overrides the stylesheet's default (--brand); the validator has checked
	// that white text on it, and it on white, reach WCAG AA contrast.
	if p.Color != "" {
		style = append(append(style, '\n'), ":root{--brand:"+strings.ToLower(p.Color)+"}\n"...)
	}
	if f.Stylesheet, err = asset(m, "text/css", "/css/portal", ".css", style); err != nil {
		return Frame{}, err
	}
	script, err := fs.ReadFile(src, "assets/js/request.js")
	if err != nil {
		return Frame{}, fmt.Errorf("frame: %w", err)
	}
	if f.Script, err = asset(m, "text/javascript", "/js/request", ".js", script); err != nil {
		return Frame{}, err
	}
	search, err := fs.ReadFile(src, "assets/js/search.js")
	if err != nil {
		return Frame{}, fmt.Errorf("frame: %w", err)
	}
	if f.SearchScript, err = asset(m, "text/javascript", "/js/search", ".js", search); err != nil {
		return Frame{}, err
	}
	area, err := fs.ReadFile(src, "assets/js/area.js")
	if err != nil {
		return Frame{}, fmt.Errorf("frame: %w", err)
	}
	if f.AreaScript, err = asset(m, "text/javascript", "/js/area", ".js", area); err != nil {
		return Frame{}, err
	}
	return f, nil
}

// LogoPath is where the portal publishes the Comune's emblem named by portal.yaml's logo.
func LogoPath(logo string) string { return "/img/ente" + strings.ToLower(path.Ext(logo)) }

func asset(m *minify.M, mediatype, base, ext string, src []byte) (Asset, error) {
	body, err := m.Bytes(mediatype, src)
	if err != nil {
		return Asset{}, fmt.Errorf("frame: minify %s%s: %w", base, ext, err)
	}
	sum := sha256.Sum256(body)
	return Asset{
		Path:      base + "." + hex.EncodeToString(sum[:]) + ext,
		Integrity: "sha256-" + base64.StdEncoding.EncodeToString(sum[:]),
		Body:      body,
	}, nil
}

// Form is what the request form proposes, in the order it shows it; the partial
// request-form.html reads it with the keys of its JSON form.
type Form struct {
	Categories   []Choice `json:"categories"`
	Associations []Choice `json:"associations"` // each with its services
	Areas        []string `json:"areas,omitempty"`
}

// Choice is an option of the form: a category, an association or a service.
type Choice struct {
	Value    string   `json:"value"`
	Label    string   `json:"label"`
	Category string   `json:"category,omitempty"` // a service's first category, which the script preselects
	Services []Choice `json:"services,omitempty"`
}
