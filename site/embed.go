// Package site embeds the parts of the Hugo site that programs outside Hugo need: the Italian UI
// strings and the stylesheet, so that pages the intake renders speak and look like the portal.
package site

import "embed"

// FS holds i18n/it.yaml and assets/css/main.css.
//
//go:embed i18n/it.yaml assets/css/main.css
var FS embed.FS
