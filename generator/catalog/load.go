package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// MaxLogoBytes is the largest logo file accepted.
const MaxLogoBytes = 500 * 1024

// LogoExtensions are the accepted logo file types.
var LogoExtensions = []string{".svg", ".png", ".jpg", ".webp"}

// ReservedSlugs are association slugs that would collide with the portal's own pages.
var ReservedSlugs = []string{"archivio", "calendario", "per-categoria", "per-destinatari", "come-iscriversi"}

// Load reads and checks every file under dir. It returns the catalog, as complete as the files
// allow, and every problem found, sorted by file and line. The catalog is fit to publish only when
// no problem is an error; today is used for checks that depend on the date.
func Load(dir string, today time.Time) (*Catalog, Problems) {
	l := &loader{dir: dir, today: today}
	cat := l.load()
	l.problems.sort()
	return cat, l.problems
}

type loader struct {
	dir      string
	today    time.Time
	problems Problems
}

func (l *loader) fileProblem(file, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: file, Line: 1, Col: 1, Message: fmt.Sprintf(format, args...)})
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parse reads a YAML file into a node tree, reporting read and syntax errors.
func (l *loader) parse(file string) (*yaml.Node, bool) {
	b, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			l.fileProblem(file, "il file manca; crearlo")
		} else {
			l.fileProblem(file, "impossibile leggere il file: %v", err)
		}
		return nil, false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		line, msg := 1, err.Error()
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		l.problems = append(l.problems, Problem{File: file, Line: line, Col: 1, Message: "errore di sintassi YAML: " + strings.TrimPrefix(msg, "yaml: ")})
		return nil, false
	}
	if len(doc.Content) > 0 && bytes.Contains(b, []byte("\n---")) {
		// A second document would be silently ignored.
		var count int
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var n yaml.Node
			if dec.Decode(&n) != nil {
				break
			}
			count++
		}
		if count > 1 {
			l.fileProblem(file, "il file contiene %d documenti YAML separati da ---; tenerne uno solo", count)
		}
	}
	return &doc, true
}

// decode checks a file against its schema and decodes it into v.
func (l *loader) decode(file string, s Schema, portal *Portal, v any) (*fileCheck, bool) {
	doc, ok := l.parse(file)
	c := newFileCheck(file, &l.problems, portal)
	if !ok {
		return c, false
	}
	root := c.document(doc, s)
	if root == nil || root.Kind != yaml.MappingNode {
		return c, false
	}
	// Type errors were reported by the schema walk; decode what can be decoded.
	_ = root.Decode(v)
	return c, true
}

func (l *loader) load() *Catalog {
	cat := &Catalog{Location: time.UTC}
	portalFile := filepath.Join(l.dir, "portal.yaml")
	before := len(l.problems)
	c, ok := l.decode(portalFile, PortalSchema(), nil, &cat.Portal)
	var portal *Portal
	if ok {
		l.checkPortal(c, cat)
		if len(l.problems) == before {
			portal = &cat.Portal
		}
	}
	if portal == nil {
		// Without valid taxonomies, references cannot be checked: report what can be.
		cat.Portal = Portal{}
	}

	assocDir := filepath.Join(l.dir, "associations")
	entries, err := os.ReadDir(assocDir)
	if err != nil {
		l.fileProblem(assocDir, "impossibile leggere la cartella delle associazioni: %v", err)
		return cat
	}
	for _, e := range entries {
		if !e.IsDir() {
			if !strings.HasPrefix(e.Name(), ".") {
				l.fileProblem(filepath.Join(assocDir, e.Name()), "file inatteso; ogni associazione è una cartella con association.yaml")
			}
			continue
		}
		if a := l.loadAssociation(filepath.Join(assocDir, e.Name()), e.Name(), portal, cat.Location); a != nil {
			cat.Associations = append(cat.Associations, a)
		}
	}
	if len(cat.Associations) == 0 && len(l.problems) == 0 {
		l.fileProblem(assocDir, "ancora nessuna associazione; aggiungere una cartella con un association.yaml")
	}
	return cat
}

