// Package backups3 keeps the case store's encrypted backups in an S3 bucket, under a prefix.
package backups3
