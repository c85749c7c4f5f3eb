package catalog

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The namespaces an SVG logo may use, as encoding/xml resolves them.
const (
	svgNS   = "http://www.w3.org/2000/svg"
	xlinkNS = "http://www.w3.org/1999/xlink"
	xmlNS   = "http://www.w3.org/XML/1998/namespace"
)

// editorNamespaces are the drawing programs' own namespaces (Inkscape's, Sodipodi's) and those of
// the metadata they write (RDF, Creative Commons, Dublin Core). A browser gives their elements and
// attributes no behaviour at all, so a logo may keep them; what they contain is checked like the
// rest.
var editorNamespaces = map[string]string{
	"http://www.inkscape.org/namespaces/inkscape":        "inkscape",
	"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd": "sodipodi",
	"http://www.w3.org/1999/02/22-rdf-syntax-ns#":        "rdf",
	"http://creativecommons.org/ns#":                     "cc",
	"http://web.resource.org/cc/":                        "cc",
	"http://purl.org/dc/elements/1.1/":                   "dc",
	"http://purl.org/dc/terms/":                          "dcterms",
}

// svgElements are the SVG elements a logo may contain: shapes, text, paint servers, clipping,
// masking and filters. Anything that runs code, embeds another document, loads a file or changes
// the picture over time (script, foreignObject, image, a, animate, set, …) is not among them.
var svgElements = setOf(
	"svg", "g", "defs", "title", "desc", "metadata", "symbol", "use", "switch", "style",
	"path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
	"text", "tspan", "textPath",
	"linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
	"filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
	"feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood",
	"feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode",
	"feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
	"feTurbulence",
)

// svgAttributes are the attributes, without namespace, a logo's elements may carry: geometry,
// presentation, text, paint servers, filters and accessibility. No event handler is among them;
// href is checked on its own.
var svgAttributes = setOf(
	"id", "class", "style", "lang", "tabindex", "role", "focusable",
	"aria-label", "aria-labelledby", "aria-describedby", "aria-hidden",
	"version", "baseProfile", "viewBox", "preserveAspectRatio", "width", "height", "x", "y",
	"x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "d", "points", "pathLength",
	"transform", "transform-origin", "href", "type", "media", "systemLanguage",
	"fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
	"stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity",
	"color", "display", "visibility", "overflow", "clip", "clip-path", "clip-rule", "mask", "filter",
	"marker-start", "marker-mid", "marker-end", "paint-order", "vector-effect", "shape-rendering",
	"text-rendering", "image-rendering", "color-interpolation", "color-interpolation-filters",
	"color-rendering", "enable-background", "isolation", "mix-blend-mode",
	"font-family", "font-size", "font-size-adjust", "font-weight", "font-style", "font-variant",
	"font-stretch", "text-anchor", "text-decoration", "dominant-baseline", "alignment-baseline",
	"baseline-shift", "letter-spacing", "word-spacing", "writing-mode", "direction", "unicode-bidi",
	"textLength", "lengthAdjust", "dx", "dy", "rotate", "startOffset", "method", "spacing", "side",
	"gradientUnits", "gradientTransform", "spreadMethod", "offset", "stop-color", "stop-opacity",
	"patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits",
	"maskContentUnits", "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
	"filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode", "operator",
	"k1", "k2", "k3", "k4", "values", "tableValues", "slope", "intercept", "amplitude", "exponent",
	"flood-color", "flood-opacity", "lighting-color", "radius", "scale", "xChannelSelector",
	"yChannelSelector", "baseFrequency", "numOctaves", "seed", "stitchTiles", "surfaceScale",
	"specularConstant", "specularExponent", "diffuseConstant", "kernelMatrix", "kernelUnitLength",
	"order", "divisor", "bias", "targetX", "targetY", "edgeMode", "preserveAlpha", "azimuth",
	"elevation", "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle", "z",
)

// svgTextAttributes hold free text, not CSS values, so they are not checked as CSS.
var svgTextAttributes = setOf("id", "class", "lang", "aria-label", "aria-labelledby", "aria-describedby", "systemLanguage")

// cssFunctions are the CSS functions a logo's styles and presentation attributes may call:
// colours, transforms, arithmetic and url() to a fragment of the same file.
var cssFunctions = setOf(
	"url", "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color",
	"matrix", "translate", "translatex", "translatey", "scale", "scalex", "scaley", "rotate",
	"skewx", "skewy", "calc", "min", "max", "clamp", "var",
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// svgProblem checks an SVG file against an allowlist of elements and attributes, after the XML
// parser has resolved namespaces, character references and the predefined entities, and says what
// is wrong, or returns "". Whatever passes draws a picture and nothing else: no script, no event
// handler, no embedded document, nothing loaded from anywhere but the file itself.
func svgProblem(b []byte) string {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	roots := 0
	var open []string // the elements being read, innermost last
	var style strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Sprintf("non è un file SVG leggibile (%v); salvarlo di nuovo come SVG semplice", err)
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target != "xml" {
				return fmt.Sprintf("contiene l'istruzione <?%s?>, non ammessa in un logo; salvarlo come SVG semplice", t.Target)
			}
		case xml.Directive:
			if !bytes.HasPrefix(t, []byte("DOCTYPE")) || bytes.ContainsAny(t, "[<") {
				return "contiene una dichiarazione DOCTYPE con entità o altre dichiarazioni, non ammesse in un logo; salvarlo come SVG semplice"
			}
		case xml.StartElement:
			if len(open) == 0 {
				roots++
				if roots > 1 || t.Name.Space != svgNS || t.Name.Local != "svg" {
					return "non è un'immagine SVG: il file deve contenere un solo elemento <svg> con xmlns=\"" + svgNS + "\""
				}
			}
			if len(open) > 0 && open[len(open)-1] == "style" {
				return "ha un elemento dentro <style>, che può contenere solo regole CSS; salvarlo come SVG semplice"
			}
			if msg := svgElementProblem(t); msg != "" {
				return msg
			}
			open = append(open, qualified(t.Name))
		case xml.EndElement:
			if open[len(open)-1] == "style" {
				// The whole sheet at once: a comment between two text parts must not split a name.
				if msg := cssProblem(style.String()); msg != "" {
					return "ha nell'elemento <style> " + msg + "; salvarlo come SVG semplice"
				}
				style.Reset()
			}
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 && open[len(open)-1] == "style" {
				style.Write(t)
			}
		}
	}
	if roots == 0 {
		return "non è un'immagine SVG"
	}
	return ""
}

