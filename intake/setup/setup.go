package setup

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/shaps-portal/shaps/data"
	"github.com/shaps-portal/shaps/generator/settings"
	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/httpapi"
	"github.com/shaps-portal/shaps/intake/search"
	"github.com/shaps-portal/shaps/intake/spool"
	"github.com/shaps-portal/shaps/intake/sqsqueue"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/site"
)

// Config is the intake's configuration, read from Settings: each comes from a SHAPS_* (or
// AWS_*) environment variable, else from the config file named by SHAPS_CONFIG, else its default.
type Config struct {
	Queue          string   // spool | sqs
	SpoolDir       string   // SHAPS_SPOOL_DIR
	SQSQueueURL    string   // SHAPS_SQS_QUEUE_URL
	AWSRegion      string   // AWS_REGION
	SQSEndpoint    string   // AWS_ENDPOINT_URL_SQS, for local SQS servers
	AllowedOrigins []string // SHAPS_ALLOWED_ORIGINS, comma-separated
	RateLimit      int      // SHAPS_RATE_LIMIT, requests per minute per client; 0 turns it off
	CodePrefix     string   // SHAPS_CODE_PREFIX, e.g. VG
	// OriginSecret (SHAPS_ORIGIN_SECRET) is the secret CloudFront adds to what it forwards to the
	// function, which then believes the viewer's address CloudFront gives (lambdaproxy.Edge).
	OriginSecret string
	// AccessKeyID and SecretAccessKey, when set (SHAPS_AWS_ACCESS_KEY_ID,
	// SHAPS_AWS_SECRET_ACCESS_KEY), replace the default credential chain: hosts such as Netlify
	// reserve the AWS_* names for their own use.
	AccessKeyID     string
	SecretAccessKey string
	// The status board: where the office publishes each request's status and the status page
	// reads it.
	Status       string // SHAPS_STATUS: dir | s3
	StatusDir    string // SHAPS_STATUS_DIR
	StatusBucket string // SHAPS_STATUS_BUCKET
	S3Endpoint   string // AWS_ENDPOINT_URL_S3, for local S3 servers
	// SigningKey (SHAPS_SIGNING_KEY, at least 32 bytes) signs the requests' keys. Where it is
	// not set, a local program keeps one in SigningKeyFile (SHAPS_SIGNING_KEY_FILE); the
	// function refuses to start.
	SigningKey     string
	SigningKeyFile string
}

// Settings are the intake's settings; the admin program reads them too. A config file's key is
// the setting's Key.
var Settings = settings.Table{
	{Key: "queue", Env: "SHAPS_QUEUE", Default: "spool"},
	{Key: "spool_dir", Env: "SHAPS_SPOOL_DIR", Default: ".shaps/spool"},
	{Key: "sqs_queue_url", Env: "SHAPS_SQS_QUEUE_URL"},
	{Key: "aws_region", Env: "AWS_REGION", Default: "eu-south-1"},
	{Key: "sqs_endpoint", Env: "AWS_ENDPOINT_URL_SQS"},
	{Key: "allowed_origins", Env: "SHAPS_ALLOWED_ORIGINS", Kind: settings.List},
	// A limit that is not a whole number stops the program rather than turn the limit off.
	{Key: "rate_limit", Env: "SHAPS_RATE_LIMIT", Default: "10", Kind: settings.Int,
		Want: "a whole number of requests per minute per client, 0 to turn the limit off"},
	{Key: "code_prefix", Env: "SHAPS_CODE_PREFIX", Default: "VG"},
	{Key: "origin_secret", Env: "SHAPS_ORIGIN_SECRET"},
	{Key: "access_key_id", Env: "SHAPS_AWS_ACCESS_KEY_ID"},
	{Key: "secret_key", Env: "SHAPS_AWS_SECRET_ACCESS_KEY"},
	{Key: "region_override", Env: "SHAPS_AWS_REGION"},
	{Key: "status", Env: "SHAPS_STATUS", Default: "dir"},
	{Key: "status_dir", Env: "SHAPS_STATUS_DIR", Default: ".shaps/status"},
	{Key: "status_bucket", Env: "SHAPS_STATUS_BUCKET"},
	{Key: "s3_endpoint", Env: "AWS_ENDPOINT_URL_S3"},
	{Key: "signing_key", Env: "SHAPS_SIGNING_KEY"},
	{Key: "signing_key_file", Env: "SHAPS_SIGNING_KEY_FILE", Default: ".shaps/signing-key"},
}

