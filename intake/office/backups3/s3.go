package backups3

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/shaps-portal/shaps/intake/office"
)

// API is what the vault needs of an S3 client.
type API interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, opts ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
}

// Bucket is a prefix in an S3 bucket.
type Bucket struct {
	api    API
	bucket string
	prefix string // "" or ending in "/"
}

var _ office.Vault = (*Bucket)(nil)

// ParseURL reads s3://bucket/prefix; ok is false for anything else (a folder).
func ParseURL(u string) (bucket, prefix string, ok bool) {
	rest, ok := strings.CutPrefix(u, "s3://")
	if !ok {
		return "", "", false
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	return bucket, strings.Trim(prefix, "/"), bucket != ""
}

// New is the vault at s3://bucket/prefix.
func New(api API, bucket, prefix string) *Bucket {
	if prefix = strings.Trim(prefix, "/"); prefix != "" {
		prefix += "/"
	}
	return &Bucket{api: api, bucket: bucket, prefix: prefix}
}

// Put uploads a backup; S3 shows an object only once it is whole.
func (b *Bucket) Put(ctx context.Context, name string, body []byte) error {
	_, err := b.api.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b.bucket), Key: aws.String(b.prefix + name),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))), ContentType: aws.String("application/octet-stream")})
	if err != nil {
		return fmt.Errorf("s3://%s/%s%s: %w", b.bucket, b.prefix, name, err)
	}
	return nil
}

// List returns the names of the backups under the prefix, sorted.
func (b *Bucket) List(ctx context.Context) ([]string, error) {
	var out []string
	in := &s3.ListObjectsV2Input{Bucket: aws.String(b.bucket), Prefix: aws.String(b.prefix)}
	for p := s3.NewListObjectsV2Paginator(b.api, in); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("s3://%s/%s: %w", b.bucket, b.prefix, err)
		}
		for _, o := range page.Contents {
			name := strings.TrimPrefix(aws.ToString(o.Key), b.prefix)
			if _, ok := office.BackupTime(name); ok && path.Base(name) == name {
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// Delete removes a backup.
func (b *Bucket) Delete(ctx context.Context, name string) error {
	if _, err := b.api.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.bucket), Key: aws.String(b.prefix + name)}); err != nil {
		return fmt.Errorf("s3://%s/%s%s: %w", b.bucket, b.prefix, name, err)
	}
	return nil
}
