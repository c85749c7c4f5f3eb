package office_test

import (
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/status"
)

func TestOverdue(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	friday := time.Date(2026, 11, 27, 16, 0, 0, 0, rome) // routed on a Friday afternoon
	routed := office.Case{Code: "VG-7K4M-Q2", Status: office.StatusRouted, Routes: []office.Route{{At: friday, To: []string{"la-rondine"}}}}
	taken := routed
	taken.Answers = []office.Answer{{At: friday.Add(time.Hour), Association: "la-rondine", Action: status.AnswerTakenUp}}
	notOurs := routed
	notOurs.Answers = []office.Answer{{At: friday.Add(time.Hour), Association: "la-rondine", Action: status.AnswerNotOurs}}
	closed := routed
	closed.Status = office.StatusClosed
	tests := []struct {
		name string
		c    office.Case
		days int
		now  time.Time
		want bool
	}{
		{"the weekend does not count", routed, 2, time.Date(2026, 11, 30, 9, 0, 0, 0, rome), false}, // Monday: 1 working day
		{"two working days later", routed, 2, time.Date(2026, 12, 1, 9, 0, 0, 0, rome), true},       // Tuesday
		{"taken in charge", taken, 2, time.Date(2026, 12, 10, 9, 0, 0, 0, rome), false},
		{"only a 'not ours'", notOurs, 2, time.Date(2026, 12, 10, 9, 0, 0, 0, rome), true},
		{"closed", closed, 2, time.Date(2026, 12, 10, 9, 0, 0, 0, rome), false},
		{"no response_days", routed, 0, time.Date(2026, 12, 10, 9, 0, 0, 0, rome), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Overdue(tt.days, tt.now, rome); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
