// Package routes is the one description of how the portal is served: the paths the intake
// answers instead of the static site, and the headers every answer carries. netlify.toml is
// generated from it ("go run ./generator netlify"); serve and the function route by it.
package routes
