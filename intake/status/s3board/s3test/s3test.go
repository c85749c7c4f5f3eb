// Package s3test serves a real S3 API (gofakes3, in memory) on 127.0.0.1 for the tests of
// whatever reads or writes the status board in a bucket.
package s3test

import (
	"io"
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Bucket is the bucket Start creates.
const Bucket = "shaps-statuses"

// Server is an S3 server with one bucket.
type Server struct {
	URL     string
	backend *s3mem.Backend
}

// Start serves S3 on 127.0.0.1 until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(Bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	return &Server{URL: srv.URL, backend: backend}
}

// Objects returns every object of the bucket: key → content.
func (s *Server) Objects(t testing.TB) map[string][]byte {
	t.Helper()
	list, err := s.backend.ListBucket(Bucket, &gofakes3.Prefix{}, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, o := range list.Contents {
		obj, err := s.backend.GetObject(Bucket, o.Key, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(obj.Contents)
		obj.Contents.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[o.Key] = b
	}
	return out
}

// Env is the configuration that points the portal's programs at the server.
func (s *Server) Env() map[string]string {
	return map[string]string{"SHAPS_STATUS": "s3", "SHAPS_STATUS_BUCKET": Bucket, "AWS_ENDPOINT_URL_S3": s.URL}
}
