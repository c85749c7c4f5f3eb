// Package catalog is the portal's data contract: it loads the associations, services and events
// kept as YAML under data/, checks them against one set of field definitions and reports every
// problem with its file, line, column and field.
package catalog
