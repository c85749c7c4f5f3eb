package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// MaxOccurrences bounds how many occurrences one recurring event expands into.
const MaxOccurrences = 1000

// Occurrence is one time an event takes place.
type Occurrence struct {
	Event      *Event
	Start, End time.Time // End is exclusive; for all-day events both are local midnights
}

// local places a wall-clock time parsed as UTC into loc, reporting whether that time exists
// there (it does not inside the spring-forward gap).
func local(t time.Time, loc *time.Location) (time.Time, bool) {
	l := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, loc)
	return l, l.Hour() == t.Hour() && l.Minute() == t.Minute()
}

func checkEvent(c *fileCheck, e *Event, loc *time.Location) {
	if e.Status == "" {
		e.Status = "scheduled"
	}
	start, startDate, err := ParseMoment(e.StartText)
	if err != nil {
		return // reported by the schema walk
	}
	switch {
	case e.AllDay && !startDate:
		c.add(c.at("start"), "start", "all_day è true, quindi start deve essere una data senza ora, es. %s", e.StartText[:10])
		return
	case !e.AllDay && startDate:
		c.add(c.at("start"), "start", "%s non ha l'ora; aggiungerla (es. %sT15:30) o scrivere all_day: true", e.StartText, e.StartText)
		return
	}
	var ok bool
	if e.Start, ok = local(start, loc); !ok {
		c.add(c.at("start"), "start", "%s non esiste nel fuso %s (quella notte gli orologi vanno avanti); scegliere un'altra ora", e.StartText, loc)
	}
	e.End = e.Start
	if e.AllDay {
		e.End = e.Start.AddDate(0, 0, 1)
	}
	if e.EndText != "" {
		end, endDate, err := ParseMoment(e.EndText)
		switch {
		case err != nil:
		case e.AllDay && !endDate:
			c.add(c.at("end"), "end", "all_day è true, quindi end deve essere l'ultimo giorno, senza ora, es. %s", e.EndText[:10])
		case !e.AllDay && endDate:
			c.add(c.at("end"), "end", "%s non ha l'ora; scrivere quando finisce l'evento, es. %sT18:00", e.EndText, e.EndText)
		case e.AllDay:
			e.End, _ = local(end.AddDate(0, 0, 1), loc)
			if end.Before(start) {
				c.add(c.at("end"), "end", "l'ultimo giorno %s viene prima del primo giorno %s", e.EndText, e.StartText)
			}
		default:
			if e.End, ok = local(end, loc); !ok {
				c.add(c.at("end"), "end", "%s non esiste nel fuso %s (quella notte gli orologi vanno avanti); scegliere un'altra ora", e.EndText, loc)
			}
			if !end.After(start) {
				c.add(c.at("end"), "end", "%s non viene dopo start %s; un evento deve finire dopo l'inizio", e.EndText, e.StartText)
			}
		}
	}
	if e.UpdatedText != "" {
		if u, err := time.Parse(DateTimeLayout, e.UpdatedText); err == nil {
			e.Updated, _ = local(u, loc)
		}
	}
	if r := e.Recurrence; r != nil {
		checkRecurrence(c, e, r, start)
	}
}

func checkRecurrence(c *fileCheck, e *Event, r *Recurrence, start time.Time) {
	if r.Count > 0 && r.Until != "" {
		c.add(c.at("recurrence.count"), "recurrence.count", "indicare until oppure count, non entrambi")
	}
	if r.Until != "" {
		if u, err := time.Parse(DateLayout, r.Until); err == nil && u.Before(start.Truncate(24*time.Hour)) {
			c.add(c.at("recurrence.until"), "recurrence.until", "%s viene prima dell'inizio dell'evento, %s", r.Until, e.StartText)
		}
	}
	for i, d := range r.ByDay {
		if n, _ := SplitByDay(d); n != 0 && r.Freq != "monthly" {
			p := fmt.Sprintf("recurrence.by_day[%d]", i)
			c.add(c.at(p), p, "%q indica una settimana del mese, che vale solo con freq: monthly", d)
		}
	}
	if r.Freq == "daily" && len(r.ByDay) > 0 {
		c.add(c.at("recurrence.by_day"), "recurrence.by_day", "by_day non va con freq: daily; usare freq: weekly con i giorni")
	}
	rule, err := e.rule()
	if err != nil {
		c.add(c.at("recurrence"), "recurrence", "non si riesce a calcolare: %v", err)
		return
	}
	// iCalendar counts the start as the first occurrence whatever the rule says: make them agree.
	if first := rule.After(e.Start.Add(-time.Second), false); !first.Equal(e.Start) {
		c.add(c.at("start"), "start", "%s (%s) non è un giorno della ripetizione; spostare start alla prima data%s",
			e.StartText, dayNames[e.Start.Weekday()], firstHint(first))
	}
}

