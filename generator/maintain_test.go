package main

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/catalog"
	"go.yaml.in/yaml/v3"
)

// TestCodeownersIsCurrent: the committed CODEOWNERS matches the maintainers in the data.
func TestCodeownersIsCurrent(t *testing.T) {
	cat, _ := catalog.LoadDir("../data", testNow())
	want := codeowners(cat, "data")
	got, err := os.ReadFile("../" + CodeownersFile)
	if err != nil {
		t.Fatalf("%v (run go run ./generator codeowners)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date; run go run ./generator codeowners\ngot:\n%s\nwant:\n%s", CodeownersFile, got, want)
	}
	if !strings.Contains(string(want), "/data/associations/croce-azzurra-oltrepo/ @croce-azzurra-oltrepo\n") {
		t.Errorf("got\n%s\nwant a line per association with its maintainers", want)
	}
}

func TestStaleCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"stale", "-data", "../data"}, noEnv, &stdout, &stderr, testNow); err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	if !strings.Contains(out, "Banco Solidale Iriense ODV") || !strings.Contains(out, "banco@solidaleiriense.org") || strings.Contains(out, "Croce Azzurra") {
		t.Errorf("got\n%s\nwant only the stale association, with its contacts", out)
	}
	if !strings.Contains(stderr.String(), "1 association(s) to remind") {
		t.Errorf("got %q, want the count", stderr.String())
	}
}

func TestStaleNoticeOnPage(t *testing.T) {
	out := buildSite(t, "../data")
	stale := readFile(t, out+"/associazioni/banco-solidale-iriense/index.html")
	fresh := readFile(t, out+"/associazioni/croce-azzurra-oltrepo/index.html")
	if !strings.Contains(stale, `class="notice"`) || strings.Contains(fresh, `class="notice"`) {
		t.Errorf("want the notice on the stale association's page only")
	}
}

// TestNightlyRebuild: the scheduled workflow rebuilds the portal every day shortly after local
// midnight, all year round, so that the day of the build is the day the citizens see.
func TestNightlyRebuild(t *testing.T) {
	raw, err := os.ReadFile("../.github/workflows/rebuild.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On struct {
			Schedule []struct{ Cron string } `yaml:"schedule"`
		} `yaml:"on"`
		Jobs map[string]struct {
			Steps []struct {
				Env map[string]string `yaml:"env"`
				Run string            `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(raw, &wf); err != nil {
		t.Fatal(err)
	}
	if len(wf.On.Schedule) != 1 {
		t.Fatalf("got %d schedules, want one", len(wf.On.Schedule))
	}
	f := strings.Fields(wf.On.Schedule[0].Cron)
	if len(f) != 5 || f[2] != "*" || f[3] != "*" || f[4] != "*" {
		t.Fatalf("cron %q: want one run a day, every day", wf.On.Schedule[0].Cron)
	}
	minute, err1 := strconv.Atoi(f[0])
	hour, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		t.Fatalf("cron %q: want a fixed minute and hour", wf.On.Schedule[0].Cron)
	}
	cat, _ := catalog.LoadDir("../data", testNow())
	for d := time.Date(2027, 1, 1, hour, minute, 0, 0, time.UTC); d.Year() == 2027; d = d.AddDate(0, 0, 1) {
		if local := d.In(cat.Location); local.Hour() >= 3 {
			t.Fatalf("the rebuild of %s runs at %s in %s: want it between midnight and 3", d.Format("2006-01-02"), local.Format("15:04"), cat.Location)
		}
	}
	calls := false
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			if s.Env["BUILD_HOOK"] == "${{ secrets.NETLIFY_BUILD_HOOK }}" && strings.Contains(s.Run, `-X POST`) && strings.Contains(s.Run, `"$BUILD_HOOK"`) {
				calls = true
			}
		}
	}
	if !calls {
		t.Errorf("no step posts to the secret NETLIFY_BUILD_HOOK:\n%s", raw)
	}
}
