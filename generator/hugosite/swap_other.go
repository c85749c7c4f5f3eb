//go:build !linux

package hugosite

import "errors"

// exchange is not available here: swap falls back on two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
