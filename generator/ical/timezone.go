package ical

import (
	"sort"
	"strconv"
	"time"
)

// transition is a change of UTC offset.
type transition struct {
	at         time.Time // the instant, UTC
	from, to   int       // offsets in seconds
	name       string    // the abbreviation after it, e.g. CEST
	isDaylight bool
}

// transitions finds the offset changes of loc in one year.
func transitions(loc *time.Location, year int) []transition {
	var out []transition
	t := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	_, prev := t.In(loc).Zone()
	for t.Before(end) {
		next := t.Add(time.Hour)
		if _, off := next.In(loc).Zone(); off != prev {
			// The change happened in (t, next]: find the second.
			n := sort.Search(3600, func(s int) bool {
				_, o := t.Add(time.Duration(s+1) * time.Second).In(loc).Zone()
				return o != prev
			})
			at := t.Add(time.Duration(n+1) * time.Second)
			name, _ := at.In(loc).Zone()
			out = append(out, transition{at: at, from: prev, to: off, name: name, isDaylight: off > prev})
			prev = off
		}
		t = next
	}
	return out
}

// Zone is a VTIMEZONE ready to write.
type Zone struct{ lines []string }

// NewZone makes the VTIMEZONE of loc with yearly rules, as Outlook and Google expect them, derived
// from the zone's changes in the last year the feed reaches (its first when the last has none).
func NewZone(loc *time.Location, first, last int) *Zone {
	e := &zoneWriter{}
	e.line("BEGIN:VTIMEZONE")
	e.prop("TZID", loc.String())
	e.prop("X-LIC-LOCATION", loc.String())
	ts := transitions(loc, last)
	if len(ts) == 0 {
		ts = transitions(loc, first)
	}
	if len(ts) == 0 {
		name, off := time.Date(last, 1, 1, 0, 0, 0, 0, loc).Zone()
		e.line("BEGIN:STANDARD")
		e.prop("TZOFFSETFROM", offset(off))
		e.prop("TZOFFSETTO", offset(off))
		e.prop("TZNAME", name)
		e.prop("DTSTART", "19700101T000000")
		e.line("END:STANDARD")
		e.line("END:VTIMEZONE")
		return &Zone{lines: e.lines}
	}
	for _, tr := range ts {
		kind := "STANDARD"
		if tr.isDaylight {
			kind = "DAYLIGHT"
		}
		// The rule, and the wall-clock time of the change before it happens.
		wall := tr.at.Add(time.Duration(tr.from) * time.Second)
		byDay := weekdayOfMonth(wall)
		e.line("BEGIN:" + kind)
		e.prop("TZOFFSETFROM", offset(tr.from))
		e.prop("TZOFFSETTO", offset(tr.to))
		e.prop("TZNAME", tr.name)
		e.prop("DTSTART", firstMatch(1970, wall.Month(), byDay, wall).Format(localLayout))
		e.prop("RRULE", "FREQ=YEARLY;BYMONTH="+strconv.Itoa(int(wall.Month()))+";BYDAY="+byDay)
		e.line("END:" + kind)
	}
	e.line("END:VTIMEZONE")
	return &Zone{lines: e.lines}
}

type zoneWriter struct{ lines []string }

func (z *zoneWriter) line(s string)           { z.lines = append(z.lines, s) }
func (z *zoneWriter) prop(name, value string) { z.line(name + ":" + value) }

var dayCodes = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// weekdayOfMonth says which weekday of its month t falls on: -1SU for the last Sunday, 2SA for
// the second Saturday.
func weekdayOfMonth(t time.Time) string {
	daysInMonth := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if t.Day()+7 > daysInMonth {
		return "-1" + dayCodes[t.Weekday()]
	}
	return strconv.Itoa((t.Day()-1)/7+1) + dayCodes[t.Weekday()]
}

// firstMatch is the day of month in year that byDay names, at the wall-clock time of clock.
func firstMatch(year int, month time.Month, byDay string, clock time.Time) time.Time {
	code := byDay[len(byDay)-2:]
	n, _ := strconv.Atoi(byDay[:len(byDay)-2])
	var wd time.Weekday
	for i, c := range dayCodes {
		if c == code {
			wd = time.Weekday(i)
		}
	}
	at := func(day int) time.Time {
		return time.Date(year, month, day, clock.Hour(), clock.Minute(), clock.Second(), 0, time.UTC)
	}
	if n < 0 {
		last := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC)
		back := (int(last.Weekday()) - int(wd) + 7) % 7
		return at(last.Day() - back)
	}
	firstDay := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	fwd := (int(wd) - int(firstDay.Weekday()) + 7) % 7
	return at(1 + fwd + 7*(n-1))
}
