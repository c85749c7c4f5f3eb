package setup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/shaps-portal/shaps/data"
	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/httpapi"
	"github.com/shaps-portal/shaps/intake/search"
	"github.com/shaps-portal/shaps/intake/spool"
	"github.com/shaps-portal/shaps/intake/sqsqueue"
	"github.com/shaps-portal/shaps/site"
	"github.com/spf13/viper"
)

// Config is the intake's configuration. Each key comes from a SHAPS_* (or AWS_*) environment
// variable, or from the config file named by SHAPS_CONFIG.
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
}

// env maps each setting to its environment variable.
var env = map[string]string{
	"queue":           "SHAPS_QUEUE",
	"spool_dir":       "SHAPS_SPOOL_DIR",
	"sqs_queue_url":   "SHAPS_SQS_QUEUE_URL",
	"aws_region":      "AWS_REGION",
	"sqs_endpoint":    "AWS_ENDPOINT_URL_SQS",
	"allowed_origins": "SHAPS_ALLOWED_ORIGINS",
	"rate_limit":      "SHAPS_RATE_LIMIT",
	"code_prefix":     "SHAPS_CODE_PREFIX",
	"origin_secret":   "SHAPS_ORIGIN_SECRET",
	"access_key_id":   "SHAPS_AWS_ACCESS_KEY_ID",
	"secret_key":      "SHAPS_AWS_SECRET_ACCESS_KEY",
	"region_override": "SHAPS_AWS_REGION",
}

// Load reads the configuration; defaults give a working local setup (the spool in .shaps/spool).
func Load(getenv func(string) string, defaults map[string]string) (Config, error) {
	v := viper.New()
	v.SetDefault("queue", "spool")
	v.SetDefault("spool_dir", ".shaps/spool")
	v.SetDefault("rate_limit", "10")
	v.SetDefault("code_prefix", "VG")
	v.SetDefault("aws_region", "eu-south-1")
	for k, d := range defaults {
		v.SetDefault(k, d)
	}
	if file := getenv("SHAPS_CONFIG"); file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("read config %s: %w", file, err)
		}
	}
	for k, name := range env {
		if e := getenv(name); e != "" {
			v.Set(k, e)
		}
	}
	c := Config{
		Queue:        strings.ToLower(v.GetString("queue")),
		SpoolDir:     v.GetString("spool_dir"),
		SQSQueueURL:  v.GetString("sqs_queue_url"),
		AWSRegion:    v.GetString("aws_region"),
		SQSEndpoint:  v.GetString("sqs_endpoint"),
		CodePrefix:   strings.ToUpper(v.GetString("code_prefix")),
		OriginSecret: v.GetString("origin_secret"),

		AccessKeyID:     v.GetString("access_key_id"),
		SecretAccessKey: v.GetString("secret_key"),
	}
	// viper's GetInt reads "ten" as 0, which would turn the limit off without a word.
	rate := strings.TrimSpace(v.GetString("rate_limit"))
	n, err := strconv.Atoi(rate)
	if err != nil {
		return c, fmt.Errorf("SHAPS_RATE_LIMIT=%q: want a whole number of requests per minute per client, 0 to turn the limit off", rate)
	}
	c.RateLimit = n
	if r := v.GetString("region_override"); r != "" {
		c.AWSRegion = r
	}
	for _, o := range strings.Split(v.GetString("allowed_origins"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.AllowedOrigins = append(c.AllowedOrigins, o)
		}
	}
	switch {
	case c.Queue != "spool" && c.Queue != "sqs":
		return c, fmt.Errorf("SHAPS_QUEUE=%q: want spool or sqs", c.Queue)
	case c.Queue == "sqs" && c.SQSQueueURL == "":
		return c, errors.New("SHAPS_QUEUE=sqs needs SHAPS_SQS_QUEUE_URL")
	case c.RateLimit < 0:
		return c, fmt.Errorf("SHAPS_RATE_LIMIT=%d: want 0 (off) or more", c.RateLimit)
	case c.OriginSecret != "" && len(c.OriginSecret) < 32:
		return c, errors.New("SHAPS_ORIGIN_SECRET: want at least 32 characters, e.g. openssl rand -hex 32")
	case len(c.CodePrefix) < 1 || len(c.CodePrefix) > 4 || strings.Trim(c.CodePrefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
		return c, fmt.Errorf("SHAPS_CODE_PREFIX=%q: want one to four letters", c.CodePrefix)
	}
	return c, nil
}

// SQSClient builds the SQS client, pointed at AWS_ENDPOINT_URL_SQS when set.
func SQSClient(ctx context.Context, c Config) (*sqs.Client, error) {
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRegion(c.AWSRegion)}
	if c.AccessKeyID != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, "")))
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("aws config: %w", err)
	}
	return sqs.NewFromConfig(awsCfg, func(o *sqs.Options) {
		if c.SQSEndpoint != "" {
			o.BaseEndpoint = aws.String(c.SQSEndpoint)
		}
	}), nil
}

// OpenQueue opens the configured queue.
func OpenQueue(ctx context.Context, c Config) (intake.Queue, error) {
	switch c.Queue {
	case "sqs":
		client, err := SQSClient(ctx, c)
		if err != nil {
			return nil, err
		}
		return sqsqueue.New(client, c.SQSQueueURL)
	default:
		return spool.Open(c.SpoolDir)
	}
}

// Handler builds the intake's HTTP handler around a queue. dataFS holds portal.yaml and the
// associations, siteFS the i18n file and the page frame's partials and assets; nil means the
// copies built into the program.
func Handler(c Config, q intake.Queue, dataFS, siteFS fs.FS, now func() time.Time, log *slog.Logger) (*httpapi.Handler, error) {
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
	msg, err := httpapi.LoadMessages(siteFS)
	if err != nil {
		return nil, err
	}
	pages, err := httpapi.NewPages(catalog, msg, siteFS)
	if err != nil {
		return nil, err
	}
	index := search.New(catalog.Data, today)
	in := &intake.Intake{Queue: q, Directory: catalog, CodePrefix: c.CodePrefix, Now: now}
	return httpapi.New(in, pages, httpapi.Options{AllowedOrigins: c.AllowedOrigins, RateLimit: c.RateLimit, Now: now, Log: log, Search: index}), nil
}

var _ http.Handler = (*httpapi.Handler)(nil)
