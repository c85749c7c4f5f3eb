// Package data embeds the portal's data files, so that programs deployed on their own (the
// intake function) know the categories, associations and services without reading a disk.
package data

import "embed"

// FS holds portal.yaml and the associations' folders.
//
//go:embed portal.yaml associations
var FS embed.FS
