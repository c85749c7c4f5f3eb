package s3board_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/intake/status/boardtest"
	"github.com/shaps-portal/shaps/intake/status/s3board"
)

// server serves an S3 API on 127.0.0.1 with one bucket, and returns a client for it.
func server(t *testing.T) (*s3.Client, *s3mem.Backend) {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("shaps-statuses"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	client := s3.New(s3.Options{Region: "eu-south-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	return client, backend
}

func TestBoard(t *testing.T) {
	client, backend := server(t)
	b, err := s3board.New(client, "shaps-statuses")
	if err != nil {
		t.Fatal(err)
	}
	boardtest.Run(t, b)
	if err := b.Put(context.Background(), boardtest.Sample("VG-AAAA-BB")); err != nil {
		t.Fatal(err)
	}
	obj, err := backend.HeadObject("shaps-statuses", s3board.Prefix+"VG-AAAA-BB.json")
	if err != nil {
		t.Fatalf("the object under %s: %v", s3board.Prefix, err)
	}
	if obj.Size > 2048 {
		t.Errorf("object size: got %d bytes, want a small object under 2 KB", obj.Size)
	}
}

func TestMissingBucketIsAnError(t *testing.T) {
	client, _ := server(t)
	b, err := s3board.New(client, "no-such-bucket")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(context.Background(), "VG-7K4M-Q2"); err == nil || errors.Is(err, status.ErrNotFound) {
		t.Errorf("get from a missing bucket: got %v, want an error that is not ErrNotFound", err)
	}
}
