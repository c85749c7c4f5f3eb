// Package boltstore keeps cases in an embedded bbolt database file (pure Go), readable by its
// owner only, with every change in a transaction and an audit trail of who did what and when.
package boltstore
