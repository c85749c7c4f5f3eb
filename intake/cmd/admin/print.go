package main

import (
	"fmt"
	"strings"
	"unicode"
)

// printable makes a stored value safe to print on the office's terminal: control characters
// (escape sequences that clear the screen or retitle the window, a newline that forges a row, a
// tab that shifts the columns) and the invisible characters that reorder text are shown as Go
// escapes, \x1b, \n, \u202e. Every value that came from a request goes through it.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == unicode.ReplacementChar, !unicode.IsControl(r) && !unicode.Is(unicode.Bidi_Control, r) && r != '\u2028' && r != '\u2029':
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// printableText prints a text of several lines, such as the citizen's message: each line made
// printable and indented, so that nothing in it can pass for the program's own output.
func printableText(s, indent string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = indent + printable(l)
	}
	return strings.Join(lines, "\n")
}
