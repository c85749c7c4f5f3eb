package site_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/site"
)

func TestNewFrame(t *testing.T) {
	plain, err := site.NewFrame(site.FS, catalog.Portal{Name: "SHAPS", Municipality: "Comune di Voghera"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		portal catalog.Portal
		check  func(t *testing.T, f site.Frame)
	}{
		{"assets named by their content", catalog.Portal{}, func(t *testing.T, f site.Frame) {
			for _, a := range []site.Asset{f.Stylesheet, f.Script, f.AreaScript} {
				sum := sha256.Sum256(a.Body)
				if len(a.Body) == 0 || !strings.Contains(a.Path, "."+hex.EncodeToString(sum[:])+".") || !strings.HasPrefix(a.Integrity, "sha256-") {
					t.Errorf("asset %s (%d bytes, %s): want a path and an integrity from its content", a.Path, len(a.Body), a.Integrity)
				}
			}
			if f.Stylesheet.Path != plain.Stylesheet.Path {
				t.Errorf("the same sources give %s and %s, want one path", f.Stylesheet.Path, plain.Stylesheet.Path)
			}
		}},
		{"the Comune's colour last, under another name", catalog.Portal{Color: "#6B1D1D"}, func(t *testing.T, f site.Frame) {
			if !strings.HasSuffix(string(f.Stylesheet.Body), ":root{--brand:#6b1d1d}") || f.Stylesheet.Path == plain.Stylesheet.Path {
				t.Errorf("got %s ending %q, want the colour last and a new path", f.Stylesheet.Path, f.Stylesheet.Body[max(0, len(f.Stylesheet.Body)-30):])
			}
		}},
		{"emblem and phone", catalog.Portal{Logo: "Stemma.SVG", Contact: catalog.PortalContact{Phone: "+39 0383 336111"}}, func(t *testing.T, f site.Frame) {
			if f.Logo != "/img/ente.svg" || f.Contact.Tel != "+390383336111" {
				t.Errorf("got logo %q and tel %q, want /img/ente.svg and +390383336111", f.Logo, f.Contact.Tel)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := site.NewFrame(site.FS, tt.portal)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, f)
		})
	}
}

// BenchmarkNewFrame is the frame's share of the function's start: reading and minifying the
// stylesheet and the script, and naming them.
func BenchmarkNewFrame(b *testing.B) {
	p := catalog.Portal{Name: "SHAPS", Color: "#6b1d1d", Logo: "stemma.svg"}
	for b.Loop() {
		if _, err := site.NewFrame(site.FS, p); err != nil {
			b.Fatal(err)
		}
	}
}
