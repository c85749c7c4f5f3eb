package site

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"
)

// KitPath is where the stylesheet of the UI kit, cut down to what the pages use, is kept among
// the site's sources: the generator writes it there from the npm packages, and the frame (the
// generator's and the intake's alike, which embeds the sources) puts it before main.css.
const KitPath = "assets/css/kit.css"

// The npm packages the kit is made from, as site/package.json pins them.
const (
	kitCSS     = "node_modules/bootstrap-italia/dist/css/bootstrap-italia.min.css"
	kitPackage = "node_modules/bootstrap-italia/package.json"
	fontsDir   = "node_modules/@fontsource/titillium-web/files"
)

// ErrNoKit says that the npm packages of the UI kit are not installed (npm ci --prefix site).
var ErrNoKit = errors.New("the UI kit is not installed: run npm ci --prefix site")

// Kit is the UI kit as the portal publishes it: the rules of Bootstrap Italia whose classes the
// site's templates use, the Titillium Web faces the stylesheet declares, and the font files,
// named by their content, keyed by their path on the site.
type Kit struct {
	CSS   []byte
	Fonts map[string][]byte
}

// fontWeights are the faces of Titillium Web the pages use: text, semibold headings, bold.
var fontWeights = []int{400, 600, 700}

// NewKit builds the kit from the site's sources in src: the npm packages under node_modules and
// the templates under layouts, whose words decide which of the kit's rules are kept. Cutting the
// kit's rules is most of a small build's own work: the stylesheet states, on its first line, a
// hash of everything it is made from (the packages' files, the templates' words, this cutter's
// source and its CSS parser's version), and a kit already at KitPath in src that states the
// same hash is taken as it is.
func NewKit(src fs.FS) (Kit, error) {
	full, err := fs.ReadFile(src, kitCSS)
	if errors.Is(err, fs.ErrNotExist) {
		return Kit{}, ErrNoKit
	} else if err != nil {
		return Kit{}, fmt.Errorf("kit: %w", err)
	}
	full = bytes.TrimPrefix(full, []byte("\uFEFF"))
	words, err := templateWords(src, "layouts")
	if err != nil {
		return Kit{}, err
	}
	// The kit states its version in single quotes, which the model's validator does not read;
	// the version of the installed package is stated again, in double quotes.
	var pkg struct {
		Version string `json:"version"`
	}
	b, err := fs.ReadFile(src, kitPackage)
	if err == nil {
		err = json.Unmarshal(b, &pkg)
	}
	if err != nil {
		return Kit{}, fmt.Errorf("kit: %w", err)
	}
	k := Kit{Fonts: map[string][]byte{}}
	var faces bytes.Buffer
	for _, w := range fontWeights {
		name := fmt.Sprintf("titillium-web-latin-%d-normal", w)
		b, err := fs.ReadFile(src, path.Join(fontsDir, name+".woff2"))
		if err != nil {
			return Kit{}, fmt.Errorf("kit: %w", err)
		}
		sum := sha256.Sum256(b)
		p := "/fonts/" + name + "." + hex.EncodeToString(sum[:8]) + ".woff2"
		k.Fonts[p] = b
		fmt.Fprintf(&faces, "@font-face{font-family:\"Titillium Web\";font-style:normal;font-display:optional;font-weight:%d;src:url(%s) format(\"woff2\")}\n", w, p)
	}
	stamp := kitStamp(full, words, faces.Bytes(), pkg.Version)
	if cut, err := fs.ReadFile(src, KitPath); err == nil && bytes.HasPrefix(cut, stamp) {
		k.CSS = cut
		return k, nil
	}
	used, err := Subset(full, words)
	if err != nil {
		return Kit{}, err
	}
	k.CSS = append(stamp, faces.Bytes()...)
	k.CSS = append(k.CSS, used...)
	k.CSS = fmt.Appendf(k.CSS, "\n:root{--bootstrap-italia-version:%q}\n", pkg.Version)
	return k, nil
}

// cutter is this file's source, one of the kit's inputs: a change to how the kit is cut gives a
// new kit.
//
//go:embed kit.go
var cutter []byte

// kitStamp is the kit's first line: a comment, which minifying drops, holding the hash of what
// the kit is made from.
func kitStamp(full []byte, words map[string]bool, faces []byte, version string) []byte {
	h := sha256.New()
	part := func(b []byte) {
		fmt.Fprintf(h, "%d:", len(b))
		h.Write(b)
	}
	part(cutter)
	parser := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/tdewolff/parse/v2" {
				parser = d.Version + " " + d.Sum
			}
		}
	}
	part([]byte(parser))
	part(full)
	sorted := make([]string, 0, len(words))
	for w := range words {
		sorted = append(sorted, w)
	}
	slices.Sort(sorted)
	part([]byte(strings.Join(sorted, " ")))
	part(faces)
	part([]byte(version))
	return fmt.Appendf(nil, "/* kit sha256:%x */\n", h.Sum(nil))
}

