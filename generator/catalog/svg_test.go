package catalog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const svgOpen = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">`

// TestSVGLogoAllowlist loads the base fixture with each logo and expects the logo refused with
// the given words in the message, or accepted when want is empty.
func TestSVGLogoAllowlist(t *testing.T) {
	cases := []struct {
		name, svg, want string
	}{
		// Ways around a check by names, each one refused.
		{"prefixed script", svgOpen + `<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script></svg>`, "l'elemento <script>"},
		{"prefixed foreignObject", svgOpen + `<s:foreignObject xmlns:s="http://www.w3.org/2000/svg"><body xmlns="http://www.w3.org/1999/xhtml"><p>x</p></body></s:foreignObject></svg>`, "l'elemento <foreignObject>"},
		{"XHTML script", svgOpen + `<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>`, "l'elemento <html:script>"},
		{"upper-case script", svgOpen + `<SCRIPT>alert(1)</SCRIPT></svg>`, "l'elemento <SCRIPT>"},
		{"entity-encoded javascript link", svgOpen + `<a xlink:href="&#106;avascript:alert(1)"><rect width="5" height="5"/></a></svg>`, "l'elemento <a>"},
		{"entity-encoded javascript use", svgOpen + `<use href="&#106;avascript:alert(1)"/></svg>`, `il collegamento href="javascript:alert(1)"`},
		{"external use", svgOpen + `<use xlink:href="https://evil.example/s.svg#x"/></svg>`, "il collegamento xlink:href="},
		{"event handler", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, "l'attributo onload"},
		{"animation to javascript", svgOpen + `<set attributeName="href" to="javascript:alert(1)"/></svg>`, "l'elemento <set>"},
		{"embedded image", svgOpen + `<image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>`, "l'elemento <image>"},
		{"CSS import", svgOpen + `<style>@import url(https://evil.example/x.css);</style></svg>`, "una regola @"},
		{"CSS data URL", svgOpen + `<rect width="5" height="5" style="fill:url(data:image/png;base64,AAAA)"/></svg>`, "data:"},
		{"CSS url to another host", svgOpen + `<rect width="5" height="5" fill="url(https://evil.example/p.svg#g)"/></svg>`, "url(https://evil.example/p.svg#g)"},
		{"CSS escape", svgOpen + `<style>rect{fill:\75 rl(https://evil.example/x)}</style></svg>`, "escape CSS"},
		{"CSS split by a comment", svgOpen + `<style>rect{fill:u<!-- -->rl(https://evil.example/x)}</style></svg>`, "url(https://evil.example/x)"},
		{"CSS expression", svgOpen + `<rect width="5" height="5" style="width:expression(alert(1))"/></svg>`, "la funzione CSS expression()"},
		{"entity declaration", `<!DOCTYPE svg [<!ENTITY x "javascript:alert(1)">]>` + svgOpen + `<use href="&x;"/></svg>`, "DOCTYPE con entità"},
		{"undeclared entity", svgOpen + `<title>&nbsp;</title></svg>`, "non è un file SVG leggibile"},
		{"style sheet instruction", `<?xml-stylesheet href="https://evil.example/x.css"?>` + svgOpen + `</svg>`, "<?xml-stylesheet?>"},
		{"xml:base", svgOpen + `<use xml:base="https://evil.example/" href="#x"/></svg>`, "l'attributo xml:base"},
		{"script inside editor metadata", svgOpen + `<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><script>alert(1)</script></rdf:RDF></metadata></svg>`, "l'elemento <script>"},
		{"link on an editor element", svgOpen + `<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" xlink:href="javascript:alert(1)"/></svg>`, "l'attributo xlink:href"},
		{"another program's attribute", svgOpen + `<g xmlns:i="http://ns.adobe.com/AdobeIllustrator/10.0/" i:extraneous="self"/></svg>`, "l'attributo {http://ns.adobe.com/AdobeIllustrator/10.0/}extraneous"},
		{"no SVG namespace", `<svg viewBox="0 0 10 10"><rect width="5" height="5"/></svg>`, "non è un'immagine SVG"},
		{"second root", svgOpen + `</svg><svg xmlns="http://www.w3.org/2000/svg"/>`, "un solo elemento <svg>"},
		{"not XML", `<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>`, "non è un file SVG leggibile"},
		{"HTML", `<html><body>x</body></html>`, "non è un'immagine SVG"},

		// What drawing programs write when asked for plain SVG.
		{"plain SVG of a drawing program", `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- Generator: a drawing program -->
<svg version="1.1" id="Livello_1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px"
	 viewBox="0 0 100 100" style="enable-background:new 0 0 100 100;" xml:space="preserve">
<style type="text/css"><![CDATA[
	.st0{fill:#FFFFFF;}
	.st1{fill:url(#grad);stroke:rgb(10, 20, 30);}
]]></style>
<defs>
<linearGradient id="grad" gradientUnits="userSpaceOnUse" x1="0" y1="0" x2="100" y2="100">
	<stop offset="0" style="stop-color:#1F6FB5"/>
	<stop offset="1" stop-color="hsl(210, 50%, 30%)"/>
</linearGradient>
<clipPath id="c"><circle cx="50" cy="50" r="40"/></clipPath>
<path id="p" d="M10 10h80v80H10z"/>
</defs>
<g clip-path="url(#c)" transform="translate(1 2) rotate(3) scale(0.9)">
	<use xlink:href="#p" class="st1"/>
	<use href="#p" class="st0" opacity="0.5"/>
	<text x="50" y="60" font-family="'Titillium Web', sans-serif" text-anchor="middle">Comune</text>
</g>
</svg>
`, ""},
	}
	cases = append(cases, struct{ name, svg, want string }{"drawing program's own format", `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<svg width="64" height="64" viewBox="0 0 64 64" version="1.1" id="svg1"
   inkscape:version="1.3 (0e150ed, 2023-07-21)" sodipodi:docname="logo.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#"
   xmlns:dc="http://purl.org/dc/elements/1.1/">
  <sodipodi:namedview id="namedview1" pagecolor="#ffffff" bordercolor="#000000" inkscape:zoom="8" />
  <metadata id="metadata1"><rdf:RDF><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format>
    <dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage" /></cc:Work></rdf:RDF></metadata>
  <svg:g inkscape:label="Livello 1" inkscape:groupmode="layer" id="layer1">
    <svg:path style="fill:#1f6fb5;stroke:none" d="M 8,8 H 56 V 56 H 8 Z" id="rect1" sodipodi:nodetypes="ccccc" />
  </svg:g>
</svg>
`, ""})
	// The demo's logos and emblem are accepted as they are.
	demo, err := filepath.Glob(filepath.Join("..", "..", "data", "associations", "*", "logo.svg"))
	if err != nil || len(demo) == 0 {
		t.Fatalf("demo logos: got %v, %v, want some", demo, err)
	}
	for _, file := range append(demo, filepath.Join("..", "..", "data", "stemma.svg")) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct{ name, svg, want string }{file, string(b), ""})
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, "testdata/base", dir)
			if err := os.WriteFile(filepath.Join(dir, "associations", "alfa", "logo.svg"), []byte(c.svg), 0o644); err != nil {
				t.Fatal(err)
			}
			got := strings.Join(problems(t, dir), "\n")
			switch {
			case c.want == "" && got != "":
				t.Errorf("got\n%s\nwant the logo accepted", got)
			case c.want != "" && (!strings.HasPrefix(got, "associations/alfa/association.yaml:15:7: logo: logo.svg ") || !strings.Contains(got, c.want) || strings.Contains(got, "\n")):
				t.Errorf("got\n%s\nwant one problem on logo saying %q", got, c.want)
			}
		})
	}
}

// TestPortalEmblemAllowlist checks that portal.yaml's emblem meets the same allowlist.
func TestPortalEmblemAllowlist(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "testdata/base", dir)
	portal, err := os.ReadFile(filepath.Join(dir, "portal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"portal.yaml": string(portal) + "logo: stemma.svg\n",
		"stemma.svg":  svgOpen + `<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script></svg>`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := strings.Join(problems(t, dir), "\n")
	if !strings.HasPrefix(got, "portal.yaml:") || !strings.Contains(got, "logo: stemma.svg contiene l'elemento <script>") {
		t.Errorf("got\n%s\nwant the emblem refused for its script", got)
	}
}
