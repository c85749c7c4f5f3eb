// Package backupdir keeps the case store's encrypted backups in a folder: another disk, a
// network share, a removable drive.
package backupdir
