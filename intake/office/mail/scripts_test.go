package mail_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	shapsmail "github.com/shaps-portal/shaps/intake/office/mail"
)

// TestOtherScriptsTravel: a notice in Arabic, Chinese, Ukrainian or Romanian reaches the real
// SMTP server with its subject and body intact, as a mail reader (Go's and Python's) decodes
// them, every header line within 78 characters and the body declared as UTF-8.
func TestOtherScriptsTravel(t *testing.T) {
	addr, folder := smtpServer(t)
	s := &shapsmail.SMTP{Addr: addr, Username: "shaps", Password: "segreto", Attempts: 1, Timeout: 10 * time.Second}
	for _, tc := range []struct{ name, subject, body string }{
		{"arabic", "[VG-7K4M-Q2] تمّت إحالة الطلب الخاص بكم إلى الجمعيات المختصة في المدينة", "السيدة الكريمة، السيد الكريم،\n\nنحيطكم علمًا بأن الطلب الخاص بكم (الرمز: VG-7K4M-Q2) قد أُحيل.\n"},
		{"chinese", "[VG-7K4M-Q2] 已有协会受理您的求助，请随时查看办理进度并注明编号", "尊敬的王小明：\n\n您好！您编号为 VG-7K4M-Q2 的求助已办结。\n"},
		{"ukrainian", "[VG-7K4M-Q2] Організація взяла в роботу Ваше звернення щодо допомоги", "Добрий день, Олено!\n"},
		{"romanian", "[VG-7K4M-Q2] Cererea dumneavoastră a fost transmisă către asociații", "Bună ziua, Ștefan Țăranu,\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := filepath.Glob(filepath.Join(folder, "*.eml"))
			m := shapsmail.Message{From: "Servizi sociali <uffici@comune.example>", To: "cittadino@example.org", Subject: tc.subject, Body: tc.body, Date: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
			if _, err := s.Send(context.Background(), m, "x"); err != nil {
				t.Fatalf("send: %v", err)
			}
			after, _ := filepath.Glob(filepath.Join(folder, "*.eml"))
			if len(after) != len(before)+1 {
				t.Fatalf("got %d messages at the server, want %d", len(after), len(before)+1)
			}
			var path string
			for _, f := range after {
				if !strings.Contains(strings.Join(before, "\n"), f) {
					path = f
				}
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
			for _, line := range strings.Split(string(head), "\r\n") {
				if len(line) > 78 {
					t.Errorf("header line of %d characters, want at most 78: %q", len(line), line)
				}
			}
			msg, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if err != nil || subject != tc.subject {
				t.Errorf("subject: got %q, %v, want %q", subject, err, tc.subject)
			}
			if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type: got %q, want text/plain; charset=utf-8", ct)
			}
			body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
			if got := strings.ReplaceAll(string(body), "\r\n", "\n"); err != nil || strings.TrimRight(got, "\n") != strings.TrimRight(tc.body, "\n") {
				t.Errorf("body: got %q, %v, want %q", got, err, tc.body)
			}
			// Python's mail parser reads what the server got as a mail reader would.
			out, err := exec.Command("/usr/bin/python3", "-c", `import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
sys.stdout.write(m["subject"] + "\n" + m.get_content())`, path).Output()
			if err != nil {
				t.Fatalf("python's mail parser: %v", err)
			}
			if want := tc.subject + "\n" + strings.ReplaceAll(tc.body, "\r\n", "\n"); strings.TrimRight(string(out), "\n") != strings.TrimRight(want, "\n") {
				t.Errorf("python reads\n%q\nwant\n%q", out, want)
			}
		})
	}
}
