package lambdaproxy

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// Handler returns the Lambda handler function for h.
func Handler(h http.Handler) func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return func(ctx context.Context, e events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		r, err := Request(ctx, e)
		if err != nil {
			return events.APIGatewayProxyResponse{StatusCode: http.StatusBadRequest, Body: "bad request\n"}, nil
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return Response(w.Result().StatusCode, w.Header(), w.Body.Bytes()), nil
	}
}

// Request builds the HTTP request an API Gateway proxy event describes.
func Request(ctx context.Context, e events.APIGatewayProxyRequest) (*http.Request, error) {
	body := []byte(e.Body)
	if e.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(e.Body)
		if err != nil {
			return nil, fmt.Errorf("decode base64 body: %w", err)
		}
		body = b
	}
	q := url.Values{}
	for k, vs := range e.MultiValueQueryStringParameters {
		q[k] = append([]string(nil), vs...)
	}
	for k, v := range e.QueryStringParameters {
		if _, ok := q[k]; !ok {
			q.Set(k, v)
		}
	}
	path := e.Path
	if path == "" {
		path = "/"
	}
	u := &url.URL{Path: path, RawQuery: q.Encode()}
	r, err := http.NewRequestWithContext(ctx, e.HTTPMethod, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, vs := range e.MultiValueHeaders {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	for k, v := range e.Headers {
		if r.Header.Get(k) == "" {
			r.Header.Set(k, v)
		}
	}
	r.Host = r.Header.Get("Host")
	r.ContentLength = int64(len(body))
	r.RemoteAddr = net.JoinHostPort(clientAddress(e), "0")
	return r, nil
}

// NetlifyClientHeader carries the client's address in a Netlify Function's event; Netlify sets it
// and replaces any value a client sends.
const NetlifyClientHeader = "X-Nf-Client-Connection-Ip"

// clientAddress is the address the platform saw the request come from. API Gateway gives it in
// the request context, where no client can write; a Netlify Function's event has no request
// context, and Netlify gives it in its own header instead. A client's header is never believed
// where the request context holds the address.
func clientAddress(e events.APIGatewayProxyRequest) string {
	if ip := e.RequestContext.Identity.SourceIP; ip != "" {
		return ip
	}
	for k, v := range e.Headers {
		if http.CanonicalHeaderKey(k) == NetlifyClientHeader {
			return v
		}
	}
	for k, vs := range e.MultiValueHeaders {
		if http.CanonicalHeaderKey(k) == NetlifyClientHeader && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// Response builds the proxy response, in base64 when the body is not text.
func Response(status int, h http.Header, body []byte) events.APIGatewayProxyResponse {
	resp := events.APIGatewayProxyResponse{StatusCode: status, Headers: map[string]string{}, MultiValueHeaders: map[string][]string{}}
	for k, vs := range h {
		resp.Headers[k] = strings.Join(vs, ", ")
		resp.MultiValueHeaders[k] = vs
	}
	if utf8.Valid(body) {
		resp.Body = string(body)
	} else {
		resp.Body = base64.StdEncoding.EncodeToString(body)
		resp.IsBase64Encoded = true
	}
	return resp
}
