package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/site/routes"
)

// TestCloudFrontTemplateIsCurrent: the committed template's generated parts are what the routes
// table gives.
func TestCloudFrontTemplateIsCurrent(t *testing.T) {
	got, err := os.ReadFile("../" + TemplateFile)
	if err != nil {
		t.Fatal(err)
	}
	want, err := spliceTemplate(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date; run go run ./generator cloudfront\ngot:\n%s\nwant:\n%s", TemplateFile, got, want)
	}
}

// TestCloudFrontFunctionFits: CloudFront takes a function of at most 10 KB.
func TestCloudFrontFunctionFits(t *testing.T) {
	if n := len(cloudFrontFunction()); n > 10*1024 {
		t.Errorf("the CloudFront function is %d bytes, want at most 10,240", n)
	}
}

func TestSpliceTemplateNeedsEveryPart(t *testing.T) {
	for name, template := range map[string]string{
		"no end":       "a:\n  # generated: function code\n",
		"unknown part": "# generated: something else\n# end generated: something else\n",
		"missing part": "Resources: {}\n",
	} {
		if _, err := spliceTemplate([]byte(template)); err == nil {
			t.Errorf("%s: spliced without an error", name)
		}
	}
}

// cloudFrontMatch is how CloudFront matches a cache behavior's path pattern: the whole path,
// "*" any characters, "?" one.
func cloudFrontMatch(pattern, path string) bool {
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
	return regexp.MustCompile(re).MatchString(path)
}

