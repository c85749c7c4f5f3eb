package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/status"
)

// citizen is what a citizen writes into the request form, and what no status page may show.
type citizen struct {
	Category string `json:"category"`
	Message  string `json:"message"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Pref     string `json:"pref"`
}

// statusSeen is what the browser saw of a status page (testdata/browser.mjs, task following).
type statusSeen struct {
	HTTPStatus int      `json:"httpStatus"`
	Path       string   `json:"path"`
	H1         string   `json:"h1"`
	Now        string   `json:"now"`
	Facts      []string `json:"facts"`
	Steps      []string `json:"steps"`
	Dates      []string `json:"dates"`
	HTML       string   `json:"html"`
}

// answerSeen is what the browser saw of an association's answer page.
type answerSeen struct {
	HTTPStatus int      `json:"httpStatus"`
	H1         string   `json:"h1"`
	Lead       string   `json:"lead"`
	Facts      []string `json:"facts"`
	Form       string   `json:"form"`
	Fields     []string `json:"fields"`
	Button     string   `json:"button"`
}

// thanksSeen is what the browser saw of the thanks page.
type thanksSeen struct {
	HTTPStatus int      `json:"httpStatus"`
	Path       string   `json:"path"`
	Codes      []string `json:"codes"` // the code, then the key
	StatusLink string   `json:"statusLink"`
}

// areaSeen is what the personal area listed.
type areaSeen struct {
	Data     []string `json:"data"`
	Requests []struct {
		Code, Href, Status string
	} `json:"requests"`
}

// The status page's steps, as citizens read them.
const (
	stepReceived  = "Ricevuta"
	stepRead      = "Letta dal Comune"
	stepForwarded = "Inoltrata alle associazioni"
	stepTakenUp   = "Presa in carico da un'associazione"
	stepClosed    = "Chiusa"
)

// TestFollowingARequest follows two requests in Chromium from the form to their close, one sent
// with JavaScript and one without, the admin command playing the office on the portal's own
// spool, status folder and signing key: the thanks page gives code and key and the status page
// says "ricevuta"; the office pulls and routes; each association opens the link of its e-mail,
// which changes nothing, and confirms "Presa in carico"; the office pulls and the status page
// shows the step with its date; the office closes with a note for the citizen, which the status
// page shows with the outcome. Meanwhile the personal area lists the request with its live
// status, fills the form in, follows an association and a category, and forgets everything.
func TestFollowingARequest(t *testing.T) {
	out := buildSite(t, "../data")
	portal := startPortal(t, out, "../data", nil)
	b := startConversation(t, "following", portal.URL) // first: it skips on a machine without the browser
	admin, outbox := officeOn(t, portal)
	started := time.Now()
	withJS := citizen{Category: "compagnia-assistenza", Message: "Mia madre, 84 anni, è sola tutto il giorno: cerchiamo compagnia.",
		Name: "Giulia Bianchi", Email: "giulia.bianchi@example.org", Phone: "0383 123456", Pref: "email"}
	withoutJS := citizen{Category: "trasporto-sociale", Message: "Mi serve un passaggio per la dialisi il martedì mattina.",
		Name: "Mario Rossi", Email: "mario.rossi@example.org", Phone: "0383 999888", Pref: "phone"}
	const (
		assocJS, assocPlain = "filo-d-argento-iriense", "croce-azzurra-oltrepo"
		publicNote          = "Una volontaria vi farà visita ogni giovedì pomeriggio."
		plainNote           = "Il trasporto è fissato per martedì alle 7.30."
	)
	b.reply(map[string]any{"js": withJS, "plain": withoutJS, "note": "Chiamiamo la signora domani.",
		"follow": map[string]string{"association": assocJS, "category": withJS.Category}})
	today := func() []string { // a step's date is its day, in UTC or in Rome, from the test's start to now
		rome, err := time.LoadLocation("Europe/Rome")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		return []string{started.UTC().Format(time.DateOnly), started.In(rome).Format(time.DateOnly), now.UTC().Format(time.DateOnly), now.In(rome).Format(time.DateOnly)}
	}

	// (a) Sent, and "ricevuta".
	var sent struct {
		JS struct {
			Thanks thanksSeen  `json:"thanks"`
			Status *statusSeen `json:"status"`
		} `json:"js"`
		Plain struct {
			Thanks    thanksSeen `json:"thanks"`
			FormShown bool       `json:"formShown"`
			Status    statusSeen `json:"status"`
		} `json:"plain"`
		Area areaSeen `json:"area"`
	}
	b.next(&sent)
	codeJS, keyJS := thanksCode(t, "with JavaScript", sent.JS.Thanks)
	codePlain, _ := thanksCode(t, "without JavaScript", sent.Plain.Thanks)
	if link, err := url.Parse(sent.JS.Thanks.StatusLink); err != nil || link.Path != "/richieste/stato/" ||
		link.Query().Get("codice") != codeJS || link.Query().Get("chiave") != keyJS {
		t.Errorf("the thanks page's status link: got %q, want /richieste/stato/?codice=%s&chiave=%s", sent.JS.Thanks.StatusLink, codeJS, keyJS)
	}
	if sent.JS.Status == nil {
		t.Fatalf("with JavaScript: the thanks page has no link to the status page")
	}
	checkStatusPage(t, "with JavaScript, just sent", *sent.JS.Status, codeJS, withJS, today(), stepReceived)
	if !sent.Plain.FormShown {
		t.Errorf("without JavaScript: got no key field on /richieste/stato/, want the status form")
	}
	checkStatusPage(t, "without JavaScript, through the form, just sent", sent.Plain.Status, codePlain, withoutJS, today(), stepReceived)
	checkAreaStatus(t, "just sent", sent.Area, codeJS, keyJS, "Ricevuta ("+shortDay(sent.JS.Status.Dates)+")")

	// (b) The office pulls and routes; each association's e-mail carries its links.
	if got := admin("pull"); !strings.Contains(got, "received 2, new cases 2") {
		t.Fatalf("admin pull: got %q, want the two requests received as new cases", got)
	}
	admin("route", codeJS, "-to", assocJS)
	admin("route", codePlain, "-to", assocPlain)
	linkJS := answerLink(t, outbox, codeJS, assocJS)
	linkPlain := answerLink(t, outbox, codePlain, assocPlain)
	b.reply(map[string]string{"js": linkJS, "plain": linkPlain})

	// (c) Opening a link shows the confirmation page and changes nothing.
	var opened struct{ JS, Plain answerSeen }
	b.next(&opened)
	for _, c := range []struct {
		who, code, name string
		page            answerSeen
	}{
		{"with JavaScript", codeJS, "Filo d'Argento Iriense ODV", opened.JS},
		{"without JavaScript", codePlain, "Croce Azzurra Oltrepò ODV", opened.Plain},
	} {
		p := c.page
		if p.HTTPStatus != http.StatusOK || p.H1 != "Risposta alla richiesta "+c.code || p.Form != "post /richieste/risposta/" || p.Button != "Conferma la risposta" {
			t.Errorf("the answer link opened %s: got %d %q, form %q, button %q; want 200, «Risposta alla richiesta %s», a form posting to /richieste/risposta/ and its button",
				c.who, p.HTTPStatus, p.H1, p.Form, p.Button, c.code)
		}
		if want := []string{"Associazione: " + c.name, "Risposta: Presa in carico"}; !slices.Equal(p.Facts, want) {
			t.Errorf("the answer link opened %s: got %q, want %q", c.who, p.Facts, want)
		}
		if want := []string{"codice", "associazione", "azione", "scade", "firma", "nota"}; !slices.Equal(p.Fields, want) {
			t.Errorf("the answer form %s: got fields %q, want %q", c.who, p.Fields, want)
		}
	}
	if got := admin("pull"); !strings.Contains(got, "received 0,") || strings.Contains(got, "answers") {
		t.Errorf("admin pull after the links were only opened: got %q, want nothing received and no answer", got)
	}
	b.reply(struct{}{})
	var confirmed struct {
		Looked struct{ JS, Plain statusSeen }
		Done   struct{ JS, Plain answerSeen }
	}
	b.next(&confirmed)
	checkStatusPage(t, "with JavaScript, the link opened", confirmed.Looked.JS, codeJS, withJS, today(), stepReceived, stepRead, stepForwarded)
	checkStatusPage(t, "without JavaScript, the link opened", confirmed.Looked.Plain, codePlain, withoutJS, today(), stepReceived, stepRead, stepForwarded)
	for who, p := range map[string]answerSeen{"with JavaScript": confirmed.Done.JS, "without JavaScript": confirmed.Done.Plain} {
		if p.HTTPStatus != http.StatusOK || p.H1 != "Risposta registrata" || p.Form != " " {
			t.Errorf("the answer confirmed %s: got %d %q, form %q; want 200, «Risposta registrata» and no form", who, p.HTTPStatus, p.H1, p.Form)
		}
	}

	// (d) The office pulls the answers: "presa in carico", with its date.
	if got := admin("pull"); !strings.Contains(got, "answers recorded 2, refused 0") {
		t.Fatalf("admin pull after the confirmations: got %q, want both answers recorded", got)
	}
	if got := admin("show", codeJS); !strings.Contains(got, "by "+assocJS+": presa-in-carico Chiamiamo la signora domani.") {
		t.Errorf("admin show %s: got\n%s\nwant the association's answer with its note", codeJS, got)
	}
	b.reply(struct{}{})
	var taken struct{ JS, Plain statusSeen }
	b.next(&taken)
	checkStatusPage(t, "with JavaScript, taken up", taken.JS, codeJS, withJS, today(), stepReceived, stepRead, stepForwarded, stepTakenUp)
	checkStatusPage(t, "without JavaScript, taken up", taken.Plain, codePlain, withoutJS, today(), stepReceived, stepRead, stepForwarded, stepTakenUp)

	// (e) The office closes, with a note for the citizen.
	admin("close", codeJS, "-outcome", "resolved", "-public-note", publicNote)
	admin("close", codePlain, "-outcome", "resolved", "-public-note", plainNote)
	b.reply(struct{}{})
	var closed struct {
		Closed struct{ JS, Plain statusSeen }
		Area   struct {
			Listed areaSeen
			Filled struct {
				Name, Email, Phone, Pref string
				Remember                 bool
			}
			Following struct {
				Followed        []string
				CalendarVisible bool
				Calendar        string
				CalendarStatus  int
			}
			Forgotten struct {
				Stored, Items int
				Message, Name string
			}
		}
	}
	b.next(&closed)
	b.reply(struct{}{})
	b.end()
	for _, c := range []struct {
		who, code, note string
		r               citizen
		page            statusSeen
	}{
		{"with JavaScript, closed", codeJS, publicNote, withJS, closed.Closed.JS},
		{"without JavaScript, closed", codePlain, plainNote, withoutJS, closed.Closed.Plain},
	} {
		checkStatusPage(t, c.who, c.page, c.code, c.r, today(), stepReceived, stepRead, stepForwarded, stepTakenUp, stepClosed)
		for _, want := range []string{"Esito: Risolta", "Nota del Comune: " + c.note} {
			if !slices.Contains(c.page.Facts, want) {
				t.Errorf("the status page %s: got %q, want «%s» among them", c.who, c.page.Facts, want)
			}
		}
	}

	// (f) The personal area.
	a := closed.Area
	checkAreaStatus(t, "closed", a.Listed, codeJS, keyJS, "Chiusa ("+shortDay(closed.Closed.JS.Dates)+")")
	if want := []string{withJS.Name, withJS.Email, withJS.Phone, "per e-mail"}; !slices.Equal(a.Listed.Data, want) {
		t.Errorf("I miei dati: got %q, want %q", a.Listed.Data, want)
	}
	if f := a.Filled; f.Name != withJS.Name || f.Email != withJS.Email || f.Phone != withJS.Phone || f.Pref != withJS.Pref || !f.Remember {
		t.Errorf("the form the next time: got %+v, want %s's data remembered and the box ticked", f, withJS.Name)
	}
	fw := a.Following
	if want := []string{"/associazioni/" + assocJS + "/", "/categorie/" + withJS.Category + "/"}; !slices.Equal(fw.Followed, want) {
		t.Errorf("Seguo: got %q, want %q", fw.Followed, want)
	}
	if want := "/calendario/?associazioni=" + assocJS + "&categorie=" + withJS.Category; !fw.CalendarVisible || fw.Calendar != want || fw.CalendarStatus != http.StatusOK {
		t.Errorf("the calendar: got %q (shown %v), answering %d; want %q shown, answering 200", fw.Calendar, fw.CalendarVisible, fw.CalendarStatus, want)
	}
	if f := a.Forgotten; f.Stored != 0 || f.Items != 0 || f.Message != "Fatto: su questo dispositivo non resta più nulla della vostra area." || f.Name != "" {
		t.Errorf("after «Dimentica i miei dati»: got %+v, want nothing stored, nothing listed, the message and an empty form", f)
	}
}

// thanksCode checks the thanks page who saw and returns its code and key.
func thanksCode(t *testing.T, who string, p thanksSeen) (code, key string) {
	t.Helper()
	if len(p.Codes) != 2 || p.HTTPStatus != http.StatusOK || p.Path != "/richieste/inviata/" ||
		!regexp.MustCompile(`^VG-[0-9A-Z]{4}-[0-9A-Z]{2}$`).MatchString(p.Codes[0]) || len(p.Codes[1]) != status.KeyLen {
		t.Fatalf("the thanks page %s: got %d %s with %q, want 200 /richieste/inviata/ with a code and a key of %d characters",
			who, p.HTTPStatus, p.Path, p.Codes, status.KeyLen)
	}
	signer, err := status.NewSigner([]byte(testSigningKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := signer.Check(p.Codes[0], p.Codes[1]); !ok {
		t.Errorf("the thanks page %s: got the key %q, want the one the portal signs for %s", who, p.Codes[1], p.Codes[0])
	}
	return p.Codes[0], p.Codes[1]
}

// checkStatusPage checks a status page: the request's, at its last step, with each of the steps
// wanted dated today, showing nothing the citizen wrote.
func checkStatusPage(t *testing.T, who string, p statusSeen, code string, r citizen, today []string, steps ...string) {
	t.Helper()
	if p.HTTPStatus != http.StatusOK || p.Path != "/richieste/stato/" || p.H1 != "Richiesta "+code {
		t.Errorf("the status page %s: got %d %s «%s», want 200 /richieste/stato/ «Richiesta %s»", who, p.HTTPStatus, p.Path, p.H1, code)
	}
	if want := steps[len(steps)-1]; p.Now != want {
		t.Errorf("the status page %s: got the status «%s», want «%s»", who, p.Now, want)
	}
	var got []string
	for _, s := range p.Steps {
		label, _, _ := strings.Cut(s, ":")
		got = append(got, label)
	}
	if !slices.Equal(got, steps) {
		t.Errorf("the status page %s: got the steps %q, want %q", who, got, steps)
	}
	for i, d := range p.Dates {
		shown := ""
		if i < len(p.Steps) {
			shown = p.Steps[i]
		}
		if !slices.Contains(today, d) || !strings.HasSuffix(shown, ": "+shortDay([]string{d})) {
			t.Errorf("the status page %s: got step %d dated %s, shown %q; want today, %v, shown as such", who, i, d, shown, today)
		}
	}
	if len(p.Dates) != len(steps) {
		t.Errorf("the status page %s: got %d dates, want one for each of the %d steps", who, len(p.Dates), len(steps))
	}
	// Before the office's first pull the key alone says the request was received, and when.
	want := []string{"Ricevuta il: " + shortDay(p.Dates[:min(1, len(p.Dates))])}
	if len(steps) > 1 {
		want = append(want, "Tipo: Richiesta")
	}
	for _, w := range want {
		if !slices.Contains(p.Facts, w) {
			t.Errorf("the status page %s: got %q, want «%s» among them", who, p.Facts, w)
		}
	}
	for _, personal := range []string{r.Message, r.Name, r.Email, r.Phone} {
		if strings.Contains(p.HTML, personal) {
			t.Errorf("the status page %s shows %q, which the citizen wrote", who, personal)
		}
	}
}

// checkAreaStatus checks that the personal area lists the request code alone, linked to its
// status page with its key, with the status wanted.
func checkAreaStatus(t *testing.T, when string, a areaSeen, code, key, want string) {
	t.Helper()
	if len(a.Requests) != 1 {
		t.Fatalf("Le mie richieste, %s: got %+v, want the request sent with JavaScript", when, a.Requests)
	}
	r := a.Requests[0]
	if wantHref := "/richieste/stato/?codice=" + code + "&chiave=" + key; r.Code != code || r.Href != wantHref || r.Status != want {
		t.Errorf("Le mie richieste, %s: got %s %s «%s», want %s %s «%s»", when, r.Code, r.Href, r.Status, code, wantHref, want)
	}
}

// shortDay writes the last of YYYY-MM-DD days as the pages do, 02/12/2026.
func shortDay(days []string) string {
	if len(days) == 0 {
		return ""
	}
	d, err := time.Parse(time.DateOnly, days[len(days)-1])
	if err != nil {
		return days[len(days)-1]
	}
	return d.Format("02/01/2006")
}

// officeOn builds the admin command from this repository and returns it, run as the office
// runs it, on the portal's spool, status folder and signing key, with a case store and an outbox
// of its own; and the outbox.
func officeOn(t *testing.T, p servedPortal) (admin func(args ...string) string, outbox string) {
	t.Helper()
	goTool := lookPath(t, "go")
	dir := t.TempDir()
	bin := filepath.Join(dir, "admin")
	build := exec.Command(goTool, "build", "-o", bin, "github.com/shaps-portal/shaps/intake/cmd/admin")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build admin: %v\n%s", err, b)
	}
	data, err := filepath.Abs("../data")
	if err != nil {
		t.Fatal(err)
	}
	outbox = filepath.Join(dir, "outbox")
	var env []string
	for _, kv := range os.Environ() { // the office's settings are these alone
		if !strings.HasPrefix(kv, "SHAPS_") && !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "SHAPS_QUEUE=spool", "SHAPS_SPOOL_DIR="+p.Spool, "SHAPS_STATUS_DIR="+p.Status, "SHAPS_SIGNING_KEY="+testSigningKey,
		"SHAPS_CASES="+filepath.Join(dir, "cases.db"), "SHAPS_OUTBOX="+outbox, "SHAPS_DATA="+data, "SHAPS_ADMIN=operatrice",
		"SHAPS_MAIL_FROM=Servizi sociali <servizisociali@comune.voghera.pv.it>")
	work := t.TempDir()
	return func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Dir = env, work
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("admin %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.String()
	}, outbox
}

// answerLink reads the e-mail routing code to assoc and returns its "Presa in carico" link as a
// path and query, for the portal served here.
func answerLink(t *testing.T, outbox, code, assoc string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(outbox, "*-"+code+"-"+assoc+".eml"))
	if len(files) != 1 {
		t.Fatalf("the outbox: got %q, want one e-mail routing %s to %s", files, code, assoc)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	body := io.Reader(m.Body)
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range regexp.MustCompile(`https://\S+/richieste/risposta/\?\S+`).FindAllString(string(text), -1) {
		u, err := url.Parse(l)
		if err == nil && u.Query().Get("azione") == status.AnswerTakenUp && u.Query().Get("codice") == code && u.Query().Get("associazione") == assoc {
			return u.Path + "?" + u.RawQuery
		}
	}
	t.Fatalf("the e-mail to %s: got no «Presa in carico» link for %s in\n%s", assoc, code, text)
	return ""
}

