package office

import (
	"cmp"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/intake/office/i18n"
	"github.com/shaps-portal/shaps/intake/office/mail"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/site"
)

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
	Texts        *i18n.Messages // the e-mails' texts; nil: Italian
	// Keys sign the links to the status pages in the citizens' notices; nil: no link.
	Keys *status.Signer
}

func (o Office) texts() (*i18n.Messages, error) {
	if o.Texts != nil {
		return o.Texts, nil
	}
	return i18n.Italian()
}

// write renders an e-mail's subject and body from the office's texts.
func (o Office) write(subjectKey, bodyKey string, data map[string]any) (subject, body string, err error) {
	texts, err := o.texts()
	if err != nil {
		return "", "", err
	}
	if subject, err = texts.T(subjectKey, data); err != nil {
		return "", "", err
	}
	body, err = texts.T(bodyKey, data)
	return subject, body, err
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

// Forward writes the e-mail that passes a case to an association. The citizen's contact is in
// it only if they agreed to share it.
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
		"Message": quote(c.Request.Message), "ShareContact": c.Request.ShareContact, "Note": note,
		"Name": "", "Email": "", "Phone": "", "Preference": "", "Links": nil, "LinksUntil": "", "Language": "",
	}
	if lang := c.Request.Language; lang != "" && lang != site.DefaultLanguage {
		texts, err := office.texts()
		if err != nil {
			return mail.Message{}, fmt.Errorf("forward %s: %w", c.Code, err)
		}
		if data["Language"], err = texts.T("language_" + lang); err != nil {
			return mail.Message{}, fmt.Errorf("forward %s: %w", c.Code, err)
		}
	}
	if office.Keys != nil && office.BaseURL != "" {
		texts, err := office.texts()
		if err != nil {
			return mail.Message{}, fmt.Errorf("forward %s: %w", c.Code, err)
		}
		expires := at.Add(status.LinkLife).Truncate(time.Second)
		var links []map[string]string
		for _, action := range status.Answers {
			label, err := texts.T("mail_answer_" + action)
			if err != nil {
				return mail.Message{}, fmt.Errorf("forward %s: %w", c.Code, err)
			}
			links = append(links, map[string]string{"Label": label, "URL": AnswerURL(office.BaseURL, status.Answer{Code: c.Code, Association: a.Slug, Action: action, Expires: expires}, office.Keys)})
		}
		data["Links"], data["LinksUntil"] = links, expires.In(office.location()).Format("02/01/2006")
	}
	if c.Request.ShareContact {
		data["Name"], data["Email"], data["Phone"] = c.Request.Name, c.Request.Email, c.Request.Phone
		if p := c.Request.ContactPreference; p == "email" || p == "phone" {
			texts, err := office.texts()
			if err != nil {
				return mail.Message{}, fmt.Errorf("forward %s: %w", c.Code, err)
			}
			if data["Preference"], err = texts.T("mail_preference_" + p); err != nil {
				return mail.Message{}, fmt.Errorf("forward %s: %w", c.Code, err)
			}
		}
	}
	subject, body, err := office.write("mail_forward_subject", "mail_forward", data)
	if err != nil {
		return mail.Message{}, fmt.Errorf("forward %s: %w", c.Code, err)
	}
	if a.Email == "" {
		return mail.Message{}, fmt.Errorf("forward %s: association %s has no contacts.email in its data", c.Code, a.Slug)
	}
	return mail.Message{From: office.From, To: a.Email, Date: at, Subject: subject, Body: body}, nil
}

func (o Office) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// Notice writes the e-mail that tells the citizen their case was routed (which is "routed", to
// the associations' names), taken in charge ("taken", to the association's name) or closed
// ("closed"), in the language of the page they wrote from; its link leads to their status page
// in that language. ok is false when the citizen left no e-mail.
func Notice(c Case, which string, to []string, office Office, at time.Time) (mail.Message, bool, error) {
	if c.Request.Email == "" {
		return mail.Message{}, false, nil
	}
	texts, err := i18n.Notices(c.Request.Language)
	if err != nil {
		return mail.Message{}, false, fmt.Errorf("notice %s: %w", c.Code, err)
	}
	kind, err := texts.T("mail_kind_" + c.Request.Kind)
	if err != nil {
		return mail.Message{}, false, fmt.Errorf("notice %s: %w", c.Code, err)
	}
	data := map[string]any{"Name": c.Request.Name, "Kind": kind, "Code": c.Code, "Municipality": office.Municipality,
		"ShareContact": c.Request.ShareContact, "Associations": strings.Join(to, ", "), "Outcome": "", "StatusURL": ""}
	if office.Keys != nil && office.BaseURL != "" {
		data["StatusURL"] = StatusURL(office.BaseURL, c.Request.Language, c.Code, c.ReceivedAt.In(cmp.Or(office.Location, time.UTC)), office.Keys)
	}
	if which == "closed" {
		if data["Outcome"], err = texts.T("mail_outcome_" + c.Outcome); err != nil {
			return mail.Message{}, false, fmt.Errorf("notice %s: %w", c.Code, err)
		}
	}
	subject, err := texts.T("mail_notice_"+which+"_subject", data)
	if err != nil {
		return mail.Message{}, false, fmt.Errorf("notice %s: %w", c.Code, err)
	}
	body, err := texts.T("mail_notice_"+which, data)
	if err != nil {
		return mail.Message{}, false, fmt.Errorf("notice %s: %w", c.Code, err)
	}
	return mail.Message{From: office.From, To: c.Request.Email, Subject: subject, Body: body, Date: at}, true, nil
}
