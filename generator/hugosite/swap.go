package hugosite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// tempPrefix names the folder a build into out works in, beside out.
func tempPrefix(out string) string { return "." + filepath.Base(out) + ".new-" }

// removeLeftovers removes what killed builds left beside out: their temporary folders, and the
// previous site set aside by the two renames of older versions. Called with out's lock held, so
// no running build owns them.
func removeLeftovers(out string) error {
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() && (strings.HasPrefix(name, tempPrefix(out)) || strings.HasPrefix(name, filepath.Base(out)+".old-"+tempPrefix(out))) {
			if err := os.RemoveAll(filepath.Join(filepath.Dir(out), name)); err != nil {
				return fmt.Errorf("remove what a previous build left: %w", err)
			}
		}
	}
	return nil
}

// swap puts the site built in src at dst. Where the system can exchange two folders in one step
// (Linux's renameat2), dst never stops being a whole site, the old one or the new; the old one
// ends in src, to be removed with it. Elsewhere dst is missing between two renames.
func swap(src, dst string) error {
	if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(src, dst); err != nil {
			return fmt.Errorf("build: publish the new site: %w", err)
		}
		return nil
	}
	if err := exchange(src, dst); err == nil {
		return nil
	} else if !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("build: publish the new site: %w", err)
	}
	old := src + ".old"
	if err := os.Rename(dst, old); err != nil {
		return fmt.Errorf("build: set aside the previous site: %w", err)
	}
	if err := os.Rename(src, dst); err != nil {
		_ = os.Rename(old, dst)
		return fmt.Errorf("build: publish the new site: %w", err)
	}
	return os.RemoveAll(old)
}