// conversation runs a task of testdata/browser.mjs that goes phase by phase: it reports each
// phase as a line of JSON and waits for the test's reply, a line of JSON, before the next.
type conversation struct {
	t      *testing.T
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Scanner
	stderr bytes.Buffer // read once the browser has stopped
	stop   context.CancelFunc
}

func startConversation(t *testing.T, task, base string) *conversation {
	t.Helper()
	node := lookPath(t, "node")
	lookPath(t, "chromium")
	modules := npmTools(t, "playwright-core")
	npmTools(t, "axe-core")
	ctx, stop := context.WithTimeout(context.Background(), 3*time.Minute)
	c := &conversation{t: t, stop: stop}
	c.cmd = exec.CommandContext(ctx, node, "testdata/browser.mjs", task)
	c.cmd.Env = append(os.Environ(), "SHAPS_BASE="+base, "SHAPS_NODE_MODULES="+modules)
	c.cmd.Stderr = &c.stderr
	var err error
	if c.in, err = c.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.out = bufio.NewScanner(stdout)
	c.out.Buffer(nil, 16<<20)
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop() // ends the browser if the test stopped half way
		_ = c.cmd.Wait()
	})
	return c
}

// next reads the browser's report of a phase into v.
func (c *conversation) next(v any) {
	c.t.Helper()
	if !c.out.Scan() {
		c.in.Close()
		c.stop()
		err := c.cmd.Wait()
		c.t.Fatalf("the browser stopped before its report: %v %v\n%s", c.out.Err(), err, c.stderr.String())
	}
	if err := json.Unmarshal(c.out.Bytes(), v); err != nil {
		c.t.Fatalf("the browser's report: %v\n%s", err, c.out.Bytes())
	}
}

// reply tells the browser to go on with the next phase, with v.
func (c *conversation) reply(v any) {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.in.Write(append(b, '\n')); err != nil {
		c.t.Fatalf("telling the browser: %v", err)
	}
}

// end waits for the browser to finish.
func (c *conversation) end() {
	c.t.Helper()
	c.in.Close()
	for c.out.Scan() { // its closing report, which this task leaves empty
	}
	if err := c.cmd.Wait(); err != nil {
		c.t.Fatalf("the browser: %v\n%s", err, c.stderr.String())
	}
}
