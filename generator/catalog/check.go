package catalog

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shaps-portal/shaps/site/languages"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

// Pos is a line and column in a file, both from 1.
type Pos struct{ Line, Col int }

// fileCheck walks one YAML document against its schema, collecting problems and the position of
// every value so that later checks can point at them too.
type fileCheck struct {
	file     string
	problems *Problems
	pos      map[string]Pos
	portal   *Portal // nil while portal.yaml itself is checked, or when it is unusable
}

func newFileCheck(file string, problems *Problems, portal *Portal) *fileCheck {
	return &fileCheck{file: file, problems: problems, pos: map[string]Pos{}, portal: portal}
}

func (c *fileCheck) add(p Pos, field, format string, args ...any) {
	*c.problems = append(*c.problems, Problem{File: c.file, Line: p.Line, Col: p.Col, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (c *fileCheck) warn(p Pos, field, format string, args ...any) {
	c.add(p, field, format, args...)
	(*c.problems)[len(*c.problems)-1].Warning = true
}

// at returns the position of a value, falling back on its nearest parent and then the file start.
func (c *fileCheck) at(path string) Pos {
	for path != "" {
		if p, ok := c.pos[path]; ok {
			return p
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	if p, ok := c.pos[""]; ok {
		return p
	}
	return Pos{1, 1}
}

func nodePos(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// document checks a parsed file's root against the schema's fields.
func (c *fileCheck) document(doc *yaml.Node, s Schema) *yaml.Node {
	root := doc
	if root.Kind == 0 || (root.Kind == yaml.DocumentNode && len(root.Content) == 0) {
		c.add(Pos{1, 1}, "", "il file è vuoto; scrivere almeno %s", requiredNames(s.Fields))
		return nil
	}
	if root.Kind == yaml.DocumentNode {
		root = root.Content[0]
	}
	c.pos[""] = nodePos(root)
	c.object(root, Field{Type: TypeObject, Fields: s.Fields}, "")
	return root
}

func requiredNames(fields []Field) string {
	var names []string
	for _, f := range fields {
		if f.Required {
			names = append(names, f.Name)
		}
	}
	return strings.Join(names, ", ")
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "un gruppo di chiavi"
	case yaml.SequenceNode:
		return "un elenco"
	}
	switch n.Tag {
	case "!!bool":
		return "true/false"
	case "!!int", "!!float":
		return "un numero"
	case "!!null":
		return "niente"
	}
	return fmt.Sprintf("%q", n.Value)
}

func (c *fileCheck) value(n *yaml.Node, f Field, path string) {
	n = resolve(n)
	c.pos[path] = nodePos(n)
	switch f.Type {
	case TypeObject:
		c.object(n, f, path)
	case TypeList:
		c.list(n, f, path)
	case TypeMap:
		c.mapping(n, f, path)
	default:
		c.scalar(n, f, path)
	}
}

func (c *fileCheck) object(n *yaml.Node, f Field, path string) {
	if n.Kind != yaml.MappingNode {
		c.add(nodePos(n), path, "atteso un gruppo di chiavi (%s), trovato %s", fieldNames(f.Fields), describe(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := resolve(n.Content[i]), n.Content[i+1]
		name := key.Value
		kp := join(path, name)
		if seen[name] {
			c.add(nodePos(key), kp, "chiave scritta due volte; tenerne una sola")
			continue
		}
		seen[name] = true
		def, ok := findField(f.Fields, name)
		switch {
		case !ok && name == languages.Default && isTranslations(path):
			c.add(nodePos(key), kp, "l'italiano è il testo di riferimento e sta nei campi principali, non tra le traduzioni; spostare questi testi nei campi in italiano o togliere %s", name)
			continue
		case !ok && isTranslations(path):
			c.add(nodePos(key), kp, "lingua sconosciuta %q; le lingue del portale sono: %s", name, fieldNames(f.Fields))
			continue
		case !ok:
			c.add(nodePos(key), kp, "%s", unknownKey(name, f.Fields))
			continue
		}
		if isNull(resolve(val)) {
			c.pos[kp] = nodePos(val)
			switch {
			case def.Required:
				c.add(nodePos(val), kp, "è vuoto; %s", helpOrLabel(def))
			case def.MinLen > 0:
				c.add(nodePos(val), kp, "è vuoto; scrivere il testo o togliere la chiave")
			}
			continue
		}
		c.value(val, def, kp)
	}
	for _, def := range f.Fields {
		if def.Required && !seen[def.Name] {
			c.add(nodePos(n), join(path, def.Name), "manca una chiave obbligatoria; %s", helpOrLabel(def))
		}
	}
}

// isTranslations reports whether the group at path holds a file's texts in other languages.
func isTranslations(path string) bool {
	last := path[strings.LastIndex(path, ".")+1:]
	return last == TranslationsKey || last == MachineTranslationsKey
}

func helpOrLabel(f Field) string {
	if f.Help != "" {
		return fmt.Sprintf("aggiungere %s (%s)", f.Name, f.Help)
	}
	return fmt.Sprintf("aggiungere %s", f.Name)
}

func fieldNames(fields []Field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

func findField(fields []Field, name string) (Field, bool) {
	for _, f := range fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// unknownKey names the closest known key, or lists the known keys when none is close.
func unknownKey(name string, fields []Field) string {
	best, bestDist := "", 1<<30
	lower := strings.ToLower(name)
	n := utf8.RuneCountInString(lower)
	for _, f := range fields {
		if abs(n-utf8.RuneCountInString(f.Name)) >= bestDist {
			continue // the distance is at least the difference in length: it cannot do better
		}
		if d := distance(lower, f.Name); d < bestDist {
			best, bestDist = f.Name, d
		}
	}
	if best != "" && bestDist <= max(2, len(best)/3) {
		return fmt.Sprintf("chiave sconosciuta %q; forse %q?", name, best)
	}
	return fmt.Sprintf("chiave sconosciuta %q; le chiavi possibili sono: %s", name, fieldNames(fields))
}

func abs(n int) int { return max(n, -n) }

// distance is the Levenshtein edit distance between two strings.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func (c *fileCheck) list(n *yaml.Node, f Field, path string) {
	if n.Kind != yaml.SequenceNode {
		if n.Kind == yaml.ScalarNode && f.Elem.Type != TypeObject {
			c.add(nodePos(n), path, "atteso un elenco, trovato %s; scriverlo come [%s]", describe(n), n.Value)
		} else {
			c.add(nodePos(n), path, "atteso un elenco, trovato %s", describe(n))
		}
		return
	}
	if len(n.Content) < f.MinItems {
		c.add(nodePos(n), path, "servono almeno %d voci", f.MinItems)
	}
	seen := map[string]int{}
	for i, item := range n.Content {
		ip := fmt.Sprintf("%s[%d]", path, i)
		item = resolve(item)
		if item.Kind == yaml.ScalarNode && f.Elem.Type != TypeObject {
			if j, dup := seen[item.Value]; dup {
				c.add(nodePos(item), ip, "%q è già in %s[%d]; toglierne uno", item.Value, path, j)
				continue
			}
			seen[item.Value] = i
		}
		c.value(item, *f.Elem, ip)
	}
}

func (c *fileCheck) mapping(n *yaml.Node, f Field, path string) {
	if n.Kind != yaml.MappingNode {
		c.add(nodePos(n), path, "atteso un gruppo di coppie nome: valore, trovato %s", describe(n))
		return
	}
	if len(n.Content)/2 > MaxMapItems {
		c.add(nodePos(n), path, "ha %d voci; tenerne al massimo %d", len(n.Content)/2, MaxMapItems)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content) && len(seen) < MaxMapItems; i += 2 {
		key := resolve(n.Content[i])
		kp := join(path, key.Value)
		if seen[key.Value] {
			c.add(nodePos(key), kp, "chiave scritta due volte; tenerne una sola")
			continue
		}
		seen[key.Value] = true
		c.value(n.Content[i+1], *f.Elem, kp)
	}
}

// Layouts of dates and local wall-clock times in the data files.
const (
	DateLayout     = "2006-01-02"
	DateTimeLayout = "2006-01-02T15:04"
)

func (c *fileCheck) scalar(n *yaml.Node, f Field, path string) {
	if n.Kind != yaml.ScalarNode {
		c.add(nodePos(n), path, "atteso %s, trovato %s", typeName(f), describe(n))
		return
	}
	p := nodePos(n)
	v := n.Value
	switch f.Type {
	case TypeString, TypeMarkdown:
		if n.Tag == "!!bool" {
			c.add(p, path, "atteso un testo, trovato %s; metterlo tra virgolette", describe(n))
			return
		}
		if n.Tag == "!!binary" { // decoded, its bytes would pass by every check below
			c.add(p, path, "atteso un testo, trovato un dato binario (!!binary); scriverlo come testo")
			return
		}
		if strings.TrimSpace(v) == "" && f.Required {
			c.add(p, path, "è vuoto; %s", helpOrLabel(f))
			return
		}
		if utf8.RuneCountInString(strings.TrimSpace(v)) < f.MinLen {
			if strings.TrimSpace(v) == "" {
				c.add(p, path, "è vuoto; scrivere il testo o togliere la chiave")
			} else {
				c.add(p, path, "troppo corto; scrivere almeno %d caratteri", f.MinLen)
			}
			return
		}
		if !utf8.ValidString(v) {
			c.add(p, path, "non è testo UTF-8 valido")
			return
		}
		if i := strings.IndexFunc(v, invisible); i >= 0 {
			r, _ := utf8.DecodeRuneInString(v[i:])
			c.add(p, path, "contiene il carattere invisibile U+%04X, che non si può scrivere in una pagina o in un calendario; toglierlo", r)
			return
		}
		if l, limit := utf8.RuneCountInString(v), cmp.Or(f.MaxLen, MaxText); l > limit {
			c.add(p, path, "%s (ne ha %d)", LengthRule(limit).Message, l)
		}
		if len(f.Enum) > 0 && !slices.Contains(f.Enum, v) {
			c.add(p, path, "%q non è ammesso; usare uno tra: %s", v, strings.Join(f.Enum, ", "))
		}
		c.format(p, f, path, v)
		if f.Type == TypeMarkdown {
			for _, msg := range markdownProblems(v) {
				c.add(p, path, "%s", msg)
			}
		}
	case TypeBool:
		if n.Tag != "!!bool" {
			c.add(p, path, "atteso true o false, trovato %s", describe(n))
		}
	case TypeInt:
		i, err := strconv.Atoi(v)
		if n.Tag != "!!int" || err != nil {
			c.add(p, path, "atteso un numero intero, trovato %s", describe(n))
			return
		}
		c.inRange(p, f, path, float64(i))
	case TypeNumber:
		// YAML's .nan and .inf, and numbers too large to hold, are not places on a map.
		_, err := strconv.ParseFloat(v, 64)
		if n.Tag != "!!int" && n.Tag != "!!float" && !errors.Is(err, strconv.ErrRange) {
			c.add(p, path, "atteso un numero, trovato %s", describe(n))
			return
		}
		var x float64
		if err := n.Decode(&x); err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			c.add(p, path, "atteso un numero finito, trovato %q", v)
			return
		}
		c.inRange(p, f, path, x)
	case TypeDate, TypeDateTime, TypeMoment:
		if msg := momentProblem(f.Type, v); msg != "" {
			c.add(p, path, "%s", msg)
		}
	}
}

// invisible reports a control character other than tab and line breaks, or a noncharacter:
// text no page, feed or terminal should receive.
func invisible(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' || r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFE == 0xFFFE
}

func typeName(f Field) string {
	switch f.Type {
	case TypeString, TypeMarkdown:
		return "un testo"
	case TypeInt:
		return "un numero intero"
	case TypeNumber:
		return "un numero"
	case TypeBool:
		return "true o false"
	case TypeDate:
		return "una data AAAA-MM-GG"
	case TypeDateTime, TypeMoment:
		return "una data con ora AAAA-MM-GGTHH:MM"
	}
	return string(f.Type)
}

// momentProblem says what is wrong with a date or a local date-time, or returns "".
func momentProblem(t Type, v string) string {
	r, _ := TypeRule(t)
	if !r.Matches(v) {
		if strings.ContainsAny(v, "Z+") || strings.Count(v, "-") > 2 {
			return fmt.Sprintf("%s (trovato %q, con un fuso orario: scrivere l'ora locale senza)", r.Message, v)
		}
		return r.Problem(v)
	}
	var err error
	switch t {
	case TypeDate:
		_, err = time.Parse(DateLayout, v)
	case TypeDateTime:
		_, err = time.Parse(DateTimeLayout, v)
	default:
		_, _, err = ParseMoment(v)
	}
	if err != nil {
		return fmt.Sprintf("non è una data o un'ora che esiste nel calendario (trovato %q)", v)
	}
	return ""
}

// ParseMoment parses a local date-time or, for all-day events, a date. The result is in UTC
// wall-clock terms; callers place it in the portal's timezone.
func ParseMoment(v string) (t time.Time, dateOnly bool, err error) {
	if t, err := time.Parse(DateLayout, v); err == nil {
		return t, true, nil
	}
	t, err = time.Parse(DateTimeLayout, v)
	return t, false, err
}

func (c *fileCheck) inRange(p Pos, f Field, path string, x float64) {
	if f.HasRange && (x < f.Min || x > f.Max) {
		c.add(p, path, "%v è fuori intervallo; usare un valore da %v a %v", x, f.Min, f.Max)
	}
}

func (c *fileCheck) format(p Pos, f Field, path, v string) {
	switch f.Format {
	case FormatCategory:
		if c.portal != nil {
			if _, ok := c.portal.Category(v); !ok {
				c.add(p, path, "categoria sconosciuta %q; usare uno degli id di portal.yaml: %s", v, termIDs(c.portal.Categories))
			}
		}
		return
	case FormatAudience:
		if c.portal != nil {
			if _, ok := c.portal.Audience(v); !ok {
				c.add(p, path, "destinatari sconosciuti %q; usare uno degli id di portal.yaml: %s", v, termIDs(c.portal.Audiences))
			}
		}
		return
	}
	r, ok := FormatRule(f.Format)
	if !ok {
		return
	}
	if !r.Matches(v) || !beyondPattern(f.Format, v) {
		c.add(p, path, "%s", r.Problem(v))
	}
}

// beyondPattern makes the checks of a format that its pattern cannot make.
func beyondPattern(f Format, v string) bool {
	switch f {
	case FormatURL:
		u, err := url.Parse(v)
		return err == nil && u.Host != ""
	case FormatSlug:
		return len(v) <= 60
	case FormatLanguage:
		b, err := language.ParseBase(v)
		return err == nil && b.String() == v
	case FormatFile:
		return v != ".."
	case FormatTimezone:
		_, err := time.LoadLocation(v)
		return err == nil && v != "Local"
	}
	return true
}

func termIDs(terms []Term) string {
	ids := make([]string, len(terms))
	for i, t := range terms {
		ids[i] = t.ID
	}
	return strings.Join(ids, ", ")
}

// SlugProblem says what is wrong with a slug, or returns "" when it is good.
func SlugProblem(s string) string {
	switch {
	case len(s) < 2 || len(s) > 60:
		return fmt.Sprintf("%q deve avere da 2 a 60 caratteri", s)
	case !formatRules[FormatSlug].Matches(s):
		return fmt.Sprintf("%q può contenere solo lettere minuscole a-z, cifre e trattini singoli in mezzo, es. %q", s, Slugify(s))
	}
	return ""
}

// Slugify proposes a slug for a name: lowercase ASCII letters, digits and dashes.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case strings.ContainsRune("àáâä", r):
			b.WriteByte('a')
			dash = false
		case strings.ContainsRune("èéêë", r):
			b.WriteByte('e')
			dash = false
		case strings.ContainsRune("ìíîï", r):
			b.WriteByte('i')
			dash = false
		case strings.ContainsRune("òóôö", r):
			b.WriteByte('o')
			dash = false
		case strings.ContainsRune("ùúûü", r):
			b.WriteByte('u')
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
