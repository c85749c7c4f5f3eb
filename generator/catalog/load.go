package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// MaxLogoBytes is the largest logo file accepted.
const MaxLogoBytes = 500 * 1024

// LogoExtensions are the accepted logo file types.
var LogoExtensions = []string{".svg", ".png", ".jpg", ".webp"}

// ReservedSlugs are association slugs that would collide with the portal's own pages.
var ReservedSlugs = []string{"archivio", "calendario", "per-categoria", "per-destinatari", "come-iscriversi"}

// Limits on what a load reads, so that a careless or hostile data folder cannot make validate,
// build or the intake's start slow or huge. Real data stays far below them.
const (
	MaxFileBytes = 1 << 20 // a YAML file
	MaxText      = 20000   // characters of a text field without a shorter limit of its own
	MaxFiles     = 20000   // entries of the folders listed: associations/, services/, events/
	MaxMapItems  = 100     // entries of a name: value group such as social
)

// Load reads and checks every file of data, a data folder as an fs.FS (os.DirFS, the intake's
// embedded copy). It returns the catalog, as complete as the files allow, and every problem found,
// sorted by file and line, each naming its file by its path in data. The catalog is fit to publish
// only when no problem is an error; today is used for checks that depend on the date.
func Load(data fs.FS, today time.Time) (*Catalog, Problems) {
	return load(data, "", today)
}

// LoadDir loads the data folder dir, as Load does; problems and the catalog's file paths (Dir,
// LogoPath) name files on disk, under dir.
func LoadDir(dir string, today time.Time) (*Catalog, Problems) {
	return load(os.DirFS(dir), dir, today)
}

func load(data fs.FS, root string, today time.Time) (*Catalog, Problems) {
	l := &loader{fsys: data, root: root, today: today,
		association: AssociationSchema(), service: ServiceSchema(), event: EventSchema()}
	l.ahead = readAhead(data)
	cat := l.load()
	l.ahead.stop()
	l.problems.sort()
	return cat, l.problems
}

type loader struct {
	fsys     fs.FS
	root     string // the name data is shown under; "" for paths as they are in fsys
	today    time.Time
	problems Problems
	entries  int // directory entries seen, against MaxFiles

	association, service, event Schema // built once for all the files
	ahead                       *ahead // the files parsed before they are asked for
}

// name is how a problem names the file at rel, a slash-separated path in fsys.
func (l *loader) name(rel string) string {
	if l.root == "" {
		return rel
	}
	return filepath.Join(l.root, filepath.FromSlash(rel))
}

func (l *loader) fileProblem(rel, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: l.name(rel), Line: 1, Col: 1, Message: fmt.Sprintf(format, args...)})
}

// symlinkMessage is the problem of a symbolic link: the data are files in data/, and a link could
// publish, or print in a message, a file that is not.
const symlinkMessage = "è un collegamento simbolico; i dati si leggono solo da file veri dentro la cartella dei dati: metterci il file al posto del collegamento"

// isSymlink reports whether rel is a symbolic link, without following it.
func (l *loader) isSymlink(rel string) bool {
	fi, err := fs.Lstat(l.fsys, rel)
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

// readDir lists a folder, refusing it when it is a link; missing reports whether it is absent.
func (l *loader) readDir(rel string) (entries []fs.DirEntry, missing, ok bool) {
	if l.isSymlink(rel) {
		l.fileProblem(rel, "%s", symlinkMessage)
		return nil, false, false
	}
	entries, err := l.list(rel, MaxFiles-l.entries)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, true, false
	case errors.Is(err, errTooLarge):
		l.fileProblem(rel, "la cartella dei dati ha più di %d file; se ne leggono al massimo %d: togliere quelli che non servono", MaxFiles, MaxFiles)
		return nil, false, false
	case err != nil:
		l.fileProblem(rel, "impossibile leggere la cartella: %v", err)
		return nil, false, false
	}
	l.entries += len(entries)
	return entries, false, true
}

// list reads at most limit entries of a folder, by name, without holding more in memory.
func (l *loader) list(rel string, limit int) ([]fs.DirEntry, error) {
	return listDir(l.fsys, rel, limit)
}

