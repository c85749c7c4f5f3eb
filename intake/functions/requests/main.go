// Command requests is the intake as a serverless function: a Netlify Function built from this
// folder, or an AWS Lambda (provided.al2023, built as bootstrap with -tags lambda.norpc) behind
// API Gateway. Requests go to SQS (SHAPS_QUEUE=sqs, SHAPS_SQS_QUEUE_URL) and statuses are read
// from S3 (SHAPS_STATUS=s3, SHAPS_STATUS_BUCKET); a folder would not survive the function's
// instance. Without SHAPS_SIGNING_KEY it does not start.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"
	_ "time/tzdata" // the data's timezone is checked at start, wherever the function runs

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/shaps-portal/shaps/intake/lambdaproxy"
	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/shaps-portal/shaps/site/routes"
)

func main() {
	if err := run(context.Background(), os.Getenv, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "requests: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, getenv func(string) string, stderr *os.File) error {
	cfg, err := setup.Load(getenv, map[string]string{"queue": "sqs", "status": "s3"})
	if err != nil {
		return err
	}
	if cfg.Queue != "sqs" {
		return errors.New("the function needs SHAPS_QUEUE=sqs: a spool would be lost with the instance")
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	q, err := setup.OpenQueue(ctx, cfg)
	if err != nil {
		return err
	}
	st, err := setup.OpenStatusReader(ctx, cfg)
	if err != nil {
		return err
	}
	h, err := setup.Handler(cfg, q, st, nil, nil, time.Now, log)
	if err != nil {
		return err
	}
	// Behind CloudFront (SHAPS_ORIGIN_SECRET set), the viewer's address is CloudFront's to tell.
	lambda.StartWithOptions(lambdaproxy.HandlerBehind(route(h), lambdaproxy.Edge{Secret: cfg.OriginSecret}), lambda.WithContext(ctx))
	return nil
}

// route maps the address the host hands the function, which may be the function's own
// (/.netlify/functions/requests/...) rather than the portal's path, onto the intake's routes,
// as the routes table says.
func route(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = routes.Resolve(r.Method, r.URL.Path)
		h.ServeHTTP(w, r)
	})
}