func svgElementProblem(t xml.StartElement) string {
	if _, ok := editorNamespaces[t.Name.Space]; ok {
		for _, a := range t.Attr {
			if a.Name.Space == xlinkNS || a.Name.Space == xmlNS && a.Name.Local == "base" {
				return fmt.Sprintf("ha in <%s> l'attributo %s, non ammesso in un logo; salvarlo come SVG semplice", qualified(t.Name), qualified(a.Name))
			}
		}
		return ""
	}
	if t.Name.Space != svgNS || !svgElements[t.Name.Local] {
		return fmt.Sprintf("contiene l'elemento <%s>, non ammesso in un logo; salvarlo come SVG semplice, senza script, collegamenti, immagini incorporate o animazioni", qualified(t.Name))
	}
	for _, a := range t.Attr {
		name := qualified(a.Name)
		switch {
		case a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns":
			continue // a namespace declaration; the elements and attributes it names are checked
		case a.Name.Space == xmlNS && (a.Name.Local == "space" || a.Name.Local == "lang"):
			continue
		case editorNamespaces[a.Name.Space] != "":
			continue
		case a.Name.Space == xlinkNS && a.Name.Local == "href", a.Name.Space == "" && a.Name.Local == "href":
			if !strings.HasPrefix(a.Value, "#") || strings.ContainsAny(a.Value, ":/\\") {
				return fmt.Sprintf("ha in <%s> il collegamento %s=%q: un logo può rimandare solo a parti di sé stesso (#id); salvarlo come SVG semplice", t.Name.Local, name, a.Value)
			}
			continue
		case a.Name.Space != "" || !svgAttributes[a.Name.Local]:
			return fmt.Sprintf("ha in <%s> l'attributo %s, non ammesso in un logo; salvarlo come SVG semplice, senza script, gestori di eventi o attributi di altri programmi", t.Name.Local, name)
		}
		if svgTextAttributes[a.Name.Local] {
			continue
		}
		if msg := cssProblem(a.Value); msg != "" {
			return fmt.Sprintf("ha in <%s> l'attributo %s con %s; salvarlo come SVG semplice", t.Name.Local, name, msg)
		}
	}
	return ""
}

// cssProblem checks a style sheet, a style attribute or a presentation attribute: no at-rule
// (@import, @font-face), no escape that could hide a name, and only the functions of
// cssFunctions, url() pointing inside the file.
func cssProblem(css string) string {
	s := strings.ToLower(css)
	switch {
	case strings.Contains(s, "@"):
		return "una regola @ (come @import), non ammessa"
	case strings.Contains(s, `\`):
		return "una sequenza di escape CSS (\\), non ammessa"
	case strings.Contains(s, "javascript:") || strings.Contains(s, "data:"):
		return "un indirizzo javascript: o data:, non ammesso"
	}
	for i := strings.IndexByte(s, '('); i >= 0; i = nextParen(s, i) {
		j := i
		for j > 0 && isCSSNameByte(s[j-1]) {
			j--
		}
		name := s[j:i]
		if name == "" {
			continue
		}
		if !cssFunctions[name] {
			return fmt.Sprintf("la funzione CSS %s(), non ammessa", name)
		}
		if name == "url" {
			end := strings.IndexByte(s[i:], ')')
			if end < 0 {
				return "un url() non chiuso"
			}
			target := strings.Trim(strings.TrimSpace(s[i+1:i+end]), `"'`)
			if !strings.HasPrefix(target, "#") || strings.ContainsAny(target, ":/") {
				return fmt.Sprintf("url(%s): un logo può rimandare solo a parti di sé stesso (#id)", target)
			}
		}
	}
	return ""
}

func nextParen(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '(')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

func isCSSNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80
}

// qualified writes a resolved name back with its namespace, for messages.
func qualified(n xml.Name) string {
	switch n.Space {
	case "", svgNS:
		return n.Local
	case xlinkNS:
		return "xlink:" + n.Local
	case xmlNS:
		return "xml:" + n.Local
	case "http://www.w3.org/1999/xhtml":
		return "html:" + n.Local
	}
	if prefix, ok := editorNamespaces[n.Space]; ok {
		return prefix + ":" + n.Local
	}
	return "{" + n.Space + "}" + n.Local
}
