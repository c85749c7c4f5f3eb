package deploy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
	"github.com/shaps-portal/shaps/intake/lambdaproxy"
	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/shaps-portal/shaps/intake/sqsqueue/sqstest"
)

// stack is the stack's name in these tests, as samconfig.toml names it.
const stack = "shaps"

// name resolves a name the template writes as !Sub "${AWS::StackName}-…".
func name(s string) string {
	return strings.NewReplacer("Sub:", "", "${AWS::StackName}", stack).Replace(s)
}

// createQueues creates on the SQS server every queue of the template, with the attributes the
// template gives it, a dead-letter queue before the queue that sends to it; it returns their
// URLs by logical id.
func createQueues(t *testing.T, tpl *cloudformation.Template, srv *sqstest.Server) map[string]string {
	t.Helper()
	client := srv.Client()
	urls, arns := map[string]string{}, map[string]string{}
	var create func(id string)
	create = func(id string) {
		if urls[id] != "" {
			return
		}
		q := tpl.Resources[id].(*sqs.Queue)
		attrs := map[string]string{}
		b := func(p *bool) string { return strconv.FormatBool(p != nil && *p) }
		if q.FifoQueue != nil {
			attrs["FifoQueue"] = b(q.FifoQueue)
			attrs["ContentBasedDeduplication"] = b(q.ContentBasedDeduplication)
		}
		attrs["SqsManagedSseEnabled"] = b(q.SqsManagedSseEnabled)
		if q.MessageRetentionPeriod != nil {
			attrs["MessageRetentionPeriod"] = strconv.Itoa(*q.MessageRetentionPeriod)
		}
		if q.VisibilityTimeout != nil {
			attrs["VisibilityTimeout"] = strconv.Itoa(*q.VisibilityTimeout)
		}
		if q.RedrivePolicy != nil {
			var rp struct {
				Target string `json:"deadLetterTargetArn"`
				Max    int    `json:"maxReceiveCount"`
			}
			data, _ := json.Marshal(q.RedrivePolicy)
			if err := json.Unmarshal(data, &rp); err != nil {
				t.Fatalf("%s: redrive policy %s: %v", id, data, err)
			}
			target := strings.TrimSuffix(strings.TrimPrefix(rp.Target, "GetAtt:"), ".Arn")
			create(target)
			data, _ = json.Marshal(map[string]any{"deadLetterTargetArn": arns[target], "maxReceiveCount": rp.Max})
			attrs["RedrivePolicy"] = string(data)
		}
		out, err := client.CreateQueue(context.Background(), &awssqs.CreateQueueInput{QueueName: aws.String(name(*q.QueueName)), Attributes: attrs})
		if err != nil {
			t.Fatalf("create %s: %v", id, err)
		}
		urls[id] = aws.ToString(out.QueueUrl)
		got, err := client.GetQueueAttributes(context.Background(), &awssqs.GetQueueAttributesInput{QueueUrl: out.QueueUrl,
			AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll}})
		if err != nil {
			t.Fatalf("attributes of %s: %v", id, err)
		}
		arns[id] = got.Attributes["QueueArn"]
		// What goaws keeps of what the template asks (it keeps neither FIFO's flag nor the
		// encryption as attributes: the .fifo name makes the queue FIFO).
		for _, k := range []string{"MessageRetentionPeriod", "VisibilityTimeout"} {
			if attrs[k] != "" && got.Attributes[k] != attrs[k] {
				t.Errorf("%s: %s is %q, want %q", id, k, got.Attributes[k], attrs[k])
			}
		}
		if attrs["RedrivePolicy"] != "" {
			var rp struct {
				Target string `json:"deadLetterTargetArn"`
				Max    any    `json:"maxReceiveCount"`
			}
			if err := json.Unmarshal([]byte(got.Attributes["RedrivePolicy"]), &rp); err != nil || fmt.Sprint(rp.Max) != "5" || rp.Target == "" {
				t.Errorf("%s: redrive policy %q (%v), want the dead-letter queue after 5 receives", id, got.Attributes["RedrivePolicy"], err)
			}
		}
	}
	for id, r := range tpl.Resources {
		if _, ok := r.(*sqs.Queue); ok {
			create(id)
		}
	}
	return urls
}

// originSecret and signingKey stand for the OriginSecret and SigningKey parameters given at the
// first deploy.
const (
	originSecret = "0123456789abcdef0123456789abcdef"
	signingKey   = "fedcba9876543210fedcba9876543210"
)

