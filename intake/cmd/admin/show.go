package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/intake/office"
)

func (a *app) show(args []string) error {
	code, err := a.parse(flag.NewFlagSet("show", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	if err := needCode(code, "show"); err != nil {
		return err
	}
	c, err := a.store.Get(code)
	if err != nil {
		return err
	}
	r := c.Request
	fmt.Fprintf(a.stdout, "%s  %s  received %s\n", printable(c.Code), printable(string(c.Status)), c.ReceivedAt.Format(time.RFC3339))
	fmt.Fprintf(a.stdout, "kind: %s\ncategory: %s\nlang: %s\n", printable(r.Kind), printable(r.Category), printable(r.Language))
	for _, kv := range [][2]string{{"association", r.Association}, {"service", r.Service}, {"area", r.Area}, {"name", r.Name}, {"email", r.Email}, {"phone", r.Phone}, {"reply", r.ContactPreference}} {
		if kv[1] != "" {
			fmt.Fprintf(a.stdout, "%s: %s\n", kv[0], printable(kv[1]))
		}
	}
	fmt.Fprintf(a.stdout, "contact may be shared with associations: %v\nmessage:\n%s\n", r.ShareContact, printableText(r.Message, "    "))
	for _, rt := range c.Routes {
		fmt.Fprintf(a.stdout, "\nrouted %s by %s to %s %s", rt.At.Format(time.RFC3339), printable(rt.By), printable(strings.Join(rt.To, ", ")), printable(rt.Note))
	}
	for _, an := range c.Answers {
		fmt.Fprintf(a.stdout, "\nanswered %s by %s: %s %s", an.At.Format(time.RFC3339), printable(an.Association), printable(an.Action), printable(an.Note))
	}
	if c.Status == office.StatusClosed {
		fmt.Fprintf(a.stdout, "\nclosed %s: %s %s", c.ClosedAt.Format(time.RFC3339), printable(c.Outcome), printable(c.CloseNote))
		if c.PublicNote != "" {
			fmt.Fprintf(a.stdout, "\nnote for the citizen: %s", printable(c.PublicNote))
		}
	}
	fmt.Fprintln(a.stdout)
	return nil
}
