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

// Receiver is what the administrator's pull needs of the SQS client.
type Receiver interface {
	ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, opts ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error)
	DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput, opts ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error)
}

// Inbox receives from the queue with long polling and deletes what was handled.
type Inbox struct {
	client Receiver
	url    string
	wait   int32
}

// NewInbox returns the reading side of the queue at url; wait is the long-polling time.
func NewInbox(client Receiver, url string, wait time.Duration) *Inbox {
	return &Inbox{client: client, url: url, wait: int32(wait / time.Second)}
}

// Delivery is a received message and the handle that deletes it.
type Delivery struct {
	Body   []byte
	handle *string
}

// Receive waits up to the long-polling time for at most max (≤ 10) messages.
func (in *Inbox) Receive(ctx context.Context, max int) ([]Delivery, error) {
	out, err := in.client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(in.url), MaxNumberOfMessages: int32(min(max, 10)), WaitTimeSeconds: in.wait,
	})
	if err != nil {
		return nil, fmt.Errorf("sqs receive: %w", err)
	}
	ds := make([]Delivery, 0, len(out.Messages))
	for _, m := range out.Messages {
		ds = append(ds, Delivery{Body: []byte(aws.ToString(m.Body)), handle: m.ReceiptHandle})
	}
	return ds, nil
}

// Delete removes a handled message from the queue.
func (in *Inbox) Delete(ctx context.Context, d Delivery) error {
	if _, err := in.client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(in.url), ReceiptHandle: d.handle}); err != nil {
		return fmt.Errorf("sqs delete: %w", err)
	}
	return nil
}