// templateWords returns every word of the templates under dir, a letter followed by letters,
// digits, hyphens and underscores: a class a template writes is among them, whether literal or
// chosen by a condition.
func templateWords(src fs.FS, dir string) (map[string]bool, error) {
	words := map[string]bool{}
	err := fs.WalkDir(src, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" {
			return err
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		for i := 0; i < len(b); {
			if !isLetter(b[i]) {
				i++
				continue
			}
			j := i + 1
			for j < len(b) && (isLetter(b[j]) || b[j] >= '0' && b[j] <= '9' || b[j] == '_' || b[j] == '-') {
				j++
			}
			words[string(b[i:j])] = true
			i = j
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("kit: templates: %w", err)
	}
	return words, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// Subset keeps, of the stylesheet full, the rules with at least one selector whose every class
// is in used, the custom properties of :root, and the @media and @supports blocks that still
// hold a rule. Fonts, animations and the rest of the at-rules are left out: the kit's icons and
// scripts are not used, and the faces of the typeface are declared by the kit itself.
func Subset(full []byte, used map[string]bool) ([]byte, error) {
	p := css.NewParser(parse.NewInput(bytes.NewReader(full)), false)
	type block struct {
		head string
		body bytes.Buffer
		keep bool
	}
	stack := []*block{{keep: true}}
	var rule *bytes.Buffer // the ruleset being copied, nil while one is skipped
	skipping := 0          // depth inside at-rules that are left out
	for {
		g, _, data := p.Next()
		top := stack[len(stack)-1]
		switch g {
		case css.ErrorGrammar:
			if err := p.Err(); err != nil && err.Error() != "EOF" {
				return nil, fmt.Errorf("kit: css: %w", err)
			}
			var out []byte
			out = append(out, stack[0].body.Bytes()...)
			return out, nil
		case css.BeginAtRuleGrammar:
			name := strings.ToLower(string(data))
			keep := skipping == 0 && (name == "@media" || name == "@supports")
			if !keep {
				skipping++
			}
			stack = append(stack, &block{head: name + " " + tokens(p.Values()), keep: keep})
		case css.EndAtRuleGrammar:
			stack = stack[:len(stack)-1]
			if !top.keep {
				skipping--
				continue
			}
			if top.body.Len() > 0 {
				parent := stack[len(stack)-1]
				parent.body.WriteString(top.head + "{")
				parent.body.Write(top.body.Bytes())
				parent.body.WriteString("}")
			}
		case css.BeginRulesetGrammar:
			rule = nil
			if skipping > 0 {
				continue
			}
			if sel := keptSelectors(p.Values(), used); sel != "" {
				rule = &bytes.Buffer{}
				rule.WriteString(sel + "{")
			}
		case css.DeclarationGrammar, css.CustomPropertyGrammar:
			if rule != nil {
				rule.Write(data)
				rule.WriteString(":" + tokens(p.Values()) + ";")
			}
		case css.EndRulesetGrammar:
			if rule != nil {
				rule.WriteString("}")
				top.body.Write(rule.Bytes())
				rule = nil
			}
		}
	}
}

func tokens(ts []css.Token) string {
	var b strings.Builder
	for _, t := range ts {
		b.Write(t.Data)
	}
	return strings.TrimSpace(b.String())
}

// keptSelectors returns the selectors of a list whose every class is used, joined again.
func keptSelectors(ts []css.Token, used map[string]bool) string {
	var kept []string
	var cur strings.Builder
	ok, depth, class := true, 0, false
	flush := func() {
		if s := strings.TrimSpace(cur.String()); ok && s != "" {
			kept = append(kept, s)
		}
		cur.Reset()
		ok = true
	}
	for _, t := range ts {
		switch {
		case t.TokenType == css.CommaToken && depth == 0:
			flush()
			class = false
			continue
		case t.TokenType == css.FunctionToken || t.TokenType == css.LeftParenthesisToken:
			depth++
		case t.TokenType == css.RightParenthesisToken:
			depth--
		case t.TokenType == css.DelimToken && string(t.Data) == ".":
			class = true
			cur.Write(t.Data)
			continue
		case t.TokenType == css.IdentToken && class:
			if !used[string(t.Data)] {
				ok = false
			}
		}
		class = false
		cur.Write(t.Data)
	}
	flush()
	return strings.Join(kept, ",")
}