// functionEnv is the function's environment as the template sets it, with the queue's URL,
// the origin secret and the endpoint of the SQS server in place of AWS's.
func functionEnv(t *testing.T, tpl *cloudformation.Template, urls map[string]string, srv *sqstest.Server) map[string]string {
	t.Helper()
	fn := tpl.Resources["RequestsFunction"].(*serverless.Function)
	env := map[string]string{}
	for k, v := range fn.Environment.Variables {
		s := v
		if strings.HasPrefix(s, "Ref:") && urls[strings.TrimPrefix(s, "Ref:")] != "" {
			s = urls[strings.TrimPrefix(s, "Ref:")]
		}
		switch s {
		case "Ref:OriginSecret":
			s = originSecret
		case "Ref:SigningKey":
			s = signingKey
		}
		env[k] = s
	}
	env["AWS_ENDPOINT_URL_SQS"] = srv.Endpoint
	env["AWS_REGION"] = srv.Region
	env["SHAPS_AWS_ACCESS_KEY_ID"], env["SHAPS_AWS_SECRET_ACCESS_KEY"] = "test", "test"
	return env
}

// TestIntakeAndAdminOnTheTemplatesQueue: on queues made as the template makes them (FIFO, 14
// days, the dead-letter queue after 5 receives), the function, set up with the template's
// environment, queues a request, and admin pull makes it a case and empties the queue.
func TestIntakeAndAdminOnTheTemplatesQueue(t *testing.T) {
	goTool := lookGo(t)
	tpl := load(t)
	srv := sqstest.Start(t)
	urls := createQueues(t, tpl, srv)
	queueURL := urls["RequestsQueue"]
	if !strings.HasSuffix(queueURL, "/"+stack+"-requests.fifo") {
		t.Fatalf("queue URL %s: want the FIFO queue %s-requests.fifo", queueURL, stack)
	}
	env := functionEnv(t, tpl, urls, srv)
	if env["SHAPS_SQS_QUEUE_URL"] != queueURL {
		t.Fatalf("the function's SHAPS_SQS_QUEUE_URL is %q, want the queue's URL", env["SHAPS_SQS_QUEUE_URL"])
	}
	ctx := context.Background()
	cfg, err := setup.Load(func(k string) string { return env[k] }, map[string]string{"queue": "sqs"})
	if err != nil {
		t.Fatal(err)
	}
	q, st, err := setup.OpenFunction(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h, err := setup.Handler(cfg, q, st, nil, nil, time.Now, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	send := lambdaproxy.HandlerBehind(h, lambdaproxy.Edge{Secret: cfg.OriginSecret})
	submit := func(message string) string {
		t.Helper()
		e := events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/requests",
			Headers: map[string]string{"Content-Type": "application/json", // and what CloudFront adds
				lambdaproxy.OriginSecretHeader: originSecret, lambdaproxy.CloudFrontViewerHeader: "203.0.113.7:41234"},
			Body: `{"category":"salute","message":"` + message + `","contact_preference":"none","privacy":true}`}
		e.RequestContext.Identity.SourceIP = "130.176.1.1" // CloudFront's
		resp, err := send(ctx, e)
		if err != nil || resp.StatusCode != 202 {
			t.Fatalf("submit: got %d %s (%v), want 202", resp.StatusCode, resp.Body, err)
		}
		var out struct{ Code string }
		if err := json.Unmarshal([]byte(resp.Body), &out); err != nil || out.Code == "" {
			t.Fatalf("submit: no code in %s", resp.Body)
		}
		return out.Code
	}
	code := submit("Serve un passaggio per una visita in ospedale.")

	dir := t.TempDir()
	admin := filepath.Join(dir, "admin")
	build := exec.Command(goTool, "build", "-o", admin, "./intake/cmd/admin")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build admin: %v\n%s", err, out)
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(admin, args...)
		cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "SHAPS_QUEUE=sqs", "SHAPS_SQS_QUEUE_URL=" + queueURL,
			"AWS_ENDPOINT_URL_SQS=" + srv.Endpoint, "AWS_REGION=" + srv.Region, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
			"SHAPS_CASES=" + filepath.Join(dir, "cases.db"), "SHAPS_OUTBOX=" + filepath.Join(dir, "outbox"), "SHAPS_DATA=../data", "SHAPS_ADMIN=ufficio",
			"SHAPS_STATUS_DIR=" + filepath.Join(dir, "status"), "SHAPS_SIGNING_KEY=" + signingKey}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("admin %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	if out := run("pull"); !strings.Contains(out, "received 1, new cases 1") {
		t.Errorf("admin pull: got %q, want one new case", out)
	}
	if out := run("show", code); !strings.Contains(out, "Serve un passaggio per una visita in ospedale.") {
		t.Errorf("admin show %s: got %q, want the message", code, out)
	}
	if left := srv.Drain(t, queueURL); len(left) != 0 {
		t.Errorf("after the pull the queue holds %d message(s), want none", len(left))
	}

}

// lookGo finds the go command, which builds admin.
func lookGo(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("go is not installed; CI must have it")
		}
		t.Skip("go is not installed; it builds admin for this test")
	}
	return p
}