func listDir(fsys fs.FS, rel string, limit int) ([]fs.DirEntry, error) {
	f, err := fsys.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir, ok := f.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: rel, Err: errors.New("not implemented")}
	}
	entries, err := dir.ReadDir(limit + 1)
	if err != nil && err != io.EOF {
		return nil, err
	}
	if len(entries) > limit {
		return nil, errTooLarge
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// readFile reads a data file of at most limit bytes, refusing a link without reading what it
// points to.
func (l *loader) readFile(rel string, limit int64) ([]byte, error) {
	return readFile(l.fsys, rel, limit)
}

func readFile(fsys fs.FS, rel string, limit int64) ([]byte, error) {
	if fi, err := fs.Lstat(fsys, rel); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, errSymlink
	}
	f, err := fsys.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

var (
	errSymlink  = errors.New("symbolic link")
	errTooLarge = errors.New("too large")
)

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parse reads a YAML file into a node tree, reporting read and syntax errors.
func (l *loader) parse(rel string) (*yaml.Node, bool) {
	f := l.ahead.take(rel)
	if f == nil {
		f = parseFile(l.fsys, rel)
	}
	if err := f.readErr; err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			l.fileProblem(rel, "il file manca; crearlo")
		case errors.Is(err, errSymlink):
			l.fileProblem(rel, "%s", symlinkMessage)
		case errors.Is(err, errTooLarge):
			l.fileProblem(rel, "il file pesa più di %d KB; accorciare i testi (al massimo %d caratteri ciascuno)", MaxFileBytes/1024, MaxText)
		default:
			l.fileProblem(rel, "impossibile leggere il file: %v", err)
		}
		return nil, false
	}
	if err := f.yamlErr; err != nil {
		line, msg := 1, err.Error()
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		l.problems = append(l.problems, Problem{File: l.name(rel), Line: line, Col: 1, Message: "errore di sintassi YAML: " + strings.TrimPrefix(msg, "yaml: ")})
		return nil, false
	}
	if f.documents > 1 {
		l.fileProblem(rel, "il file contiene %d documenti YAML separati da ---; tenerne uno solo", f.documents)
	}
	return f.doc, true
}

// parsedFile is a YAML file as read and parsed, before its problems are reported.
type parsedFile struct {
	readErr, yamlErr error
	doc              *yaml.Node
	documents        int // more than one when the file holds several documents
}

// parseFile reads and parses the YAML file at rel. It only reads fsys, so that files may be
// parsed side by side.
func parseFile(fsys fs.FS, rel string) *parsedFile {
	b, err := readFile(fsys, rel, MaxFileBytes)
	if err != nil {
		return &parsedFile{readErr: err}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return &parsedFile{yamlErr: err}
	}
	f := &parsedFile{doc: &doc, documents: 1}
	if len(doc.Content) > 0 && bytes.Contains(b, []byte("\n---")) {
		// A second document would be silently ignored.
		f.documents = 0
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var n yaml.Node
			if dec.Decode(&n) != nil {
				break
			}
			f.documents++
		}
	}
	return f
}

// decode checks a file against its schema and decodes it into v.
func (l *loader) decode(rel string, s Schema, portal *Portal, v any) (*fileCheck, bool) {
	doc, ok := l.parse(rel)
	c := newFileCheck(l.name(rel), &l.problems, portal)
	if !ok {
		return c, false
	}
	root := c.document(doc, s)
	if root == nil || root.Kind != yaml.MappingNode {
		return c, false
	}
	// The schema walk reported unknown and repeated keys and wrong types; without the keys, the
	// decoder neither refuses the whole group for a repeated key nor compares every key with
	// every other, and it decodes what can be decoded.
	prune(root, Field{Type: TypeObject, Fields: s.Fields}, map[*yaml.Node]bool{})
	_ = root.Decode(v)
	return c, true
}

// prune removes from a checked tree the keys the schema walk refused: unknown keys, repeated
// keys after the first, and a group's entries beyond MaxMapItems. Each node is pruned once, so
// that aliases cost nothing more.
func prune(n *yaml.Node, f Field, done map[*yaml.Node]bool) {
	n = resolve(n)
	if n == nil || done[n] {
		return
	}
	done[n] = true
	switch {
	case n.Kind == yaml.MappingNode && (f.Type == TypeObject || f.Type == TypeMap):
		seen := map[string]bool{}
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := resolve(n.Content[i]), n.Content[i+1]
			def, known := findField(f.Fields, key.Value)
			if f.Type == TypeMap {
				def, known = *f.Elem, len(seen) < MaxMapItems
			}
			if !known || seen[key.Value] {
				continue
			}
			seen[key.Value] = true
			prune(val, def, done)
			kept = append(kept, n.Content[i], val)
		}
		clear(n.Content[len(kept):])
		n.Content = kept
	case n.Kind == yaml.SequenceNode && f.Type == TypeList:
		for _, item := range n.Content {
			prune(item, *f.Elem, done)
		}
	}
}

