// Package sqstest runs a real SQS-speaking server, goaws, on 127.0.0.1 for tests: it answers the
// JSON protocol of aws-sdk-go-v2 as SQS does. goaws keeps its state in package variables, so a
// test binary runs one server; Stop and Start take it down and bring it back on the same port.
package sqstest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/Admiral-Piett/goaws/app/conf"
	"github.com/Admiral-Piett/goaws/app/gosqs"
	"github.com/Admiral-Piett/goaws/app/router"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/sirupsen/logrus"
)

// Server is the running SQS server.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT, for AWS_ENDPOINT_URL_SQS
	Region   string
	port     string
	mu       sync.Mutex
	srv      *http.Server
}

var (
	once    sync.Once
	shared  *Server
	initErr error
)

// Queues created at start: a standard queue and its dead-letter queue.
const (
	Queue = "shaps-requests"
	DLQ   = "shaps-requests-dlq"
)

// Start returns the test binary's SQS server, starting it the first time.
func Start(t testing.TB) *Server {
	t.Helper()
	once.Do(func() { shared, initErr = start() })
	if initErr != nil {
		t.Fatalf("start goaws: %v", initErr)
	}
	if err := shared.Start(); err != nil {
		t.Fatalf("start goaws: %v", err)
	}
	return shared
}

func start() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	dir, err := os.MkdirTemp("", "goaws-")
	if err != nil {
		return nil, err
	}
	cfg := fmt.Sprintf(`Local:
  Host: 127.0.0.1
  Port: %s
  Region: eu-south-1
  AccountId: "100010001000"
  LogToFile: false
  EnableDuplicates: false
  QueueAttributeDefaults:
    VisibilityTimeout: 2
    ReceiveMessageWaitTimeSeconds: 0
  Queues:
    - Name: %s
    - Name: %s
`, port, Queue, DLQ)
	file := filepath.Join(dir, "goaws.yaml")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		return nil, err
	}
	// goaws logs every message it holds; tests keep only its errors.
	logrus.SetOutput(io.Discard)
	conf.LoadYamlConfig(file, "Local")
	go gosqs.PeriodicTasks(500*time.Millisecond, make(chan bool))
	return &Server{Endpoint: "http://127.0.0.1:" + port, Region: "eu-south-1", port: port}, nil
}

// Start serves on the server's port, if it is not serving already.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may take a moment to be free again after Stop
		if ln, err = net.Listen("tcp", "127.0.0.1:"+s.port); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	s.srv = &http.Server{Handler: router.New(), ReadHeaderTimeout: 5 * time.Second}
	go func(srv *http.Server) {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(os.Stderr, "goaws: %v\n", err)
		}
	}(s.srv)
	return nil
}

// Stop takes the server down: the queue is unreachable until Start.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		_ = s.srv.Close()
		s.srv = nil
	}
}

// Client returns an SQS client for the server, with dummy credentials.
func (s *Server) Client() *sqs.Client {
	return sqs.New(sqs.Options{
		Region:       s.Region,
		BaseEndpoint: aws.String(s.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
}

// QueueURL asks the server for a queue's URL.
func (s *Server) QueueURL(t testing.TB, name string) string {
	t.Helper()
	out, err := s.Client().GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String(name)})
	if err != nil {
		t.Fatalf("queue url of %s: %v", name, err)
	}
	return aws.ToString(out.QueueUrl)
}

// Drain receives and deletes every message of a queue, returning their bodies.
func (s *Server) Drain(t testing.TB, url string) []string {
	t.Helper()
	var bodies []string
	c := s.Client()
	for {
		out, err := c.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10})
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		if len(out.Messages) == 0 {
			return bodies
		}
		for _, m := range out.Messages {
			bodies = append(bodies, aws.ToString(m.Body))
			if _, err := c.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatalf("delete: %v", err)
			}
		}
	}
}
