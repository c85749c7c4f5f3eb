package catalog

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The portal's Markdown is CommonMark with GitHub's extensions, as Hugo reads it.
var markdownParser = goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()

// A scheme is what comes before the first colon, unless a slash, a question mark or a hash
// comes first. The portal's render hooks (site/layouts/_markup) apply the same reading.
var (
	schemeRE     = regexp.MustCompile(`^[^/?#]*:`)
	linkSchemeRE = regexp.MustCompile(`^(?i:https?|mailto|tel):`)
	twoSlashesRE = regexp.MustCompile(`^[/\\]{2}`)
)

// markdownProblems says what in a Markdown text the portal would not publish as written: a link
// that is not to a web page, an e-mail address or a phone number, and an image from another site.
func markdownProblems(md string) []string {
	var out []string
	src := []byte(md)
	doc := markdownParser.Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image:
			if dest := destination(n.Destination); schemeRE.MatchString(dest) || twoSlashesRE.MatchString(dest) {
				out = append(out, fmt.Sprintf("l'immagine %q è su un altro sito e il portale non carica nulla da altri siti; toglierla, o scrivere al suo posto un collegamento [descrizione](indirizzo)", dest))
			}
		case *ast.Link:
			if msg := linkProblem(n.Destination); msg != "" {
				out = append(out, msg)
			}
		case *ast.AutoLink:
			if msg := linkProblem(n.URL(src)); msg != "" {
				out = append(out, msg)
			}
		}
		return ast.WalkContinue, nil
	})
	return out
}

// destination reads a link's or an image's address as Markdown means it: backslash escapes and
// character references resolved, surrounding blanks dropped.
func destination(raw []byte) string {
	return strings.Trim(string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(raw)))), " \t\r\n")
}

func linkProblem(raw []byte) string {
	dest := destination(raw)
	if !schemeRE.MatchString(dest) || linkSchemeRE.MatchString(dest) {
		return ""
	}
	return fmt.Sprintf("il collegamento %q non porta a una pagina web, a un indirizzo e-mail o a un telefono; usare un indirizzo https://, mailto: o tel:", dest)
}
