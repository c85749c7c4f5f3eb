package setup_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/setup"
)

func TestLoad(t *testing.T) {
	file := filepath.Join(t.TempDir(), "intake.yaml")
	if err := os.WriteFile(file, []byte("queue: sqs\nsqs_queue_url: http://127.0.0.1:4100/queue/file\nrate_limit: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("rate_limit: lots\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		env      map[string]string
		defaults map[string]string
		want     setup.Config
		wantErr  string
	}{
		{
			name: "defaults: a local spool",
			want: setup.Config{Queue: "spool", SpoolDir: ".shaps/spool", AWSRegion: "eu-south-1", RateLimit: 10, CodePrefix: "VG", Status: "dir", StatusDir: ".shaps/status", SigningKeyFile: ".shaps/signing-key"},
		},
		{
			name:     "the caller's defaults",
			defaults: map[string]string{"spool_dir": "/tmp/spool", "rate_limit": "0"},
			want:     setup.Config{Queue: "spool", SpoolDir: "/tmp/spool", AWSRegion: "eu-south-1", RateLimit: 0, CodePrefix: "VG", Status: "dir", StatusDir: ".shaps/status", SigningKeyFile: ".shaps/signing-key"},
		},
		{
			name: "environment",
			env: map[string]string{"SHAPS_QUEUE": "SQS", "SHAPS_SQS_QUEUE_URL": "http://127.0.0.1:4100/queue/q", "AWS_REGION": "eu-west-1",
				"SHAPS_AWS_REGION": "eu-south-1", "SHAPS_ALLOWED_ORIGINS": " https://a.example.org, ,https://b.example.org", "SHAPS_CODE_PREFIX": "pv",
				"SHAPS_AWS_ACCESS_KEY_ID": "key", "SHAPS_AWS_SECRET_ACCESS_KEY": "secret", "AWS_ENDPOINT_URL_SQS": "http://127.0.0.1:4100",
				"SHAPS_ORIGIN_SECRET": "0123456789abcdef0123456789abcdef"},
			want: setup.Config{Queue: "sqs", SpoolDir: ".shaps/spool", SQSQueueURL: "http://127.0.0.1:4100/queue/q", AWSRegion: "eu-south-1",
				SQSEndpoint: "http://127.0.0.1:4100", AllowedOrigins: []string{"https://a.example.org", "https://b.example.org"},
				RateLimit: 10, CodePrefix: "PV", AccessKeyID: "key", SecretAccessKey: "secret", OriginSecret: "0123456789abcdef0123456789abcdef",
				Status: "dir", StatusDir: ".shaps/status", SigningKeyFile: ".shaps/signing-key"},
		},
		{
			name: "config file, environment wins",
			env:  map[string]string{"SHAPS_CONFIG": file, "SHAPS_RATE_LIMIT": "7"},
			want: setup.Config{Queue: "sqs", SpoolDir: ".shaps/spool", SQSQueueURL: "http://127.0.0.1:4100/queue/file", AWSRegion: "eu-south-1", RateLimit: 7, CodePrefix: "VG", Status: "dir", StatusDir: ".shaps/status", SigningKeyFile: ".shaps/signing-key"},
		},
		{name: "missing config file", env: map[string]string{"SHAPS_CONFIG": file + ".missing"}, wantErr: "read config " + file + ".missing"},
		{name: "unknown queue", env: map[string]string{"SHAPS_QUEUE": "redis"}, wantErr: `SHAPS_QUEUE="redis": want spool or sqs`},
		{name: "sqs without url", env: map[string]string{"SHAPS_QUEUE": "sqs"}, wantErr: "SHAPS_QUEUE=sqs needs SHAPS_SQS_QUEUE_URL"},
		{name: "negative rate", env: map[string]string{"SHAPS_RATE_LIMIT": "-1"}, wantErr: "SHAPS_RATE_LIMIT=-1: want 0 (off) or more"},
		{name: "rate in words", env: map[string]string{"SHAPS_RATE_LIMIT": "ten"}, wantErr: `SHAPS_RATE_LIMIT="ten": want a whole number`},
		{name: "rate with a fraction", env: map[string]string{"SHAPS_RATE_LIMIT": "2.5"}, wantErr: `SHAPS_RATE_LIMIT="2.5": want a whole number`},
		{name: "rate in the config file", env: map[string]string{"SHAPS_CONFIG": bad}, wantErr: `SHAPS_RATE_LIMIT="lots": want a whole number`},
		{
			name: "the status board on S3",
			env: map[string]string{"SHAPS_STATUS": "S3", "SHAPS_STATUS_BUCKET": "shaps-statuses", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000",
				"SHAPS_SIGNING_KEY": "0123456789abcdef0123456789abcdef"},
			want: setup.Config{Queue: "spool", SpoolDir: ".shaps/spool", AWSRegion: "eu-south-1", RateLimit: 10, CodePrefix: "VG",
				Status: "s3", StatusDir: ".shaps/status", StatusBucket: "shaps-statuses", S3Endpoint: "http://127.0.0.1:9000",
				SigningKey: "0123456789abcdef0123456789abcdef", SigningKeyFile: ".shaps/signing-key"},
		},
		{name: "unknown status board", env: map[string]string{"SHAPS_STATUS": "redis"}, wantErr: `SHAPS_STATUS="redis": want dir or s3`},
		{name: "s3 without bucket", env: map[string]string{"SHAPS_STATUS": "s3"}, wantErr: "SHAPS_STATUS=s3 needs SHAPS_STATUS_BUCKET"},
		{name: "short signing key", env: map[string]string{"SHAPS_SIGNING_KEY": "0123456789abcdef0123456789abcde"}, wantErr: "SHAPS_SIGNING_KEY: 31 bytes, want at least 32"},
		{name: "short origin secret", env: map[string]string{"SHAPS_ORIGIN_SECRET": "guessable"}, wantErr: "SHAPS_ORIGIN_SECRET: want at least 32 characters"},
		{name: "bad prefix", env: map[string]string{"SHAPS_CODE_PREFIX": "V1"}, wantErr: `SHAPS_CODE_PREFIX="V1": want one to four letters`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := setup.Load(func(k string) string { return tt.env[k] }, tt.defaults)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("setup.Load error = %v, want one starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("setup.Load =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// BenchmarkHandler builds the intake's handler from the data and texts built into the program,
// the work the function does at start: loading and checking the data, the form's lists and the
// search index (go test -run XXX -bench Handler ./intake/setup/).
func BenchmarkHandler(b *testing.B) {
	cfg, err := setup.Load(func(string) string { return "" }, nil)
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	for b.Loop() {
		if _, err := setup.Handler(cfg, nil, setup.Status{}, nil, nil, time.Now, log); err != nil {
			b.Fatal(err)
		}
	}
}
