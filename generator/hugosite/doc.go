// Package hugosite renders the portal with Hugo embedded as a library: it hands Hugo one
// normalised JSON file of the catalog and the site's templates, and Hugo writes the pages.
package hugosite
