// Package cms derives the configuration of the editing interface at /admin/ (Decap CMS) from the
// data contract's field definitions, and publishes that interface with the portal.
package cms