// TestCloudFrontHeaders: at every path the first cache behavior that matches, as CloudFront
// picks it, gives the headers routes gives: the static site's rules, or the intake's headers
// on its routes.
func TestCloudFrontHeaders(t *testing.T) {
	d := cloudFront()
	policies := map[string][]routes.Header{}
	for _, p := range d.Policies {
		policies[p.ID] = p.Headers
	}
	paths := []string{"/", "/servizi/", "/eventi/calendario.ics", "/admin/", "/admin/config.yml", "/admin/x.ics",
		"/administration/", "/ics", "/a.ics/b", "/cerca/x.ics", "/richieste/",
		"/widget/associazioni/la-rondine/", "/widget/categorie/salute/eventi/scuro/", "/widget/x.ics", "/widgets/",
		"/associazioni/la-rondine/eventi.atom", "/admin/x.atom", "/widget/x.atom"}
	for _, rt := range routes.Intake() {
		paths = append(paths, rt.Path, rt.Path+"x", strings.TrimSuffix(rt.Path, "/"))
	}
	for _, path := range paths {
		b := d.Default
		for _, c := range d.Behaviors {
			if cloudFrontMatch(c.Pattern, path) {
				b = c
				break
			}
		}
		want := http.Header{}
		if rt, ok := routes.Match(path); ok && (len(rt.Query) == 0 || b.Origin == portalOrigin) {
			routes.SetIntake(want, path)
			// The pages in other languages go to the intake by the viewer function (see
			// TestCloudFrontFunctionUnderNode).
			if b.Origin != intakeOrigin && len(rt.Query) == 0 && !translated(rt) {
				t.Errorf("%s: behavior %s goes to %s, want %s", path, b.Pattern, b.Origin, intakeOrigin)
			}
		} else {
			routes.SetSite(want, path, "")
			if b.Origin != portalOrigin {
				t.Errorf("%s: behavior %s goes to %s, want %s", path, b.Pattern, b.Origin, portalOrigin)
			}
		}
		got := http.Header{}
		for _, h := range policies[b.Policy] {
			got.Set(h.Name, h.Value)
		}
		if !equalHeaders(got, want) {
			t.Errorf("%s (behavior %q): headers\n%v\nwant\n%v", path, b.Pattern, got, want)
		}
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestCloudFrontBehaviorsWithinQuota: the distribution has no more cache behaviors than
// CloudFront allows one without asking for more, whatever the number of languages.
func TestCloudFrontBehaviorsWithinQuota(t *testing.T) {
	if n := len(cloudFront().Behaviors); n > 25 {
		t.Errorf("got %d cache behaviors, want at most CloudFront's 25", n)
	}
}

// TestCloudFrontPolicyConfig: each policy says its headers, every one, in CloudFront's terms.
func TestCloudFrontPolicyConfig(t *testing.T) {
	for _, p := range cloudFront().Policies {
		cfg, err := policyConfig(p)
		if err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
		got := http.Header{}
		sec, _ := cfg["SecurityHeadersConfig"].(map[string]any)
		for k, v := range sec {
			m := v.(map[string]any)
			switch k {
			case "ContentSecurityPolicy":
				got.Set("Content-Security-Policy", m["ContentSecurityPolicy"].(string))
			case "ContentTypeOptions":
				got.Set("X-Content-Type-Options", "nosniff")
			case "FrameOptions":
				got.Set("X-Frame-Options", m["FrameOption"].(string))
			case "ReferrerPolicy":
				got.Set("Referrer-Policy", m["ReferrerPolicy"].(string))
			case "StrictTransportSecurity":
				v := "max-age=" + strings.TrimSpace(strings.Trim(jsonOf(m["AccessControlMaxAgeSec"]), `"`))
				if m["IncludeSubdomains"] == true {
					v += "; includeSubDomains"
				}
				if m["Preload"] == true {
					v += "; preload"
				}
				got.Set("Strict-Transport-Security", v)
			}
		}
		if custom, ok := cfg["CustomHeadersConfig"].(map[string]any); ok {
			for _, item := range custom["Items"].([]map[string]any) {
				got.Set(item["Header"].(string), item["Value"].(string))
			}
		}
		want := http.Header{}
		for _, h := range p.Headers {
			want.Set(h.Name, h.Value)
		}
		if !equalHeaders(got, want) {
			t.Errorf("%s says\n%v\nwant\n%v", p.ID, got, want)
		}
	}
	if _, err := policyConfig(headerPolicy{ID: "X", Headers: []routes.Header{{Name: "X-Frame-Options", Value: "ALLOW-FROM x"}}}); err == nil {
		t.Error("a header CloudFront cannot say was rendered without an error")
	}
}

func jsonOf(v any) string { b, _ := json.Marshal(v); return string(b) }

// cloudFrontRequest is a viewer request as a CloudFront Function receives it.
func cloudFrontRequest(target string) map[string]any {
	u, _ := url.Parse(target)
	qs := map[string]any{}
	for k, vs := range u.Query() {
		first := map[string]string{"value": vs[0]}
		if len(vs) > 1 {
			var multi []map[string]string
			for _, v := range vs {
				multi = append(multi, map[string]string{"value": v})
			}
			qs[k] = map[string]any{"value": vs[0], "multiValue": multi}
			continue
		}
		qs[k] = first
	}
	return map[string]any{"method": "GET", "uri": u.Path, "querystring": qs, "headers": map[string]any{}, "cookies": map[string]any{}}
}

// TestCloudFrontFunctionUnderNode runs the function under node on the cases serve follows:
// the intake's requests go to its origin untouched; the static site's folders get their
// index.html and a path without an extension the redirect to its folder.
func TestCloudFrontFunctionUnderNode(t *testing.T) {
	node := lookPath(t, "node")
	type outcome struct {
		Origin   string `json:"origin"`
		URI      string `json:"uri"`
		Status   int    `json:"status"`
		Location string `json:"location"`
	}
	want := map[string]outcome{}
	for target, where := range routingCases() {
		u, _ := url.Parse(target)
		switch {
		case where == "intake":
			want[target] = outcome{Origin: intakeOrigin, URI: u.Path}
		case strings.HasSuffix(u.Path, "/"):
			want[target] = outcome{URI: u.Path + "index.html"}
		default:
			want[target] = outcome{Status: 301, Location: target[:len(u.Path)] + "/" + target[len(u.Path):]}
		}
	}
	want["/style.7f3a.css"] = outcome{URI: "/style.7f3a.css"}
	want["/eventi/calendario.ics"] = outcome{URI: "/eventi/calendario.ics"}
	want["/chi-siamo"] = outcome{Status: 301, Location: "/chi-siamo/"}
	want["/chi-siamo?a=1&a=2"] = outcome{Status: 301, Location: "/chi-siamo/?a=1&a=2"}

	var targets []string
	var requests []map[string]any
	for target := range want {
		targets = append(targets, target)
		requests = append(requests, cloudFrontRequest(target))
	}
	dir := t.TempDir()
	code, cases := filepath.Join(dir, "function.js"), filepath.Join(dir, "requests.json")
	data, _ := json.Marshal(requests)
	if err := os.WriteFile(code, []byte(cloudFrontFunction()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cases, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, "testdata/cloudfront-function.mjs", code, cases).Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []outcome
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(targets) {
		t.Fatalf("node answered %s (%v), want %d outcomes", out, err, len(targets))
	}
	for i, target := range targets {
		if got[i] != want[target] {
			t.Errorf("GET %s: got %+v, want %+v", target, got[i], want[target])
		}
	}
}
