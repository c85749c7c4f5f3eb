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
	"net/http"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // the data's timezone is checked at start, wherever the function runs

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
	lambda.StartWithOptions(lambdaproxy.Handler(route(h)), lambda.WithContext(ctx))
	return nil
}

// route maps the function's own address (/.netlify/functions/requests), which a host may pass
// instead of the portal's path, onto the intake's routes: .../modulo is the filled-in request
// form and .../cerca the search (netlify.toml sends them there), another GET the thanks page,
// other methods submissions.
func route(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/richieste/" || r.URL.Path == "/cerca/" || strings.HasPrefix(r.URL.Path, "/api/requests") || strings.HasPrefix(r.URL.Path, "/richieste/inviata/"):
			// already one of the intake's own paths
		case strings.HasSuffix(r.URL.Path, "/modulo"):
			r.URL.Path = "/richieste/"
		case strings.HasSuffix(r.URL.Path, "/cerca"):
			r.URL.Path = "/cerca/"
		default:
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				r.URL.Path = "/richieste/inviata/"
			} else {
				r.URL.Path = "/api/requests"
			}
		}
		h.ServeHTTP(w, r)
	})
}
