package deploy_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
	"github.com/awslabs/goformation/v7/intrinsics"
	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

const templateFile = "template.yaml"

// symbolic resolves the template's intrinsic functions to strings that name what they point
// at ("GetAtt:Queue.Arn", "Ref:Bucket", "Sub:${Bucket.Arn}/*"), so that a test can tell which
// resource a permission is on; a parameter's Ref is its default, and Fn::If its first branch.
func symbolic() *intrinsics.ProcessorOptions {
	return &intrinsics.ProcessorOptions{IntrinsicHandlerOverrides: map[string]intrinsics.IntrinsicHandler{
		"Ref": func(_ string, input, template any) any {
			name, _ := input.(string)
			if name == "AWS::NoValue" {
				return nil
			}
			if params, ok := template.(map[string]any)["Parameters"].(map[string]any); ok {
				if p, ok := params[name].(map[string]any); ok && p["Default"] != nil {
					return p["Default"]
				}
			}
			return "Ref:" + name
		},
		"Fn::GetAtt": func(_ string, input, _ any) any {
			switch v := input.(type) {
			case string:
				return "GetAtt:" + v
			case []any:
				return fmt.Sprintf("GetAtt:%v.%v", v[0], v[1])
			}
			return nil
		},
		"Fn::Sub": func(_ string, input, _ any) any {
			if s, ok := input.(string); ok {
				return "Sub:" + s
			}
			return nil
		},
		"Fn::If": func(_ string, input, _ any) any {
			if v, ok := input.([]any); ok && len(v) == 3 {
				return v[1]
			}
			return nil
		},
	}}
}

