package office

import (
	"fmt"
	"regexp"
	"time"
)

// Event is one line of the audit trail: who did what, when, to which case ("-" for none). It
// holds no personal data: Actor is an operator's name.
type Event struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Code   string    `json:"code"`
	Detail string    `json:"detail,omitempty"`
}

// Actions are what can happen to a case, as the audit trail names them.
var Actions = []string{"received", "routed", "closed", "reopened", "reminded", "answered", "purged"}

var operatorName = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,39}$`)

// ValidOperator checks an operator's name, which the audit trail and the pages show: letters,
// digits, spaces, '.', '@', '-' and '_', at most 40, starting with a letter or a digit.
func ValidOperator(name string) error {
	if !operatorName.MatchString(name) {
		return fmt.Errorf("operator name %q: want letters, digits, spaces, '.', '@', '-' or '_', at most 40, e.g. anna.rossi", name)
	}
	return nil
}
