package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/hugosite"
)

const usage = `usage: generator <command> [flags]

commands:
  validate  check the data and print every problem as path:line:col: message
  build     validate, then build the portal into the output directory
  serve     build and serve the portal locally, rebuilding on changes
  schema    write the JSON Schemas of the data files
  stale     list the associations whose data was confirmed more than 12 months ago
  codeowners  write .github/CODEOWNERS from the associations' maintainers
  netlify   write netlify.toml from the portal's routes and headers (site/routes)
  cloudfront  write the CloudFront parts of deploy/template.yaml from the same routes and headers

Run "generator <command> -h" for a command's flags.`

// errInvalid is returned when the data has errors, after they have been printed.
var errInvalid = errors.New("the data has errors")

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, now func() time.Time) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "validate":
		c, _, err := loadConfig(cmd, rest, getenv, "data")
		if err != nil {
			return err
		}
		_, err = validate(c, getenv, stdout, stderr, c.clock(now))
		return err
	case "build":
		c, _, err := loadConfig(cmd, rest, getenv, "data", "out", "base-url", "content", "site", "feed-past-months", "cms-addr")
		if err != nil {
			return err
		}
		return build(ctx, c, getenv, stdout, stderr, c.clock(now))
	case "serve":
		c, _, err := loadConfig(cmd, rest, getenv, "data", "addr", "content", "site", "feed-past-months", "cms-addr", "cms-mode")
		if err != nil {
			return err
		}
		return serve(ctx, c, getenv, stdout, stderr, now)
	case "schema":
		c, _, err := loadConfig(cmd, rest, getenv, "out")
		if err != nil {
			return err
		}
		return writeSchemas(c.Out, stdout)
	case "stale":
		c, _, err := loadConfig(cmd, rest, getenv, "data")
		if err != nil {
			return err
		}
		return stale(c, stdout, stderr, c.clock(now))
	case "codeowners":
		c, _, err := loadConfig(cmd, rest, getenv, "data")
		if err != nil {
			return err
		}
		return writeCodeowners(c, stdout, stderr, c.clock(now))
	case "netlify":
		return writeNetlify(stdout)
	case "cloudfront":
		return writeCloudFront(stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// validate loads the data and prints its problems; it returns errInvalid when any is an error.
func validate(c config, getenv func(string) string, stdout, stderr io.Writer, now time.Time) (*catalog.Catalog, error) {
	cat, problems := catalog.LoadDir(c.Data, now)
	annotate := getenv("GITHUB_ACTIONS") == "true"
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
		if annotate {
			level := "error"
			if p.Warning {
				level = "warning"
			}
			fmt.Fprintf(stdout, "::%s file=%s,line=%d,col=%d::%s\n", level, p.File, p.Line, p.Col, annotationEscape(p.Field+": "+p.Message))
		}
	}
	errs := problems.Errors()
	if len(errs) > 0 {
		fmt.Fprintf(stderr, "%d error(s), %d warning(s) in %s\n", len(errs), len(problems)-len(errs), c.Data)
		return nil, errInvalid
	}
	services, events := 0, 0
	for _, a := range cat.Associations {
		services += len(a.Services)
		events += len(a.Events)
	}
	fmt.Fprintf(stderr, "%s: %d associations, %d services, %d events, %d warning(s)\n", c.Data, len(cat.Associations), services, events, len(problems))
	return cat, nil
}

func annotationEscape(s string) string {
	r := []rune{}
	for _, c := range s {
		switch c {
		case '%':
			r = append(r, []rune("%25")...)
		case '\r':
			r = append(r, []rune("%0D")...)
		case '\n':
			r = append(r, []rune("%0A")...)
		default:
			r = append(r, c)
		}
	}
	return string(r)
}

func build(ctx context.Context, c config, getenv func(string) string, stdout, stderr io.Writer, now time.Time) error {
	cat, err := validate(c, getenv, stdout, stderr, now)
	if err != nil {
		return err
	}
	start := time.Now()
	err = hugosite.Build(ctx, cat, hugosite.Options{
		Layout:  hugosite.Layout{SiteDir: c.Site, ContentDir: c.Content},
		Out:     c.Out,
		BaseURL: c.BaseURL,
		Now:     now,
		Log:     stderr,
		Publish: publishExtras(c, cat, now, stderr),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "built %s in %s\n", c.Out, time.Since(start).Round(time.Millisecond))
	return nil
}
