// Package spool is the embedded queue: a directory in the manner of Maildir, where each message
// is written to tmp/, synced, and linked into new/ under its id, so that a reader never sees half
// a message and a crash never loses an acknowledged one. Readers move messages to cur/ while they
// work on them and delete them when done.
package spool
