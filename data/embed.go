// Package data embeds the portal's data files, so that programs deployed on their own (the
// intake function) know the categories, associations and services without reading a disk.
package data

import "embed"

// FS holds the whole folder, as validate reads it: portal.yaml, the Comune's emblem and the
// associations' folders.
//
//go:embed *
var FS embed.FS
