package ical_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shaps-portal/shaps/generator/ical"
)

func encode(t *testing.T, c *ical.Calendar) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestFoldingNeverSplitsUTF8(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	for n := 0; n < 8; n++ {
		// Shift multi-byte characters across every position of the 75-octet boundary.
		summary := strings.Repeat("a", n) + strings.Repeat("è€𝄞", 60)
		out := encode(t, &ical.Calendar{ProdID: "-//t//t//IT", Location: rome, Events: []ical.Event{{
			UID: "x@example.org", Start: time.Date(2026, 1, 1, 10, 0, 0, 0, rome), Summary: summary,
		}}})
		var unfolded strings.Builder
		for i, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(line) > 75 {
				t.Errorf("shift %d, line %d: %d octets, want at most 75", n, i, len(line))
			}
			if !utf8.ValidString(line) {
				t.Errorf("shift %d, line %d: a UTF-8 character is split", n, i)
			}
			if strings.HasPrefix(line, " ") {
				unfolded.WriteString(line[1:])
			} else {
				unfolded.WriteString("\n" + line)
			}
		}
		if !strings.Contains(unfolded.String(), "\nSUMMARY:"+summary+"\n") {
			t.Errorf("shift %d: unfolding does not give back the summary", n)
		}
	}
}

func TestTextEscaping(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	out := encode(t, &ical.Calendar{ProdID: "p", Location: rome, Events: []ical.Event{{
		UID: "x@example.org", Start: time.Date(2026, 1, 1, 10, 0, 0, 0, rome),
		Summary:     `a,b;c\d "e" 'f':g`,
		Description: "riga 1\nriga 2\r\nriga 3",
		Categories:  []string{"Salute, benessere", "Famiglie"},
		Organizer:   ical.Organizer{Name: `Associazione "Beta"`, Email: "b@example.org"},
	}}})
	for _, want := range []string{
		`SUMMARY:a\,b\;c\\d "e" 'f':g` + "\r\n",
		`DESCRIPTION:riga 1\nriga 2\nriga 3` + "\r\n",
		`CATEGORIES:Salute\, benessere,Famiglie` + "\r\n",
		`ORGANIZER;CN="Associazione 'Beta'":mailto:b@example.org` + "\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("got\n%s\nwant the line %q", out, want)
		}
	}
}

func TestTimezoneRules(t *testing.T) {
	tests := []struct {
		zone string
		want []string
	}{
		{"Europe/Rome", []string{"TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
			"TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"}},
		{"America/New_York", []string{"DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"}},
		{"Asia/Kolkata", []string{"BEGIN:STANDARD\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nTZNAME:IST\r\nDTSTART:19700101T000000\r\nEND:STANDARD"}},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Skipf("zone data: %v", err)
			}
			out := encode(t, &ical.Calendar{ProdID: "p", Location: loc, Events: []ical.Event{{UID: "u", Start: time.Date(2026, 6, 1, 10, 0, 0, 0, loc)}}})
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("got\n%s\nwant\n%s", out, w)
				}
			}
		})
	}
}

func ExampleCalendar_Encode() {
	rome, _ := time.LoadLocation("Europe/Rome")
	cal := &ical.Calendar{
		ProdID:   "-//Esempio//IT",
		Name:     "Eventi",
		Location: rome,
		Events: []ical.Event{{
			UID:     "festa@example.org",
			Stamp:   time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC),
			Start:   time.Date(2027, 3, 1, 0, 0, 0, 0, rome),
			End:     time.Date(2027, 3, 4, 0, 0, 0, 0, rome),
			AllDay:  true,
			Summary: "Festa di primavera, con musica",
			Status:  ical.StatusConfirmed,
		}},
	}
	var b bytes.Buffer
	_ = cal.Encode(&b)
	os.Stdout.WriteString(strings.ReplaceAll(b.String(), "\r\n", "\n"))
	// Output:
	// BEGIN:VCALENDAR
	// VERSION:2.0
	// PRODID:-//Esempio//IT
	// CALSCALE:GREGORIAN
	// METHOD:PUBLISH
	// NAME:Eventi
	// X-WR-CALNAME:Eventi
	// X-WR-TIMEZONE:Europe/Rome
	// BEGIN:VEVENT
	// UID:festa@example.org
	// DTSTAMP:20261101T090000Z
	// SEQUENCE:0
	// DTSTART;VALUE=DATE:20270301
	// DTEND;VALUE=DATE:20270304
	// SUMMARY:Festa di primavera\, con musica
	// STATUS:CONFIRMED
	// TRANSP:OPAQUE
	// END:VEVENT
	// END:VCALENDAR
}
