// Package feeds turns the catalog's events into the portal's iCalendar feeds: all events, one per
// association, one per category and one per event.
package feeds
