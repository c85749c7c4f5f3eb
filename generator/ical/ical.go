package ical

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is one feed.
type Calendar struct {
	ProdID      string
	Name        string
	Description string
	URL         string
	Location    *time.Location // the zone of every local time in the feed
	Refresh     time.Duration  // how often subscribers should fetch the feed again
	Events      []Event
	// Zone, when set, is the VTIMEZONE to write; NewZone makes one that many feeds can share.
	// When nil, Encode derives it from Location and the events' years.
	Zone *Zone
}

// Status of an event.
const (
	StatusConfirmed = "CONFIRMED"
	StatusTentative = "TENTATIVE"
	StatusCancelled = "CANCELLED"
)

// Event is one VEVENT. Start and End are in the calendar's location; for all-day events they are
// local midnights and End is exclusive.
type Event struct {
	UID          string
	Stamp        time.Time
	Sequence     int
	LastModified time.Time
	Start, End   time.Time
	AllDay       bool
	Rule         *Rule
	ExDates      []time.Time
	Summary      string
	Description  string
	Location     string
	Geo          *Geo
	URL          string
	Categories   []string
	Organizer    Organizer
	Status       string
}

// Geo is a latitude and a longitude.
type Geo struct{ Lat, Lon float64 }

// Organizer names who runs the event.
type Organizer struct {
	Name  string
	Email string
}

// Rule is the subset of RRULE the portal uses.
type Rule struct {
	Freq     string // DAILY, WEEKLY, MONTHLY
	Interval int
	ByDay    []string // MO, 2SA, -1FR
	Until    time.Time
	DateOnly bool // UNTIL is a date, as it must be when DTSTART is one
	Count    int
}

func (r Rule) String() string {
	parts := []string{"FREQ=" + r.Freq}
	if r.Interval > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(r.Interval))
	}
	if len(r.ByDay) > 0 {
		parts = append(parts, "BYDAY="+strings.Join(r.ByDay, ","))
	}
	switch {
	case !r.Until.IsZero() && r.DateOnly:
		parts = append(parts, "UNTIL="+r.Until.Format(dateLayout))
	case !r.Until.IsZero():
		parts = append(parts, "UNTIL="+r.Until.UTC().Format(utcLayout))
	}
	if r.Count > 0 {
		parts = append(parts, "COUNT="+strconv.Itoa(r.Count))
	}
	return strings.Join(parts, ";")
}

const (
	utcLayout   = "20060102T150405Z"
	localLayout = "20060102T150405"
	dateLayout  = "20060102"
)

// Encode writes the calendar.
func (c *Calendar) Encode(w io.Writer) error {
	e := &encoder{w: bufio.NewWriter(w)}
	e.line("BEGIN:VCALENDAR")
	e.line("VERSION:2.0")
	e.prop("PRODID", c.ProdID)
	e.line("CALSCALE:GREGORIAN")
	e.line("METHOD:PUBLISH")
	if c.Name != "" {
		e.text("NAME", c.Name)
		e.text("X-WR-CALNAME", c.Name)
	}
	if c.Description != "" {
		e.text("DESCRIPTION", c.Description)
		e.text("X-WR-CALDESC", c.Description)
	}
	if c.URL != "" {
		e.prop("URL;VALUE=URI", c.URL)
	}
	tz := c.Location.String()
	e.prop("X-WR-TIMEZONE", tz)
	if c.Refresh > 0 {
		d := duration(c.Refresh)
		e.prop("REFRESH-INTERVAL;VALUE=DURATION", d)
		e.prop("X-PUBLISHED-TTL", d)
	}
	if c.needsZone() {
		z := c.Zone
		if z == nil {
			first, last := c.zoneYears()
			z = NewZone(c.Location, first, last)
		}
		for _, l := range z.lines {
			e.line(l)
		}
	}
	for i := range c.Events {
		c.encodeEvent(e, &c.Events[i])
	}
	e.line("END:VCALENDAR")
	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}

func (c *Calendar) needsZone() bool {
	for _, ev := range c.Events {
		if !ev.AllDay {
			return true
		}
	}
	return false
}

// zoneYears is the range of years the feed's local times fall in.
func (c *Calendar) zoneYears() (first, last int) {
	for i, ev := range c.Events {
		y := ev.Start.In(c.Location).Year()
		end := y
		if ev.Rule != nil {
			end = y + 1
			if !ev.Rule.Until.IsZero() {
				end = ev.Rule.Until.In(c.Location).Year()
			}
		}
		if i == 0 || y < first {
			first = y
		}
		if i == 0 || end > last {
			last = end
		}
	}
	return first, last
}

