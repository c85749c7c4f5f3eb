package lambdaproxy_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/shaps-portal/shaps/intake/lambdaproxy"
)

func TestRequest(t *testing.T) {
	form := "kind=richiesta&message=Serve+aiuto"
	tests := []struct {
		name      string
		event     events.APIGatewayProxyRequest
		wantURL   string
		wantBody  string
		wantType  string
		wantHost  string
		wantAddr  string
		wantError bool
	}{
		{
			name: "form post",
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/requests", Body: form,
				Headers:        map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Host": "portale.example.org"},
				RequestContext: events.APIGatewayProxyRequestContext{Identity: events.APIGatewayRequestIdentity{SourceIP: "203.0.113.7"}}},
			wantURL: "/api/requests", wantBody: form, wantType: "application/x-www-form-urlencoded", wantHost: "portale.example.org", wantAddr: "203.0.113.7:0",
		},
		{
			name: "base64 body, multi-value query and headers win",
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/requests", Body: base64.StdEncoding.EncodeToString([]byte(form)), IsBase64Encoded: true,
				QueryStringParameters:           map[string]string{"a": "last", "b": "1"},
				MultiValueQueryStringParameters: map[string][]string{"a": {"first", "last"}},
				Headers:                         map[string]string{"Content-Type": "text/plain"},
				MultiValueHeaders:               map[string][]string{"Content-Type": {"application/x-www-form-urlencoded"}}},
			wantURL: "/api/requests?a=first&a=last&b=1", wantBody: form, wantType: "application/x-www-form-urlencoded", wantAddr: ":0",
		},
		{
			name:    "no path",
			event:   events.APIGatewayProxyRequest{HTTPMethod: "GET"},
			wantURL: "/", wantAddr: ":0",
		},
		{
			name: "API Gateway: the request context's address, never a client's header",
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/requests",
				Headers:        map[string]string{"X-Nf-Client-Connection-Ip": "198.51.100.1", "X-Forwarded-For": "198.51.100.2"},
				RequestContext: events.APIGatewayProxyRequestContext{Identity: events.APIGatewayRequestIdentity{SourceIP: "203.0.113.7"}}},
			wantURL: "/api/requests", wantAddr: "203.0.113.7:0",
		},
		{
			name: "Netlify: its own header, as it sets it",
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/requests",
				Headers: map[string]string{"x-nf-client-connection-ip": "2001:db8::7", "X-Forwarded-For": "198.51.100.2"}},
			wantURL: "/api/requests", wantAddr: "[2001:db8::7]:0",
		},
		{
			name: "Netlify, multi-value headers",
			event: events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/cerca/",
				MultiValueHeaders: map[string][]string{"X-Nf-Client-Connection-Ip": {"192.0.2.9"}}},
			wantURL: "/cerca/", wantAddr: "192.0.2.9:0",
		},
		{
			name:      "broken base64",
			event:     events.APIGatewayProxyRequest{HTTPMethod: "POST", Body: "%%%", IsBase64Encoded: true},
			wantError: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := lambdaproxy.Request(context.Background(), tt.event)
			if tt.wantError {
				if err == nil {
					t.Fatal("lambdaproxy.Request succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(r.Body)
			got := []string{r.URL.String(), string(body), r.Header.Get("Content-Type"), r.Host, r.RemoteAddr}
			want := []string{tt.wantURL, tt.wantBody, tt.wantType, tt.wantHost, tt.wantAddr}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("url, body, content type, host, remote = %q, want %q", got, want)
			}
			if r.ContentLength != int64(len(tt.wantBody)) {
				t.Errorf("ContentLength = %d, want %d", r.ContentLength, len(tt.wantBody))
			}
		})
	}
}

func TestHandlerRoundTrip(t *testing.T) {
	png := []byte{0x89, 'P', 'N', 'G', 0xff, 0x00}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		if r.URL.Path == "/logo" {
			w.Write(png)
			return
		}
		w.WriteHeader(http.StatusSeeOther)
		io.WriteString(w, "Grazie, è arrivata.")
	})
	handle := lambdaproxy.Handler(h)
	resp, err := handle(context.Background(), events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/requests"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSeeOther || resp.Body != "Grazie, è arrivata." || resp.IsBase64Encoded {
		t.Errorf("text response = %d %q base64 %v, want 303 with the text as is", resp.StatusCode, resp.Body, resp.IsBase64Encoded)
	}
	if got := resp.MultiValueHeaders["Set-Cookie"]; !reflect.DeepEqual(got, []string{"a=1", "b=2"}) {
		t.Errorf("Set-Cookie values = %v, want both", got)
	}
	resp, _ = handle(context.Background(), events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/logo"})
	if got, _ := base64.StdEncoding.DecodeString(resp.Body); !resp.IsBase64Encoded || string(got) != string(png) {
		t.Errorf("binary response: base64 %v, body %q; want the bytes in base64", resp.IsBase64Encoded, resp.Body)
	}
	resp, _ = handle(context.Background(), events.APIGatewayProxyRequest{HTTPMethod: "POST", Body: "%%%", IsBase64Encoded: true})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("undecodable event: status %d, want 400", resp.StatusCode)
	}
}

// TestEdge: behind CloudFront the viewer's address is CloudFront's header, believed only on a
// request that carries the origin secret CloudFront adds; the secret never reaches the handler.
func TestEdge(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	context_ := events.APIGatewayProxyRequestContext{Identity: events.APIGatewayRequestIdentity{SourceIP: "130.176.1.1"}}
	tests := []struct {
		name    string
		edge    lambdaproxy.Edge
		headers map[string]string
		want    string
	}{
		{"through CloudFront", lambdaproxy.Edge{Secret: secret},
			map[string]string{"x-shaps-origin-secret": secret, "cloudfront-viewer-address": "203.0.113.7:46532"}, "203.0.113.7:0"},
		{"IPv6", lambdaproxy.Edge{Secret: secret},
			map[string]string{"X-Shaps-Origin-Secret": secret, "CloudFront-Viewer-Address": "2001:db8::7:46532"}, "[2001:db8::7]:0"},
		{"a wrong secret: the address API Gateway saw", lambdaproxy.Edge{Secret: secret},
			map[string]string{"X-Shaps-Origin-Secret": secret[1:] + "x", "CloudFront-Viewer-Address": "203.0.113.7:46532"}, "130.176.1.1:0"},
		{"no secret sent", lambdaproxy.Edge{Secret: secret},
			map[string]string{"CloudFront-Viewer-Address": "203.0.113.7:46532"}, "130.176.1.1:0"},
		{"no secret configured: the header is never believed", lambdaproxy.Edge{},
			map[string]string{"X-Shaps-Origin-Secret": "", "CloudFront-Viewer-Address": "203.0.113.7:46532"}, "130.176.1.1:0"},
		{"an address that is none", lambdaproxy.Edge{Secret: secret},
			map[string]string{"X-Shaps-Origin-Secret": secret, "CloudFront-Viewer-Address": "evil:1"}, "130.176.1.1:0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.edge.Request(context.Background(), events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/cerca/",
				Headers: tt.headers, RequestContext: context_})
			if err != nil {
				t.Fatal(err)
			}
			if r.RemoteAddr != tt.want {
				t.Errorf("RemoteAddr: got %q, want %q", r.RemoteAddr, tt.want)
			}
			if v := r.Header.Get(lambdaproxy.OriginSecretHeader); v != "" {
				t.Errorf("the handler sees the origin secret %q", v)
			}
		})
	}
}
