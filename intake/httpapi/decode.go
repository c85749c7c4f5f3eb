package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/intake"
)

// formFields are the fields read from the form, also echoed back when it has errors.
var formFields = []string{"kind", "category", "association", "service", "message", "area", "name", "email", "phone", "contact_preference", "share_contact", "privacy", "started_at", "idempotency_key", "lang"}

// singleLineFields are the fields that must fit on one line.
var singleLineFields = []string{"area", "name", "email", "phone"}

func checked(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "on", "1", "yes", "si", "sì":
		return true
	}
	return false
}

// parseStarted reads when the form was shown: RFC 3339 or milliseconds since 1970.
func parseStarted(v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t
	}
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms > 0 {
		return time.UnixMilli(ms)
	}
	return time.Time{}
}

func decodeForm(body []byte) (intake.Submission, map[string]string, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return intake.Submission{}, nil, err
	}
	values := map[string]string{}
	for _, f := range formFields {
		values[f] = form.Get(f)
	}

	if !checked(values["share_contact"]) {
		values["share_contact"] = ""
	}
	if !checked(values["privacy"]) {
		values["privacy"] = ""
	}
	sub := intake.Submission{
		Request: intake.Request{
			Kind: values["kind"], Category: values["category"], Association: values["association"], Service: values["service"],
			Message: values["message"], Area: values["area"], Name: values["name"], Email: values["email"], Phone: values["phone"],
			ContactPreference: values["contact_preference"], ShareContact: values["share_contact"] != "", Privacy: values["privacy"] != "",
			Language: values["lang"],
		},
		Honeypot:       form.Get("website"),
		StartedAt:      parseStarted(values["started_at"]),
		IdempotencyKey: values["idempotency_key"],
	}
	for _, f := range singleLineFields {
		values[f] = intake.OneLine(values[f]) // shown back as text, never as control characters
	}
	return sub, values, nil
}

// flexBool takes true/false or the strings a form would send.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case bool:
		*b = flexBool(x)
	case string:
		*b = flexBool(checked(x))
	case nil:
		*b = false
	default:
		return fmt.Errorf("not a boolean")
	}
	return nil
}

// flexText takes a string or a number, as started_at may be either.
type flexText string

func (t *flexText) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case string:
		*t = flexText(x)
	case float64:
		*t = flexText(strconv.FormatInt(int64(x), 10))
	case nil:
	default:
		return fmt.Errorf("not text")
	}
	return nil
}

func decodeJSON(body []byte) (intake.Submission, error) {
	var in struct {
		Kind              string   `json:"kind"`
		Category          string   `json:"category"`
		Association       string   `json:"association"`
		Service           string   `json:"service"`
		Message           string   `json:"message"`
		Area              string   `json:"area"`
		Name              string   `json:"name"`
		Email             string   `json:"email"`
		Phone             string   `json:"phone"`
		ContactPreference string   `json:"contact_preference"`
		ShareContact      flexBool `json:"share_contact"`
		Privacy           flexBool `json:"privacy"`
		Website           string   `json:"website"`
		StartedAt         flexText `json:"started_at"`
		IdempotencyKey    string   `json:"idempotency_key"`
		Language          string   `json:"lang"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&in); err != nil {
		return intake.Submission{}, err
	}
	if dec.More() {
		return intake.Submission{}, fmt.Errorf("more than one JSON value")
	}
	return intake.Submission{
		Request: intake.Request{
			Kind: in.Kind, Category: in.Category, Association: in.Association, Service: in.Service, Message: in.Message,
			Area: in.Area, Name: in.Name, Email: in.Email, Phone: in.Phone, ContactPreference: in.ContactPreference,
			ShareContact: bool(in.ShareContact), Privacy: bool(in.Privacy), Language: in.Language,
		},
		Honeypot:       in.Website,
		StartedAt:      parseStarted(string(in.StartedAt)),
		IdempotencyKey: in.IdempotencyKey,
	}, nil
}