// Load reads the configuration; defaults give a working local setup (the spool in .shaps/spool),
// and defaults, keyed like Settings, replace some of them for a caller (the function's queue is sqs).
func Load(getenv func(string) string, defaults map[string]string) (Config, error) {
	t := slices.Clone(Settings)
	for i := range t {
		if d, ok := defaults[t[i].Key]; ok {
			t[i].Default = d
		}
	}
	v, err := t.Load(nil, getenv)
	if err != nil {
		return Config{}, err
	}
	return FromValues(v)
}

// FromValues makes the intake's configuration out of settings read with Settings, and checks it.
func FromValues(v settings.Values) (Config, error) {
	c := Config{
		Queue:          strings.ToLower(v.String("queue")),
		SpoolDir:       v.String("spool_dir"),
		SQSQueueURL:    v.String("sqs_queue_url"),
		AWSRegion:      cmp.Or(v.String("region_override"), v.String("aws_region")),
		SQSEndpoint:    v.String("sqs_endpoint"),
		AllowedOrigins: v.List("allowed_origins"),
		RateLimit:      v.Int("rate_limit"),
		CodePrefix:     strings.ToUpper(v.String("code_prefix")),
		OriginSecret:   v.String("origin_secret"),

		AccessKeyID:     v.String("access_key_id"),
		SecretAccessKey: v.String("secret_key"),

		Status:         strings.ToLower(v.String("status")),
		StatusDir:      v.String("status_dir"),
		StatusBucket:   v.String("status_bucket"),
		S3Endpoint:     v.String("s3_endpoint"),
		SigningKey:     v.String("signing_key"),
		SigningKeyFile: v.String("signing_key_file"),
	}
	switch {
	case c.Queue != "spool" && c.Queue != "sqs":
		return c, fmt.Errorf("SHAPS_QUEUE=%q: want spool or sqs", c.Queue)
	case c.Queue == "sqs" && c.SQSQueueURL == "":
		return c, errors.New("SHAPS_QUEUE=sqs needs SHAPS_SQS_QUEUE_URL")
	case c.RateLimit < 0:
		return c, fmt.Errorf("SHAPS_RATE_LIMIT=%d: want 0 (off) or more", c.RateLimit)
	case c.Status != "dir" && c.Status != "s3":
		return c, fmt.Errorf("SHAPS_STATUS=%q: want dir or s3", c.Status)
	case c.Status == "s3" && c.StatusBucket == "":
		return c, errors.New("SHAPS_STATUS=s3 needs SHAPS_STATUS_BUCKET")
	case c.SigningKey != "" && len(c.SigningKey) < status.MinSecret:
		return c, fmt.Errorf("SHAPS_SIGNING_KEY: %d bytes, want at least %d (e.g. openssl rand -hex 32)", len(c.SigningKey), status.MinSecret)
	case c.OriginSecret != "" && len(c.OriginSecret) < 32:
		return c, errors.New("SHAPS_ORIGIN_SECRET: want at least 32 characters, e.g. openssl rand -hex 32")
	case len(c.CodePrefix) < 1 || len(c.CodePrefix) > 4 || strings.Trim(c.CodePrefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
		return c, fmt.Errorf("SHAPS_CODE_PREFIX=%q: want one to four letters", c.CodePrefix)
	}
	return c, nil
}

// awsConfig loads the AWS configuration: the region, and the credentials of SHAPS_AWS_* when
// set, the default chain otherwise.
func awsConfig(ctx context.Context, c Config) (aws.Config, error) {
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRegion(c.AWSRegion)}
	if c.AccessKeyID != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, "")))
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("aws config: %w", err)
	}
	return awsCfg, nil
}

// awsLoader loads the AWS configuration at most once, for the clients one caller opens in turn
// (it is not for concurrent use): loading it reads the shared files and any CA bundle, a cost
// at a function's start.
func awsLoader(c Config) func(context.Context) (aws.Config, error) {
	var (
		done   bool
		awsCfg aws.Config
		err    error
	)
	return func(ctx context.Context) (aws.Config, error) {
		if !done {
			awsCfg, err = awsConfig(ctx, c)
			done = true
		}
		return awsCfg, err
	}
}

