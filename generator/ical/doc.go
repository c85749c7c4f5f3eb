// Package ical writes iCalendar feeds (RFC 5545, with the RFC 7986 calendar properties) that
// calendar apps subscribe to: CRLF line ends, lines folded at 75 octets on UTF-8 boundaries,
// TEXT escaped, local times with a VTIMEZONE derived from the Go time zone database.
package ical
