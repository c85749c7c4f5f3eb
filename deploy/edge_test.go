package deploy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/cloudfront"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
	"github.com/shaps-portal/shaps/intake/lambdaproxy"
)

// TestViewerAddress: CloudFront sends the function the viewer's address with the secret the
// function checks it by, so the rate limit counts viewers, not CloudFront's addresses.
func TestViewerAddress(t *testing.T) {
	tpl := load(t)
	secret := tpl.Parameters["OriginSecret"]
	if secret.NoEcho == nil || !*secret.NoEcho || secret.MinLength == nil || *secret.MinLength < 32 {
		t.Errorf("OriginSecret: want a hidden parameter of at least 32 characters, got %+v", secret)
	}
	fn := tpl.Resources["RequestsFunction"].(*serverless.Function)
	if got := fn.Environment.Variables["SHAPS_ORIGIN_SECRET"]; got != "Ref:OriginSecret" {
		t.Errorf("the function's SHAPS_ORIGIN_SECRET: got %q, want OriginSecret", got)
	}
	if got := fn.Environment.Variables["SHAPS_RATE_LIMIT"]; got != "" {
		t.Errorf("SHAPS_RATE_LIMIT is %q: the function's default limit counts each viewer", got)
	}
	cfg := tpl.Resources["Distribution"].(*cloudfront.Distribution).DistributionConfig
	found := false
	for _, o := range cfg.Origins {
		if o.Id != "intake" {
			if len(o.OriginCustomHeaders) > 0 {
				t.Errorf("origin %s gets %v: the secret is the function's only", o.Id, o.OriginCustomHeaders)
			}
			continue
		}
		for _, h := range o.OriginCustomHeaders {
			if strings.EqualFold(h.HeaderName, lambdaproxy.OriginSecretHeader) && h.HeaderValue == "Ref:OriginSecret" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the intake's origin does not send %s: OriginSecret", lambdaproxy.OriginSecretHeader)
	}
	policy := tpl.Resources["IntakeRequestPolicy"].(*cloudfront.OriginRequestPolicy).OriginRequestPolicyConfig.HeadersConfig
	lower := func(hs []string) []string {
		var out []string
		for _, h := range hs {
			out = append(out, strings.ToLower(h))
		}
		return out
	}
	if policy.HeaderBehavior != "whitelist" || !slices.Contains(lower(policy.Headers), strings.ToLower(lambdaproxy.CloudFrontViewerHeader)) ||
		slices.Contains(lower(policy.Headers), "host") {
		t.Errorf("IntakeRequestPolicy forwards %s %v: want %s, never Host", policy.HeaderBehavior, policy.Headers, lambdaproxy.CloudFrontViewerHeader)
	}
	for _, b := range cfg.CacheBehaviors {
		if b.TargetOriginId == "intake" && (b.OriginRequestPolicyId == nil || *b.OriginRequestPolicyId != "Ref:IntakeRequestPolicy") {
			t.Errorf("behavior %s goes to the intake without IntakeRequestPolicy", b.PathPattern)
		}
	}
}
