package main

import (
	"context"
	"flag"
	"fmt"
	"slices"

	"github.com/shaps-portal/shaps/intake/office"
)

// export writes one anonymous line per case.
func (a *app) export(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", "csv", "csv or json")
	typed := fs.Bool("typed-areas", false, "the areas as the citizens typed them, not only the portal's known areas (a typed street can identify a person)")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	if !slices.Contains(office.ExportFormats, *format) {
		return fmt.Errorf("export: format %q: want csv or json", *format)
	}
	d, err := a.desk(ctx)
	if err != nil {
		return err
	}
	all, err := a.store.All()
	if err != nil {
		return err
	}
	return office.WriteExport(a.stdout, *format, office.Export(all, d.Areas, *typed))
}