// weekdays are the days' Italian names, from Sunday as time.Weekday counts.
var dayNames = [...]string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"}

func firstHint(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ", " + t.Format(DateLayout)
}

// SplitByDay splits 2SA into 2 and SA, -1FR into -1 and FR, MO into 0 and MO.
func SplitByDay(s string) (int, string) {
	if len(s) < 2 {
		return 0, s
	}
	day := s[len(s)-2:]
	n, _ := strconv.Atoi(strings.TrimPrefix(s[:len(s)-2], "+"))
	return n, day
}

var weekdays = map[string]rrule.Weekday{"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH, "FR": rrule.FR, "SA": rrule.SA, "SU": rrule.SU}

var freqs = map[string]rrule.Frequency{"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY}

// rule builds the recurrence rule; nil for a single event.
func (e *Event) rule() (*rrule.RRule, error) {
	r := e.Recurrence
	if r == nil {
		return nil, nil
	}
	freq, ok := freqs[r.Freq]
	if !ok {
		return nil, fmt.Errorf("unknown frequency %q", r.Freq)
	}
	opt := rrule.ROption{Freq: freq, Interval: max(r.Interval, 1), Dtstart: e.Start, Count: r.Count}
	if r.Until != "" {
		u, err := time.Parse(DateLayout, r.Until)
		if err != nil {
			return nil, err
		}
		// until is the last day on which the event takes place.
		opt.Until = time.Date(u.Year(), u.Month(), u.Day(), 23, 59, 59, 0, e.Start.Location())
	}
	for _, d := range r.ByDay {
		n, day := SplitByDay(d)
		wd, ok := weekdays[day]
		if !ok {
			return nil, fmt.Errorf("unknown day %q", d)
		}
		if n != 0 {
			wd = wd.Nth(n)
		}
		opt.Byweekday = append(opt.Byweekday, wd)
	}
	return rrule.NewRRule(opt)
}

// UntilUTC is the recurrence's last instant in UTC, as iCalendar wants it for zoned starts.
func (e *Event) UntilUTC() (time.Time, bool) {
	if e.Recurrence == nil || e.Recurrence.Until == "" {
		return time.Time{}, false
	}
	u, err := time.Parse(DateLayout, e.Recurrence.Until)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(u.Year(), u.Month(), u.Day(), 23, 59, 59, 0, e.Start.Location()).UTC(), true
}

// Occurrences lists the times the event takes place that overlap [from, to), in order, without
// the except dates, at most MaxOccurrences.
func (e *Event) Occurrences(from, to time.Time) []Occurrence {
	return e.occurrences(from, to, MaxOccurrences)
}

// Next returns the first occurrence still under way or to come at from.
func (e *Event) Next(from time.Time) (Occurrence, bool) {
	occ := e.occurrences(from, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), 1)
	if len(occ) == 0 {
		return Occurrence{}, false
	}
	return occ[0], true
}

func (e *Event) occurrences(from, to time.Time, limit int) []Occurrence {
	length := e.End.Sub(e.Start)
	occ := func(s time.Time) Occurrence {
		if e.AllDay {
			return Occurrence{Event: e, Start: s, End: allDayEnd(s, e)}
		}
		return Occurrence{Event: e, Start: s, End: s.Add(length)}
	}
	overlaps := func(o Occurrence) bool {
		return o.Start.Before(to) && (o.End.After(from) || (o.End.Equal(o.Start) && !o.Start.Before(from)))
	}
	rule, err := e.rule()
	if rule == nil || err != nil {
		if o := occ(e.Start); overlaps(o) {
			return []Occurrence{o}
		}
		return nil
	}
	except := map[string]bool{}
	for _, d := range e.Recurrence.Except {
		except[d] = true
	}
	var out []Occurrence
	it := rule.Iterator()
	for n := 0; n < 100*MaxOccurrences && len(out) < limit; n++ {
		s, ok := it()
		if !ok || !s.Before(to) {
			break
		}
		if o := occ(s); !except[s.Format(DateLayout)] && overlaps(o) {
			out = append(out, o)
		}
	}
	return out
}

// allDayEnd keeps an all-day occurrence's number of days, whatever the change of hour.
func allDayEnd(s time.Time, e *Event) time.Time {
	days := 0
	for d := e.Start; d.Before(e.End); d = d.AddDate(0, 0, 1) {
		days++
	}
	return s.AddDate(0, 0, days)
}