func (l *loader) load() *Catalog {
	cat := &Catalog{Location: time.UTC}
	before := len(l.problems)
	c, ok := l.decode("portal.yaml", PortalSchema(), nil, &cat.Portal)
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
	cat.Synonyms = l.loadSynonyms()

	const assocDir = "associations"
	entries, missing, ok := l.readDir(assocDir)
	if missing {
		l.fileProblem(assocDir, "la cartella delle associazioni manca; crearla, con una cartella per associazione")
	}
	if !ok {
		return cat
	}
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), "."):
			continue
		case e.Type()&fs.ModeSymlink != 0:
			l.fileProblem(path.Join(assocDir, e.Name()), "%s", symlinkMessage)
			continue
		case !e.IsDir():
			l.fileProblem(path.Join(assocDir, e.Name()), "file inatteso; ogni associazione è una cartella con association.yaml")
			continue
		}
		if a := l.loadAssociation(path.Join(assocDir, e.Name()), e.Name(), portal, cat.Location); a != nil {
			cat.Associations = append(cat.Associations, a)
		}
	}
	if len(cat.Associations) == 0 && len(l.problems) == 0 {
		l.fileProblem(assocDir, "ancora nessuna associazione; aggiungere una cartella con un association.yaml")
	}
	return cat
}

// SynonymsFile is the search's vocabulary in the data folder; a portal may have none.
const SynonymsFile = "synonyms.yaml"

// loadSynonyms reads the synonyms file, when there is one. Beyond its schema, every word must
// have a letter or a digit in it, and may be listed once in the whole file: a word that leads to
// two places is written as one entry.
func (l *loader) loadSynonyms() []Synonym {
	if _, err := fs.Lstat(l.fsys, SynonymsFile); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	var file struct {
		Synonyms []Synonym `yaml:"synonyms"`
	}
	c, ok := l.decode(SynonymsFile, SynonymsSchema(), nil, &file)
	if !ok {
		return nil
	}
	first := map[string]string{}
	var out []Synonym
	for i, s := range file.Synonyms {
		bad := false
		for _, list := range []struct {
			name  string
			words []string
		}{{"words", s.Words}, {"find", s.Find}} {
			for j, w := range list.words {
				path := fmt.Sprintf("synonyms[%d].%s[%d]", i, list.name, j)
				key := strings.Join(strings.Fields(strings.ToLower(w)), " ")
				switch {
				case !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
					c.add(c.at(path), path, "%q non ha lettere né cifre; scrivere una parola o toglierla", w)
					bad = true
				case list.name == "find" && slices.Contains(s.Words, w):
					c.add(c.at(path), path, "%q è già tra le parole dei cittadini della stessa voce; toglierla da una delle due", w)
					bad = true
				case list.name == "words" && first[key] != "" && first[key] != fmt.Sprintf("synonyms[%d]", i):
					c.add(c.at(path), path, "%q è già in %s; una parola sta in una voce sola: unire le due voci", w, first[key])
					bad = true
				case list.name == "words":
					first[key] = fmt.Sprintf("synonyms[%d]", i)
				}
			}
		}
		if !bad && len(s.Words) > 0 && len(s.Find) > 0 {
			out = append(out, s)
		}
	}
	return out
}

