// Package mail writes the administrator's e-mails as RFC 5322 messages in UTF-8. The outbox, a
// folder of .eml files readable by their owner only, is the embedded default: every message
// stays on disk, ready to be read or sent by any mail program.
package mail
