// Package s3read reads the status board in an S3 bucket with one signed GET a request: the
// function's side of the board, which only reads, without the S3 client's weight (about 5 MB of
// the function's binary). The office writes through intake/status/s3board.
package s3read

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/shaps-portal/shaps/intake/status"
)

// emptyHash is the SHA-256 of an empty body, which a GET signs.
const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// maxObject is the most read of an object: a record is well under 2 KB.
const maxObject = 64 << 10

// Board reads records from a bucket.
type Board struct {
	client *http.Client
	base   string // the bucket's address, ending in /
	region string
	creds  aws.CredentialsProvider
	signer *v4.Signer
	now    func() time.Time
}

var _ status.Reader = (*Board)(nil)

// New reads from bucket in region with creds. endpoint, when set, is a server of its own
// (AWS_ENDPOINT_URL_S3), addressed path-style; otherwise the bucket's virtual-hosted address.
func New(client *http.Client, bucket, region, endpoint string, creds aws.CredentialsProvider, now func() time.Time) (*Board, error) {
	if bucket == "" || region == "" {
		return nil, errors.New("status board: a bucket and a region are needed")
	}
	base := "https://" + bucket + ".s3." + region + ".amazonaws.com/"
	if endpoint != "" {
		base = strings.TrimSuffix(endpoint, "/") + "/" + bucket + "/"
	}
	return &Board{client: client, base: base, region: region, creds: creds,
		signer: v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }), now: now}, nil
}

// Get reads the record of code. A missing object is status.ErrNotFound: S3 says 404 NoSuchKey
// when the reader may list the bucket's status/ prefix, and 403 otherwise, which is an error
// here, as a missing bucket is.
func (b *Board) Get(ctx context.Context, code string) (status.Record, error) {
	if !status.ValidCode(code) {
		return status.Record{}, fmt.Errorf("status board: %q is not a request's code", code)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+status.ObjectKey(code), nil)
	if err != nil {
		return status.Record{}, fmt.Errorf("status board: %w", err)
	}
	creds, err := b.creds.Retrieve(ctx)
	if err != nil {
		return status.Record{}, fmt.Errorf("status board: credentials: %w", err)
	}
	req.Header.Set("X-Amz-Content-Sha256", emptyHash)
	if err := b.signer.SignHTTP(ctx, creds, req, emptyHash, "s3", b.region, b.now()); err != nil {
		return status.Record{}, fmt.Errorf("status board: sign: %w", err)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return status.Record{}, fmt.Errorf("status board: get %s: %w", code, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxObject))
	switch {
	case resp.StatusCode == http.StatusNotFound && bytes.Contains(data, []byte("<Code>NoSuchKey</Code>")):
		return status.Record{}, status.ErrNotFound
	case resp.StatusCode != http.StatusOK:
		return status.Record{}, fmt.Errorf("status board: get %s: %s", code, resp.Status)
	case err != nil:
		return status.Record{}, fmt.Errorf("status board: get %s: %w", code, err)
	}
	var r status.Record
	if err := json.Unmarshal(data, &r); err != nil {
		return status.Record{}, fmt.Errorf("status board %s: %w", code, err)
	}
	if r.Code != code {
		return status.Record{}, fmt.Errorf("status board: the object of %s holds %q", code, r.Code)
	}
	return r, r.Validate()
}