func parse(t *testing.T, data []byte) (*cloudformation.Template, error) {
	t.Helper()
	// Every type must be one CloudFormation's specification has: goformation knows them all.
	var raw struct {
		Resources map[string]struct {
			Type string `yaml:"Type"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	known := cloudformation.AllResources()
	for name, r := range raw.Resources {
		if _, ok := known[r.Type]; !ok {
			return nil, fmt.Errorf("resource %s: unknown type %q", name, r.Type)
		}
	}
	// goformation refuses a property its type does not have, at any depth.
	return goformation.ParseYAMLWithOptions(data, symbolic())
}

func load(t *testing.T) *cloudformation.Template {
	t.Helper()
	data, err := os.ReadFile(templateFile)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := parse(t, data)
	if err != nil {
		t.Fatalf("%s: %v", templateFile, err)
	}
	return tpl
}

// TestTemplateIsKnown: goformation, generated from CloudFormation's specification, reads every
// resource and property of the template; a misspelt property or an invented type fails.
func TestTemplateIsKnown(t *testing.T) {
	tpl := load(t)
	t.Logf("%s: %d resources", templateFile, len(tpl.Resources))
	data, _ := os.ReadFile(templateFile)
	for name, edit := range map[string][2]string{
		"unknown type":            {"Type: AWS::SQS::Queue\n", "Type: AWS::SQS::FifoQueue\n"},
		"unknown property":        {"      FifoQueue: true\n", "      FifoQueue: true\n      Fifo: true\n"},
		"unknown nested property": {"        HttpVersion: http2and3\n", "        HttpVersion: http2and3\n        HttpVersions: http2and3\n"},
	} {
		if !strings.Contains(string(data), edit[0]) {
			t.Fatalf("%s: the template has no %q to change", name, edit[0])
		}
		_, err := parse(t, []byte(strings.Replace(string(data), edit[0], edit[1], 1)))
		if err == nil {
			t.Errorf("%s: the template was read without an error", name)
			continue
		}
		t.Logf("%s: %v", name, err)
	}
}

// statement is one statement of a policy document, its actions and resources as lists.
type statement struct {
	Effect, Sid string
	Action      []string
	NotAction   []string
	Resource    []string
	Principal   any
}

func statements(t *testing.T, where string, doc any) []statement {
	t.Helper()
	var d struct{ Statement []map[string]any }
	b, _ := json.Marshal(doc)
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: policy document: %v", where, err)
	}
	list := func(v any) []string {
		switch v := v.(type) {
		case string:
			return []string{v}
		case []any:
			var out []string
			for _, x := range v {
				out = append(out, fmt.Sprint(x))
			}
			return out
		}
		return nil
	}
	var out []statement
	for _, s := range d.Statement {
		out = append(out, statement{Effect: fmt.Sprint(s["Effect"]), Action: list(s["Action"]), NotAction: list(s["NotAction"]),
			Resource: list(s["Resource"]), Principal: s["Principal"]})
	}
	return out
}

// policies lists every policy document of the template, by where it is.
func policies(tpl *cloudformation.Template) map[string]any {
	docs := map[string]any{}
	for name, r := range tpl.Resources {
		switch r := r.(type) {
		case *iam.Role:
			docs[name+" trust"] = r.AssumeRolePolicyDocument
			for _, p := range r.Policies {
				docs[name+" "+p.PolicyName] = p.PolicyDocument
			}
		case *iam.Policy:
			docs[name] = r.PolicyDocument
		case *iam.ManagedPolicy:
			docs[name] = r.PolicyDocument
		case *s3.BucketPolicy:
			docs[name] = r.PolicyDocument
		case *sqs.QueuePolicy:
			docs[name] = r.PolicyDocument
		case *sns.TopicPolicy:
			docs[name] = r.PolicyDocument
		}
	}
	return docs
}

// wildcards are the template's actions that are patterns, and its NotActions (which grant all
// but some).
func wildcards(t *testing.T, tpl *cloudformation.Template) []string {
	var bad []string
	for where, doc := range policies(tpl) {
		for _, s := range statements(t, where, doc) {
			for _, a := range s.Action {
				if strings.ContainsAny(a, "*?") {
					bad = append(bad, where+": "+a)
				}
			}
			for _, a := range s.NotAction {
				bad = append(bad, where+": NotAction "+a)
			}
		}
	}
	return bad
}

func TestNoWildcardActions(t *testing.T) {
	tpl := load(t)
	if bad := wildcards(t, tpl); len(bad) > 0 {
		t.Errorf("wildcard actions: %q", bad)
	}
	// The check sees one.
	role := tpl.Resources["OfficeRole"].(*iam.Role)
	saved := role.Policies[0].PolicyDocument
	role.Policies[0].PolicyDocument = map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": "sqs:*", "Resource": "x"}}}
	if bad := wildcards(t, tpl); len(bad) != 1 {
		t.Errorf("sqs:* in the office's role: got %q, want it found", bad)
	}
	role.Policies[0].PolicyDocument = saved
}

// grant is an action on a resource, as the symbolic intrinsics name it.
type grant struct{ Action, Resource string }

func grants(t *testing.T, role *iam.Role, name string) ([]grant, error) {
	if len(role.ManagedPolicyArns) > 0 || role.PermissionsBoundary != nil {
		return nil, fmt.Errorf("%s: managed policies %v: every permission must be written in the template", name, role.ManagedPolicyArns)
	}
	var out []grant
	for _, p := range role.Policies {
		for _, s := range statements(t, name, p.PolicyDocument) {
			if s.Effect != "Allow" {
				continue
			}
			if len(s.NotAction) > 0 {
				return nil, fmt.Errorf("%s: NotAction %v", name, s.NotAction)
			}
			for _, a := range s.Action {
				for _, r := range s.Resource {
					out = append(out, grant{a, r})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out, nil
}

// TestLeastPrivilege: the function may send to the queue, read statuses (and list their bucket)
// and write its own log,
// nothing else; the office may receive and delete messages and write and delete statuses.
func TestLeastPrivilege(t *testing.T) {
	tpl := load(t)
	fn := tpl.Resources["RequestsFunction"].(*serverless.Function)
	if fn.Policies != nil {
		t.Errorf("the function has SAM policies %v: its one role, FunctionRole, holds its permissions", fn.Policies)
	}
	if fn.Role == nil || *fn.Role != "GetAtt:FunctionRole.Arn" {
		t.Fatalf("the function's role: got %v, want FunctionRole", fn.Role)
	}
	tests := []struct {
		role string
		want []grant
	}{
		{"FunctionRole", []grant{
			{"logs:CreateLogStream", "GetAtt:FunctionLogGroup.Arn"},
			{"logs:PutLogEvents", "GetAtt:FunctionLogGroup.Arn"},
			{"s3:GetObject", "Sub:${StatusBucket.Arn}/*"},
			{"s3:ListBucket", "GetAtt:StatusBucket.Arn"},
			{"sqs:SendMessage", "GetAtt:RequestsQueue.Arn"},
		}},
		{"OfficeRole", []grant{
			{"s3:DeleteObject", "Sub:${StatusBucket.Arn}/*"},
			{"s3:PutObject", "Sub:${StatusBucket.Arn}/*"},
			{"sqs:DeleteMessage", "GetAtt:RequestsQueue.Arn"},
			{"sqs:ReceiveMessage", "GetAtt:RequestsQueue.Arn"},
		}},
	}
	for _, tt := range tests {
		role, ok := tpl.Resources[tt.role].(*iam.Role)
		if !ok {
			t.Fatalf("no role %s", tt.role)
		}
		got, err := grants(t, role, tt.role)
		if err != nil {
			t.Error(err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s grants\n%v\nwant\n%v", tt.role, got, tt.want)
		}
	}
	// The check sees one permission too many.
	role := tpl.Resources["FunctionRole"].(*iam.Role)
	role.Policies = append(role.Policies, iam.Role_Policy{PolicyName: "more", PolicyDocument: map[string]any{
		"Statement": []any{map[string]any{"Effect": "Allow", "Action": []any{"sqs:ReceiveMessage"}, "Resource": "GetAtt:RequestsQueue.Arn"}}}})
	if got, _ := grants(t, role, "FunctionRole"); len(got) != len(tests[0].want)+1 {
		t.Errorf("an added permission: got %v", got)
	}
}

// TestQueuesBucketsAndAlarms: what the office relies on is in the template.
func TestQueuesBucketsAndAlarms(t *testing.T) {
	tpl := load(t)
	q := tpl.Resources["RequestsQueue"].(*sqs.Queue)
	dlq := tpl.Resources["RequestsDeadLetterQueue"].(*sqs.Queue)
	for name, q := range map[string]*sqs.Queue{"RequestsQueue": q, "RequestsDeadLetterQueue": dlq} {
		if q.FifoQueue == nil || !*q.FifoQueue || q.SqsManagedSseEnabled == nil || !*q.SqsManagedSseEnabled ||
			q.MessageRetentionPeriod == nil || *q.MessageRetentionPeriod != 14*24*3600 {
			t.Errorf("%s: want FIFO, encrypted, kept 14 days: got fifo %v, sse %v, retention %v", name, q.FifoQueue, q.SqsManagedSseEnabled, q.MessageRetentionPeriod)
		}
	}
	redrive, _ := json.Marshal(q.RedrivePolicy)
	if string(redrive) != `{"deadLetterTargetArn":"GetAtt:RequestsDeadLetterQueue.Arn","maxReceiveCount":5}` {
		t.Errorf("redrive policy: got %s, want the dead-letter queue after 5 receives", redrive)
	}
	status := tpl.Resources["StatusBucket"].(*s3.Bucket)
	if status.LifecycleConfiguration == nil || len(status.LifecycleConfiguration.Rules) != 1 ||
		status.LifecycleConfiguration.Rules[0].ExpirationInDays == nil || *status.LifecycleConfiguration.Rules[0].ExpirationInDays != 730 {
		t.Errorf("statuses: want one rule expiring them after the retention (RetentionDays, 730 days)")
	}
	for _, name := range []string{"StatusBucket", "PortalBucket", "ArtifactsBucket"} {
		b := tpl.Resources[name].(*s3.Bucket)
		p := b.PublicAccessBlockConfiguration
		if p == nil || !*p.BlockPublicAcls || !*p.BlockPublicPolicy || !*p.IgnorePublicAcls || !*p.RestrictPublicBuckets {
			t.Errorf("%s: want every public access blocked", name)
		}
	}
	fn := tpl.Resources["RequestsFunction"].(*serverless.Function)
	if fn.Runtime == nil || *fn.Runtime != "provided.al2023" || !slices.Equal(fn.Architectures, []string{"arm64"}) {
		t.Errorf("function: got %v %v, want provided.al2023 on arm64", fn.Runtime, fn.Architectures)
	}
	for k, want := range map[string]string{"SHAPS_QUEUE": "sqs", "SHAPS_SQS_QUEUE_URL": "Ref:RequestsQueue",
		"SHAPS_STATUS": "s3", "SHAPS_STATUS_BUCKET": "Ref:StatusBucket", "SHAPS_SIGNING_KEY": "Ref:SigningKey"} {
		if got := fn.Environment.Variables[k]; got != want {
			t.Errorf("the function's %s: got %q, want %q", k, got, want)
		}
	}
	// The function refuses to start without its signing key, and nobody may read it back.
	key := tpl.Parameters["SigningKey"]
	if key.NoEcho == nil || !*key.NoEcho || key.MinLength == nil || *key.MinLength < 32 || key.Default != nil {
		t.Errorf("SigningKey: got %+v, want a hidden parameter of at least 32 characters, without a default", key)
	}
	for _, k := range []string{"QueueUrl", "StatusBucket", "OfficeRole", "DeployRole", "PortalBucket", "DistributionId", "ArtifactsBucket", "CloudFormationRole", "PortalAddress"} {
		if _, ok := tpl.Outputs[k]; !ok {
			t.Errorf("no output %s: the office's settings and the workflow read it", k)
		}
	}
	topic := tpl.Resources["AlarmTopic"].(*sns.Topic)
	if len(topic.Subscription) != 1 || topic.Subscription[0].Protocol != "email" || topic.Subscription[0].Endpoint != "Ref:OfficeEmail" {
		t.Errorf("alarm topic: want one e-mail subscription to OfficeEmail, got %+v", topic.Subscription)
	}
	alarms := map[string]string{}
	for name, r := range tpl.Resources {
		if a, ok := r.(*cloudwatch.Alarm); ok {
			if !slices.Equal(a.AlarmActions, []string{"Ref:AlarmTopic"}) {
				t.Errorf("%s: actions %v, want the alarm topic", name, a.AlarmActions)
			}
			dim := ""
			if len(a.Dimensions) == 1 {
				dim = a.Dimensions[0].Value
			}
			alarms[*a.MetricName+" "+dim] = a.ComparisonOperator + fmt.Sprint(*a.Threshold)
		}
	}
	want := map[string]string{
		"ApproximateNumberOfMessagesVisible GetAtt:RequestsDeadLetterQueue.QueueName": "GreaterThanThreshold0",
		"Errors Ref:RequestsFunction":                                  "GreaterThanThreshold0",
		"ApproximateAgeOfOldestMessage GetAtt:RequestsQueue.QueueName": "GreaterThanThreshold86400",
	}
	if fmt.Sprint(alarms) != fmt.Sprint(want) {
		t.Errorf("alarms: got %v, want %v", alarms, want)
	}
}

// TestRegion: the stack goes to Milan unless told otherwise.
func TestRegion(t *testing.T) {
	var cfg struct {
		Default struct {
			Deploy struct {
				Parameters struct {
					Region    string `toml:"region"`
					StackName string `toml:"stack_name"`
				} `toml:"parameters"`
			} `toml:"deploy"`
		} `toml:"default"`
	}
	data, err := os.ReadFile("samconfig.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := toml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if got := cfg.Default.Deploy.Parameters.Region; got != "eu-south-1" {
		t.Errorf("samconfig.toml region: got %q, want eu-south-1", got)
	}
}
