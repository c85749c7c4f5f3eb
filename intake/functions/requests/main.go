// Command requests is the intake as a serverless function: a Netlify Function built from this
// folder, or an AWS Lambda (provided.al2023, built as bootstrap with -tags lambda.norpc) behind
// API Gateway. Requests go to SQS (SHAPS_QUEUE=sqs, SHAPS_SQS_QUEUE_URL); a spool would not
// survive the function's instance.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/shaps-portal/shaps/intake/lambdaproxy"
	"github.com/shaps-portal/shaps/intake/setup"
)

func main() {
	if err := run(context.Background(), os.Getenv, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "requests: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, getenv func(string) string, stderr *os.File) error {
	cfg, err := setup.Load(getenv, map[string]string{"queue": "sqs"})
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
	h, err := setup.Handler(cfg, q, nil, nil, time.Now, log)
	if err != nil {
		return err
	}
	lambda.StartWithOptions(lambdaproxy.Handler(h), lambda.WithContext(ctx))
	return nil
}
