package backups3_test

import (
	"context"
	"io"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/backups3"
)

// server starts an S3-speaking server on 127.0.0.1 with one bucket and returns a client for it,
// configured as the admin program configures its own (path-style, an endpoint of its own).
func server(t *testing.T, bucket string) *s3.Client {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server()) // binds 127.0.0.1
	t.Cleanup(srv.Close)
	return s3.New(s3.Options{Region: "eu-south-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in             string
		bucket, prefix string
		ok             bool
	}{
		{"s3://comune-backup/shaps/", "comune-backup", "shaps", true},
		{"s3://comune-backup", "comune-backup", "", true},
		{"s3:///prefix", "", "prefix", false},
		{"/mnt/backup", "", "", false},
	} {
		b, p, ok := backups3.ParseURL(tc.in)
		if b != tc.bucket || p != tc.prefix || ok != tc.ok {
			t.Errorf("ParseURL(%q) = %q %q %v, want %q %q %v", tc.in, b, p, ok, tc.bucket, tc.prefix, tc.ok)
		}
	}
}

func TestBucket(t *testing.T) {
	ctx := context.Background()
	client := server(t, "comune-backup")
	v := backups3.New(client, "comune-backup", "/shaps/")
	other := backups3.New(client, "comune-backup", "altro")
	t0 := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	var names []string
	for d := range 4 {
		n := office.BackupName(t0.Add(time.Duration(d) * 24 * time.Hour))
		if err := v.Put(ctx, n, []byte("cifrato "+n)); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := other.Put(ctx, office.BackupName(t0), []byte("altro")); err != nil {
		t.Fatal(err)
	}
	got, err := v.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, names) {
		t.Errorf("List = %v, want %v (only under its prefix)", got, names)
	}
	obj, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("comune-backup"), Key: aws.String("shaps/" + names[0])})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if string(body) != "cifrato "+names[0] {
		t.Errorf("object shaps/%s = %q, want what was put", names[0], body)
	}
	dropped, err := office.DropBackups(ctx, v, t0.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dropped, names[:2]) {
		t.Errorf("DropBackups = %v, want %v", dropped, names[:2])
	}
	if got, _ := v.List(ctx); !reflect.DeepEqual(got, names[2:]) {
		t.Errorf("after DropBackups: %v, want %v", got, names[2:])
	}
	if got, _ := other.List(ctx); len(got) != 1 {
		t.Errorf("the other prefix holds %v, want its one backup untouched", got)
	}
}
