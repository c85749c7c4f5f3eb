package s3board_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/intake/status/boardtest"
	"github.com/shaps-portal/shaps/intake/status/s3board"
	"github.com/shaps-portal/shaps/intake/status/s3board/s3test"
)

// client speaks to an S3 server on 127.0.0.1.
func client(t *testing.T) (*s3.Client, *s3test.Server) {
	t.Helper()
	srv := s3test.Start(t)
	return s3.New(s3.Options{Region: "eu-south-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}), srv
}

func TestBoard(t *testing.T) {
	c, srv := client(t)
	b, err := s3board.New(c, s3test.Bucket)
	if err != nil {
		t.Fatal(err)
	}
	boardtest.Run(t, b)
	if err := b.Put(context.Background(), boardtest.Sample("VG-AAAA-BB")); err != nil {
		t.Fatal(err)
	}
	objs := srv.Objects(t)
	obj, ok := objs[s3board.Prefix+"VG-AAAA-BB.json"]
	if len(objs) != 1 || !ok {
		t.Fatalf("bucket: got %d objects, want only %sVG-AAAA-BB.json", len(objs), s3board.Prefix)
	}
	if len(obj) > 2048 {
		t.Errorf("object size: got %d bytes, want a small object under 2 KB", len(obj))
	}
}

func TestMissingBucketIsAnError(t *testing.T) {
	c, _ := client(t)
	b, err := s3board.New(c, "no-such-bucket")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(context.Background(), "VG-7K4M-Q2"); err == nil || errors.Is(err, status.ErrNotFound) {
		t.Errorf("get from a missing bucket: got %v, want an error that is not ErrNotFound", err)
	}
}
