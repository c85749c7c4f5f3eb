package deploy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"mime"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/awslabs/goformation/v7/cloudformation/cloudfront"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// portalBucket serves an S3 bucket on 127.0.0.1 as the template makes PortalBucket: the
// settings an S3-speaking test server has (versioning) follow the template; the rest (public
// access block, encryption) TestQueuesBucketsAndAlarms checks in the template itself.
func portalBucket(t *testing.T, b *s3.Bucket) (*awss3.Client, string) {
	t.Helper()
	var opts []gofakes3.Option
	opts = append(opts, gofakes3.WithLogger(gofakes3.DiscardLog()))
	if b.VersioningConfiguration == nil || b.VersioningConfiguration.Status != "Enabled" {
		opts = append(opts, gofakes3.WithoutVersioning())
	}
	srv := httptest.NewServer(gofakes3.New(s3mem.New(), opts...).Server())
	t.Cleanup(srv.Close)
	client := awss3.New(awss3.Options{Region: "eu-south-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	bucket := stack + "-portalbucket"
	if _, err := client.CreateBucket(context.Background(), &awss3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	return client, bucket
}

var link = regexp.MustCompile(`(?:href|src|action)="(/[^"#]*)"`)

// TestPortalThroughTheFunction: the portal, built and copied to a bucket as the deploy does,
// answers every link of its pages through the template's CloudFront function: each leads to an
// object of the bucket (a folder to its index.html, a path without its slash by a redirect to
// it) or to the intake; the page CloudFront shows for a missing one is there too.
func TestPortalThroughTheFunction(t *testing.T) {
	goTool := lookGo(t)
	node := lookNode(t)
	tpl := load(t)
	ctx := context.Background()

	out := t.TempDir()
	build := exec.Command(goTool, "run", "./generator", "build", "-out", out)
	build.Dir = ".."
	if msg, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the portal: %v\n%s", err, msg)
	}
	client, bucket := portalBucket(t, tpl.Resources["PortalBucket"].(*s3.Bucket))
	links := map[string]bool{}
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(strings.TrimPrefix(path, out+string(filepath.Separator)))
		// As aws s3 sync does: the type from the extension.
		if _, err := client.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
			Body: bytes.NewReader(data), ContentType: aws.String(mime.TypeByExtension(filepath.Ext(key)))}); err != nil {
			return err
		}
		if strings.HasSuffix(key, ".html") {
			for _, m := range link.FindAllSubmatch(data, -1) {
				links[strings.ReplaceAll(string(m[1]), "&amp;", "&")] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(links) < 20 {
		t.Fatalf("the portal's pages link %d paths; want the whole portal", len(links))
	}

	code := tpl.Resources["RoutesFunction"].(*cloudfront.Function).FunctionCode
	first := runFunction(t, node, code, keys(links))
	var redirected []string
	for target, o := range first {
		if o.Status == 301 {
			redirected = append(redirected, o.Location)
		} else if o.Status != 0 {
			t.Errorf("%s: the function answers %d", target, o.Status)
		}
	}
	second := runFunction(t, node, code, redirected)
	exists := func(uri string) bool {
		key, err := url.PathUnescape(strings.TrimPrefix(uri, "/"))
		if err != nil {
			return false
		}
		_, err = client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		return err == nil
	}
	intake := 0
	for target, o := range first {
		if o.Status == 301 {
			if o = second[o.Location]; o.Status != 0 {
				t.Errorf("%s: redirected twice", target)
				continue
			}
		}
		switch {
		case o.Origin == "intake":
			intake++
		case !exists(o.URI):
			t.Errorf("link %s: the function asks the bucket for %s, which has no such object", target, o.URI)
		}
	}
	if intake == 0 {
		t.Error("no link of the portal reaches the intake (the form, the search)")
	}
	for _, e := range tpl.Resources["Distribution"].(*cloudfront.Distribution).DistributionConfig.CustomErrorResponses {
		if e.ResponsePagePath != nil && !exists(*e.ResponsePagePath) {
			t.Errorf("the error page %s for %d is not in the bucket", *e.ResponsePagePath, e.ErrorCode)
		}
	}
	t.Logf("%d links: %d to the bucket, %d to the intake", len(first), len(first)-intake, intake)
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// outcome is what the CloudFront function did with a request.
type outcome struct {
	Origin   string `json:"origin"`
	URI      string `json:"uri"`
	Status   int    `json:"status"`
	Location string `json:"location"`
}

// runFunction runs the function under node on a GET of each target, by the harness the
// generator's tests use.
func runFunction(t *testing.T, node, code string, targets []string) map[string]outcome {
	t.Helper()
	res := map[string]outcome{}
	if len(targets) == 0 {
		return res
	}
	var requests []map[string]any
	for _, target := range targets {
		u, err := url.Parse(target)
		if err != nil {
			t.Fatalf("link %q: %v", target, err)
		}
		qs := map[string]any{}
		for k, vs := range u.Query() {
			qs[k] = map[string]string{"value": vs[0]}
		}
		requests = append(requests, map[string]any{"method": "GET", "uri": u.EscapedPath(), "querystring": qs, "headers": map[string]any{}})
	}
	dir := t.TempDir()
	data, _ := json.Marshal(requests)
	if err := os.WriteFile(filepath.Join(dir, "function.js"), []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "requests.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, "../generator/testdata/cloudfront-function.mjs", filepath.Join(dir, "function.js"), filepath.Join(dir, "requests.json")).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("node: %v\n%s", err, exit.Stderr)
	} else if err != nil {
		t.Fatal(err)
	}
	var got []outcome
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(targets) {
		t.Fatalf("node answered %s (%v)", out, err)
	}
	for i, target := range targets {
		res[target] = got[i]
	}
	return res
}

func lookNode(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is not installed; CI must install it (see .ci/run)")
		}
		t.Skip("node is not installed; install it to run the CloudFront function")
	}
	return p
}
