package sqsqueue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/shaps-portal/shaps/intake"
)

// Sender is the one call of the SQS client the queue needs.
type Sender interface {
	SendMessage(ctx context.Context, in *sqs.SendMessageInput, opts ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
}

// Queue sends messages to one SQS queue.
type Queue struct {
	client   Sender
	url      string
	fifo     bool
	attempts int
	backoff  time.Duration
}

var _ intake.Queue = (*Queue)(nil)

// Attempts is how many times a message is sent before giving up; each attempt stops at the
// caller's deadline, so the function still answers in time.
const Attempts = 3

// New returns a queue for the SQS queue at url.
func New(client Sender, url string) (*Queue, error) {
	if url == "" {
		return nil, errors.New("sqs queue: no queue URL configured (SHAPS_SQS_QUEUE_URL)")
	}
	return &Queue{client: client, url: url, fifo: strings.HasSuffix(url, ".fifo"), attempts: Attempts, backoff: 200 * time.Millisecond}, nil
}

// Input builds the SendMessage call for a message: a pure function, tested without a network.
func (q *Queue) Input(m intake.Message) *sqs.SendMessageInput {
	in := &sqs.SendMessageInput{QueueUrl: aws.String(q.url), MessageBody: aws.String(string(m.Body))}
	if q.fifo {
		// The id is the deduplication id: the same request sent twice is stored once. Each
		// request is its own group, so one slow message holds up no other.
		in.MessageDeduplicationId = aws.String(m.ID)
		in.MessageGroupId = aws.String(m.ID)
	}
	return in
}

// Enqueue sends the message, retrying a few times with a growing pause while ctx allows.
func (q *Queue) Enqueue(ctx context.Context, m intake.Message) error {
	in := q.Input(m)
	var err error
	for attempt := 1; attempt <= q.attempts; attempt++ {
		if _, err = q.client.SendMessage(ctx, in); err == nil {
			return nil
		}
		if attempt == q.attempts || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("sqs send: %w (after %d attempts)", err, attempt)
		case <-time.After(q.backoff * time.Duration(attempt)):
		}
	}
	return fmt.Errorf("sqs send: %w", err)
}
