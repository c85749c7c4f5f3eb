package lambdaproxy

import (
	"bytes"
	"context"
	"crypto/subtle"
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
	return HandlerBehind(h, Edge{})
}

// Edge is a CDN in front of API Gateway (CloudFront, on AWS), which every request then comes
// from: it tells the function the viewer's address in CloudFrontViewerHeader, and proves that a
// request came through it with Secret in OriginSecretHeader, a header it adds to what it
// forwards. Without the secret, a client calling API Gateway directly could write the address
// header itself; with no Secret the header is never believed.
type Edge struct{ Secret string }

// The headers of a request that came through the edge.
const (
	CloudFrontViewerHeader = "Cloudfront-Viewer-Address" // ip:port, as CloudFront writes it
	OriginSecretHeader     = "X-Shaps-Origin-Secret"
)

// HandlerBehind returns the Lambda handler function for h behind edge.
func HandlerBehind(h http.Handler, edge Edge) func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return func(ctx context.Context, e events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		r, err := edge.Request(ctx, e)
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
	return Edge{}.Request(ctx, e)
}

// Request builds the HTTP request an API Gateway proxy event describes, the client's address
// the viewer's when the request proves it came through the edge.
func (edge Edge) Request(ctx context.Context, e events.APIGatewayProxyRequest) (*http.Request, error) {
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
	addr := clientAddress(e)
	if viewer, ok := edge.viewer(r.Header); ok {
		addr = viewer
	}
	r.Header.Del(OriginSecretHeader)
	r.RemoteAddr = net.JoinHostPort(addr, "0")
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

// viewer is the viewer's address the edge gave, if the request came through it.
func (edge Edge) viewer(h http.Header) (string, bool) {
	if edge.Secret == "" || subtle.ConstantTimeCompare([]byte(h.Get(OriginSecretHeader)), []byte(edge.Secret)) != 1 {
		return "", false
	}
	v := h.Get(CloudFrontViewerHeader)
	i := strings.LastIndexByte(v, ':')
	if i < 0 {
		return "", false
	}
	ip := net.ParseIP(strings.Trim(v[:i], "[]"))
	if ip == nil {
		return "", false
	}
	return ip.String(), true
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