// SQSClient builds the SQS client, pointed at AWS_ENDPOINT_URL_SQS when set.
func SQSClient(ctx context.Context, c Config) (*sqs.Client, error) {
	return sqsClient(ctx, c, awsLoader(c))
}

func sqsClient(ctx context.Context, c Config, load func(context.Context) (aws.Config, error)) (*sqs.Client, error) {
	awsCfg, err := load(ctx)
	if err != nil {
		return nil, err
	}
	return sqs.NewFromConfig(awsCfg, func(o *sqs.Options) {
		if c.SQSEndpoint != "" {
			o.BaseEndpoint = aws.String(c.SQSEndpoint)
		}
	}), nil
}

// OpenQueue opens the configured queue.
func OpenQueue(ctx context.Context, c Config) (intake.Queue, error) {
	return openQueue(ctx, c, awsLoader(c))
}

func openQueue(ctx context.Context, c Config, load func(context.Context) (aws.Config, error)) (intake.Queue, error) {
	switch c.Queue {
	case "sqs":
		client, err := sqsClient(ctx, c, load)
		if err != nil {
			return nil, err
		}
		return sqsqueue.New(client, c.SQSQueueURL)
	default:
		return spool.Open(c.SpoolDir)
	}
}

// OpenFunction opens what the function reads and writes, as OpenQueue and OpenStatusReader do,
// with one AWS configuration for both.
func OpenFunction(ctx context.Context, c Config) (intake.Queue, Status, error) {
	load := awsLoader(c)
	q, err := openQueue(ctx, c, load)
	if err != nil {
		return nil, Status{}, err
	}
	st, err := openStatusReader(ctx, c, load)
	if err != nil {
		return nil, Status{}, err
	}
	return q, st, nil
}

// Handler builds the intake's HTTP handler around a queue. dataFS holds portal.yaml and the
// associations, siteFS the i18n file and the page frame's partials and assets; nil means the
// copies built into the program.
func Handler(c Config, q intake.Queue, st Status, dataFS, siteFS fs.FS, now func() time.Time, log *slog.Logger) (*httpapi.Handler, error) {
	p, err := Prepare(dataFS, siteFS, now)
	if err != nil {
		return nil, err
	}
	if err := p.pages.Check(); err != nil {
		return nil, err
	}
	return p.Handler(c, q, st, log), nil
}

// Prepared is the intake's work done before its queue and status board are known: the data
// loaded and checked, the texts and the pages. A function prepares it while it opens its clients.
type Prepared struct {
	catalog *intake.Catalog
	pages   *httpapi.Pages
	now     func() time.Time
	today   time.Time
}

// Prepare loads the data, as Handler does, and leaves the texts to be read when first needed and
// the pages to be made on the first page rendered, where Handler does both at once; nil file
// systems mean the copies built into the program.
func Prepare(dataFS, siteFS fs.FS, now func() time.Time) (*Prepared, error) {
	if dataFS == nil {
		dataFS = data.FS
	}
	if siteFS == nil {
		siteFS = site.FS
	}
	today := now()
	catalog, err := intake.LoadCatalog(dataFS, today)
	if err != nil {
		return nil, err
	}
	return &Prepared{catalog: catalog, pages: httpapi.NewPages(catalog, siteFS), now: now, today: today}, nil
}

// Handler builds the intake's HTTP handler around a queue and a status board.
func (p *Prepared) Handler(c Config, q intake.Queue, st Status, log *slog.Logger) *httpapi.Handler {
	index := search.New(p.catalog.Data, p.today)
	in := &intake.Intake{Queue: q, Directory: p.catalog, CodePrefix: c.CodePrefix, Now: p.now}
	return httpapi.New(in, p.pages, httpapi.Options{AllowedOrigins: c.AllowedOrigins, RateLimit: c.RateLimit, Now: p.now, Log: log, Search: index, Calendar: p.catalog.Data,
		Status: st.Reader, Signer: st.Signer})
}

var _ http.Handler = (*httpapi.Handler)(nil)