func (l *loader) checkPortal(c *fileCheck, cat *Catalog) {
	p := &cat.Portal
	if p.Logo != "" && !strings.ContainsAny(p.Logo, `/\`) {
		if file, ok := l.checkImage(c, ".", p.Logo, "aggiungerlo alla cartella data o togliere logo"); ok {
			p.LogoPath = file
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
	file := path.Join(dir, "association.yaml")
	if msg := SlugProblem(slug); msg != "" {
		l.fileProblem(dir, "nome della cartella: %s; il nome della cartella è l'id dell'associazione", msg)
	} else if slices.Contains(ReservedSlugs, slug) || strings.Trim(slug, "0123456789") == "" {
		l.fileProblem(dir, "il nome di cartella %q è riservato alle pagine del portale; sceglierne un altro", slug)
	}
	a := &Association{Slug: slug, Dir: l.name(dir)}
	c, ok := l.decode(file, l.association, portal, a)
	if !ok {
		return nil
	}
	if c.pos["contacts"] != (Pos{}) && a.Contacts.Empty() {
		c.add(c.at("contacts"), "contacts", "indicare almeno un modo per raggiungere l'associazione: email, phone, website o address")
	}
	l.checkLogo(c, a, dir)
	checkTranslations(c, a)
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

	a.Services = loadAll(l, path.Join(dir, "services"), func(file, slug string) *Service {
		s := &Service{Association: a, Slug: slug}
		c, ok := l.decode(file, l.service, portal, s)
		if !ok {
			return nil
		}
		if s.Status == "" {
			s.Status = "active"
		}
		if s.Contacts != nil && s.Contacts.Empty() {
			c.add(c.at("contacts"), "contacts", "indicare email, phone, website o address, oppure togliere contacts per usare quelli dell'associazione")
		}
		checkTranslations(c, s)
		return s
	})
	a.Events = loadAll(l, path.Join(dir, "events"), func(file, slug string) *Event {
		e := &Event{Association: a, Slug: slug}
		c, ok := l.decode(file, l.event, portal, e)
		if !ok {
			return nil
		}
		checkEvent(c, e, loc)
		checkTranslations(c, e)
		return e
	})
	return a
}

// loadAll loads every .yaml file of a folder, which may be missing.
func loadAll[T any](l *loader, dir string, load func(file, slug string) *T) []*T {
	entries, _, ok := l.readDir(dir)
	if !ok {
		return nil
	}
	var out []*T
	seen := map[string]string{}
	for _, e := range entries {
		name, file := e.Name(), path.Join(dir, e.Name())
		if strings.HasPrefix(name, ".") {
			continue
		}
		ext := path.Ext(name)
		slug := strings.TrimSuffix(name, ext)
		if e.Type()&fs.ModeSymlink != 0 {
			l.fileProblem(file, "%s", symlinkMessage)
			continue
		}
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			l.fileProblem(file, "voce inattesa; questa cartella contiene un file <slug>.yaml per elemento")
			continue
		}
		if ext == ".yml" {
			l.fileProblem(file, "rinominare il file in %s.yaml; si legge solo l'estensione .yaml", slug)
			continue
		}
		if prev, dup := seen[slug]; dup {
			l.fileProblem(file, "lo slug %q è già usato da %s", slug, l.name(prev))
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

func (l *loader) checkLogo(c *fileCheck, a *Association, dir string) {
	name := a.Logo
	if name == "" {
		for _, ext := range LogoExtensions {
			if _, err := fs.Lstat(l.fsys, path.Join(dir, "logo"+ext)); err == nil {
				name = "logo" + ext
				break
			}
		}
		if name == "" {
			return
		}
	}
	if file, ok := l.checkImage(c, dir, name, "aggiungerlo alla cartella dell'associazione o togliere logo"); ok {
		a.Logo, a.LogoPath = name, file
	}
}

// checkImage checks a logo file named in a data file: an accepted type, present in dir, not a
// link, small enough and what its extension says; missing says what to do when the file is not
// there. It returns the file's name as problems give it.
func (l *loader) checkImage(c *fileCheck, dir, name, missing string) (string, bool) {
	ext := strings.ToLower(filepath.Ext(name))
	if !slices.Contains(LogoExtensions, ext) {
		c.add(c.at("logo"), "logo", "%q non è un tipo di logo accettato; usare un file .svg, .png, .jpg o .webp", name)
		return "", false
	}
	rel := path.Join(dir, name)
	b, err := l.readFile(rel, MaxLogoBytes)
	switch {
	case errors.Is(err, errSymlink):
		c.add(c.at("logo"), "logo", "%s %s", name, symlinkMessage)
		return "", false
	case errors.Is(err, errTooLarge):
		size := int64(MaxLogoBytes + 1)
		if fi, err := fs.Stat(l.fsys, rel); err == nil {
			size = fi.Size()
		}
		c.add(c.at("logo"), "logo", "%s pesa %d KB; ridurlo sotto i %d KB", name, (size+1023)/1024, MaxLogoBytes/1024)
		return "", false
	case err != nil:
		c.add(c.at("logo"), "logo", "il file %s manca; %s", name, missing)
		return "", false
	}
	if msg := logoContentProblem(ext, b); msg != "" {
		c.add(c.at("logo"), "logo", "%s %s", name, msg)
		return "", false
	}
	return l.name(rel), true
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
