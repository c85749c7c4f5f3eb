package sqsqueue_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/sqsqueue"
	"github.com/shaps-portal/shaps/intake/sqsqueue/sqstest"
)

// senderFunc is a fake SQS client.
type senderFunc func(ctx context.Context, in *sqs.SendMessageInput, opts ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)

func (f senderFunc) SendMessage(ctx context.Context, in *sqs.SendMessageInput, opts ...func(*sqs.Options)) (*sqs.SendMessageOutput, error) {
	return f(ctx, in, opts...)
}

func TestInput(t *testing.T) {
	m := intake.Message{ID: "0b1c", Body: []byte(`{"a":1}`)}
	tests := []struct {
		url       string
		wantDedup bool
	}{
		{"https://sqs.eu-south-1.amazonaws.com/1/requests", false},
		{"https://sqs.eu-south-1.amazonaws.com/1/requests.fifo", true},
	}
	for _, tt := range tests {
		q, err := sqsqueue.New(senderFunc(nil), tt.url)
		if err != nil {
			t.Fatal(err)
		}
		in := q.Input(m)
		if aws.ToString(in.QueueUrl) != tt.url || aws.ToString(in.MessageBody) != `{"a":1}` {
			t.Errorf("%s: got url %q body %q, want the queue and the message", tt.url, aws.ToString(in.QueueUrl), aws.ToString(in.MessageBody))
		}
		if got := aws.ToString(in.MessageDeduplicationId) == "0b1c" && aws.ToString(in.MessageGroupId) != ""; got != tt.wantDedup {
			t.Errorf("%s: got dedup id %q group %q, want FIFO fields: %v", tt.url, aws.ToString(in.MessageDeduplicationId), aws.ToString(in.MessageGroupId), tt.wantDedup)
		}
	}
	if _, err := sqsqueue.New(senderFunc(nil), ""); err == nil {
		t.Error("no URL: got no error, want one")
	}
}

func TestRetries(t *testing.T) {
	calls := 0
	flaky := senderFunc(func(ctx context.Context, in *sqs.SendMessageInput, _ ...func(*sqs.Options)) (*sqs.SendMessageOutput, error) {
		calls++
		if calls < 3 {
			return nil, errors.New("throttled")
		}
		return &sqs.SendMessageOutput{}, nil
	})
	q, _ := sqsqueue.New(flaky, "https://example.org/q")
	if err := q.Enqueue(context.Background(), intake.Message{ID: "a", Body: []byte("x")}); err != nil || calls != 3 {
		t.Errorf("two failures then success: got err %v after %d calls, want nil after 3", err, calls)
	}
	calls = 0
	down := senderFunc(func(ctx context.Context, in *sqs.SendMessageInput, _ ...func(*sqs.Options)) (*sqs.SendMessageOutput, error) {
		calls++
		return nil, errors.New("unreachable")
	})
	q, _ = sqsqueue.New(down, "https://example.org/q")
	if err := q.Enqueue(context.Background(), intake.Message{ID: "a", Body: []byte("x")}); err == nil || calls != sqsqueue.Attempts {
		t.Errorf("always failing: got err %v after %d calls, want an error after %d", err, calls, sqsqueue.Attempts)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_ = q.Enqueue(ctx, intake.Message{ID: "a", Body: []byte("x")})
	if time.Since(start) > 2*time.Second {
		t.Errorf("retries went past the caller's deadline")
	}
}

func TestAgainstGoaws(t *testing.T) {
	srv := sqstest.Start(t)
	url := srv.QueueURL(t, sqstest.Queue)
	srv.Drain(t, url)
	q, err := sqsqueue.New(srv.Client(), url)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"version":1,"message":"Serve aiuto, è urgente; grazie"}`
	if err := q.Enqueue(context.Background(), intake.Message{ID: "1", Body: []byte(body)}); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	got := srv.Drain(t, url)
	if len(got) != 1 || got[0] != body {
		t.Fatalf("got %q on the queue, want exactly %q", got, body)
	}

	srv.Stop()
	defer srv.Start()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := q.Enqueue(ctx, intake.Message{ID: "2", Body: []byte("{}")}); err == nil {
		t.Fatal("queue down: got no error, want one")
	}
}
