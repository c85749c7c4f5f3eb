package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Message is one e-mail.
type Message struct {
	From    string
	To      string
	Subject string
	Body    string
	Date    time.Time
}

// Bytes renders the message as RFC 5322 text with CRLF line ends, headers encoded per RFC 2047
// and the body quoted-printable, so any UTF-8 text travels intact.
func (m Message) Bytes() ([]byte, error) {
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("from %q: %w", m.From, err)
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("to %q: %w", m.To, err)
	}
	var nonce [12]byte
	_, _ = rand.Read(nonce[:])
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", to.String())
	header("Subject", encodeHeader(m.Subject))
	header("Date", m.Date.Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(nonce[:])+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// maxWord is the longest encoded word: after "Subject: ", or on a line of its own after a space,
// it keeps the line within 78 characters.
const maxWord = 78 - len("Subject: ")

// encodeHeader writes an unstructured header's text (the subject) as RFC 2047 encoded words
// where it is not plain ASCII: "Q" for text mostly in ASCII, which stays legible (Italian,
// Romanian), "B" for text mostly in other scripts (Arabic, Chinese, Ukrainian), which it keeps
// shorter. Each word holds whole characters and gets a line of its own, so that no header line
// is longer than 78 characters; a reader drops the folds between encoded words.
func encodeHeader(v string) string {
	other := 0
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			other++
		}
	}
	if other == 0 && len(v) <= maxWord {
		return v
	}
	word := qWord
	if other*2 > len(v) {
		word = bWord
	}
	var words []string
	piece := ""
	for _, c := range v {
		if next := piece + string(c); piece == "" || len(word(next)) <= maxWord {
			piece = next
			continue
		}
		words = append(words, word(piece))
		piece = string(c)
	}
	return strings.Join(append(words, word(piece)), "\r\n ")
}

func bWord(s string) string {
	return "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
}

// qWord writes s with every byte that is not printable ASCII, and "=", "?", "_", as =XX, and
// spaces as "_" (RFC 2047, 4.2).
func qWord(s string) string {
	var b strings.Builder
	b.WriteString("=?utf-8?q?")
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			b.WriteByte('_')
		case c > ' ' && c <= '~' && c != '=' && c != '?' && c != '_':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	b.WriteString("?=")
	return b.String()
}

// Outbox writes messages as .eml files into a folder.
type Outbox struct{ dir string }

// OpenOutbox creates the folder if needed, readable by its owner only.
func OpenOutbox(dir string) (*Outbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open outbox: %w", err)
	}
	return &Outbox{dir: dir}, nil
}

// Send writes the message durably under a name that says when and for whom it was written.
func (o *Outbox) Send(ctx context.Context, m Message, name string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	b, err := m.Bytes()
	if err != nil {
		return "", fmt.Errorf("outbox: %w", err)
	}
	path := filepath.Join(o.dir, m.Date.UTC().Format("20060102T150405Z")+"-"+name+".eml")
	f, err := os.OpenFile(path+".tmp", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", fmt.Errorf("outbox: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return "", fmt.Errorf("outbox: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", fmt.Errorf("outbox: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("outbox: %w", err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		return "", fmt.Errorf("outbox: %w", err)
	}
	return path, nil
}

func parseAddress(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", s, err)
	}
	return a.Address, nil
}

// Erase removes the messages written under a name, whenever they were written; it returns how
// many it removed.
func (o *Outbox) Erase(name string) (int, error) {
	if name == "" || strings.ContainsAny(name, `/\*?[`) {
		return 0, fmt.Errorf("outbox: erase %q: not a message name", name)
	}
	files, err := filepath.Glob(filepath.Join(o.dir, "*-"+name+".eml"))
	if err != nil {
		return 0, fmt.Errorf("outbox: erase: %w", err)
	}
	n := 0
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			return n, fmt.Errorf("outbox: erase: %w", err)
		}
		n++
	}
	return n, nil
}
