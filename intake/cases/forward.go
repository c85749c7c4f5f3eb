package cases

import (
	"bytes"
	"embed"
	"fmt"
	"net/url"
	"strings"
	"text/template"
	"time"

	"github.com/shaps-portal/shaps/intake/mail"
)

//go:embed templates/*.txt
var templates embed.FS

var mails = template.Must(template.New("").Funcs(template.FuncMap{"quote": quote}).ParseFS(templates, "templates/*.txt"))

// quote marks every line of a citizen's text as quoted ("> "), as e-mail replies do, so that a
// line of it cannot pass for the office's own words ("Nota dell'ufficio: …").
func quote(text string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimRight(text, "\r\n"), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("> "+l, " ")
	}
	return strings.Join(lines, "\n")
}

// Office is who writes on behalf of the Comune.
type Office struct {
	Portal       string // SHAPS per Voghera
	Municipality string // Comune di Voghera
	From         string // the office's address
	BaseURL      string // the portal's address, to link the pages named in e-mails
	Location     *time.Location
}

// Names are what the portal calls a case's category and service.
type Names struct {
	Category string // the category's label
	Service  string // the service's title; empty when the portal no longer has it
}

// serviceURL is the address of a service's page (key is association/slug), or "" when unknown.
func (o Office) serviceURL(key string) string {
	assoc, slug, ok := strings.Cut(key, "/")
	if o.BaseURL == "" || !ok {
		return ""
	}
	return strings.TrimSuffix(o.BaseURL, "/") + "/servizi/" + url.PathEscape(assoc) + "/" + url.PathEscape(slug) + "/"
}

var preferences = map[string]string{"email": "per e-mail", "phone": "per telefono"}

// Forward writes the e-mail that passes a case to an association, in Italian. The citizen's
// contact is in it only if they agreed to share it.
func Forward(c Case, a Association, names Names, note string, office Office, at time.Time) (mail.Message, error) {
	kind := c.Request.Kind
	service, serviceURL := c.Request.Service, ""
	if names.Service != "" {
		service, serviceURL = names.Service, office.serviceURL(c.Request.Service)
	}
	data := map[string]any{
		"Association": a.Name, "Portal": office.Portal, "Municipality": office.Municipality,
		"Kind": kind, "Received": c.ReceivedAt.In(office.location()).Format("02/01/2006 15:04"), "Code": c.Code,
		"Category": names.Category, "Service": service, "ServiceURL": serviceURL, "Area": c.Request.Area,
		"Message": c.Request.Message, "ShareContact": c.Request.ShareContact, "Note": note,
	}
	if c.Request.ShareContact {
		data["Name"], data["Email"], data["Phone"] = c.Request.Name, c.Request.Email, c.Request.Phone
		data["Preference"] = preferences[c.Request.ContactPreference]
	}
	var b bytes.Buffer
	if err := mails.ExecuteTemplate(&b, "forward.txt", data); err != nil {
		return mail.Message{}, fmt.Errorf("forward %s: %w", c.Code, err)
	}
	if a.Email == "" {
		return mail.Message{}, fmt.Errorf("forward %s: association %s has no contacts.email in its data", c.Code, a.Slug)
	}
	return mail.Message{
		From: office.From, To: a.Email, Date: at,
		Subject: fmt.Sprintf("[%s] %s inoltrata dal %s", c.Code, kind, office.Municipality),
		Body:    b.String(),
	}, nil
}

func (o Office) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// outcomes says each outcome to the citizen.
var outcomes = map[string]string{
	"resolved":      "la richiesta è stata presa in carico e risolta",
	"not-competent": "purtroppo né il Comune né le associazioni del portale possono occuparsene; vi suggeriamo di rivolgervi agli uffici competenti",
	"duplicate":     "era già arrivata un'altra richiesta uguale, che seguiamo al suo posto",
	"spam":          "non conteneva una richiesta da seguire",
}

// Notice writes the e-mail that tells the citizen their case was routed (to is the associations'
// names) or closed (to is empty). ok is false when the citizen left no e-mail.
func Notice(c Case, to []string, office Office, at time.Time) (mail.Message, bool, error) {
	if c.Request.Email == "" {
		return mail.Message{}, false, nil
	}
	data := map[string]any{"Name": c.Request.Name, "Kind": c.Request.Kind, "Code": c.Code, "Municipality": office.Municipality,
		"ShareContact": c.Request.ShareContact, "Associations": strings.Join(to, ", "), "Outcome": outcomes[c.Outcome]}
	name, subject := "notice-routed.txt", fmt.Sprintf("[%s] La vostra %s è stata inoltrata", c.Code, c.Request.Kind)
	if len(to) == 0 {
		name, subject = "notice-closed.txt", fmt.Sprintf("[%s] La vostra %s è stata chiusa", c.Code, c.Request.Kind)
	}
	var b bytes.Buffer
	if err := mails.ExecuteTemplate(&b, name, data); err != nil {
		return mail.Message{}, false, err
	}
	return mail.Message{From: office.From, To: c.Request.Email, Subject: subject, Body: b.String(), Date: at}, true, nil
}
