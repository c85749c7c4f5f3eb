// Package s3board keeps the status board in an Amazon S3 bucket, one small private object per
// request under status/: where the function reads the statuses the office writes.
package s3board

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/shaps-portal/shaps/intake/status"
)

// Prefix is where the records lie in the bucket.
const Prefix = status.ObjectPrefix

// maxObject is the most read of an object: a record is well under 2 KB.
const maxObject = 64 << 10

// Client is what the board needs of S3.
type Client interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, opts ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
}

var _ Client = (*s3.Client)(nil)

// Board is a bucket of records.
type Board struct {
	client Client
	bucket string
}

var _ status.Board = (*Board)(nil)

// New returns the board in bucket.
func New(client Client, bucket string) (*Board, error) {
	if bucket == "" {
		return nil, errors.New("status board: no bucket given")
	}
	return &Board{client: client, bucket: bucket}, nil
}

func key(code string) (*string, error) {
	if !status.ValidCode(code) {
		return nil, fmt.Errorf("status board: %q is not a request's code", code)
	}
	return aws.String(status.ObjectKey(code)), nil
}

// Get reads the record of code.
func (b *Board) Get(ctx context.Context, code string) (status.Record, error) {
	k, err := key(code)
	if err != nil {
		return status.Record{}, err
	}
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.bucket), Key: k})
	var missing *types.NoSuchKey
	if errors.As(err, &missing) {
		return status.Record{}, status.ErrNotFound
	}
	if err != nil {
		return status.Record{}, fmt.Errorf("status board: get %s: %w", code, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, maxObject))
	if err != nil {
		return status.Record{}, fmt.Errorf("status board: get %s: %w", code, err)
	}
	var r status.Record
	if err := json.Unmarshal(data, &r); err != nil {
		return status.Record{}, fmt.Errorf("status board %s: %w", code, err)
	}
	return r, r.Validate()
}

// Put writes the record.
func (b *Board) Put(ctx context.Context, r status.Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	k, err := key(r.Code)
	if err != nil {
		return err
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("status board: %w", err)
	}
	_, err = b.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b.bucket), Key: k, Body: bytes.NewReader(data),
		ContentType: aws.String("application/json"), ContentLength: aws.Int64(int64(len(data)))})
	if err != nil {
		return fmt.Errorf("status board: put %s: %w", r.Code, err)
	}
	return nil
}

// Delete removes the record of code; S3 answers a missing object's deletion as done.
func (b *Board) Delete(ctx context.Context, code string) error {
	k, err := key(code)
	if err != nil {
		return err
	}
	if _, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.bucket), Key: k}); err != nil {
		return fmt.Errorf("status board: delete %s: %w", code, err)
	}
	return nil
}