func (l *loader) checkPortal(c *fileCheck, cat *Catalog) {
	p := &cat.Portal
	if p.Logo != "" && !strings.ContainsAny(p.Logo, `/\`) {
		if path, ok := checkImage(c, l.dir, p.Logo, "aggiungerlo alla cartella data o togliere logo"); ok {
			p.LogoPath = path
		}
	}
	if formatRules[FormatColor].Matches(p.Color) { // a malformed colour is reported by its rule
		if r := ContrastWithWhite(p.Color); r < MinContrast {
			c.add(c.at("color"), "color", "il colore %s ha un contrasto di %s:1 con il testo bianco dell'intestazione e con lo sfondo bianco dei collegamenti; ne serve almeno 4,5:1 (WCAG 2.1 AA): sceglierne uno più scuro", p.Color, strings.Replace(fmt.Sprintf("%.2f", math.Floor(r*100)/100), ".", ",", 1))
		}
	}
	if p.Timezone == "" {
		p.Timezone = "Europe/Rome"
	}
	if loc, err := time.LoadLocation(p.Timezone); err == nil {
		cat.Location = loc
	}
	for _, list := range []struct {
		name  string
		terms []Term
	}{{"categories", p.Categories}, {"audiences", p.Audiences}} {
		seen := map[string]int{}
		for i, t := range list.terms {
			if j, dup := seen[t.ID]; dup {
				path := fmt.Sprintf("%s[%d].id", list.name, i)
				c.add(c.at(path), path, "l'id %q è già usato da %s[%d]; gli id devono essere diversi", t.ID, list.name, j)
			}
			seen[t.ID] = i
		}
	}
}

func (l *loader) loadAssociation(dir, slug string, portal *Portal, loc *time.Location) *Association {
	file := filepath.Join(dir, "association.yaml")
	if msg := SlugProblem(slug); msg != "" {
		l.fileProblem(dir, "nome della cartella: %s; il nome della cartella è l'id dell'associazione", msg)
	} else if slices.Contains(ReservedSlugs, slug) || strings.Trim(slug, "0123456789") == "" {
		l.fileProblem(dir, "il nome di cartella %q è riservato alle pagine del portale; sceglierne un altro", slug)
	}
	a := &Association{Slug: slug, Dir: dir}
	c, ok := l.decode(file, AssociationSchema(), portal, a)
	if !ok {
		return nil
	}
	if c.pos["contacts"] != (Pos{}) && a.Contacts.Empty() {
		c.add(c.at("contacts"), "contacts", "indicare almeno un modo per raggiungere l'associazione: email, phone, website o address")
	}
	l.checkLogo(c, a)
	if a.Reviewed != "" {
		if d, err := time.Parse(DateLayout, a.Reviewed); err == nil && d.After(l.today) {
			c.add(c.at("reviewed"), "reviewed", "%s è nel futuro; scrivere il giorno dell'ultima verifica dei dati", a.Reviewed)
		} else if err == nil && a.StaleOn(l.today) {
			c.warn(c.at("reviewed"), "reviewed", "i dati sono stati verificati il %s, più di %d mesi fa; verificarli con l'associazione e aggiornare reviewed", a.Reviewed, StaleMonths)
		}
	}
	if a.Founded > l.today.Year() {
		c.add(c.at("founded"), "founded", "%d è nel futuro", a.Founded)
	}

	a.Services = loadAll(l, filepath.Join(dir, "services"), func(file, slug string) *Service {
		s := &Service{Association: a, Slug: slug}
		c, ok := l.decode(file, ServiceSchema(), portal, s)
		if !ok {
			return nil
		}
		if s.Status == "" {
			s.Status = "active"
		}
		if s.Contacts != nil && s.Contacts.Empty() {
			c.add(c.at("contacts"), "contacts", "indicare email, phone, website o address, oppure togliere contacts per usare quelli dell'associazione")
		}
		return s
	})
	a.Events = loadAll(l, filepath.Join(dir, "events"), func(file, slug string) *Event {
		e := &Event{Association: a, Slug: slug}
		c, ok := l.decode(file, EventSchema(), portal, e)
		if !ok {
			return nil
		}
		checkEvent(c, e, loc)
		return e
	})
	return a
}

// loadAll loads every .yaml file of a folder, which may be missing.
func loadAll[T any](l *loader, dir string, load func(file, slug string) *T) []*T {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		l.fileProblem(dir, "impossibile leggere la cartella: %v", err)
		return nil
	}
	var out []*T
	seen := map[string]string{}
	for _, e := range entries {
		name, file := e.Name(), filepath.Join(dir, e.Name())
		if strings.HasPrefix(name, ".") {
			continue
		}
		ext := filepath.Ext(name)
		slug := strings.TrimSuffix(name, ext)
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			l.fileProblem(file, "voce inattesa; questa cartella contiene un file <slug>.yaml per elemento")
			continue
		}
		if ext == ".yml" {
			l.fileProblem(file, "rinominare il file in %s.yaml; si legge solo l'estensione .yaml", slug)
			continue
		}
		if prev, dup := seen[slug]; dup {
			l.fileProblem(file, "lo slug %q è già usato da %s", slug, prev)
			continue
		}
		seen[slug] = file
		if msg := SlugProblem(slug); msg != "" {
			l.fileProblem(file, "nome del file: %s; il nome del file è l'id dell'elemento", msg)
		}
		if v := load(file, slug); v != nil {
			out = append(out, v)
		}
	}
	return out
}

func (l *loader) checkLogo(c *fileCheck, a *Association) {
	name := a.Logo
	if name == "" {
		for _, ext := range LogoExtensions {
			if _, err := os.Stat(filepath.Join(a.Dir, "logo"+ext)); err == nil {
				name = "logo" + ext
				break
			}
		}
		if name == "" {
			return
		}
	}
	if path, ok := checkImage(c, a.Dir, name, "aggiungerlo alla cartella dell'associazione o togliere logo"); ok {
		a.Logo, a.LogoPath = name, path
	}
}

// checkImage checks a logo file named in a data file: an accepted type, present in dir, small
// enough and what its extension says; missing says what to do when the file is not there.
func checkImage(c *fileCheck, dir, name, missing string) (string, bool) {
	ext := strings.ToLower(filepath.Ext(name))
	if !slices.Contains(LogoExtensions, ext) {
		c.add(c.at("logo"), "logo", "%q non è un tipo di logo accettato; usare un file .svg, .png, .jpg o .webp", name)
		return "", false
	}
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		c.add(c.at("logo"), "logo", "il file %s manca; %s", name, missing)
		return "", false
	}
	if len(b) > MaxLogoBytes {
		c.add(c.at("logo"), "logo", "%s pesa %d KB; ridurlo sotto i %d KB", name, (len(b)+1023)/1024, MaxLogoBytes/1024)
		return "", false
	}
	if msg := logoContentProblem(ext, b); msg != "" {
		c.add(c.at("logo"), "logo", "%s %s", name, msg)
		return "", false
	}
	return path, true
}

func logoContentProblem(ext string, b []byte) string {
	switch ext {
	case ".svg":
		return svgProblem(b)
	case ".png":
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			return "non è un'immagine PNG"
		}
	case ".jpg":
		if !bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}) {
			return "non è un'immagine JPEG"
		}
	case ".webp":
		if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
			return "non è un'immagine WebP"
		}
	}
	return ""
}