func (c *Calendar) encodeEvent(e *encoder, ev *Event) {
	tz := c.Location.String()
	e.line("BEGIN:VEVENT")
	e.prop("UID", ev.UID)
	e.prop("DTSTAMP", ev.Stamp.UTC().Format(utcLayout))
	e.prop("SEQUENCE", strconv.Itoa(ev.Sequence))
	if !ev.LastModified.IsZero() {
		e.prop("LAST-MODIFIED", ev.LastModified.UTC().Format(utcLayout))
	}
	if ev.AllDay {
		e.prop("DTSTART;VALUE=DATE", ev.Start.Format(dateLayout))
		e.prop("DTEND;VALUE=DATE", ev.End.Format(dateLayout))
	} else {
		e.prop("DTSTART;TZID="+tz, ev.Start.In(c.Location).Format(localLayout))
		if ev.End.After(ev.Start) {
			e.prop("DTEND;TZID="+tz, ev.End.In(c.Location).Format(localLayout))
		}
	}
	if ev.Rule != nil {
		e.prop("RRULE", ev.Rule.String())
	}
	for _, x := range ev.ExDates {
		if ev.AllDay {
			e.prop("EXDATE;VALUE=DATE", x.Format(dateLayout))
		} else {
			e.prop("EXDATE;TZID="+tz, x.In(c.Location).Format(localLayout))
		}
	}
	e.text("SUMMARY", ev.Summary)
	if ev.Description != "" {
		e.text("DESCRIPTION", ev.Description)
	}
	if ev.Location != "" {
		e.text("LOCATION", ev.Location)
	}
	if ev.Geo != nil {
		e.prop("GEO", strconv.FormatFloat(ev.Geo.Lat, 'f', -1, 64)+";"+strconv.FormatFloat(ev.Geo.Lon, 'f', -1, 64))
	}
	if ev.URL != "" {
		e.prop("URL;VALUE=URI", ev.URL)
	}
	if len(ev.Categories) > 0 {
		escaped := make([]string, len(ev.Categories))
		for i, cat := range ev.Categories {
			escaped[i] = escapeText(cat)
		}
		e.prop("CATEGORIES", strings.Join(escaped, ","))
	}
	if ev.Organizer.Name != "" && ev.Organizer.Email != "" {
		e.prop("ORGANIZER;CN="+paramValue(ev.Organizer.Name), "mailto:"+ev.Organizer.Email)
	}
	if ev.Status != "" {
		e.prop("STATUS", ev.Status)
	}
	e.line("TRANSP:OPAQUE")
	e.line("END:VEVENT")
}

// encoder writes content lines, folded and CRLF-terminated, remembering the first error.
type encoder struct {
	w   *bufio.Writer
	err error
}

func (e *encoder) prop(name, value string) { e.line(name + ":" + value) }

func (e *encoder) text(name, value string) { e.line(name + ":" + escapeText(value)) }

// line folds a content line into chunks of at most 75 octets, never inside a UTF-8 character;
// each continuation starts with a space, which counts toward its 75.
func (e *encoder) line(s string) {
	if e.err != nil {
		return
	}
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		e.write(s[:cut])
		e.write("\r\n ")
		s = s[cut:]
		limit = 74
	}
	e.write(s)
	e.write("\r\n")
}

func (e *encoder) write(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

// escapeText escapes a TEXT value: backslash, semicolon, comma and newlines, nothing else.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n', '\r':
			b.WriteString(`\n`)
		default:
			if r < 0x20 && r != '\t' || r == 0x7f {
				continue // control characters are not allowed in TEXT
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// paramValue quotes a parameter value; double quotes cannot be escaped, so they become single.
func paramValue(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
}

func duration(d time.Duration) string {
	h := int(d.Hours())
	m := int(d.Minutes()) % 60
	out := "PT"
	if h > 0 {
		out += strconv.Itoa(h) + "H"
	}
	if m > 0 || h == 0 {
		out += strconv.Itoa(m) + "M"
	}
	return out
}

func offset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	return fmt.Sprintf("%s%02d%02d", sign, seconds/3600, seconds/60%60)
}
