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
	"runtime/debug"
	"time"
	_ "time/tzdata" // the data's timezone is checked at start, wherever the function runs

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/shaps-portal/shaps/intake"
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
	if getenv("GOGC") == "" {
		// The start allocates more than the 4 MB at which Go first collects, mostly garbage by the
		// first request, and the collector ran once or twice during it. The heap may grow to five
		// times what is live (at least 16 MB), well within the smallest function's memory.
		debug.SetGCPercent(400)
	}
	cfg, err := setup.Load(getenv, map[string]string{"queue": "sqs", "status": "s3"})
	if err != nil {
		return err
	}
	if cfg.Queue != "sqs" {
		return errors.New("the function needs SHAPS_QUEUE=sqs: a spool would be lost with the instance")
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	// The clients are opened while the data is loaded and checked: both weigh on the start.
	type clients struct {
		q   intake.Queue
		st  setup.Status
		err error
	}
	opened := make(chan clients, 1)
	go func() {
		q, st, err := setup.OpenFunction(ctx, cfg)
		opened <- clients{q, st, err}
	}()
	p, err := setup.Prepare(nil, nil, time.Now)
	cl := <-opened
	if err != nil {
		return err
	}
	if cl.err != nil {
		return cl.err
	}
	h := p.Handler(cfg, cl.q, cl.st, log)
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
