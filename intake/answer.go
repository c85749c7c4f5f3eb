package intake

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/shaps-portal/shaps/intake/status"
)

// AnswerVersion marks an association's answer on the queue. A version above EnvelopeVersion
// makes a program that reads only requests keep the message aside instead of misreading it.
const AnswerVersion = 2

// TypeAnswer is the type of an answer message.
const TypeAnswer = "answer"

// AnswerEnvelope is an association's answer about a request, as the queue carries it.
type AnswerEnvelope struct {
	Version     int       `json:"version"`
	Type        string    `json:"type"`
	ID          string    `json:"id"`
	Code        string    `json:"code"`
	Association string    `json:"association"`
	Action      string    `json:"action"`
	Note        string    `json:"note,omitempty"` // to the office, from the association
	AnsweredAt  time.Time `json:"answered_at"`
}

// answerNamespace makes the ids of answers: one link, one answer, however often it is sent.
var answerNamespace = uuid.MustParse("3c8e6f0a-91d2-5b47-8e1f-6a2d4c9b7e15")

// SubmitAnswer puts an answer, already checked against its link, on the queue. Its id comes
// from the link, so that the same link sent twice is one answer.
func (in *Intake) SubmitAnswer(ctx context.Context, a status.Answer, note string) error {
	note = strings.TrimSpace(multiLine(note))
	if utf8.RuneCountInString(note) > status.MaxAnswerNote {
		note = string([]rune(note)[:status.MaxAnswerNote])
	}
	id := uuid.NewSHA1(answerNamespace, []byte(strings.Join([]string{a.Code, a.Association, a.Action, fmt.Sprint(a.Expires.Unix())}, "\x00")))
	body, err := json.Marshal(AnswerEnvelope{Version: AnswerVersion, Type: TypeAnswer, ID: id.String(), Code: a.Code, Association: a.Association,
		Action: a.Action, Note: note, AnsweredAt: in.Now().UTC().Truncate(time.Second)})
	if err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	if err := in.Queue.Enqueue(ctx, Message{ID: id.String(), Body: body}); err != nil {
		return fmt.Errorf("%w: %w", ErrQueue, err)
	}
	return nil
}
