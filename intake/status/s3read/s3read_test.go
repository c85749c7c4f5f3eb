package s3read_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/intake/status/boardtest"
	"github.com/shaps-portal/shaps/intake/status/s3board"
	"github.com/shaps-portal/shaps/intake/status/s3board/s3test"
	"github.com/shaps-portal/shaps/intake/status/s3read"
)

// TestReadsWhatTheOfficeWrites: the function's reader finds, on a real S3 server, what the
// office's S3 adapter wrote, and nothing once it is deleted.
func TestReadsWhatTheOfficeWrites(t *testing.T) {
	srv := s3test.Start(t)
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	writer, err := s3board.New(s3.New(s3.Options{Region: "eu-south-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true, Credentials: creds}), s3test.Bucket)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := s3read.New(http.DefaultClient, s3test.Bucket, "eu-south-1", srv.URL, creds, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := reader.Get(ctx, "VG-7K4M-Q2"); !errors.Is(err, status.ErrNotFound) {
		t.Errorf("nothing written: got %v, want ErrNotFound", err)
	}
	want := boardtest.Sample("VG-7K4M-Q2")
	if err := writer.Put(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := reader.Get(ctx, "VG-7K4M-Q2")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, %v, want %+v", got, err, want)
	}
	if err := writer.Delete(ctx, "VG-7K4M-Q2"); err != nil {
		t.Fatal(err)
	}
	if _, err := reader.Get(ctx, "VG-7K4M-Q2"); !errors.Is(err, status.ErrNotFound) {
		t.Errorf("after delete: got %v, want ErrNotFound", err)
	}
	if _, err := reader.Get(ctx, "../VG-7K4M-Q2"); err == nil || errors.Is(err, status.ErrNotFound) {
		t.Errorf("a code that walks a path: got %v, want a refusal", err)
	}
	other, _ := s3read.New(http.DefaultClient, "no-such-bucket", "eu-south-1", srv.URL, creds, time.Now)
	if _, err := other.Get(ctx, "VG-7K4M-Q2"); err == nil || errors.Is(err, status.ErrNotFound) {
		t.Errorf("a missing bucket: got %v, want an error that is not ErrNotFound", err)
	}
}
