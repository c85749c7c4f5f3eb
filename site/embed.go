// Package site holds the Hugo site and what of it programs outside Hugo need: the Italian UI
// strings, the page frame's partials and the sources of the stylesheet and the form's script, so
// that the pages the intake renders are made from the same parts as the portal's.
package site

import "embed"

// FS holds i18n/it.yaml, the partials of the page frame and the assets they link; the UI kit's
// stylesheet (KitPath) among them when the generator has made it before the program is built.
//
//go:embed i18n/it.yaml assets/css assets/js/request.js assets/js/search.js assets/js/area.js
//go:embed layouts/_partials/assets.html layouts/_partials/header.html layouts/_partials/footer.html layouts/_partials/breadcrumb-trail.html layouts/_partials/request-form.html
var FS embed.FS
