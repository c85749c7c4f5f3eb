package feeds_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
	"github.com/shaps-portal/shaps/generator/feeds"
	"github.com/shaps-portal/shaps/generator/ical"
)

// BenchmarkFeed50k encodes one feed of 50,000 events, made by repeating the demo's events (with
// their recurrences, all-day events and long texts) under new slugs.
func BenchmarkFeed50k(b *testing.B) {
	cat, ps := catalog.LoadDir("../../data", now)
	if len(ps.Errors()) > 0 {
		b.Fatal(ps.Error())
	}
	const total = 50000
	big := &catalog.Catalog{Portal: cat.Portal, Location: cat.Location}
	for i := 0; countEvents(big) < total; i++ {
		for _, a := range cat.Associations {
			c := *a
			c.Slug = fmt.Sprintf("%s-%d", a.Slug, i)
			c.Events = nil
			for _, e := range a.Events {
				if countEvents(big)+len(c.Events) >= total {
					break
				}
				ce := *e
				ce.Association = &c
				c.Events = append(c.Events, &ce)
			}
			big.Associations = append(big.Associations, &c)
		}
	}
	events := feeds.Events(big, feeds.Options{BaseURL: cat.Portal.BaseURL, Since: now.AddDate(-10, 0, 0), Labels: labels})
	if len(events) != total {
		b.Fatalf("got %d events, want %d", len(events), total)
	}
	cal := &ical.Calendar{ProdID: "-//bench//IT", Name: "Eventi", Location: cat.Location, Refresh: feeds.Refresh, Events: events}
	var buf bytes.Buffer
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := cal.Encode(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/total, "ns/event")
	b.ReportMetric(float64(buf.Len())/total, "bytes/event")
}

func countEvents(c *catalog.Catalog) int {
	n := 0
	for _, a := range c.Associations {
		n += len(a.Events)
	}
	return n
}
